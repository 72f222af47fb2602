"""Offline-first outbox and sync engine: the Qt layer.

The Qt-free parts live in :mod:`desktop.core` (``outbox``: store and state machine,
``backoff``: retry policy, ``engine``: sync loop, ``lock``: one sender across processes,
``session``: signed-in state, ``cache``: catalog and declarations feed). Here:
:mod:`.service` (worker thread), :mod:`.widgets` (status bar, queue window, sign-in),
:mod:`.integration` (the seam into the application).
"""
