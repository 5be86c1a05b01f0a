# bash completion for sio                                    -*- shell-script -*-
# Install: source this file, or copy it to /usr/share/bash-completion/completions/sio

# Completes @FILE (a file as a binary event argument). $1 is the word as typed, @ included.
# Readline replaces only the text after the last @ when COMP_WORDBREAKS holds @, as bash's
# default does; then the candidates go without it.
_sio_at_files() {
  local IFS=$'\n' at=@
  [[ "$COMP_WORDBREAKS" == *@* ]] && at=
  COMPREPLY=($(compgen -P "$at" -f -- "${1#@}"))
}

_sio() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD - 1]}"
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }

  local global_opts="-h --help -V --version"
  local subcommands="serve emit listen connect bench"
  local serve_opts="-h --help --host --port --path --mode --ping-interval --ping-timeout --max-payload
    --connect-timeout --namespace --cors --static --redis --redis-key --redis-sharded --redis-subscription-mode --json -q --quiet"
  local emit_opts="-h --help --path --transport --auth -H --header --query --ca -k --insecure --cert --key --origin
    -v --verbose --proxy --no-proxy --json -q --quiet
    --arg --json-arg --file-arg --ack --timeout --ack-timeout --redis --redis-key --namespace --to --except --volatile --redis-sharded
    --redis-subscription-mode"
  local listen_opts="-h --help --path --transport --auth -H --header --query --ca -k --insecure --cert --key --origin
    -v --verbose --proxy --no-proxy --json -q --quiet
    --no-reconnect --reconnect-delay --reconnect-delay-max --reconnect-attempts -n --count --timeout --emit
    --ack-with --ack-with-arg --ack-with-json --ack-with-file"
  local connect_opts="-h --help --path --transport --auth -H --header --query --ca -k --insecure --cert --key --origin
    -v --verbose --proxy --no-proxy --json -q --quiet
    --no-reconnect --reconnect-delay --reconnect-delay-max --reconnect-attempts --timeout --ack-timeout -w --wait
    --ack-with --ack-with-arg --ack-with-json --ack-with-file --color"
  local bench_opts="-h --help --path --transport --auth --also -H --header --query --ca -k --insecure --cert --key
    --origin --json -s --scenario -c --clients -d --duration --warmup --ramp-up --payload-size --event --rate --pipeline
    --senders --connect-rate -t --threads --source-addresses --connect-timeout --ack-timeout --fail-if --report -q
    --quiet"

  local sub="" i
  for ((i = 1; i < cword; i++)); do
    case " $subcommands " in
      *" ${words[i]} "*) sub="${words[i]}"; break ;;
    esac
  done

  case "$sub" in
    "")
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
      fi
      ;;
    serve)
      case "$prev" in
        --mode) COMPREPLY=($(compgen -W "echo broadcast eio-echo" -- "$cur")); return ;;
        --redis-subscription-mode) COMPREPLY=($(compgen -W "static dynamic dynamic-private" -- "$cur")); return ;;
        --static) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --host | --port | --path | --ping-interval | --ping-timeout | --max-payload | --connect-timeout | \
          --namespace | --cors | --redis | --redis-key) return ;;
      esac
      COMPREPLY=($(compgen -W "$serve_opts" -- "$cur"))
      ;;
    emit | listen | connect)
      # COMP_WORDS splits "@photo" at the @ (and URLs at :); the line itself has the words as typed.
      local typed="$cur" before_word="$prev"
      if [[ -n "${COMP_LINE+set}" ]]; then
        local line="${COMP_LINE:0:COMP_POINT}"
        typed="${line##*[[:space:]]}"
        line="${line%"$typed"}"
        line="${line%"${line##*[![:space:]]}"}"
        before_word="${line##*[[:space:]]}"
      fi
      if [[ "$typed" == @* ]]; then
        # @FILE: an --ack-with argument, or a bare argument of emit (not the value of another flag)
        local value_flags=" --path --transport --auth -H --header --query --ca --timeout --ack-timeout --redis
          --redis-key --namespace --nsp --to --except --redis-subscription-mode --arg --json-arg --file-arg --cert --key --origin --proxy "
        if [[ "$before_word" == --ack-with || ("$sub" == emit && "$value_flags" != *[[:space:]]"$before_word"[[:space:]]*) ]]; then
          _sio_at_files "$typed"
        fi
        return
      fi
      case "$prev" in
        --transport) COMPREPLY=($(compgen -W "polling websocket upgrade" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --redis-subscription-mode) COMPREPLY=($(compgen -W "static dynamic dynamic-private" -- "$cur")); return ;;
        --ca | --cert | --key | --file-arg | --ack-with-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --path | --auth | -H | --header | --query | --timeout | --reconnect-delay | --reconnect-delay-max | \
          --reconnect-attempts | -n | --count | --emit | --ack-timeout | -w | --wait | --redis | --redis-key | --namespace | \
          --nsp | --to | --except | --arg | --json-arg | --ack-with | --ack-with-arg | --ack-with-json | \
          --origin | --proxy) return ;;
      esac
      case "$cur" in
        -*)
          local opts="${sub}_opts"
          COMPREPLY=($(compgen -W "${!opts}" -- "$cur"))
          ;;
      esac
      ;;
    bench)
      case "$prev" in
        -s | --scenario) COMPREPLY=($(compgen -W "echo broadcast connect idle" -- "$cur")); return ;;
        --transport) COMPREPLY=($(compgen -W "polling websocket upgrade" -- "$cur")); return ;;
        --ca | --cert | --key | --report) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --path | --auth | -H | --header | --query | -c | --clients | -d | --duration | --warmup | --ramp-up | \
          --payload-size | --event | --rate | --pipeline | --senders | --connect-rate | -t | --threads | \
          --source-addresses | --connect-timeout | --ack-timeout | --fail-if | --also | --origin) return ;;
      esac
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$bench_opts" -- "$cur"))
      fi
      ;;
  esac
}

complete -F _sio sio
