"""The parts of the durable outbox (:class:`desktop.core.outbox.Outbox`, the one class
callers use; ``docs/OUTBOX.md``), each in the module a reader would look in:

* :mod:`.schema` — the file's tables and columns, the item states, upgrading an older
  outbox in place;
* :mod:`.errors` — what the outbox raises, and the write transaction that turns a full disk
  into :class:`~.errors.DiskFull`;
* :mod:`.damage` — a damaged file moved aside, damaged rows set apart in the quarantine;
* :mod:`.views` — what the queue window and the plugins read: counts, states, items, bodies;
* :mod:`.retention` — dropping the payloads of acknowledged items after the retention period.

The queue itself (record, claim under a lease, acknowledge, release) stays in
:mod:`desktop.core.outbox`.
"""
