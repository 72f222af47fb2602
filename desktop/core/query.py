"""Filters and sorts of the declaration list, turned into SQL (Qt-free).

Everything the list can show is selected by one ``SELECT d.id FROM declarations d WHERE …
ORDER BY …`` built here; filtering and sorting happen in SQLite, with indexes, never in
Python. The tests compare the ids these queries return with a naive Python filter and sort
over the same rows.

Stored representation the SQL relies on (see :mod:`.store`):

* ``registered_at`` / ``cleared_at``: local (Vietnam) time as ``YYYY-MM-DDTHH:MM:SS`` text,
  so text order is time order and a date bound is a plain text comparison;
* the partner lives in ``partners(id, name, fold)``; ``fold`` is the accent- and
  case-insensitive key (:func:`domain.text.fold`), so a partner search scans the few
  thousand distinct partners and reaches the declarations through an index;
* marks of plugins live in ``marks(plugin_id, number, value)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable

from domain.codes import CHANNELS, EXPORT, IMPORT, OFFICES, STATUSES
from domain.text import fold, nfc

from .sqlite import placeholders

__all__ = [
    "DeclarationFilter", "MarkFilter", "Sort", "DEFAULT_SORT", "SORT_KEYS", "DATE_FIELDS",
    "where_clause", "select_ids_sql", "count_sql", "search_terms", "partner_like", "number_match", "mark_sort_key",
    "filter_to_dict", "filter_from_dict",
]

DATE_FIELDS = ("registered", "cleared", "cleared_or_registered")


@dataclass(frozen=True)
class MarkFilter:
    """Declarations with (``present=True``) or without (``present=False``) a mark of a plugin.

    ``values`` narrows the marks considered: ``None`` means any mark; otherwise a mark counts
    when its value is one of ``values``; a value ending in ``*`` matches by prefix
    (``"answered:*"``). ``MarkFilter("satisfaction", present=False)`` = "no mark of plugin
    satisfaction"; combined with eligible statuses it is the "not yet rated" view.
    """

    plugin_id: str
    present: bool = True
    values: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.plugin_id:
            raise ValueError("a mark filter needs a plugin id")
        if self.values is not None and not isinstance(self.values, frozenset):
            object.__setattr__(self, "values", frozenset(self.values))


@dataclass(frozen=True)
class DeclarationFilter:
    """What the list shows. The default (all fields empty) shows every declaration."""

    direction: str | None = None  # "I" / "E" / None
    statuses: frozenset[str] = field(default_factory=frozenset)
    channels: frozenset[int | None] = field(default_factory=frozenset)  # None = no channel yet
    office: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    search: str = ""  # digits anywhere in the number, or partner substring (accent-insensitive)
    mark: MarkFilter | None = None
    title: str = ""  # shown in the filter bar when a plugin opened a special view
    date_field: str = "registered"  # which date the range applies to (DATE_FIELDS)

    def __post_init__(self) -> None:
        # accept any iterable for the sets (lists from settings, sets from widgets)
        for name in ("statuses", "channels"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value or ()))
        if self.direction not in (None, IMPORT, EXPORT):
            raise ValueError(f"direction must be 'I', 'E' or None, not {self.direction!r}")
        if self.date_field not in DATE_FIELDS:
            raise ValueError(f"date_field must be one of {DATE_FIELDS}, not {self.date_field!r}")
        object.__setattr__(self, "search", nfc(self.search or ""))

    def with_(self, **changes: Any) -> "DeclarationFilter":
        return replace(self, **changes)


@dataclass(frozen=True)
class Sort:
    """Sort by a column key (see :data:`SORT_KEYS`, or ``mark:<plugin_id>``)."""

    column_key: str = "registered_at"
    descending: bool = True


DEFAULT_SORT = Sort("registered_at", True)

# column key -> SQL expression; every sort ends with registered_at and id in the same
# direction so the order is total and the composite indexes (x, registered_at) serve it
# (the date sort itself ends with the number, see order_clause).
SORT_KEYS: dict[str, str] = {
    "number": "d.number",
    "registered_at": "d.registered_at",
    "type_code": "d.type_code",
    "office_code": "d.office_code",
    "channel": "d.channel",
    "status": "d.status",
    "partner": "(SELECT p.name FROM partners p WHERE p.id = d.partner_id)",
    "invoice_value": "d.invoice_value",
    "tax_total": "d.tax_total",
    "cleared_at": "d.cleared_at",
    "direction": "d.direction",
    "first_number": "d.first_number",
    "note": "d.note",
}
_MARK_PREFIX = "mark:"


def mark_sort_key(plugin_id: str) -> str:
    """The sort key of a column showing ``plugin_id``'s mark."""
    return _MARK_PREFIX + plugin_id


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def search_terms(search: str) -> tuple[str | None, str | None]:
    """``(number_prefix, partner_fold)`` of a free search.

    Digits (spaces, dots and dashes ignored) are a declaration-number search (see
    :func:`where_clause`) and also a partner substring; anything else is a partner substring, accent- and case-insensitive.
    """
    text = nfc(search or "").strip()
    if not text:
        return None, None
    compact = "".join(c for c in text if c not in " .-")
    number = compact if compact.isdigit() and len(compact) <= 12 else None
    return number, fold(text)


