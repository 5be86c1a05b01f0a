# fish completion for sio. Install: copy to ~/.config/fish/completions/sio.fish

complete -c sio -f
complete -c sio -n __fish_use_subcommand -s h -l help -d 'Print usage, examples and exit codes'
complete -c sio -n __fish_use_subcommand -s V -l version -d 'Print the version'
complete -c sio -n __fish_use_subcommand -a serve -d 'Run a Socket.IO server'
complete -c sio -n __fish_use_subcommand -a emit -d 'Connect, emit one event, disconnect'
complete -c sio -n __fish_use_subcommand -a listen -d 'Print incoming events as they arrive'
complete -c sio -n __fish_use_subcommand -a connect -d 'Interactive client; lines in, events out in a pipe'

# sio serve
set -l serve '__fish_seen_subcommand_from serve'
complete -c sio -n $serve -s h -l help -d 'Print the options of serve'
complete -c sio -n $serve -l host -x -d 'Address to listen on'
complete -c sio -n $serve -l port -x -d 'Port to listen on; 0 picks a free port'
complete -c sio -n $serve -l path -x -d 'Engine.IO path'
complete -c sio -n $serve -l mode -x -a 'echo broadcast eio-echo' -d 'Server behaviour'
complete -c sio -n $serve -l ping-interval -x -d 'Heartbeat interval in ms'
complete -c sio -n $serve -l ping-timeout -x -d 'Pong timeout in ms'
complete -c sio -n $serve -l max-payload -x -d 'Largest POST body or WebSocket message'
complete -c sio -n $serve -l connect-timeout -x -d 'Close connections that join no namespace in time'
complete -c sio -n $serve -l namespace -x -d 'Accept only this namespace (repeatable)'
complete -c sio -n $serve -l cors -x -d 'Allow this origin, or * (repeatable)'
complete -c sio -n $serve -l static -x -a '(__fish_complete_directories)' -d 'Serve the files of this directory'
complete -c sio -n $serve -l json -d 'Print events as NDJSON'
complete -c sio -n $serve -s q -l quiet -d 'Print nothing on stdout'

# sio emit
set -l emit '__fish_seen_subcommand_from emit'
complete -c sio -n $emit -s h -l help -d 'Print the options of emit'
complete -c sio -n $emit -l path -x -d 'Engine.IO path'
complete -c sio -n $emit -l transport -x -a 'polling websocket' -d 'Use only this transport'
complete -c sio -n $emit -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $emit -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $emit -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $emit -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $emit -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $emit -l json -d 'Print NDJSON'
complete -c sio -n $emit -l ack -d 'Wait for the ack and print its arguments'
complete -c sio -n $emit -l timeout -x -d 'Give up after this many seconds'

# sio listen
set -l listen '__fish_seen_subcommand_from listen'
complete -c sio -n $listen -s h -l help -d 'Print the options of listen'
complete -c sio -n $listen -l path -x -d 'Engine.IO path'
complete -c sio -n $listen -l transport -x -a 'polling websocket' -d 'Use only this transport'
complete -c sio -n $listen -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $listen -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $listen -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $listen -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $listen -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $listen -l json -d 'Print events as NDJSON'
complete -c sio -n $listen -l no-reconnect -d 'Do not reconnect when the connection is lost'
complete -c sio -n $listen -l reconnect-delay -x -d 'First reconnection delay in ms'
complete -c sio -n $listen -l reconnect-delay-max -x -d 'Longest reconnection delay in ms'
complete -c sio -n $listen -l reconnect-attempts -x -d 'Give up after N attempts (0: never)'
complete -c sio -n $listen -s n -l count -x -d 'Exit after this many events'
complete -c sio -n $listen -l timeout -x -d 'Exit 1 if not done after this many seconds'
complete -c sio -n $listen -l emit -x -d 'After each connect, emit this JSON array (repeatable)'

# sio connect
set -l connect '__fish_seen_subcommand_from connect'
complete -c sio -n $connect -s h -l help -d 'Print the options of connect'
complete -c sio -n $connect -l path -x -d 'Engine.IO path'
complete -c sio -n $connect -l transport -x -a 'polling websocket' -d 'Use only this transport'
complete -c sio -n $connect -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $connect -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $connect -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $connect -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $connect -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $connect -l json -d 'Print events and acks as NDJSON'
complete -c sio -n $connect -l no-reconnect -d 'Do not reconnect when the connection is lost'
complete -c sio -n $connect -l reconnect-delay -x -d 'First reconnection delay in ms'
complete -c sio -n $connect -l reconnect-delay-max -x -d 'Longest reconnection delay in ms'
complete -c sio -n $connect -l reconnect-attempts -x -d 'Give up after N attempts (0: never)'
complete -c sio -n $connect -l ack-timeout -x -d 'Seconds to wait for an ack'
