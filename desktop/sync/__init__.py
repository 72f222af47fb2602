"""Offline-first outbox and sync engine.

Qt-free core: :mod:`.outbox` (store and state machine), :mod:`.backoff` (retry policy),
:mod:`.engine` (sync loop), :mod:`.lock` (one sender across processes), :mod:`.session`
(signed-in state), :mod:`.cache` (catalog and declarations feed). Qt layer:
:mod:`.service` (worker thread), :mod:`.widgets` (status bar, queue window, sign-in),
:mod:`.integration` (the seam into the application).
"""
