# bash completion for sio                                    -*- shell-script -*-
# Install: source this file, or copy it to /usr/share/bash-completion/completions/sio

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
  local emit_opts="-h --help --path --transport --auth -H --header --query --ca --insecure --json -q --quiet
    --ack --timeout --ack-timeout --redis --redis-key --namespace --to --except --volatile --redis-sharded
    --redis-subscription-mode"
  local listen_opts="-h --help --path --transport --auth -H --header --query --ca --insecure --json -q --quiet
    --no-reconnect --reconnect-delay --reconnect-delay-max --reconnect-attempts -n --count --timeout --emit --ack-with"
  local connect_opts="-h --help --path --transport --auth -H --header --query --ca --insecure --json -q --quiet
    --no-reconnect --reconnect-delay --reconnect-delay-max --reconnect-attempts --timeout --ack-timeout --ack-with"
  local bench_opts="-h --help --path --transport --auth --also -H --header --query --ca --insecure --json
    -s --scenario -c --clients -d --duration --warmup --ramp-up --payload-size --event --rate --pipeline
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
      case "$prev" in
        --transport) COMPREPLY=($(compgen -W "polling websocket upgrade" -- "$cur")); return ;;
        --redis-subscription-mode) COMPREPLY=($(compgen -W "static dynamic dynamic-private" -- "$cur")); return ;;
        --ca) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --path | --auth | -H | --header | --query | --timeout | --reconnect-delay | --reconnect-delay-max | \
          --reconnect-attempts | -n | --count | --emit | --ack-with | --ack-timeout | --redis | --redis-key | --namespace | \
          --nsp | --to | --except) return ;;
      esac
      case "$cur" in
        -*)
          local opts="${sub}_opts"
          COMPREPLY=($(compgen -W "${!opts}" -- "$cur"))
          ;;
        @*)  # sio emit ... @FILE: a file as a binary argument
          [[ "$sub" == emit ]] && COMPREPLY=($(compgen -P @ -f -- "${cur#@}"))
          ;;
      esac
      ;;
    bench)
      case "$prev" in
        -s | --scenario) COMPREPLY=($(compgen -W "echo broadcast connect idle" -- "$cur")); return ;;
        --transport) COMPREPLY=($(compgen -W "polling websocket upgrade" -- "$cur")); return ;;
        --ca | --report) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --path | --auth | -H | --header | --query | -c | --clients | -d | --duration | --warmup | --ramp-up | \
          --payload-size | --event | --rate | --pipeline | --senders | --connect-rate | -t | --threads | \
          --source-addresses | --connect-timeout | --ack-timeout | --fail-if | --also) return ;;
      esac
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$bench_opts" -- "$cur"))
      fi
      ;;
  esac
}

complete -F _sio sio
