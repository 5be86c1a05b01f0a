# zsh -f zsh_complete.zsh COMPLETIONS_DIR WORK_DIR OUT LINE...
# Types each LINE into an interactive zsh on a pseudo-terminal, presses TAB, and appends the
# buffer TAB left to OUT (one line each). Bounded: gives up after 10 s.
zmodload zsh/zpty || exit 1
comp=$1 dir=$2 out=$3
shift 3
: >$out
zpty shell 'zsh -f -i'  # its output, a few lines, stays in the terminal's buffer unread
zpty -w shell "PS1='> '; fpath=(${(q)comp} \$fpath); autoload -Uz compinit; compinit -u -D; cd ${(q)dir}"
zpty -w shell "dump() { print -r -- \"\$BUFFER\" >>${(q)out}; BUFFER= }; zle -N dump; bindkey '^X' dump"
zmodload zsh/datetime
deadline=$((EPOCHREALTIME + 10))
typed=0
# One line at a time, the next once the buffer of the last is in OUT: zle may drop typeahead.
while (( EPOCHREALTIME < deadline )); do
  lines=("${(@f)$(<$out)}")
  done_lines=${#lines:#}  # non-empty lines: a buffer is never empty
  (( done_lines == $# )) && break
  if (( done_lines == typed )); then
    (( typed++ ))
    zpty -w -n shell "${@[typed]}"$'\t\x18'
  fi
  sleep 0.05
done
zpty -d shell
