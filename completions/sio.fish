# fish completion for sio. Install: copy to ~/.config/fish/completions/sio.fish

complete -c sio -f

# True when the subcommand (the first word after sio that is not an option) is $argv[1].
# __fish_seen_subcommand_from alone would also match `sio bench URL -s connect`.
function __sio_using
    for word in (commandline -opc)[2..-1]
        switch $word
            case '-*'
                continue
        end
        test "$word" = "$argv[1]"
        return
    end
    return 1
end

# @FILE (a file as a binary event argument) for the token being completed, when it starts with @.
function __sio_at_files
    set -l token (commandline -ct)
    string match -q -- '@*' $token; or return
    for f in (__fish_complete_path (string sub -s 2 -- $token))
        echo "@$f"
    end
end

complete -c sio -n __fish_use_subcommand -s h -l help -d 'Print usage, examples and exit codes'
complete -c sio -n __fish_use_subcommand -s V -l version -d 'Print the version'
complete -c sio -n __fish_use_subcommand -a serve -d 'Run a Socket.IO server'
complete -c sio -n __fish_use_subcommand -a emit -d 'Connect, emit one event, disconnect'
complete -c sio -n __fish_use_subcommand -a listen -d 'Print incoming events as they arrive'
complete -c sio -n __fish_use_subcommand -a connect -d 'Interactive client; lines in, events out in a pipe'
complete -c sio -n __fish_use_subcommand -a bench -d 'Load-test a server: throughput, latency, connects'

# sio serve
set -l serve '__fish_seen_subcommand_from serve; and __sio_using serve'
complete -c sio -n $serve -s h -l help -d 'Print the options of serve'
complete -c sio -n $serve -l host -x -d 'Address to listen on'
complete -c sio -n $serve -l port -x -d 'Port to listen on; 0 picks a free port'
complete -c sio -n $serve -l path -x -d 'Engine.IO path'
complete -c sio -n $serve -l mode -x -a 'echo broadcast eio-echo' -d 'Server behaviour'
complete -c sio -n $serve -l ping-interval -x -d 'Heartbeat interval, e.g. 25s (bare: ms)'
complete -c sio -n $serve -l ping-timeout -x -d 'Pong timeout, e.g. 20s (bare: ms)'
complete -c sio -n $serve -l max-payload -x -d 'Largest POST body or WebSocket message'
complete -c sio -n $serve -l connect-timeout -x -d 'Close connections that join no namespace in time, e.g. 45s'
complete -c sio -n $serve -l namespace -x -d 'Accept only this namespace (repeatable)'
complete -c sio -n $serve -l cors -x -d 'Allow this origin, or * (repeatable)'
complete -c sio -n $serve -l redis -x -d 'Join a cluster through this Redis (redis-adapter protocol)'
complete -c sio -n $serve -l redis-key -x -d "The adapter's channel prefix"
complete -c sio -n $serve -l redis-sharded -d "Speak the sharded adapter's protocol (Redis 7 sharded pub/sub)"
complete -c sio -n $serve -l redis-subscription-mode -x -a 'static dynamic dynamic-private' -d "The sharded cluster's subscriptionMode"
complete -c sio -n $serve -l static -x -a '(__fish_complete_directories)' -d 'Serve the files of this directory'
complete -c sio -n $serve -l json -d 'Print a listening record, then events, as NDJSON'
complete -c sio -n $serve -s q -l quiet -d 'Print no connects, disconnects or events'

