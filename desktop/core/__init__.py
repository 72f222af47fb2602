"""The Qt-free core of the desktop program, usable without a display (an import-linter
contract keeps PySide6 out of this package):

* :mod:`.sqlite`: connections, per-thread pools, transactions, damaged files moved aside;
* :mod:`.store`, :mod:`.query`: the declaration store and its queries (the store's parts in
  :mod:`.declstore`);
* :mod:`.outbox`, :mod:`.engine`, :mod:`.backoff`, :mod:`.lock`, :mod:`.session`,
  :mod:`.cache`: the offline outbox and the sync engine (the outbox's parts in
  :mod:`.outboxstore`);
* :mod:`.http`, :mod:`.api`: the HTTP client (workstation network conventions) and the
  typed client of the feedback server's API.
"""
