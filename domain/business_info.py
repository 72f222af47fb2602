"""Enterprise information for customs risk management: the ``business_info`` payload of
schema 2, its rules, and the field-by-field difference between two versions.

Both sides run these functions: the desktop form before the confirmation, the server on
every item it ingests and for the versions and differences the console shows. Schema 1
payloads (identity, reason and free ``fields``) are still read: :func:`upgrade_v1` gives
them the schema-2 shape, so every version of an enterprise can be compared with any other.

A schema-2 payload::

    {"reason": "changed" | "first_time" | "periodic" | "requested",
     "request_id": "<uuid of the customs request answered>",          # optional
     "workstation": "<id of the workstation that recorded it>",       # optional
     "identity": {"tax_code", "name", "address", "phone", "email", "representative"},
     "contact": {"name", "position", "phone", "email"},
     "business_lines": ["4610", "5210"],                # VSIC codes, the first is the main line
     "trade": {"hs_chapters": ["84", "85"], "offices": ["03CE"], "turnover": "10-50"},
     "bank_accounts": [{"bank", "number", "currency"}],
     "sites": [{"kind": "production" | "warehouse", "address", "phone"}],
     "related_parties": [{"name", "tax_code", "country", "relation"}]}
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .codes import OFFICES
from .submissions import FieldError, SubmissionInvalid, _Collector
from .text import nfc
from .validation import (
    InvalidEmail, InvalidPhone, InvalidTaxCode, normalize_company_phone, normalize_email, normalize_phone,
    normalize_tax_code,
)

SCHEMA = 2
REASONS = ("changed", "first_time", "periodic", "requested")
TURNOVER_RANGES = ("lt1", "1-10", "10-50", "50-200", "200-1000", "gt1000")  # thousand million đồng a year
SITE_KINDS = ("production", "warehouse")
RELATIONS = ("parent", "subsidiary", "affiliate", "owner", "other")
MAX_ROWS = 30
MAX_LINES = 20
MAX_NAME = 300
MAX_ADDRESS = 500
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WORKSTATION = re.compile(r"^[0-9a-z-]{8,64}$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9A-Za-z]{4,34}$")
HS_CHAPTERS = tuple(f"{n:02d}" for n in range(1, 98) if n != 77)  # chapter 77 is reserved
DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def vsic_codes() -> dict[str, tuple[str, str]]:
    """Business-line codes (VSIC 2018, level 4) from ``domain/data/vsic.csv``:
    code → (Vietnamese name, English name)."""
    with (DATA_DIR / "vsic.csv").open(encoding="utf-8", newline="") as fh:
        return {row["code"]: (nfc(row["name_vi"]), row["name_en"]) for row in csv.DictReader(fh)}


# ---- rules --------------------------------------------------------------------------------

def _section(c: _Collector, payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.add(key, "must be an object")
        return {}
    return value


def _rows(c: _Collector, payload: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = payload.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        c.add(key, "must be a list")
        return []
    if len(value) > MAX_ROWS:
        c.add(key, f"at most {MAX_ROWS} rows")
        return []
    out = []
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            c.add(f"{key}[{i}]", "must be an object")
        else:
            out.append(row)
    return out


def _normalized(c: _Collector, field: str, value: Any, normalize: Callable[[str], str],
                invalid: type[ValueError], *, required: bool) -> str:
    """``normalize(value)``, or "" with the rule's own message when it refuses the value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            c.add(field, "is required")
        return ""
    try:
        return normalize(value if isinstance(value, str) else "")
    except invalid as exc:
        c.add(field, str(exc))
        return ""


def _tax_code(c: _Collector, field: str, value: Any, *, required: bool) -> str:
    return _normalized(c, field, value, normalize_tax_code, InvalidTaxCode, required=required)


def _company_phone(c: _Collector, field: str, value: Any, *, required: bool) -> str:
    return _normalized(c, field, value, normalize_company_phone, InvalidPhone, required=required)


def _email(c: _Collector, field: str, value: Any, *, required: bool) -> str:
    text = c.text(field, value, 254, required=required)
    if not text:
        return ""
    try:
        return normalize_email(text)
    except InvalidEmail:
        c.add(field, "is not an e-mail address")
        return ""


