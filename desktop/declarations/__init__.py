"""The declaration store and the declaration list.

* :mod:`.store` — the local SQLite store of declarations, their handling records and the
  plugins' marks (Qt-free).
* :mod:`.query` — filters and sorts, turned into SQL (Qt-free).
* :mod:`.columns` — the column description plugins use to add columns (Qt-free).
* :mod:`.model` — the table model: an ordered id array, rows fetched lazily in blocks.
* :mod:`.view` — the list widget with its filter bar.
"""
