"""Qt-free domain rules shared by the desktop program, its plugins and the server.

Nothing in this package imports Qt, a web framework or a database driver, so every rule
can be exercised by plain unit tests and used identically on both sides of the wire.
"""