MIN_SUBSTRING = 3  # the trigram index needs 3 characters: shorter digit searches are prefixes
NUMBER_DIGITS = 12


def number_match(search: str) -> str | None:
    """The FTS5 query (trigram index ``decl_search``) of a number substring search, or None
    when the search is not one: not digits, fewer than :data:`MIN_SUBSTRING` digits (a
    prefix then) or a whole number (looked up by the unique index)."""
    number = search_terms(search)[0]
    if number is None or not MIN_SUBSTRING <= len(number) < NUMBER_DIGITS:
        return None
    return f'"{number}"'


def _date_expr(date_field: str) -> str:
    return {"registered": "d.registered_at", "cleared": "d.cleared_at",
            "cleared_or_registered": "COALESCE(d.cleared_at, d.registered_at)"}[date_field]


def _mark_clause(mark: MarkFilter) -> tuple[str, list[Any]]:
    params: list[Any] = [mark.plugin_id]
    inner = "SELECT 1 FROM marks m WHERE m.plugin_id = ? AND m.number = d.number"
    if mark.values is not None:
        if not mark.values:
            # "a mark among no values" never matches
            return ("0" if mark.present else "1"), []
        parts = []
        exact = sorted(v for v in mark.values if not v.endswith("*"))
        if exact:
            parts.append(_in_list("m.value", exact))
            params += exact
        for v in sorted(v for v in mark.values if v.endswith("*")):
            parts.append("m.value GLOB ?")
            params.append(_glob_escape(v[:-1]) + "*")
        inner += " AND (" + " OR ".join(parts) + ")"
    return ("EXISTS" if mark.present else "NOT EXISTS") + f" ({inner})", params


def partner_like(search: str) -> str | None:
    """The LIKE pattern (ESCAPE '\\') that finds partners for a free search, or None."""
    partner = search_terms(search)[1]
    return None if partner is None else f"%{_like_escape(partner)}%"


def where_clause(flt: DeclarationFilter, partner_ids: list[int] | None = None,
                 number_ids: list[int] | None = None) -> tuple[str, list[Any]]:
    """``(sql, params)`` of the WHERE part (without the keyword; ``"1"`` when empty).

    ``partner_ids``: the partners matching the search, when the caller looked them up
    (``SELECT id FROM partners WHERE fold LIKE partner_like(search)``). Literal ids let
    SQLite plan with real numbers (no match at all leaves only the number range);
    without them a subquery does the same selection.

    A search of digits matches declaration numbers: anywhere in the number from
    :data:`MIN_SUBSTRING` digits on (trigram index ``decl_search``), as a prefix below
    that, exactly for a whole number. ``number_ids``: the declarations the trigram index
    found, when the caller looked them up (a few: literal ids let SQLite fetch and sort
    just those); without them a subquery reads the index.
    """
    conds, params = _column_conditions(flt)
    search = _search_condition(flt.search, partner_ids, number_ids)
    if search is not None:
        conds.append(search[0])
        params += search[1]
    if flt.mark is not None:
        sql, p = _mark_clause(flt.mark)
        conds.append(sql)
        params += p
    return (" AND ".join(conds) if conds else "1"), params