def _choice(c: _Collector, field: str, value: Any, allowed: tuple[str, ...], *, required: bool) -> str:
    if value in (None, ""):
        if required:
            c.add(field, "is required")
        return ""
    if value not in allowed:
        c.add(field, f"must be one of {', '.join(allowed)}")
        return ""
    return value


def _codes(c: _Collector, field: str, value: Any, allowed: Any, *, required: bool, limit: int = MAX_LINES) -> list[str]:
    if value in (None, ""):
        value = []
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.add(field, "must be a list of codes")
        return []
    codes = list(dict.fromkeys(v.strip().upper() for v in value if v.strip()))
    bad = [v for v in codes if v not in allowed]
    if bad:
        c.add(field, f"unknown code: {', '.join(bad[:5])}")
    if len(codes) > limit:
        c.add(field, f"at most {limit} codes")
    if required and not codes:
        c.add(field, "is required")
    return [v for v in codes if v in allowed][:limit]


def _hs_chapters(value: Any) -> Any:
    """Chapters typed as ``8`` or ``08`` are the same chapter."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    if isinstance(value, list):
        return [f"{int(v):02d}" if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) <= 2 else v
                for v in value]
    return value


def _optional_id(c: _Collector, payload: dict[str, Any], key: str, pattern: re.Pattern[str],
                 message: str) -> str | None:
    """An optional lower-case identifier (None when absent or refused)."""
    value = payload.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not pattern.match(value.lower()):
        c.add(key, message)
        return None
    return value.lower()


def _identity(c: _Collector, payload: dict[str, Any]) -> dict[str, str]:
    ident = _section(c, payload, "identity")
    return {
        "tax_code": _tax_code(c, "identity.tax_code", ident.get("tax_code"), required=True),
        "name": c.text("identity.name", ident.get("name"), MAX_NAME, required=True),
        "address": c.text("identity.address", ident.get("address"), MAX_ADDRESS, required=True),
        "phone": _company_phone(c, "identity.phone", ident.get("phone"), required=True),
        "email": _email(c, "identity.email", ident.get("email"), required=True),
        "representative": c.text("identity.representative", ident.get("representative"), 120, required=True),
    }


def _contact(c: _Collector, payload: dict[str, Any]) -> dict[str, str]:
    """The contact person: a mobile number, or else a company phone (landline)."""
    contact = _section(c, payload, "contact")
    phone = ""
    if contact.get("phone") in (None, "") or not isinstance(contact.get("phone"), str):
        c.add("contact.phone", "is required")
    else:
        try:
            phone = normalize_phone(contact["phone"])
        except InvalidPhone:
            phone = _company_phone(c, "contact.phone", contact["phone"], required=True)
    return {
        "name": c.text("contact.name", contact.get("name"), 120, required=True),
        "position": c.text("contact.position", contact.get("position"), 120, required=False),
        "phone": phone,
        "email": _email(c, "contact.email", contact.get("email"), required=False),
    }


def _trade(c: _Collector, payload: dict[str, Any]) -> dict[str, Any]:
    trade = _section(c, payload, "trade")
    return {
        "hs_chapters": _codes(c, "trade.hs_chapters", _hs_chapters(trade.get("hs_chapters")), HS_CHAPTERS,
                              required=False, limit=40),
        "offices": sorted(_codes(c, "trade.offices", trade.get("offices"), OFFICES, required=False)),  # a set
        "turnover": _choice(c, "trade.turnover", trade.get("turnover"), TURNOVER_RANGES, required=True),
    }


def _bank_accounts(c: _Collector, payload: dict[str, Any]) -> list[dict[str, str]]:
    banks = []
    for i, row in enumerate(_rows(c, payload, "bank_accounts")):
        f = f"bank_accounts[{i}]"
        number = re.sub(r"[\s.\-]", "", row.get("number") or "") if isinstance(row.get("number"), str) else ""
        if not _ACCOUNT_NUMBER.match(number):
            c.add(f"{f}.number", "an account number has 4 to 34 letters or digits")
        currency = (row.get("currency") or "VND").strip().upper() if isinstance(row.get("currency") or "VND", str) else ""
        if not re.fullmatch(r"[A-Z]{3}", currency):
            c.add(f"{f}.currency", "a currency is a three-letter code (VND, USD...)")
        banks.append({"bank": c.text(f"{f}.bank", row.get("bank"), 200, required=True), "number": number,
                      "currency": currency})
    if len({b["number"] for b in banks}) < len(banks):
        c.add("bank_accounts", "the same account is listed twice")
    return banks


def _sites(c: _Collector, payload: dict[str, Any]) -> list[dict[str, str]]:
    sites = []
    for i, row in enumerate(_rows(c, payload, "sites")):
        f = f"sites[{i}]"
        site = {"kind": _choice(c, f"{f}.kind", row.get("kind"), SITE_KINDS, required=True),
                "address": c.text(f"{f}.address", row.get("address"), MAX_ADDRESS, required=True)}
        site_phone = _company_phone(c, f"{f}.phone", row.get("phone"), required=False)
        if site_phone:
            site["phone"] = site_phone
        sites.append(site)
    return sites


def _related_parties(c: _Collector, payload: dict[str, Any]) -> list[dict[str, str]]:
    """Related parties; a Vietnamese party's tax code follows the tax-code rule."""
    parties = []
    for i, row in enumerate(_rows(c, payload, "related_parties")):
        f = f"related_parties[{i}]"
        country = row.get("country") or "VN"
        if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
            c.add(f"{f}.country", "a country is a two-letter code (VN, JP...)")
            country = ""
        country = country.strip().upper()
        party = {"name": c.text(f"{f}.name", row.get("name"), MAX_NAME, required=True), "country": country,
                 "relation": _choice(c, f"{f}.relation", row.get("relation"), RELATIONS, required=True)}
        tax = row.get("tax_code")
        if tax not in (None, "") and country == "VN":
            party["tax_code"] = _tax_code(c, f"{f}.tax_code", tax, required=False)
        elif isinstance(tax, str) and tax.strip():
            party["tax_code"] = c.text(f"{f}.tax_code", tax, 40, required=False)
        parties.append(party)
    return parties


