"""Bundled plugins: one folder each with a ``plugin.toml`` manifest (see docs/PLUGINS.md)."""
