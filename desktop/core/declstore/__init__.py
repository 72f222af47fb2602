"""The parts of the local declaration store (:class:`desktop.core.store.DeclarationStore`,
the one class callers use), each in the module a reader would look in:

* :mod:`.rows` — a declaration's columns as stored, the local time format, the insert and
  upsert statements;
* :mod:`.schema` — the tables and secondary indexes, creating and upgrading the file;
* :mod:`.numberindex` — the full-text (FTS5 trigram) index of the numbers: substring search;
* :mod:`.listversion` — the write counter the list's saved id arrays depend on;
* :mod:`.ddl` — indexes and triggers created when missing, dropped by name;
* :mod:`.partners` — partner names and their ids;
* :mod:`.bulk` — loading many declarations at once (demo databases, first fill);
* :mod:`.feed` — merging pages of the server's declarations feed, handling records;
* :mod:`.listing` — the list's queries: ordered ids and counts of a filter, cancellable;
* :mod:`.reads` — rows by id or number for the list model and the detail pane;
* :mod:`.marks` — the plugins' marks on declarations.

Every part works on the store's one connection, in the caller's transaction or in one it
opens with :func:`desktop.core.sqlite.transaction`.
"""
