"""The Qt-free core of the desktop program: storage, sync and network plumbing that runs
without a display (an import-linter contract keeps PySide6 out of this package)."""