def validate_v2(payload: Any) -> dict[str, Any]:
    """The normalised schema-2 payload, or :class:`SubmissionInvalid` with every problem.

    Required, as customs requires: the whole identity (tax code, name, head-office address,
    company phone, e-mail, legal representative), the contact person's name and phone, at
    least one business line, the yearly turnover range and the reason."""
    if not isinstance(payload, dict):
        raise SubmissionInvalid([FieldError("payload", "must be an object")])
    c = _Collector()
    out: dict[str, Any] = {"reason": _choice(c, "reason", payload.get("reason"), REASONS, required=True)}
    for key, pattern, message in (("request_id", _UUID, "must be the id of a customs request"),
                                  ("workstation", _WORKSTATION, "must be a workstation id")):
        value = _optional_id(c, payload, key, pattern, message)
        if value is not None:
            out[key] = value
    out["identity"] = _identity(c, payload)
    out["contact"] = _contact(c, payload)
    out["business_lines"] = _codes(c, "business_lines", payload.get("business_lines"), vsic_codes(), required=True)
    out["trade"] = _trade(c, payload)
    out["bank_accounts"] = _bank_accounts(c, payload)
    out["sites"] = _sites(c, payload)
    out["related_parties"] = _related_parties(c, payload)
    c.raise_if_any()
    return out


def upgrade_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """A stored schema-1 payload in the schema-2 shape (what it did not have stays empty;
    its free ``fields`` are kept under ``other``)."""
    reason = payload.get("reason")
    out: dict[str, Any] = {
        "reason": reason if reason in REASONS else "changed",
        "identity": {k: payload.get(k) or "" for k in ("tax_code", "name", "address", "phone", "email",
                                                        "representative")},
        "contact": {"name": "", "position": "", "phone": "", "email": ""},
        "business_lines": [], "trade": {"hs_chapters": [], "offices": [], "turnover": ""},
        "bank_accounts": [], "sites": [], "related_parties": [],
    }
    fields = payload.get("fields")
    if isinstance(fields, dict) and fields:
        out["other"] = {str(k): str(v) for k, v in fields.items()}
    return out


def as_v2(schema: int, payload: dict[str, Any]) -> dict[str, Any]:
    return upgrade_v1(payload) if schema == 1 else payload


# ---- differences --------------------------------------------------------------------------

SCALAR_FIELDS = (
    "identity.tax_code", "identity.name", "identity.address", "identity.phone", "identity.email",
    "identity.representative", "contact.name", "contact.position", "contact.phone", "contact.email",
    "business_lines", "trade.hs_chapters", "trade.offices", "trade.turnover",
)
ROW_SECTIONS = ("bank_accounts", "sites", "related_parties")


