"""The business calendar of case deadlines: working days are Monday to Friday minus the
public holidays kept in the ``holidays`` table (Vietnam's, 2025–2027, loaded by migration
0006 and editable by an administrator).

Deadlines are counted in Vietnam time: a case received at 10:00 on a working day with a
target of one working day is due at 10:00 on the next working day. A case received on a
weekend or a holiday starts counting at 00:00 of the next working day, so one working day
later is the end of that day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable

import sqlalchemy as sa

from .errors import ApiError
from .schema import holidays as holidays_table
from .timeutil import VN

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Staff

MAX_HOLIDAYS = 1000

# Vietnam's public holidays (Labour Code 2019, art. 112) as the government set the days off,
# including the compensatory days; 2027's Lunar New Year days are the usual pattern until
# the government announces them (an administrator corrects them in the console or the API).
VIETNAM_HOLIDAYS: tuple[tuple[str, str], ...] = (
    ("2025-01-01", "Tết Dương lịch"),
    *((f"2025-01-{d}", "Tết Nguyên đán") for d in ("27", "28", "29", "30", "31")),
    ("2025-04-07", "Giỗ Tổ Hùng Vương"),
    ("2025-04-30", "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    ("2025-05-01", "Ngày Quốc tế Lao động"),
    ("2025-05-02", "Nghỉ hoán đổi (Ngày Quốc tế Lao động)"),
    ("2025-09-01", "Quốc khánh"),
    ("2025-09-02", "Quốc khánh"),
    ("2026-01-01", "Tết Dương lịch"),
    *((f"2026-02-{d}", "Tết Nguyên đán") for d in ("16", "17", "18", "19", "20")),
    ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
    ("2026-04-30", "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    ("2026-05-01", "Ngày Quốc tế Lao động"),
    ("2026-09-01", "Quốc khánh"),
    ("2026-09-02", "Quốc khánh"),
    ("2027-01-01", "Tết Dương lịch"),
    *((f"2027-02-{d}", "Tết Nguyên đán") for d in ("05", "08", "09", "10", "11")),
    ("2027-04-16", "Giỗ Tổ Hùng Vương"),
    ("2027-04-30", "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    ("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
    ("2027-09-02", "Quốc khánh"),
    ("2027-09-03", "Quốc khánh"),
)


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int, holidays: set[date]) -> datetime:
    """``start`` plus ``days`` working days, counted in Vietnam time (module docstring).
    A naive ``start`` is UTC and a naive UTC time is returned; an aware one gives an aware
    result in the same zone."""
    if days < 0:
        raise ValueError("days must not be negative")
    aware = start.tzinfo is not None
    local = (start if aware else start.replace(tzinfo=timezone.utc)).astimezone(VN)
    day = local.date()
    if not is_working_day(day, holidays):
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        local = datetime.combine(day, time(0), VN)
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
    result = datetime.combine(day, local.timetz().replace(tzinfo=None), VN)
    if aware:
        return result.astimezone(start.tzinfo)
    return result.astimezone(timezone.utc).replace(tzinfo=None)


class Deadlines:
    """``add_working_days`` over one set of holidays, each (start, days) worked out once:
    the cases a batch opens are received at the same time, so their deadlines cost one
    computation per target instead of one per case."""

    def __init__(self, holidays: set[date]) -> None:
        self.holidays = holidays
        self._known: dict[tuple[datetime, Any, int], datetime] = {}

    def after(self, start: datetime, days: int) -> datetime:
        """``add_working_days(start, days, holidays)``."""
        key = (start, start.tzinfo, days)  # equal instants in other zones give results in their zone
        due = self._known.get(key)
        if due is None:
            due = self._known[key] = add_working_days(start, days, self.holidays)
        return due


def holidays(conn: sa.Connection) -> set[date]:
    """The public holidays of the calendar."""
    return {_as_date(d) for d in conn.execute(sa.select(holidays_table.c.day)).scalars()}


def holiday_list(conn: sa.Connection) -> list[Holiday]:
    rows = conn.execute(sa.select(holidays_table.c.day, holidays_table.c.name).order_by(holidays_table.c.day))
    return [Holiday(_as_date(r.day), r.name) for r in rows]


def set_holidays(conn: sa.Connection, staff: "Staff", items: Iterable[Any]) -> list[Holiday]:
    """Replace the public holidays (administrators only; 403 otherwise). ``items`` are
    ``Holiday``s, ``(day, name)`` pairs or ``{"day", "name"}`` dicts; a day is a ``date``
    or ``YYYY-MM-DD``. Deadlines already set are kept; new ones use the new calendar."""
    from .cases import CaseForbidden, require_admin

    require_admin(staff, CaseForbidden)
    parsed: dict[date, str] = {}
    for item in items:
        if isinstance(item, Holiday):
            day, name = item.day, item.name
        elif isinstance(item, dict):
            day, name = item.get("day"), item.get("name")
        else:
            day, name = item
        try:
            day = _as_date(day)
        except (TypeError, ValueError):
            raise ApiError(422, "validation_error", f"not a date: {day!r} (YYYY-MM-DD)") from None
        name = " ".join(str(name or "").split())
        if not name or len(name) > 200:
            raise ApiError(422, "validation_error", f"{day}: a name of 1 to 200 characters is required")
        parsed[day] = name
    if len(parsed) > MAX_HOLIDAYS:
        raise ApiError(422, "validation_error", f"at most {MAX_HOLIDAYS} holidays")
    conn.execute(sa.delete(holidays_table))
    if parsed:
        conn.execute(sa.insert(holidays_table), [{"day": d, "name": n} for d, n in sorted(parsed.items())])
    return holiday_list(conn)


def seed_rows() -> list[dict[str, Any]]:
    """Vietnam's holidays as rows of the ``holidays`` table (used by migration 0006)."""
    return [{"day": date.fromisoformat(d), "name": n} for d, n in VIETNAM_HOLIDAYS]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(value)