def _in_list(expr: str, values: list[Any]) -> str:
    """``expr IN (?,?,…)`` for ``values`` (the caller passes them as parameters)."""
    return f"{expr} IN ({placeholders(len(values))})"


def _column_conditions(flt: DeclarationFilter) -> tuple[list[str], list[Any]]:
    """The conditions on the declarations' own columns: direction, status, channel, office
    and the date range."""
    conds: list[str] = []
    params: list[Any] = []
    if flt.direction:
        conds.append("d.direction = ?")
        params.append(flt.direction)
    if flt.statuses:
        values = sorted(flt.statuses)
        conds.append(_in_list("d.status", values))
        params += values
    if flt.channels:
        known = sorted(int(c) for c in flt.channels if c is not None)
        parts = []
        if known:
            parts.append(_in_list("d.channel", known))
            params += known
        if None in flt.channels:
            parts.append("d.channel IS NULL")
        conds.append("(" + " OR ".join(parts) + ")" if len(parts) > 1 else parts[0])
    if flt.office:
        conds.append("d.office_code = ?")
        params.append(flt.office)
    if flt.date_from or flt.date_to:
        expr = _date_expr(flt.date_field)
        if flt.date_from:
            conds.append(f"{expr} >= ?")
            params.append(flt.date_from.isoformat())
        if flt.date_to:
            conds.append(f"{expr} < ?")
            params.append((flt.date_to + timedelta(days=1)).isoformat())
    return conds, params


def _search_condition(search: str, partner_ids: list[int] | None, number_ids: list[int] | None
                      ) -> tuple[str, list[Any]] | None:
    """The condition of a free search (see :func:`where_clause`): its number part OR its
    partner part; ``"0"`` when neither can match; None without a search."""
    number, partner = search_terms(search)
    if partner is None:
        return None
    partner_sql, partner_params = _partner_condition(partner, partner_ids)
    number_sql, number_params = _number_condition(search, number, number_ids)
    if number_sql and partner_sql:
        return f"(({number_sql}) OR {partner_sql})", [*number_params, *partner_params]
    if number_sql:
        return number_sql, number_params
    if partner_sql:
        return partner_sql, partner_params
    return "0", []  # nothing can match


def _partner_condition(partner: str, partner_ids: list[int] | None) -> tuple[str, list[Any]]:
    """Declarations of the partners matching ``partner`` (a folded search); ``""`` when the
    looked-up ``partner_ids`` are empty."""
    if partner_ids is None:
        return ("d.partner_id IN (SELECT p.id FROM partners p WHERE p.fold LIKE ? ESCAPE '\\')",
                [f"%{_like_escape(partner)}%"])
    if partner_ids:
        ids = sorted(set(int(i) for i in partner_ids))
        return _in_list("d.partner_id", ids), list(ids)
    return "", []


def _number_condition(search: str, number: str | None, number_ids: list[int] | None) -> tuple[str, list[Any]]:
    """Declarations whose number matches the digits of a search: the ids the trigram index
    found, the index itself, or the number range of a prefix; ``""`` for none."""
    match = number_match(search)
    if match is not None and number_ids is not None:
        ids = sorted(set(int(i) for i in number_ids))
        if ids:
            return _in_list("d.id", ids), list(ids)
        return "", []
    if match is not None:
        return "d.id IN (SELECT rowid FROM decl_search WHERE decl_search MATCH ?)", [match]
    if number is not None:
        # ':' sorts right after '9': [prefix, prefix + ':') is every number with the prefix
        return "d.number >= ? AND d.number < ?", [number, number + ":"]
    return "", []


def order_clause(sort: Sort) -> tuple[str, list[Any]]:
    direction = "DESC" if sort.descending else "ASC"
    params: list[Any] = []
    key = sort.column_key
    if key.startswith(_MARK_PREFIX):
        expr = "(SELECT m.value FROM marks m WHERE m.plugin_id = ? AND m.number = d.number)"
        params.append(key[len(_MARK_PREFIX):])
    else:
        try:
            expr = SORT_KEYS[key]
        except KeyError:
            raise ValueError(f"cannot sort by unknown column {key!r}") from None
    if key == "registered_at":
        # the number (unique) breaks ties: the covering index decl_registered gives this order
        return f"d.registered_at {direction}, d.number {direction}", params
    return f"{expr} {direction}, d.registered_at {direction}, d.id {direction}", params


