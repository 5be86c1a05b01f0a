# fish completion for sio. Install: copy to ~/.config/fish/completions/sio.fish

complete -c sio -f
complete -c sio -n __fish_use_subcommand -s h -l help -d 'Print usage, examples and exit codes'
complete -c sio -n __fish_use_subcommand -s V -l version -d 'Print the version'
