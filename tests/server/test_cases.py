"""Case handling (server/cases.py, server/calendar.py, server/alerts.py) on SQLite and
PostgreSQL: scope, roles, the state machine, deadlines on the business calendar with a fake
clock, escalation, the audit trail, templates, alerts and e-mail, the enterprise's
case_feedback through the batch endpoint, the feed's ``case`` and the earlier inbox."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from server import alerts, calendar, cases
from server.enums import AlertKind, CaseEvent, CaseState, Outcome
from server.ingest import Item, ingest
from server.seed import CASE_STAFF
from server.timeutil import VN
from tests.server import data
from tests.server.conftest import ENTERPRISE_A, ENTERPRISE_B, item

CC, TG = "03CC", "03TG"
STAFF_PASSWORDS = {login: password for login, _n, _r, password, _b in CASE_STAFF}
# Friday 24 April 2026, 10:00 in Vietnam: Monday 27 is the Hùng Kings' compensatory day off,
# Thursday 30 April and Friday 1 May are holidays too
FRIDAY = datetime(2026, 4, 24, 10, 0, tzinfo=VN).astimezone(timezone.utc).replace(tzinfo=None)


def vn(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(VN).replace(tzinfo=None)


# ---- the calendar (no database) -------------------------------------------------------------

def test_working_days_skip_weekends_and_holidays():
    hol = {date.fromisoformat(d) for d, _n in calendar.VIETNAM_HOLIDAYS}
    assert vn(calendar.add_working_days(FRIDAY, 1, hol)) == datetime(2026, 4, 28, 10, 0)  # Sat, Sun, Mon off
    assert vn(calendar.add_working_days(FRIDAY, 5, hol)) == datetime(2026, 5, 6, 10, 0)  # 30/4 and 1/5 off too
    assert vn(calendar.add_working_days(FRIDAY, 1, set())) == datetime(2026, 4, 27, 10, 0)
    saturday = datetime(2026, 4, 25, 15, 0, tzinfo=VN)  # counting starts at 00:00 of the next working day
    assert calendar.add_working_days(saturday, 1, hol) == datetime(2026, 4, 29, 0, 0, tzinfo=VN)
    assert calendar.add_working_days(FRIDAY, 0, hol) == FRIDAY


# ---- fixtures -------------------------------------------------------------------------------

@pytest.fixture
def db(app):
    return app.state.db


def staff(db, login: str) -> cases.Staff:
    with db.read() as conn:
        uid = conn.execute(sa.text("SELECT id FROM users WHERE username = :u"), {"u": login}).scalar_one()
        s = cases.staff_for(conn, uid)
    assert s is not None
    return s


def decls_in(branch: str, n: int = 1) -> list[Any]:
    found = [d for d in data.assessable(5000) if d.office_code == branch][:n]
    assert len(found) == n
    return found


def low_rating(db, branch: str, stars: int = 1, *, now: datetime = FRIDAY, d: Any = None) -> tuple[int, str]:
    """Ingest a low rating of the demo enterprise at ``now``; its case id and client id."""
    d = d or decls_in(branch)[0]
    cid = str(uuid.uuid4())
    (res,) = ingest(db, ENTERPRISE_A, [Item(id=cid, kind="assessment", schema=1, payload=data.assessment(d, stars))],
                    now=now)
    assert res["status"] == "accepted", res
    with db.read() as conn:
        case_id = conn.execute(sa.text("SELECT c.id FROM cases c JOIN submissions s ON s.seq = c.submission_seq "
                                       "WHERE s.client_id = :c"), {"c": cid}).scalar_one()
    return case_id, cid


def act(db, fn, *args, **kw):
    with db.write() as conn:
        return fn(conn, *args, **kw)


def answered_case(db, branch: str = CC, now: datetime = FRIDAY) -> tuple[int, str]:
    case_id, cid = low_rating(db, branch, now=now)
    p = staff(db, "xuly.cc" if branch == CC else "xuly.tg")
    act(db, cases.take, p, case_id, now=now)
    act(db, cases.start_review, p, case_id, now=now)
    act(db, cases.answer, p, case_id, outcome=Outcome.SUBSTANTIATED, text="Đã chấn chỉnh.", now=now)
    return case_id, cid


# ---- ingest opens cases with deadlines -------------------------------------------------------

def test_low_rating_and_reflection_open_cases_with_business_deadlines(db):
    case_id, _ = low_rating(db, CC, stars=2)
    d = decls_in(TG)[0]
    (res,) = ingest(db, ENTERPRISE_A, [Item(id=str(uuid.uuid4()), kind="reflection", schema=1,
                                            payload=data.reflection(d))], now=FRIDAY)
    (five,) = ingest(db, ENTERPRISE_A, [Item(id=str(uuid.uuid4()), kind="assessment", schema=1,
                                             payload=data.assessment(decls_in(CC, 2)[1], 5))], now=FRIDAY)
    sup = staff(db, "lanhdao")
    with db.write() as conn:
        c = cases.get_case(conn, sup, case_id, now=FRIDAY)
        count = conn.execute(sa.text("SELECT count(*) FROM cases c JOIN submissions s ON s.seq = c.submission_seq "
                                     "WHERE s.client_id IN (:a, :b)"), {"a": res["id"], "b": five["id"]}).scalar()
    assert count == 1  # the reflection has a case, the 5-star assessment none
    assert c.state == CaseState.NEW and c.branch == CC and c.lowest_stars == 2 and c.level == "2★"
    assert vn(c.ack_due) == datetime(2026, 4, 28, 10, 0)
    assert vn(c.answer_due) == datetime(2026, 5, 6, 10, 0)
    assert c.deadline == c.ack_due and not c.overdue
    assert c.ref.startswith("A-") and c.declaration.number == c.declaration_number
    assert c.contact.name == "Phạm Thị Lan" and c.enterprise.tax_code == ENTERPRISE_A
    assert c.ratings[0].reasons[0].code == "D02" and c.ratings[0].reasons[0].label
    assert all(h.name for h in c.handling)


def test_settings_change_the_targets_and_only_an_admin_may(db):
    with pytest.raises(cases.CaseForbidden):
        act(db, cases.set_case_settings, staff(db, "lanhdao"), answer_days=3)
    act(db, cases.set_case_settings, staff(db, "quantri"), answer_days=3, ack_days=0)
    case_id, _ = low_rating(db, CC)
    with db.write() as conn:
        c = cases.get_case(conn, staff(db, "quantri"), case_id, now=FRIDAY)
    assert vn(c.answer_due) == datetime(2026, 5, 4, 10, 0)  # Tue 28, Wed 29, (30/4, 1/5 off), Mon 4/5
    assert c.ack_due == FRIDAY


def test_holidays_are_data_an_admin_edits(db):
    with pytest.raises(cases.CaseForbidden):
        act(db, calendar.set_holidays, staff(db, "lanhdao"), [])
    with db.read() as conn:
        assert date(2026, 4, 27) in calendar.holidays(conn) and date(2027, 2, 8) in calendar.holidays(conn)
    act(db, calendar.set_holidays, staff(db, "quantri"), [("2026-04-28", "Nghỉ thử")])
    case_id, _ = low_rating(db, CC)
    with db.write() as conn:
        c = cases.get_case(conn, staff(db, "quantri"), case_id, now=FRIDAY)
    assert vn(c.ack_due) == datetime(2026, 4, 27, 10, 0)  # Monday works now; Tuesday is off


# ---- scope and roles ------------------------------------------------------------------------

def test_another_branch_case_is_missing_for_a_processor_also_by_id(db, api):
    case_id, _ = low_rating(db, TG)
    cc = staff(db, "xuly.cc")
    for fn, kw in ((cases.get_case, {}), (cases.take, {}), (cases.start_review, {}),
                   (cases.add_note, {"text": "x"}), (cases.answer, {"outcome": "partly", "text": "x"})):
        with pytest.raises(cases.CaseNotFound):
            act(db, fn, cc, case_id, **kw)
    with db.read() as conn:
        page = cases.inbox(conn, cc, now=FRIDAY)
        assert case_id not in [r.id for r in page.items]
        assert cases.inbox(conn, cc, branch=TG, now=FRIDAY).items == []
        assert cases.templates(conn, cc, TG) == []
    token = api.login("xuly.cc", STAFF_PASSWORDS["xuly.cc"])
    h = {"Authorization": f"Bearer {token}"}
    other = api.client.get(f"/api/v1/cases/{case_id}", headers=h)
    missing = api.client.get("/api/v1/cases/999999", headers=h)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert api.client.post(f"/api/v1/cases/{case_id}/take", headers=h).status_code == 404
    # the processor of that branch sees it
    tg = api.login("xuly.tg", STAFF_PASSWORDS["xuly.tg"])
    r = api.client.get(f"/api/v1/cases/{case_id}", headers={"Authorization": f"Bearer {tg}"})
    assert r.status_code == 200 and r.json()["branch"] == TG and r.json()["answer_due"].endswith("+07:00")


def test_a_viewer_reads_but_cannot_act_and_a_processor_cannot_assign_or_close(db):
    case_id, _ = low_rating(db, CC)
    viewer = staff(db, "baocao")
    with db.write() as conn:
        assert cases.get_case(conn, viewer, case_id).id == case_id
    for fn, kw in ((cases.take, {}), (cases.add_note, {"text": "x"}), (cases.assign, {"owner_id": viewer.user_id})):
        with pytest.raises(cases.CaseForbidden):
            act(db, fn, viewer, case_id, **kw)
    p = staff(db, "xuly.cc")
    with pytest.raises(cases.CaseForbidden):
        act(db, cases.assign, p, case_id, p.user_id)
    with pytest.raises(cases.CaseForbidden):
        act(db, cases.save_template, p, CC, "Mẫu", "Kính gửi {doanh_nghiep}")


# ---- the state machine ----------------------------------------------------------------------

def test_state_machine_from_new_to_closed(db):
    case_id, _ = low_rating(db, CC)
    p, sup = staff(db, "xuly.cc"), staff(db, "lanhdao")
    with pytest.raises(cases.CaseConflict):
        act(db, cases.start_review, p, case_id, now=FRIDAY)  # nobody handles it yet
    act(db, cases.take, p, case_id, now=FRIDAY)
    with pytest.raises(cases.CaseConflict):
        act(db, cases.take, sup, case_id, now=FRIDAY)  # taken already
    with pytest.raises(cases.CaseConflict):
        act(db, cases.answer, p, case_id, outcome="partly", text="x", now=FRIDAY)  # not under review
    act(db, cases.start_review, p, case_id, now=FRIDAY)
    with pytest.raises(cases.CaseInvalid):
        act(db, cases.answer, p, case_id, outcome="partly", text="  ", now=FRIDAY)
    with pytest.raises(cases.CaseInvalid):
        act(db, cases.answer, p, case_id, outcome="maybe", text="x", now=FRIDAY)
    act(db, cases.answer, p, case_id, outcome=Outcome.PARTLY, text="Đã kiểm tra.", now=FRIDAY)
    with pytest.raises(cases.CaseForbidden):
        act(db, cases.close, p, case_id, now=FRIDAY)
    act(db, cases.close, sup, case_id, now=FRIDAY)
    with db.write() as conn:
        c = cases.get_case(conn, sup, case_id, now=FRIDAY)
    assert c.state == CaseState.CLOSED and c.outcome == Outcome.PARTLY and c.answer == "Đã kiểm tra."
    assert c.owner_id == p.user_id and c.due_at is None
    with pytest.raises(cases.CaseConflict):
        act(db, cases.assign, sup, case_id, p.user_id)


def test_assignment_only_to_staff_of_the_branch(db):
    case_id, _ = low_rating(db, CC)
    sup = staff(db, "lanhdao")
    with pytest.raises(cases.CaseInvalid):
        act(db, cases.assign, sup, case_id, staff(db, "xuly.tg").user_id)
    act(db, cases.assign, sup, case_id, staff(db, "xuly.cc").user_id, now=FRIDAY)
    with db.read() as conn:
        names = [s.username for s in cases.assignable_staff(conn, sup, CC)]
        page = cases.inbox(conn, sup, owner_id=staff(db, "xuly.cc").user_id, now=FRIDAY)
    assert "xuly.cc" in names and "xuly.tg" not in names and "baocao" not in names
    assert [r.id for r in page.items] == [case_id] and page.items[0].state == CaseState.ASSIGNED
    # acknowledged: the answer deadline counts now
    assert page.items[0].deadline == page.items[0].answer_due


# ---- inbox, overdue and escalation ----------------------------------------------------------

def test_inbox_overdue_first_escalated_to_supervisors(db):
    old, _ = low_rating(db, CC, now=FRIDAY - timedelta(days=14))
    new, _ = low_rating(db, CC, stars=2, d=decls_in(CC, 2)[1])
    sup, p = staff(db, "lanhdao"), staff(db, "xuly.cc")
    with db.read() as conn:
        page = cases.inbox(conn, sup, branch=CC, now=FRIDAY)
        ids = [r.id for r in page.items]
        assert ids.index(old) < ids.index(new)
        assert page.items[ids.index(old)].overdue and not page.items[ids.index(new)].overdue
        assert old in [r.id for r in page.escalated] and new not in [r.id for r in page.escalated]
        assert page.counts["overdue"] >= 1 and page.counts["new"] >= 2 and page.total >= 2
        assert cases.inbox(conn, p, branch=CC, now=FRIDAY).escalated == []
        assert [r.id for r in cases.inbox(conn, sup, branch=CC, level=2, now=FRIDAY).items] == [new]
        assert new not in [r.id for r in cases.inbox(conn, sup, kind="reflection", now=FRIDAY).items]
    done = act(db, cases.check_deadlines, now=FRIDAY)
    assert done["escalated"] >= 1
    again = act(db, cases.check_deadlines, now=FRIDAY)
    assert again["escalated"] == 0  # once per deadline
    with db.write() as conn:
        c = cases.get_case(conn, sup, old, now=FRIDAY)
        sup_alerts = cases.alerts(conn, sup)
        p_alerts = cases.alerts(conn, p)
    assert c.escalated and CaseEvent.ESCALATED in [e.event for e in c.events]
    assert (old, AlertKind.ESCALATED) in [(a.case_id, a.kind) for a in sup_alerts]
    assert (old, AlertKind.ESCALATED) not in [(a.case_id, a.kind) for a in p_alerts]


def test_deadline_near_alerts_once(db):
    case_id, _ = low_rating(db, CC, stars=2)
    p = staff(db, "xuly.cc")
    near = FRIDAY + timedelta(days=3, hours=12)  # Monday 22:00: Tuesday 10:00 is 12 hours away
    assert act(db, cases.check_deadlines, now=near)["due_soon"] >= 1
    assert act(db, cases.check_deadlines, now=near)["due_soon"] == 0
    with db.read() as conn:
        assert (case_id, AlertKind.DUE_SOON) in [(a.case_id, a.kind) for a in cases.alerts(conn, p)]


# ---- the audit trail ------------------------------------------------------------------------

def test_audit_trail_complete_in_order_and_never_changed(db):
    case_id, _ = low_rating(db, CC)
    p, sup = staff(db, "xuly.cc"), staff(db, "lanhdao")
    act(db, cases.assign, sup, case_id, p.user_id, now=FRIDAY)
    act(db, cases.start_review, p, case_id, now=FRIDAY)
    act(db, cases.add_note, p, case_id, "Gọi điện cho doanh nghiệp.", now=FRIDAY)
    act(db, cases.answer, p, case_id, outcome="not_substantiated", text="Không đúng.", now=FRIDAY)
    act(db, cases.close, sup, case_id, now=FRIDAY)
    with db.write() as conn:
        c = cases.get_case(conn, p, case_id, now=FRIDAY)
    trail = [(e.event, e.actor_id) for e in c.events]
    assert trail == [(CaseEvent.OPENED, None), (CaseEvent.ASSIGNED, sup.user_id),
                     (CaseEvent.REVIEW_STARTED, p.user_id), (CaseEvent.NOTED, p.user_id),
                     (CaseEvent.ANSWERED, p.user_id), (CaseEvent.CLOSED, sup.user_id), (CaseEvent.VIEWED, p.user_id)]
    assert [n.detail for n in c.notes] == ["Gọi điện cho doanh nghiệp."]
    assert c.events[1].actor_name == "Đỗ Quang Vinh" and c.events[1].detail == "Bùi Thị Lan"
    for statement in ("UPDATE case_events SET detail = 'x' WHERE case_id = :c", "DELETE FROM case_events WHERE case_id = :c"):
        with pytest.raises(sa.exc.DBAPIError):
            with db.write() as conn:
                conn.execute(sa.text(statement), {"c": case_id})
    with db.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM case_events WHERE case_id = :c"), {"c": case_id}).scalar() == 7


# ---- templates ------------------------------------------------------------------------------

def test_templates_with_placeholders(db):
    case_id, _ = low_rating(db, CC)
    sup, p = staff(db, "lanhdao"), staff(db, "xuly.cc")
    t = act(db, cases.save_template, sup, CC, "Cảm ơn", "Kính gửi {doanh_nghiep} (MST {ma_so_thue}): hồ sơ {ma_ho_so}, "
                                                       "tờ khai {so_to_khai} nhận ngày {ngay_tiep_nhan}.")
    with pytest.raises(cases.CaseInvalid):
        act(db, cases.save_template, sup, CC, "Sai", "Kính gửi {khong_co}")
    with pytest.raises(cases.CaseConflict):
        act(db, cases.save_template, sup, CC, "Cảm ơn", "Khác")
    with pytest.raises(cases.CaseNotFound):
        act(db, cases.save_template, sup, "03PA", "Khác", "Khác")
    with db.write() as conn:
        (listed,) = cases.templates(conn, p, CC)
        c = cases.get_case(conn, p, case_id, now=FRIDAY)
    text = cases.fill_template(listed.body, c)
    assert c.enterprise.name and c.enterprise.name in text and ENTERPRISE_A in text
    assert c.ref in text and c.declaration_number in text and "24/04/2026" in text and "{" not in text
    act(db, cases.save_template, sup, CC, "Cảm ơn", "Mới", template_id=t.id)
    act(db, cases.delete_template, sup, t.id)
    with db.read() as conn:
        assert cases.templates(conn, p, CC) == []
    with pytest.raises(cases.CaseNotFound):
        act(db, cases.delete_template, sup, t.id)


# ---- alerts and e-mail ----------------------------------------------------------------------

def test_new_one_star_alerts_the_branch_badge_and_list(db):
    case_id, _ = low_rating(db, CC, stars=1)
    two, _ = low_rating(db, CC, stars=2, d=decls_in(CC, 2)[1])
    p, sup, other, viewer = staff(db, "xuly.cc"), staff(db, "lanhdao"), staff(db, "xuly.tg"), staff(db, "baocao")
    with db.read() as conn:
        for s in (p, sup):
            got = [(a.case_id, a.kind) for a in cases.alerts(conn, s, unread_only=True)]
            assert got == [(case_id, AlertKind.NEW_ONE_STAR)]
            assert cases.unread_count(conn, s) == 1
        assert cases.alerts(conn, other) == [] and cases.alerts(conn, viewer) == []
    ids = [a.id for a in act(db, cases.alerts, p)]
    assert act(db, cases.mark_alerts_read, sup, ids) == 0  # not theirs
    assert act(db, cases.mark_alerts_read, p, ids) == 1
    with db.read() as conn:
        assert cases.unread_count(conn, p) == 0 and cases.alerts(conn, p)[0].read
        assert cases.unread_count(conn, sup) == 1


class _Sink:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd's hook
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:  # nobody listens on it once closed
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_alert_mail_holds_reference_and_link_never_comment_or_contact(db, smtp_sink, monkeypatch):
    sink, port = smtp_sink
    admin = staff(db, "quantri")
    act(db, cases.set_email, admin, "xuly.cc", "ha.cc@haiquan.example")
    act(db, cases.set_email, admin, "xuly.tg", "nam.tg@haiquan.example")
    act(db, cases.set_case_settings, admin, console_url="https://hq.example/console/")
    with pytest.raises(cases.CaseForbidden):
        act(db, alerts.set_mail_settings, staff(db, "lanhdao"), enabled=True)
    act(db, alerts.set_mail_settings, admin, enabled=True, host="127.0.0.1", port=port, sender="canhbao@haiquan.example",
        starttls=False)
    case_id, _ = low_rating(db, CC, stars=1)
    assert alerts.send_due(db, now=FRIDAY)["sent"] == 1
    (env,) = sink.messages
    assert env.rcpt_tos == ["ha.cc@haiquan.example"]
    text = env.content.decode("utf-8", "replace")
    with db.write() as conn:
        c = cases.get_case(conn, admin, case_id, now=FRIDAY)
    assert c.ref in text and f"https://hq.example/console/cases/{case_id}" in text
    import email

    body = email.message_from_bytes(env.content).get_payload(decode=True).decode()
    for secret in (c.detail, c.contact.name, c.contact.phone, "0912"):
        assert secret not in body and secret not in text
    assert alerts.send_due(db, now=FRIDAY)["sent"] == 0  # sent once


def test_failed_mail_is_logged_and_retried_later(db, smtp_sink, caplog):
    sink, port = smtp_sink
    admin = staff(db, "quantri")
    act(db, cases.set_email, admin, "lanhdao", "vinh@haiquan.example")
    dead = _free_port()
    act(db, alerts.set_mail_settings, admin, enabled=True, host="127.0.0.1", port=dead, sender="a@haiquan.example",
        starttls=False, timeout_seconds=2)
    low_rating(db, CC, stars=1)
    assert alerts.send_due(db, now=FRIDAY) == {"sent": 0, "failed": 1}
    assert "not sent" in caplog.text
    act(db, alerts.set_mail_settings, admin, port=port)
    assert alerts.send_due(db, now=FRIDAY)["sent"] == 0  # not due again yet
    assert alerts.send_due(db, now=FRIDAY + timedelta(minutes=2))["sent"] == 1
    assert [m.rcpt_tos for m in sink.messages] == [["vinh@haiquan.example"]]


def test_mail_is_off_by_default(db):
    act(db, cases.set_email, staff(db, "quantri"), "xuly.cc", "ha.cc@haiquan.example")
    low_rating(db, CC, stars=1)
    with db.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM mail_queue")).scalar() == 0


# ---- the enterprise's word: case_feedback through the batch endpoint -------------------------

def feedback(submission_id: str, action: str, comment: str | None = None) -> dict[str, Any]:
    payload = {"submission_id": submission_id, "action": action}
    if comment:
        payload["comment"] = comment
    return item("case_feedback", payload)


def test_accept_closes_the_case(db, api):
    case_id, cid = answered_case(db)
    it = feedback(cid, "accept")
    (res,) = api.batch(ENTERPRISE_A, [it]).json()["results"]
    assert res["status"] == "accepted" and res["server_ref"].startswith("F-")
    (dup,) = api.batch(ENTERPRISE_A, [it]).json()["results"]
    assert dup["status"] == "duplicate" and dup["server_ref"] == res["server_ref"]
    with db.write() as conn:
        c = cases.get_case(conn, staff(db, "lanhdao"), case_id)
    assert c.state == CaseState.CLOSED and [e.event for e in c.events][-3:] == [
        CaseEvent.ACCEPTED, CaseEvent.CLOSED, CaseEvent.VIEWED]


def test_reopen_once_with_new_deadline_and_refusals(db, api):
    case_id, cid = answered_case(db)
    missing = api.batch(ENTERPRISE_A, [feedback(cid, "reopen")]).json()["results"][0]
    assert missing["status"] == "rejected" and missing["code"] == "validation_error"  # a comment is required
    (res,) = api.batch(ENTERPRISE_A, [feedback(cid, "reopen", "Chưa thỏa đáng.")]).json()["results"]
    assert res["status"] == "accepted", res
    sup = staff(db, "lanhdao")
    with db.write() as conn:
        c = cases.get_case(conn, sup, case_id)
        page = cases.inbox(conn, sup, branch=CC)
    assert c.state == CaseState.REOPENED and c.reopen_comment == "Chưa thỏa đáng." and c.answer_due > FRIDAY
    assert not c.can_reopen and case_id in [r.id for r in page.items]
    with db.read() as conn:
        assert (case_id, AlertKind.REOPENED) in [(a.case_id, a.kind) for a in cases.alerts(conn, sup)]
    p = staff(db, "xuly.cc")
    act(db, cases.start_review, p, case_id)
    (early,) = api.batch(ENTERPRISE_A, [feedback(cid, "accept")]).json()["results"]
    assert (early["http_status"], early["code"]) == (409, "case_not_answered")
    act(db, cases.answer, p, case_id, outcome="partly", text="Đã trả lời lại.")
    (again,) = api.batch(ENTERPRISE_A, [feedback(cid, "reopen", "Vẫn chưa.")]).json()["results"]
    assert (again["http_status"], again["code"]) == (409, "case_reopen_used")
    (other,) = api.batch(ENTERPRISE_B, [feedback(cid, "accept")]).json()["results"]
    assert (other["http_status"], other["code"]) == (404, "case_unknown")
    (unknown,) = api.batch(ENTERPRISE_A, [feedback(str(uuid.uuid4()), "accept")]).json()["results"]
    assert (unknown["http_status"], unknown["code"]) == (404, "case_unknown")


def test_two_words_in_one_batch_see_each_other(db, api):
    _case_id, cid = answered_case(db)
    first, second = api.batch(ENTERPRISE_A, [feedback(cid, "reopen", "Chưa rõ."),
                                             feedback(cid, "accept")]).json()["results"]
    assert first["status"] == "accepted" and second["code"] == "case_not_answered"


def test_refusal_codes_have_both_languages():
    from domain.errors import ITEM_REFUSALS
    from server.ingest import ITEM_CODES

    for code in ("case_unknown", "case_not_answered", "case_reopen_used"):
        assert code in ITEM_CODES and ITEM_REFUSALS[code].label("vi") and ITEM_REFUSALS[code].label("en")


# ---- the feed carries the case ---------------------------------------------------------------

def test_feed_carries_case_and_moves_on_every_change(db, api):
    case_id, cid = low_rating(db, CC)
    page = api.get("/api/v1/submissions", ENTERPRISE_A, params={"limit": 1000}).json()
    while page["has_more"]:
        page = api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": page["next_cursor"], "limit": 1000}).json()
    cursor = page["next_cursor"]
    p = staff(db, "xuly.cc")
    act(db, cases.take, p, case_id)
    changed = api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": cursor}).json()
    (mine,) = [x for x in changed["items"] if x["id"] == cid]
    assert mine["case"]["state"] == "assigned" and mine["state"] == "received"
    assert mine["case"]["answer_due"].endswith("+07:00") and mine["case"]["can_reopen"] is False
    cursor = changed["next_cursor"]
    act(db, cases.start_review, p, case_id)
    act(db, cases.answer, p, case_id, outcome="substantiated", text="Đúng, đã xử lý.")
    (mine,) = [x for x in api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": cursor}).json()["items"]
               if x["id"] == cid]
    assert mine["state"] == "answered" and mine["answer"] == "Đúng, đã xử lý."
    assert mine["case"]["state"] == "answered" and mine["case"]["outcome"] == "substantiated"
    assert mine["case"]["answered_at"] and mine["case"]["can_reopen"] is True
    five = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(decls_in(CC, 3)[2], 5))]).json()["results"][0]
    (plain,) = [x for x in api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": cursor}).json()["items"]
                if x["id"] == five["id"]]
    assert plain["case"] is None


# ---- the earlier inbox endpoints are wrappers over the cases ---------------------------------

def test_old_inbox_answer_records_an_outcome(db, api):
    case_id, cid = low_rating(db, CC)
    with db.read() as conn:
        ref = conn.execute(sa.text("SELECT seq FROM submissions WHERE client_id = :c"), {"c": cid}).scalar_one()
    ref = f"A-{ref:06d}"
    assert api.post(f"/api/v1/inbox/{ref}/review", "xuly").json()["state"] == "in_review"
    r = api.post(f"/api/v1/inbox/{ref}/answer", "xuly", json={"verified": False, "outcome": "Không có vi phạm",
                                                              "answer": "Đã kiểm tra."})
    assert r.status_code == 200 and r.json()["outcome"] == "Không có vi phạm"
    with db.write() as conn:
        c = cases.get_case(conn, staff(db, "xuly"), case_id)
    assert c.state == CaseState.ANSWERED and c.outcome == Outcome.NOT_SUBSTANTIATED and c.answer == "Đã kiểm tra."
    # a processor of another branch cannot reach it through the earlier endpoints either
    token = api.login("xuly.tg", STAFF_PASSWORDS["xuly.tg"])
    r = api.client.post(f"/api/v1/inbox/{ref}/review", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404


# ---- the JSON API ---------------------------------------------------------------------------

def test_json_api_inbox_actions_templates_holidays_and_staff(db, api):
    case_id, _ = low_rating(db, CC)
    h = {"Authorization": f"Bearer {api.login('lanhdao', STAFF_PASSWORDS['lanhdao'])}"}
    r = api.client.get("/api/v1/cases", headers=h, params={"branch": CC})
    assert r.status_code == 200 and case_id in [c["id"] for c in r.json()["items"]]
    assert set(r.json()["counts"]) >= {"new", "closed", "overdue"}
    p = staff(db, "xuly.cc")
    assert api.client.post(f"/api/v1/cases/{case_id}/assign", headers=h,
                           json={"owner_id": p.user_id}).json()["state"] == "assigned"
    assert api.client.post(f"/api/v1/cases/{case_id}/notes", headers=h, json={"text": "Ưu tiên."}).status_code == 200
    assert api.client.post(f"/api/v1/cases/{case_id}/close", headers=h).status_code == 409
    t = api.client.post("/api/v1/templates", headers=h, json={"branch": CC, "name": "A", "body": "Kính gửi {doanh_nghiep}"})
    assert t.status_code == 201
    assert [x["name"] for x in api.client.get("/api/v1/templates", headers=h, params={"branch": CC}).json()] == ["A"]
    assert api.client.put("/api/v1/holidays", headers=h, json={"items": []}).status_code == 403
    assert api.get("/api/v1/holidays", "quantri").json()[0] == {"day": "2025-01-01", "name": "Tết Dương lịch"}
    r = api.client.patch("/api/v1/staff/xuly.tg", headers=h, json={"branches": [CC]})
    assert r.status_code == 403
    r = api.client.patch("/api/v1/staff/xuly.tg", headers=api.headers("quantri"), json={"branches": [CC, TG]})
    assert r.status_code == 200 and r.json()["branches"] == [CC, TG]
    assert api.client.patch("/api/v1/staff/xuly.tg", headers=api.headers("quantri"),
                            json={"branches": ["99ZZ"]}).status_code == 422
    assert api.get("/api/v1/cases", ENTERPRISE_A).status_code == 403
    alerts_now = api.client.get("/api/v1/alerts", headers=h).json()
    assert alerts_now["unread"] >= 1
    r = api.client.post("/api/v1/alerts/read", headers=h, json={"ids": [a["id"] for a in alerts_now["items"]]})
    assert r.json()["unread"] == 0
