# What `cmake --install` puts where: the executable, its man page, and the shell completions
# where bash-completion, zsh and fish look for them under the prefix.
include(GNUInstallDirs)
install(TARGETS sio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES man/sio.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES completions/sio.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME sio)
install(FILES completions/_sio DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/sio.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# Named as Debian wants it in the .deb (/usr/share/doc/sio/copyright).
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
