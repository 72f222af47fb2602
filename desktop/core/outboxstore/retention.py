"""Retention of personal data: payloads hold names and full phone numbers of contacts.

Once the server acknowledged an item and the retention period passed since then, its payload
is dropped (``payload = ''``, ``pruned_at`` set). Id, hash, kind, state, account, server
reference, dates, the server's answer and the declaration number stay as history and for
idempotency. Items not yet acknowledged and refused ones are never touched. ``secure_delete``
(a pragma of every outbox connection) overwrites the freed bytes and the write-ahead log is
emptied, so the personal data is gone from the disk too.
"""
from __future__ import annotations

import logging
import sqlite3

from .errors import write

log = logging.getLogger(__name__)


def drop_payloads(conn: sqlite3.Connection, now: float, days: float) -> int:
    """Drop the payload of items acknowledged before ``now - days``; return how many."""
    with write(conn) as tx:
        cur = tx.execute(
            "UPDATE items SET payload='', pruned_at=? WHERE state='acked' AND pruned_at IS NULL "
            "AND acked_at IS NOT NULL AND acked_at < ?", (now, now - float(days) * 86400))
        pruned = cur.rowcount
    if pruned:
        log.info("the payload of %d acknowledged outbox item(s) older than %s days was dropped", pruned, days)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:  # a reader holds the log: the next checkpoint does it
            log.info("the outbox log could not be emptied now: %s", exc)
    return pruned