def row_key(section: str, row: dict[str, Any]) -> str:
    """What identifies a repeated row across versions."""
    if section == "bank_accounts":
        return str(row.get("number") or "")
    if section == "sites":
        return f"{row.get('kind') or ''}:{nfc(str(row.get('address') or '')).casefold()}"
    return str(row.get("tax_code") or nfc(str(row.get("name") or "")).casefold())


def row_text(section: str, row: dict[str, Any]) -> str:
    if section == "bank_accounts":
        return f"{row.get('bank', '')} · {row.get('number', '')} · {row.get('currency', '')}"
    if section == "sites":
        return " · ".join(x for x in (row.get("kind", ""), row.get("address", ""), row.get("phone", "")) if x)
    return " · ".join(x for x in (row.get("name", ""), row.get("tax_code", ""), row.get("country", ""),
                                  row.get("relation", "")) if x)


def flatten(info: dict[str, Any]) -> dict[str, str]:
    """Every field of a (schema-2 shaped) payload as text, by path: ``identity.email``,
    ``business_lines``, ``sites[warehouse:lô 5, kcn đình vũ]``, ``other.employees``."""
    out: dict[str, str] = {}
    for path in SCALAR_FIELDS:
        section, _, key = path.partition(".")
        value: Any = info.get(section)
        if key:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        out[path] = "" if value is None else str(value)
    for section in ROW_SECTIONS:
        for row in info.get(section) or []:
            if isinstance(row, dict):
                out[f"{section}[{row_key(section, row)}]"] = row_text(section, row)
    for k, v in (info.get("other") or {}).items():
        out[f"other.{k}"] = str(v)
    return out


@dataclass(frozen=True)
class Change:
    field: str      # a path of :func:`flatten`
    section: str    # identity, contact, business_lines, trade, bank_accounts, sites, related_parties, other
    before: str | None  # None: the row or field did not exist
    after: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "section": self.section, "before": self.before, "after": self.after}


def section_of(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What changed from ``old`` to ``new`` (schema-2 shaped payloads), field by field and
    row by row, in the form's order. ``old`` None: everything in ``new`` is new."""
    before = flatten(old) if old is not None else {}
    after = flatten(new)
    changes = []
    for path in list(after) + [p for p in before if p not in after]:
        b, a = before.get(path), after.get(path)
        if (b or "") == (a or ""):
            continue
        if path in SCALAR_FIELDS:
            b, a = b or "", a or ""
        changes.append(Change(path, section_of(path), b, a))
    order = {s: i for i, s in enumerate(("identity", "contact", "business_lines", "trade") + ROW_SECTIONS + ("other",))}
    return sorted(changes, key=lambda ch: order.get(ch.section, 99))


def demo_last_version() -> dict[str, Any]:
    """The demo enterprise's information as customs holds it from the previous yearly
    collection (the demo world's starting point; schema-2 shape, normalised)."""
    from .demo import DEMO_ENTERPRISE

    return validate_v2({
        "reason": "periodic",
        "identity": {"tax_code": DEMO_ENTERPRISE.tax_code, "name": DEMO_ENTERPRISE.name,
                     "address": DEMO_ENTERPRISE.address, "phone": "0225 3842 123", "email": "xnk@hailong.vn",
                     "representative": "Phạm Văn Long"},
        "contact": {"name": "Trần Thị Bình", "position": "Kế toán trưởng", "phone": "0912 345 678",
                    "email": "binh.tt@hailong.vn"},
        "business_lines": ["4659", "4610", "5210"],
        "trade": {"hs_chapters": ["84", "85", "39"], "offices": ["03CE", "03CC"], "turnover": "50-200"},
        "bank_accounts": [{"bank": "Vietcombank Hải Phòng", "number": "0031000123456", "currency": "VND"},
                          {"bank": "BIDV Hải Phòng", "number": "32110000654321", "currency": "USD"}],
        "sites": [{"kind": "warehouse", "address": "Lô CN5, KCN Đình Vũ, Hải An, Hải Phòng"}],
        "related_parties": [{"name": "Hai Long Trading Pte. Ltd.", "country": "SG", "relation": "affiliate"}],
    })
