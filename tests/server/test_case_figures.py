"""Case handling figures for the reports (``cases.report_figures``): share answered by the
deadline, median working days to the answer, open and overdue now, per branch and in scope."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from server import cases
from server.enums import Outcome
from server.timeutil import VN

from .test_cases import CC, TG, act, db, decls_in, low_rating, staff  # noqa: F401 - db is a fixture

MONDAY_AFTER = datetime(2026, 5, 4, 9, 0, tzinfo=VN).astimezone(timezone.utc).replace(tzinfo=None)


def answer_at(db, branch: str, case_id: int, when: datetime) -> None:
    p = staff(db, "xuly.cc" if branch == CC else "xuly.tg")
    act(db, cases.take, p, case_id, now=when)
    act(db, cases.start_review, p, case_id, now=when)
    act(db, cases.answer, p, case_id, outcome=Outcome.PARTLY, text="Đã xác minh.", now=when)


def test_on_time_share_median_working_days_open_and_overdue(db):
    cc = decls_in(CC, 4)
    # received Friday 24/4; Mon 27/4, Thu 30/4 and Fri 1/5 are holidays; answer due Wed 6/5
    a, _ = low_rating(db, CC, d=cc[0])
    b, _ = low_rating(db, CC, d=cc[1])
    c, _ = low_rating(db, CC, d=cc[2])
    low_rating(db, CC, d=cc[3])  # stays open
    answer_at(db, CC, a, MONDAY_AFTER)  # Tue 28, Wed 29, Mon 4: 3 working days, on time
    answer_at(db, CC, b, MONDAY_AFTER + timedelta(days=2))  # Wed 6/5: 5 working days, on time
    answer_at(db, CC, c, MONDAY_AFTER + timedelta(days=3))  # Thu 7/5: 6 working days, late
    low_rating(db, TG, d=decls_in(TG)[0])
    later = MONDAY_AFTER + timedelta(days=10)
    with db.read() as conn:
        figures = {f["branch"]: f for f in cases.report_figures(
            conn, branches=None, branch=None, day_from="2026-04-01", day_to="2026-04-30", now=later)}
        mine = cases.report_figures(conn, branches=frozenset({TG}), branch=None, day_from="2026-04-01",
                                    day_to="2026-04-30", now=later)
        empty = cases.report_figures(conn, branches=None, branch=CC, day_from="2026-06-01", day_to="2026-06-30",
                                     now=later)
    f = figures[CC]
    assert f["answered"] == 3 and f["on_time_percent"] == 66.7 and f["median_working_days"] == 5.0
    assert f["open"] >= 1 and f["overdue"] >= 1  # the open one is past its deadlines ten days later
    assert figures[TG]["answered"] == 0 and figures[TG]["on_time_percent"] is None
    assert [x["branch"] for x in mine] == [TG]  # another branch's figures stay out of scope
    assert [x["answered"] for x in empty] in ([], [0])  # no case opened in June
