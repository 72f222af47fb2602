"""The declaration store and the declaration list.

* :mod:`desktop.core.store` — the local SQLite store of declarations, their handling records
  and the plugins' marks (Qt-free, in the core).
* :mod:`desktop.core.query` — filters and sorts, turned into SQL (Qt-free, in the core).
* :mod:`.columns` — the column description plugins use to add columns (Qt-free).
* :mod:`.model` — the table model: an ordered id array, rows fetched lazily in blocks.
* :mod:`.view` — the list widget with its filter bar.
"""
