"""The program's "today": the calendar date, or the demo world's "now" on demo data
(``domain.demo.DEMO_END``), so that deadlines and reminders in the demo look as they would
on the day the demo data describes. Plugins get it as ``api.today()``."""
from __future__ import annotations

from datetime import date

__all__ = ["today"]


def today(demo: bool) -> date:
    if demo:
        from domain.demo import DEMO_END  # imported only on demo data

        return DEMO_END.date()
    return date.today()
