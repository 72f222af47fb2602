"""The bundled example plugin: a small, complete use of the HostApi (see docs/PLUGINS.md)."""
