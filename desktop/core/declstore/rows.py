"""A declaration as the store keeps it: its columns, the local time format of its dates and
the statements that insert or replace whole rows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from domain.text import nfc

VN_TZ = timezone(timedelta(hours=7))

ROW_COLUMNS = ("number", "first_number", "branch_index", "branch_total", "registered_at", "office_code",
               "type_code", "direction", "partner", "transport", "bill_of_lading", "invoice_no",
               "invoice_value", "tax_total", "status", "channel", "cleared_at", "note",
               "owner_tax_code", "updated_at")
# ROW_COLUMNS of ``declarations d LEFT JOIN partners p ON p.id = d.partner_id``
SELECT_ROW = ("d.number, d.first_number, d.branch_index, d.branch_total, d.registered_at, d.office_code, "
              "d.type_code, d.direction, p.name, d.transport, d.bill_of_lading, d.invoice_no, "
              "d.invoice_value, d.tax_total, d.status, d.channel, d.cleared_at, d.note, "
              "d.owner_tax_code, d.updated_at")
INSERT = ("INSERT INTO declarations (number, first_number, branch_index, branch_total, registered_at, "
          "office_code, type_code, direction, partner_id, transport, bill_of_lading, invoice_no, "
          "invoice_value, tax_total, status, channel, cleared_at, note, owner_tax_code, updated_at) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
UPSERT = INSERT + (
    " ON CONFLICT(number) DO UPDATE SET first_number=excluded.first_number, "
    "branch_index=excluded.branch_index, branch_total=excluded.branch_total, "
    "registered_at=excluded.registered_at, office_code=excluded.office_code, type_code=excluded.type_code, "
    "direction=excluded.direction, partner_id=excluded.partner_id, transport=excluded.transport, "
    "bill_of_lading=excluded.bill_of_lading, invoice_no=excluded.invoice_no, "
    "invoice_value=excluded.invoice_value, tax_total=excluded.tax_total, status=excluded.status, "
    "channel=excluded.channel, cleared_at=excluded.cleared_at, note=excluded.note, "
    "owner_tax_code=excluded.owner_tax_code, updated_at=excluded.updated_at")


def to_local_iso(value: Any) -> str | None:
    """A time as stored: local Vietnam time, ``YYYY-MM-DDTHH:MM:SS``.

    Accepts ``datetime`` (naive = already local) or ISO 8601 text with or without offset.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        value = datetime.fromisoformat(text)
    if not isinstance(value, datetime):
        raise ValueError(f"not a time: {value!r}")
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def vn_now_text() -> str:
    """The current local Vietnam time as stored."""
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")


def _columns_of(d: Any, partner: Any) -> tuple[Any, ...]:
    """The 19 columns of a declaration object before ``updated_at``; ``partner`` in place of
    its partner name (the name itself, or its id in the store)."""
    return (d.number, d.first_number, int(d.branch_index or 0), int(d.branch_total or 0),
            to_local_iso(d.registered_at), d.office_code, d.type_code, d.direction, partner,
            d.transport or "", d.bill_of_lading or "", d.invoice_no or "", d.invoice_value, d.tax_total,
            d.status, d.channel, to_local_iso(d.cleared_at), nfc(d.note or ""), d.owner_tax_code or "")


def declaration_row(d: Any) -> tuple[Any, ...]:
    """A declaration (e.g. :class:`domain.demo.Declaration`) as a plain tuple that
    :meth:`DeclarationStore.insert_many` accepts; cheap to pickle, so another process can
    produce rows while this one writes them."""
    return _columns_of(d, d.partner)


def insert_params(d: Any, partner_id: Callable[[str | None], int | None], updated_at: str) -> tuple[Any, ...]:
    """The parameters of :data:`INSERT` for a declaration object or a :func:`declaration_row`
    tuple; ``partner_id`` turns the partner name into its id."""
    if isinstance(d, tuple):  # already a declaration_row(): only the partner needs an id
        return (*d[:8], partner_id(d[8]), *d[9:19], updated_at)
    return (*_columns_of(d, partner_id(d.partner)), updated_at)