# sio emit
set -l emit '__fish_seen_subcommand_from emit; and __sio_using emit'
complete -c sio -n $emit -s h -l help -d 'Print the options of emit'
complete -c sio -n $emit -l path -x -d 'Engine.IO path'
complete -c sio -n $emit -l transport -x -a 'polling websocket upgrade' -d 'Transport (default: upgrade, polling then websocket)'
complete -c sio -n $emit -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $emit -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $emit -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $emit -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $emit -s k -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $emit -l cert -r -F -d 'TLS client certificate (PEM)'
complete -c sio -n $emit -l key -r -F -d 'Private key of --cert (PEM)'
complete -c sio -n $emit -l origin -x -d 'Origin header of the handshake requests'
complete -c sio -n $emit -s v -l verbose -d 'Trace every packet and HTTP request on stderr'
complete -c sio -n $emit -l proxy -x -d 'HTTP proxy http://[user:pass@]host[:port] ("" for none)'
complete -c sio -n $emit -l no-proxy -d 'Connect directly, whatever the proxy variables say'
complete -c sio -n $emit -l json -d 'Print NDJSON'
complete -c sio -n $emit -s q -l quiet -d 'No status messages on stderr'
complete -c sio -n $emit -a '(__sio_at_files)'
complete -c sio -n $emit -l arg -x -d 'Add an argument that is this string, whatever it looks like'
complete -c sio -n $emit -l json-arg -x -d 'Add an argument that must be valid JSON'
complete -c sio -n $emit -l file-arg -r -F -d 'Add the bytes of this file as a binary argument (- for stdin)'
complete -c sio -n $emit -l ack -d 'Wait for the ack and print its arguments'
complete -c sio -n $emit -l timeout -x -d 'Give up after this long, e.g. 5s'
complete -c sio -n $emit -l ack-timeout -x -d 'With --ack, wait this long for it'
complete -c sio -n $emit -l redis -x -d 'Emitter mode: publish on this Redis'
complete -c sio -n $emit -l redis-key -x -d "Emitter mode: the adapter's channel prefix"
complete -c sio -n $emit -l namespace -x -d 'Emitter mode: the namespace'
complete -c sio -n $emit -l to -x -d 'Emitter mode: only sockets in this room (repeatable)'
complete -c sio -n $emit -l except -x -d 'Emitter mode: not sockets in this room (repeatable)'
complete -c sio -n $emit -l volatile -d 'Emitter mode: mark the broadcast volatile'
complete -c sio -n $emit -l redis-sharded -d 'Emitter mode: for a cluster on the sharded adapter'
complete -c sio -n $emit -l redis-subscription-mode -x -a 'static dynamic dynamic-private' -d "Emitter mode: the sharded cluster's subscriptionMode"

# sio listen
set -l listen '__fish_seen_subcommand_from listen; and __sio_using listen'
complete -c sio -n $listen -s h -l help -d 'Print the options of listen'
complete -c sio -n $listen -l path -x -d 'Engine.IO path'
complete -c sio -n $listen -l transport -x -a 'polling websocket upgrade' -d 'Transport (default: upgrade, polling then websocket)'
complete -c sio -n $listen -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $listen -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $listen -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $listen -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $listen -s k -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $listen -l cert -r -F -d 'TLS client certificate (PEM)'
complete -c sio -n $listen -l key -r -F -d 'Private key of --cert (PEM)'
complete -c sio -n $listen -l origin -x -d 'Origin header of the handshake requests'
complete -c sio -n $listen -s v -l verbose -d 'Trace every packet and HTTP request on stderr'
complete -c sio -n $listen -l proxy -x -d 'HTTP proxy http://[user:pass@]host[:port] ("" for none)'
complete -c sio -n $listen -l no-proxy -d 'Connect directly, whatever the proxy variables say'
complete -c sio -n $listen -l json -d 'Print events and connects as NDJSON'
complete -c sio -n $listen -s q -l quiet -d 'No status messages on stderr'
complete -c sio -n $listen -l no-reconnect -d 'Do not reconnect when the connection is lost'
complete -c sio -n $listen -l reconnect-delay -x -d 'First reconnection delay, e.g. 1s (bare: ms)'
complete -c sio -n $listen -l reconnect-delay-max -x -d 'Longest reconnection delay, e.g. 5s (bare: ms)'
complete -c sio -n $listen -l reconnect-attempts -x -d 'Give up after N attempts (0: never)'
complete -c sio -n $listen -s n -l count -x -d 'Exit after this many events'
complete -c sio -n $listen -l timeout -x -d 'Exit 1 if not done after this long, e.g. 5s'
complete -c sio -n $listen -l emit -x -d 'After each connect, emit this JSON array (repeatable)'
complete -c sio -n $listen -l ack-with -x -a '(__sio_at_files)' -d 'Answer events that ask for an ack with this argument (repeatable)'
complete -c sio -n $listen -l ack-with-arg -x -d 'Like --ack-with, but always this string'
complete -c sio -n $listen -l ack-with-json -x -d 'Like --ack-with, but must be valid JSON'
complete -c sio -n $listen -l ack-with-file -r -F -d 'Like --ack-with, but this file as binary (- for stdin)'

