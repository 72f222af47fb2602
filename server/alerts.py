"""Alerts about cases: rows in the console (``alerts``, read or unread per staff member)
and e-mails through a configurable SMTP server (``docs/SERVER.md``, "Alerts").

* A new 1★ case alerts the processors and supervisors of its branch; a case whose
  deadline is near alerts its owner (or the branch's processors) and the supervisors; an
  overdue case is escalated to the supervisors; a reopened case alerts its owner and the
  supervisors.
* An e-mail holds the case's reference and a link into the console (the ``console_url``
  case setting), never what the enterprise wrote nor its contact.
* E-mails are queued in ``mail_queue`` in the transaction that raised the alert and sent by
  a background thread of the server (``AlertWorker``, started in the app's lifespan) with a
  timeout; a failed send is logged and retried later with a growing delay, never blocking
  the request that raised it. The same thread escalates overdue cases
  (``server.cases.check_deadlines``).

SMTP settings (host, port, from, STARTTLS, user) are kept in the database and changed by an
administrator; the password comes only from the environment (``DD_SERVER_SMTP_PASSWORD``).
Mail is off by default."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import smtplib
import ssl
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Callable, Iterable, Sequence

import sqlalchemy as sa

from .bulk import chunks, in_values, insert_many
from .catalog import get_meta, set_meta
from .enums import AlertKind, Role
from .schema import alerts as alerts_table, cases, mail_queue, staff_branches, users
from .timeutil import utcnow

log = logging.getLogger("server.alerts")

MAIL_KEY = "mail_settings"
PASSWORD_ENV = "DD_SERVER_SMTP_PASSWORD"
INTERVAL_ENV = "DD_SERVER_ALERT_INTERVAL"
MAX_ATTEMPTS = 10
BATCH = 50
LEASE = timedelta(minutes=5)

_SUBJECT = {
    AlertKind.NEW_ONE_STAR: ("Hồ sơ mới đánh giá 1 sao", "New 1-star case"),
    AlertKind.DUE_SOON: ("Hồ sơ sắp đến hạn", "Case deadline near"),
    AlertKind.ESCALATED: ("Hồ sơ quá hạn", "Case overdue"),
    AlertKind.REOPENED: ("Doanh nghiệp mở lại hồ sơ", "Case reopened by the enterprise"),
}


@dataclass(frozen=True)
class MailSettings:
    enabled: bool = False
    host: str = ""
    port: int = 587
    sender: str = ""  # the From address
    starttls: bool = True
    user: str = ""
    timeout_seconds: int = 10


def mail_settings(conn: sa.Connection) -> MailSettings:
    raw = get_meta(conn, MAIL_KEY)
    if not raw:
        return MailSettings()
    data = json.loads(raw)
    return MailSettings(**{k: v for k, v in data.items() if k in MailSettings.__dataclass_fields__})


def set_mail_settings(conn: sa.Connection, staff: Any, **values: Any) -> MailSettings:
    """Change the SMTP settings (administrators only). The password is never stored."""
    from .cases import CaseInvalid, require_admin

    require_admin(staff)
    current = asdict(mail_settings(conn)) | {k: v for k, v in values.items() if v is not None}
    if not isinstance(current["port"], int) or not 0 < current["port"] < 65536:
        raise CaseInvalid("port: 1 to 65535")
    if not isinstance(current["timeout_seconds"], int) or not 1 <= current["timeout_seconds"] <= 120:
        raise CaseInvalid("timeout_seconds: 1 to 120")
    for key in ("host", "sender", "user"):
        current[key] = str(current[key]).strip()[:254]
    if current["enabled"] and (not current["host"] or not current["sender"]):
        raise CaseInvalid("mail needs a host and a sender address")
    settings = MailSettings(**current)
    set_meta(conn, MAIL_KEY, json.dumps(asdict(settings), sort_keys=True))
    return settings


# ---- raising alerts ---------------------------------------------------------------------------

Notice = tuple[str, int, int | None]  # the case's branch, the case, its owner (None: nobody yet)


def _recipients(conn: sa.Connection, branches: Iterable[str], roles: tuple[Role, ...]) -> dict[str, list[Any]]:
    """The active staff of each branch with one of ``roles`` (``id``, ``email``, ``role``),
    in account order; one query for every branch."""
    wanted = sorted(set(branches))
    found: dict[str, list[Any]] = {b: [] for b in wanted}
    for r in conn.execute(sa.select(staff_branches.c.branch_code, users.c.id, users.c.email, users.c.role)
                          .select_from(users.join(staff_branches, staff_branches.c.user_id == users.c.id))
                          .where(staff_branches.c.branch_code.in_(wanted), users.c.active == sa.true(),
                                 users.c.role.in_(list(roles))).order_by(users.c.id)):
        found[r.branch_code].append(r)
    return found


def notify_branch(conn: sa.Connection, branch: str, case_id: int, kind: AlertKind, now: datetime, *,
                  roles: Iterable[Role] = (Role.PROCESSOR, Role.SUPERVISOR), owner_id: int | None = None) -> int:
    """Alert the staff of a branch about a case (same transaction as the cause). With an
    ``owner_id``, the owner and the supervisors are alerted rather than every processor.
    Returns the number of staff alerted."""
    return notify_cases(conn, [(branch, case_id, owner_id)], kind, now, roles=roles)


@dataclass
class Audience:
    """Who an alert about the cases of some branches goes to, read ahead of the transaction
    that raises it (the ingest reads it before it takes the write lock): the active staff of
    each branch with the alerted roles, and whether e-mail is on."""
    staff: dict[str, list[Any]]
    mail: bool


def audience(conn: sa.Connection, branches: Iterable[str],
             roles: Iterable[Role] = (Role.PROCESSOR, Role.SUPERVISOR)) -> Audience:
    return Audience(_recipients(conn, branches, tuple(roles)), mail_settings(conn).enabled)


def notify_cases(conn: sa.Connection, notices: Sequence[Notice], kind: AlertKind, now: datetime, *,
                 roles: Iterable[Role] = (Role.PROCESSOR, Role.SUPERVISOR), ahead: Audience | None = None) -> int:
    """``notify_branch`` for many cases at once (an ingest batch opening cases, the
    deadline check): the same rows as one call per notice in the order given, written
    with one insert per table, the staff of the branches and the mail settings read once
    (or ``ahead``, for ``roles``). ``notices``: (branch, case id, owner id or None).
    Returns the number of alerts."""
    if not notices:
        return 0
    if ahead is None:
        ahead = audience(conn, (branch for branch, _case, _owner in notices), roles)
    staff = ahead.staff
    alerted: list[tuple[int, list[Any]]] = []
    for branch, case_id, owner_id in notices:
        people = staff[branch]
        if owner_id is not None:
            people = [p for p in people if p.id == owner_id or p.role != Role.PROCESSOR]
        if people:
            alerted.append((case_id, people))
    if not alerted:
        return 0
    insert_many(conn, alerts_table, [{"user_id": p.id, "case_id": case_id, "kind": kind.value, "created_at": now}
                                     for case_id, people in alerted for p in people])  # unread: read_at NULL
    mailed = [(case_id, addresses) for case_id, people in alerted if (addresses := [p.email for p in people if p.email])]
    if mailed and ahead.mail:
        texts = _compose(conn, [case_id for case_id, _a in mailed], kind)
        insert_many(conn, mail_queue, [{"to_addr": a, "subject": texts[case_id][0], "body": texts[case_id][1],
                                        "created_at": now, "next_attempt_at": now, "attempts": 0}
                                       for case_id, addresses in mailed for a in addresses])
    return sum(len(people) for _case, people in alerted)


def _compose(conn: sa.Connection, case_ids: Sequence[int], kind: AlertKind) -> dict[int, tuple[str, str]]:
    """Subject and text of the alert e-mail of each case (case id → (subject, text)): the
    case's reference, branch, deadline and a link; nothing the enterprise wrote and no
    contact."""
    from .cases import case_settings
    from .ingest import server_ref
    from .timeutil import iso

    rows = {}
    for chunk in chunks(list(dict.fromkeys(case_ids))):
        rows.update((r.id, r) for r in conn.execute(
            sa.select(cases.c.id, cases.c.kind, cases.c.submission_seq, cases.c.branch_code, cases.c.answer_due)
            .where(in_values(conn, cases.c.id, chunk))))
    vi, en = _SUBJECT[kind]
    base = case_settings(conn).console_url
    texts = {}
    for case_id in case_ids:
        row = rows[case_id]
        ref = server_ref(row.kind, row.submission_seq)
        link = f"{base}/cases/{case_id}" if base else f"/console/cases/{case_id}"
        texts[case_id] = (f"[{ref}] {vi} / {en}",
                          f"{vi}: {ref}\nChi cục / Branch: {row.branch_code}\nHạn trả lời / Answer due: "
                          f"{iso(row.answer_due)}\nMở hồ sơ / Open the case: {link}\n\n{en}: {ref}\n")
    return texts


# ---- sending ----------------------------------------------------------------------------------

SmtpFactory = Callable[..., smtplib.SMTP]


def send_due(db: Any, *, now: datetime | None = None, password: str | None = None,
             smtp_factory: SmtpFactory = smtplib.SMTP) -> dict[str, int]:
    """Send the queued e-mails that are due (at most ``BATCH``), outside any transaction:
    each is leased first (so another process does not send it too), then marked sent, or
    scheduled again with a growing delay after a failure (logged). Returns counts."""
    now = now or utcnow()
    with db.write() as conn:
        settings = mail_settings(conn)
        if not settings.enabled or not settings.host:
            return {"sent": 0, "failed": 0}
        q = sa.select(mail_queue).where(mail_queue.c.sent_at.is_(None), mail_queue.c.next_attempt_at <= now,
                                        mail_queue.c.attempts < MAX_ATTEMPTS).order_by(mail_queue.c.id).limit(BATCH)
        if conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        due = conn.execute(q).all()
        if due:
            conn.execute(sa.update(mail_queue).where(mail_queue.c.id.in_([m.id for m in due]))
                         .values(next_attempt_at=now + LEASE))
    if not due:
        return {"sent": 0, "failed": 0}
    if password is None:
        password = os.environ.get(PASSWORD_ENV, "")
    sent: list[int] = []
    failed: list[tuple[Any, str]] = []
    try:
        with _connect(settings, password, smtp_factory) as smtp:
            for m in due:
                try:
                    smtp.send_message(_message(settings, m))
                    sent.append(m.id)
                except (smtplib.SMTPException, OSError) as exc:
                    failed.append((m, f"{type(exc).__name__}: {exc}"))
    except (smtplib.SMTPException, OSError) as exc:  # connecting, STARTTLS or signing in failed
        failed += [(m, f"{type(exc).__name__}: {exc}") for m in due if m.id not in sent]
    with db.write() as conn:
        if sent:
            conn.execute(sa.update(mail_queue).where(mail_queue.c.id.in_(sent)).values(sent_at=now, last_error=None))
        for m, error in failed:
            attempts = m.attempts + 1
            log.warning("alert e-mail %d to %s not sent (attempt %d): %s", m.id, m.to_addr, attempts, error)
            delay = timedelta(seconds=min(30 * 2 ** m.attempts, 3600))
            conn.execute(sa.update(mail_queue).where(mail_queue.c.id == m.id).values(
                attempts=attempts, next_attempt_at=now + delay, last_error=error[:500]))
    return {"sent": len(sent), "failed": len(failed)}


@contextlib.contextmanager
def _connect(settings: MailSettings, password: str, smtp_factory: SmtpFactory):  # noqa: ANN202
    smtp = smtp_factory(settings.host, settings.port, timeout=settings.timeout_seconds)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, password)
        yield smtp
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()


def _message(settings: MailSettings, m: Any) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = m.to_addr
    msg["Subject"] = m.subject
    msg.set_content(m.body)
    return msg


# ---- the background thread --------------------------------------------------------------------

def run_once(db: Any, *, now: datetime | None = None, password: str | None = None,
             smtp_factory: SmtpFactory = smtplib.SMTP) -> dict[str, int]:
    """One round of the worker: escalations and "deadline near" alerts, then e-mails."""
    from .cases import check_deadlines

    with db.write() as conn:
        done = check_deadlines(conn, now=now)
    return done | send_due(db, now=now, password=password, smtp_factory=smtp_factory)


class AlertWorker(threading.Thread):
    """Runs :func:`run_once` every ``interval`` seconds (the first time after one interval)
    until stopped; an error is logged and the next round tries again."""

    def __init__(self, db: Any, interval: float) -> None:
        super().__init__(name="case-alerts", daemon=True)
        self.db = db
        self.interval = interval
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            try:
                run_once(self.db)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the thread
                log.exception("case alerts round failed; trying again in %s s", self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)


def install(app: Any) -> None:
    """Run an ``AlertWorker`` during the app's lifespan (``DD_SERVER_ALERT_INTERVAL``
    seconds between rounds, 60 by default; 0 turns it off)."""
    try:
        interval = float(os.environ.get(INTERVAL_ENV, "60") or 60)
    except ValueError:
        raise SystemExit(f"{INTERVAL_ENV} must be a number of seconds") from None
    if interval <= 0:
        return
    previous = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any):  # noqa: ANN202
        worker = AlertWorker(application.state.db, interval)
        worker.start()
        try:
            async with previous(application) as state:
                yield state
        finally:
            worker.stop()

    app.router.lifespan_context = lifespan
