#!/usr/bin/env bash
# Runs the completion scripts in the shells they are for and checks what they offer: @FILE for a
# bare `sio emit` argument and for --ack-with, files for --file-arg, nothing for --arg, the new
# flags by prefix.
#   bash tests/completions/completion_test.sh
# bash: the script is sourced, COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT are set as readline
# would (its COMP_WORDBREAKS splits words at @ and :), _sio is called, COMPREPLY is checked.
# fish: `complete -C LINE`. zsh: an interactive zsh on a pseudo-terminal (zsh/zpty) completes the
# line with TAB and a key bound to a widget writes the resulting buffer to a file.
set -u
here=$(cd "$(dirname "$0")" && pwd)
comp=$(cd "$here/../../completions" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" && touch photo.png photo.jpg other.txt && mkdir sub && touch sub/inner.bin

passed=0 failed=0
expect() {  # NAME GOT WANT
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n  got:  %q\n  want: %q\n' "$1" "$2" "$3"
  fi
}

# ---- bash
bash_complete() {  # WORDBREAKS LINE: prints COMPREPLY, sorted, one per line
  bash --norc --noprofile -c '
    source "$1/sio.bash"
    COMP_WORDBREAKS=$2
    COMP_LINE=$3
    COMP_POINT=${#COMP_LINE}
    # words as readline makes them: split at blanks, and at @ and : when they break words
    spaced=$COMP_LINE
    [[ "$COMP_WORDBREAKS" == *@* ]] && spaced=${spaced//@/ @ }
    [[ "$COMP_WORDBREAKS" == *:* ]] && spaced=${spaced//:/ : }
    read -ra COMP_WORDS <<<"$spaced"
    [[ "$COMP_LINE" == *" " || "$COMP_LINE" == *@ ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _sio
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$comp" "$1" "$2"
}

default_breaks=$' \t\n"\'@><=;|&(:'
no_at_breaks=$' \t\n"\'><=;|&('
nl=$'\n'
for breaks in "$default_breaks" "$no_at_breaks"; do
  at=@
  [[ "$breaks" == *@* ]] && at=  # readline replaces only what follows the @
  kind="bash$([[ -z $at ]] && echo ' (@ breaks words)')"
  expect "$kind: emit @ph" "$(bash_complete "$breaks" 'sio emit http://127.0.0.1:3000 ev @ph')" "${at}photo.jpg${nl}${at}photo.png"
  expect "$kind: emit @ after --ack" "$(bash_complete "$breaks" 'sio emit http://x ev --ack @oth')" "${at}other.txt"
  expect "$kind: emit @sub/" "$(bash_complete "$breaks" 'sio emit http://x ev 1 @sub/')" "${at}sub/inner.bin"
  expect "$kind: listen --ack-with @" "$(bash_complete "$breaks" 'sio listen http://x --ack-with @ph')" "${at}photo.jpg${nl}${at}photo.png"
  expect "$kind: connect --ack-with @" "$(bash_complete "$breaks" 'sio connect http://x --ack-with @o')" "${at}other.txt"
  expect "$kind: --arg @ is a string" "$(bash_complete "$breaks" 'sio emit http://x ev --arg @ph')" ""
  expect "$kind: --auth @ is not a file" "$(bash_complete "$breaks" 'sio emit http://x ev --auth @ph')" ""
  expect "$kind: listen EVENT @ is not a file" "$(bash_complete "$breaks" 'sio listen http://x @ph')" ""
done
expect "bash: --file-arg" "$(bash_complete "$default_breaks" 'sio emit http://x ev --file-arg ph')" "photo.jpg${nl}photo.png"
expect "bash: --ack-with-file" "$(bash_complete "$default_breaks" 'sio listen http://x --ack-with-file oth')" "other.txt"
expect "bash: emit flags" "$(bash_complete "$default_breaks" 'sio emit http://x ev --json-a')" "--json-arg"
expect "bash: listen flags" "$(bash_complete "$default_breaks" 'sio listen http://x --ack-with-')" \
  "--ack-with-arg${nl}--ack-with-file${nl}--ack-with-json"
expect "bash: --color" "$(bash_complete "$default_breaks" 'sio connect http://x --color a')" "always${nl}auto"
expect "bash: --arg takes any text" "$(bash_complete "$default_breaks" 'sio emit http://x ev --arg ')" ""

# ---- fish
if command -v fish >/dev/null; then
  fish_complete() { fish --no-config -c "source $comp/sio.fish; complete -C \"\$argv[1]\"" "$1" | cut -f1 | sort; }
  expect "fish: emit @ph" "$(fish_complete 'sio emit http://x ev @ph')" "@photo.jpg${nl}@photo.png"
  expect "fish: emit @sub/" "$(fish_complete 'sio emit http://x ev @sub/')" "@sub/inner.bin"
  expect "fish: listen --ack-with @" "$(fish_complete 'sio listen http://x --ack-with @ph')" "@photo.jpg${nl}@photo.png"
  expect "fish: connect --ack-with @" "$(fish_complete 'sio connect http://x --ack-with @o')" "@other.txt"
  expect "fish: --file-arg" "$(fish_complete 'sio emit http://x ev --file-arg ph')" "photo.jpg${nl}photo.png"
  expect "fish: --arg @ is a string" "$(fish_complete 'sio emit http://x ev --arg @ph')" ""
  expect "fish: --color" "$(fish_complete 'sio connect http://x --color ')" "always${nl}auto${nl}never"
  expect "fish: listen flags" "$(fish_complete 'sio listen http://x --ack-with-')" \
    "--ack-with-arg${nl}--ack-with-file${nl}--ack-with-json"
else
  failed=$((failed + 1)); echo "FAIL fish is not installed (bash .ci/deps.sh test)"
fi

# ---- zsh
if command -v zsh >/dev/null; then
  zsh_lines=('sio emit http://x ev @oth' 'sio emit http://x ev 1 @ph' 'sio listen http://x --ack-with @oth'
             'sio connect http://x --ack-with @sub/' 'sio emit http://x ev --file-arg oth' 'sio listen http://x --ack-with-j'
             'sio listen http://x chat --no-rec' 'sio emit http://x --ack-time' 'sio connect http://x --color ne')
  zsh_want=('sio emit http://x ev @other.txt ' 'sio emit http://x ev 1 @photo.' 'sio listen http://x --ack-with @other.txt '
            'sio connect http://x --ack-with @sub/inner.bin ' 'sio emit http://x ev --file-arg other.txt '
            'sio listen http://x --ack-with-json ' 'sio listen http://x chat --no-reconnect '
            'sio emit http://x --ack-timeout ' 'sio connect http://x --color never ')
  out=$work/zsh.out
  zsh -f "$here/zsh_complete.zsh" "$comp" "$work" "$out" "${zsh_lines[@]}"
  mapfile -t got <"$out" 2>/dev/null
  for i in "${!zsh_lines[@]}"; do
    expect "zsh: ${zsh_lines[i]}" "${got[i]-(no buffer)}" "${zsh_want[i]}"
  done
else
  failed=$((failed + 1)); echo "FAIL zsh is not installed (bash .ci/deps.sh test)"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