def select_ids_sql(flt: DeclarationFilter, sort: Sort = DEFAULT_SORT, partner_ids: list[int] | None = None,
                   number_ids: list[int] | None = None) -> tuple[str, list[Any]]:
    where, params = where_clause(flt, partner_ids, number_ids)
    if sort.column_key == "partner" and where == "1":
        return _partner_order_sql(sort.descending)
    order, order_params = order_clause(sort)
    return f"SELECT d.id FROM declarations d WHERE {where} ORDER BY {order}", params + order_params


def _partner_order_sql(descending: bool) -> tuple[str, list[Any]]:
    """The whole list by partner name without sorting a million rows: walk the partners in
    name order (their unique index) and, for each, its declarations through
    ``(partner_id, registered_at)``. Declarations without a partner come first ascending,
    last descending, as NULLs do in SQLite; UNION ALL returns its branches in order. A
    filtered list is sorted after its own index found it (the walk would visit every row)."""
    direction = "DESC" if descending else "ASC"
    named = ("SELECT d.id FROM partners p CROSS JOIN declarations d ON d.partner_id = p.id "
             f"ORDER BY p.name {direction}, d.registered_at {direction}, d.id {direction}")
    unnamed = ("SELECT d.id FROM declarations d WHERE d.partner_id IS NULL "
               f"ORDER BY d.registered_at {direction}, d.id {direction}")
    first, second = (named, unnamed) if descending else (unnamed, named)
    return f"SELECT id FROM (SELECT * FROM ({first})) UNION ALL SELECT id FROM (SELECT * FROM ({second}))", []


def count_sql(flt: DeclarationFilter, partner_ids: list[int] | None = None,
              number_ids: list[int] | None = None) -> tuple[str, list[Any]]:
    where, params = where_clause(flt, partner_ids, number_ids)
    return f"SELECT COUNT(*) FROM declarations d WHERE {where}", params


# ---- persistence of a filter (view state in settings) --------------------------------------

def filter_to_dict(flt: DeclarationFilter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "direction": flt.direction,
        "statuses": sorted(flt.statuses),
        "channels": sorted((c for c in flt.channels), key=lambda c: -1 if c is None else c),
        "office": flt.office,
        "date_from": flt.date_from.isoformat() if flt.date_from else None,
        "date_to": flt.date_to.isoformat() if flt.date_to else None,
        "search": flt.search,
        "title": flt.title,
        "date_field": flt.date_field,
        "mark": None,
    }
    if flt.mark is not None:
        out["mark"] = {"plugin_id": flt.mark.plugin_id, "present": flt.mark.present,
                       "values": sorted(flt.mark.values) if flt.mark.values is not None else None}
    return out


def _opt_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def filter_from_dict(data: Any) -> DeclarationFilter:
    """Rebuild a filter saved by :func:`filter_to_dict`; unknown or bad values are dropped
    (a settings file edited by hand must not stop the list from opening)."""
    if not isinstance(data, dict):
        return DeclarationFilter()

    def items(name: str) -> Iterable[Any]:
        value = data.get(name)
        return value if isinstance(value, list) else ()

    direction = data.get("direction") if data.get("direction") in (IMPORT, EXPORT) else None
    statuses = frozenset(s for s in items("statuses") if s in STATUSES)
    channels = frozenset(c for c in items("channels") if c is None or c in CHANNELS)
    office = data.get("office") if data.get("office") in OFFICES else None
    mark = None
    m = data.get("mark")
    if isinstance(m, dict) and isinstance(m.get("plugin_id"), str) and m["plugin_id"]:
        values = m.get("values")
        mark = MarkFilter(m["plugin_id"], bool(m.get("present", True)),
                          frozenset(str(v) for v in values) if isinstance(values, list) else None)
    date_field = data.get("date_field") if data.get("date_field") in DATE_FIELDS else "registered"
    search = data.get("search") if isinstance(data.get("search"), str) else ""
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return DeclarationFilter(direction=direction, statuses=statuses, channels=channels, office=office,
                             date_from=_opt_date(data.get("date_from")), date_to=_opt_date(data.get("date_to")),
                             search=search[:200], mark=mark, title=title[:200], date_field=date_field)
