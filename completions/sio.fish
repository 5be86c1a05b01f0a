# fish completion for sio. Install: copy to ~/.config/fish/completions/sio.fish

complete -c sio -f
complete -c sio -n __fish_use_subcommand -s h -l help -d 'Print usage, examples and exit codes'
complete -c sio -n __fish_use_subcommand -s V -l version -d 'Print the version'
complete -c sio -n __fish_use_subcommand -a serve -d 'Run a Socket.IO server'

# sio serve
set -l serve '__fish_seen_subcommand_from serve'
complete -c sio -n $serve -s h -l help -d 'Print the options of serve'
complete -c sio -n $serve -l host -r -d 'Address to listen on'
complete -c sio -n $serve -l port -r -d 'Port to listen on; 0 picks a free port'
complete -c sio -n $serve -l path -r -d 'Engine.IO path'
complete -c sio -n $serve -l mode -r -a 'echo broadcast eio-echo' -d 'Server behaviour'
complete -c sio -n $serve -l ping-interval -r -d 'Heartbeat interval in ms'
complete -c sio -n $serve -l ping-timeout -r -d 'Pong timeout in ms'
complete -c sio -n $serve -l max-payload -r -d 'Largest POST body or WebSocket message'
complete -c sio -n $serve -l connect-timeout -r -d 'Close connections that join no namespace in time'
complete -c sio -n $serve -l namespace -r -d 'Accept only this namespace (repeatable)'
complete -c sio -n $serve -l cors -r -d 'Allow this origin, or * (repeatable)'
complete -c sio -n $serve -l static -r -a '(__fish_complete_directories)' -d 'Serve the files of this directory'
complete -c sio -n $serve -l json -d 'Print events as NDJSON'
complete -c sio -n $serve -s q -l quiet -d 'Print nothing on stdout'
