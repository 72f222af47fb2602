"""The enterprise-information form's texts (translation context ``business_info``): the
labels of its fields, sections, table columns and choices, and a clear message for each
field error the shared rules report."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from domain.submissions import FieldError


def tr(text: str) -> str:
    return QCoreApplication.translate("business_info", text)


def field_labels() -> dict[str, str]:
    return {
        "identity.tax_code": tr("&Tax code"), "identity.name": tr("Enterprise &name"),
        "identity.address": tr("Head office &address"), "identity.phone": tr("Company &phone"),
        "identity.email": tr("&E-mail"), "identity.representative": tr("Legal &representative"),
        "contact.name": tr("Contact person's &name"), "contact.position": tr("&Position"),
        "contact.phone": tr("Contact person's &phone"), "contact.email": tr("Contact person's &e-mail"),
        "business_lines": tr("Business lines (VSIC)"), "trade.hs_chapters": tr("Main goods: &HS chapters"),
        "trade.offices": tr("Customs units usually dealt with"), "trade.turnover": tr("Yearly import-export &turnover"),
        "bank_accounts": tr("Bank account"), "sites": tr("Production site or warehouse"),
        "related_parties": tr("Related party"), "other": tr("Other information"), "reason": tr("Rea&son for providing"),
        "request_id": tr("Request answered"),
    }


def section_labels() -> dict[str, str]:
    return {"identity": tr("Identity"), "contact": tr("Contact person"), "business_lines": tr("Business lines"),
            "trade": tr("Import and export"), "bank_accounts": tr("Bank accounts"),
            "sites": tr("Sites and warehouses"), "related_parties": tr("Related parties")}


def column_labels() -> dict[str, str]:
    return {"bank": tr("Bank"), "number": tr("Account number"), "currency": tr("Currency"), "kind": tr("Kind"),
            "address": tr("Address"), "phone": tr("Phone"), "name": tr("Name"), "tax_code": tr("Tax code or ID"),
            "country": tr("Country (2 letters)"), "relation": tr("Relation"), "code": tr("VSIC code")}


def reason_labels() -> dict[str, str]:
    return {"changed": tr("The information has changed"),
            "first_time": tr("First procedure at this customs unit"),
            "periodic": tr("Periodic, as requested by customs"),
            "requested": tr("Requested by customs")}


def request_kind_labels() -> dict[str, str]:
    return {"periodic": tr("Periodic (collection plan)"), "first_time": tr("First procedure at a customs unit"),
            "ad_hoc": tr("Ad hoc request")}


def choice_labels() -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": [("production", tr("Production site")), ("warehouse", tr("Warehouse"))],
        "relation": [("parent", tr("Parent company")), ("subsidiary", tr("Subsidiary")),
                     ("affiliate", tr("Affiliate")), ("owner", tr("Owner or shareholder")), ("other", tr("Other"))],
        "turnover": [("lt1", tr("Under 1 billion đồng")), ("1-10", tr("1 to 10 billion đồng")),
                     ("10-50", tr("10 to 50 billion đồng")), ("50-200", tr("50 to 200 billion đồng")),
                     ("200-1000", tr("200 to 1,000 billion đồng")), ("gt1000", tr("Over 1,000 billion đồng"))],
    }


def error_text(err: FieldError) -> str:
    """A clear, translated message for a field error (the shared rules speak English)."""
    path = err.field
    base = path.split("[")[0].split(".")[0] if "[" in path else path
    leaf = path.rsplit(".", 1)[-1]
    labels = field_labels()
    if "[" in path:
        row = int(path.split("[", 1)[1].split("]", 1)[0]) + 1 if path.split("[", 1)[1].split("]", 1)[0].isdigit() else 0
        name = f"{labels.get(base, base).replace('&', '')} {row}: {column_labels().get(leaf, leaf)}"
    else:
        name = labels.get(path, labels.get(base, path)).replace("&", "")
    msg = err.message
    if path == "identity.tax_code" or path.endswith(".tax_code") and "digit" in msg:
        return tr("%1: not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.").replace("%1", name)
    if msg == "is required":
        return tr("%1: required.").replace("%1", name)
    if msg == "is not an e-mail address":
        return tr("%1: not a valid e-mail address (for example ketoan@congty.vn).").replace("%1", name)
    if "landline" in msg or "mobile number" in msg:
        return tr("%1: not a valid phone number: a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a "
                  "landline with its area code (for example 0225 3842 123).").replace("%1", name)
    if msg.startswith("unknown code"):
        return tr("%1: unknown code %2.").replace("%1", name).replace("%2", msg.split(":", 1)[-1].strip())
    if "too long" in msg:
        return tr("%1: too long.").replace("%1", name)
    if "account number" in msg:
        return tr("%1: 4 to 34 letters or digits.").replace("%1", name)
    if "currency" in msg:
        return tr("%1: a three-letter code such as VND or USD.").replace("%1", name)
    if "country" in msg:
        return tr("%1: a two-letter code such as VN or JP.").replace("%1", name)
    if "listed twice" in msg:
        return tr("%1: the same account is listed twice.").replace("%1", name)
    return f"{name}: {msg}"