# sio connect
set -l connect '__fish_seen_subcommand_from connect; and __sio_using connect'
complete -c sio -n $connect -s h -l help -d 'Print the options of connect'
complete -c sio -n $connect -l path -x -d 'Engine.IO path'
complete -c sio -n $connect -l transport -x -a 'polling websocket upgrade' -d 'Transport (default: upgrade, polling then websocket)'
complete -c sio -n $connect -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $connect -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $connect -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $connect -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $connect -s k -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $connect -l cert -r -F -d 'TLS client certificate (PEM)'
complete -c sio -n $connect -l key -r -F -d 'Private key of --cert (PEM)'
complete -c sio -n $connect -l origin -x -d 'Origin header of the handshake requests'
complete -c sio -n $connect -s v -l verbose -d 'Trace every packet and HTTP request on stderr'
complete -c sio -n $connect -l proxy -x -d 'HTTP proxy http://[user:pass@]host[:port] ("" for none)'
complete -c sio -n $connect -l no-proxy -d 'Connect directly, whatever the proxy variables say'
complete -c sio -n $connect -l json -d 'Print events, acks and connects as NDJSON'
complete -c sio -n $connect -s q -l quiet -d 'No status messages on stderr'
complete -c sio -n $connect -l no-reconnect -d 'Do not reconnect when the connection is lost'
complete -c sio -n $connect -l reconnect-delay -x -d 'First reconnection delay, e.g. 1s (bare: ms)'
complete -c sio -n $connect -l reconnect-delay-max -x -d 'Longest reconnection delay, e.g. 5s (bare: ms)'
complete -c sio -n $connect -l reconnect-attempts -x -d 'Give up after N attempts (0: never)'
complete -c sio -n $connect -l timeout -x -d 'Give up after this long, e.g. 5m'
complete -c sio -n $connect -l ack-timeout -x -d 'Wait this long for each ack, e.g. 10s'
complete -c sio -n $connect -s w -l wait -x -d 'Pipe mode: keep printing events this long after the input ends'
complete -c sio -n $connect -l ack-with -x -a '(__sio_at_files)' -d 'Answer events that ask for an ack with this argument (repeatable)'
complete -c sio -n $connect -l ack-with-arg -x -d 'Like --ack-with, but always this string'
complete -c sio -n $connect -l ack-with-json -x -d 'Like --ack-with, but must be valid JSON'
complete -c sio -n $connect -l ack-with-file -r -F -d 'Like --ack-with, but this file as binary (- for stdin)'
complete -c sio -n $connect -l color -x -a 'auto always never' -d 'Colour: auto (on a terminal, unless NO_COLOR), always, never'

# sio bench
set -l bench '__fish_seen_subcommand_from bench; and __sio_using bench'
complete -c sio -n $bench -s h -l help -d 'Print the options of bench'
complete -c sio -n $bench -l also -x -d 'Also connect to this server (repeatable): clients go round-robin'
complete -c sio -n $bench -l path -x -d 'Engine.IO path'
complete -c sio -n $bench -l transport -x -a 'polling websocket upgrade' -d 'Transport of every client (default: websocket)'
complete -c sio -n $bench -l auth -x -d 'CONNECT payload, a JSON object'
complete -c sio -n $bench -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c sio -n $bench -l query -x -d 'Extra query parameter k=v (repeatable)'
complete -c sio -n $bench -l ca -r -F -d 'Trust this CA certificate (PEM)'
complete -c sio -n $bench -s k -l insecure -d "Do not verify the server's TLS certificate"
complete -c sio -n $bench -l cert -r -F -d 'TLS client certificate (PEM)'
complete -c sio -n $bench -l key -r -F -d 'Private key of --cert (PEM)'
complete -c sio -n $bench -l origin -x -d 'Origin header of the handshake requests'
complete -c sio -n $bench -l json -d 'Print the summary as JSON'
complete -c sio -n $bench -s s -l scenario -x -a 'echo\t"Emit with acks" broadcast\t"Senders emit, every client receives" connect\t"Connections per second" idle\t"Hold connections, count drops"' -d 'What to measure'
complete -c sio -n $bench -s c -l clients -x -d 'Simulated clients'
complete -c sio -n $bench -s d -l duration -x -d 'How long to measure, e.g. 10s'
complete -c sio -n $bench -l warmup -x -d 'Load before measuring, e.g. 1s'
complete -c sio -n $bench -l ramp-up -x -d 'Spread the connects over this long'
complete -c sio -n $bench -l payload-size -x -d 'Bytes of padding in every event'
complete -c sio -n $bench -l event -x -d 'Event name emitted'
complete -c sio -n $bench -l rate -x -d 'Open loop: events/s (echo: per client; broadcast: in total)'
complete -c sio -n $bench -l pipeline -x -d 'Closed loop: emits in flight per client'
complete -c sio -n $bench -l senders -x -d 'Broadcast: clients that emit'
complete -c sio -n $bench -l connect-rate -x -d 'Connect scenario: new connections per second'
complete -c sio -n $bench -s t -l threads -x -d 'Event loops (one thread each)'
complete -c sio -n $bench -l source-addresses -x -d 'Local addresses to connect from: a-b or a,b,c'
complete -c sio -n $bench -l connect-timeout -x -d 'How long a client may take to connect, e.g. 10s'
complete -c sio -n $bench -l ack-timeout -x -d 'An emit not acked within this long counts as an error, e.g. 10s'
complete -c sio -n $bench -l fail-if -x -d "Exit 1 when a condition holds: 'p99>20ms', 'errors>0'"
complete -c sio -n $bench -l report -r -F -d 'Write an HTML report with plots over time'
complete -c sio -n $bench -s q -l quiet -d 'No progress on stderr'
