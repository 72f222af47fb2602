"""Console sign-in, sessions and CSRF.

* Sign-in uses the staff accounts' Argon2id hashes and the same sign-in limits and hashing
  bound as the API's ``/auth/login`` (``server.security``). Enterprise accounts cannot sign
  in here; they get the same message as a wrong password.
* A console session is a row of the ``sessions`` table whose ``token_hash`` is the SHA-256
  of ``"console:" + token`` (an API session's is the SHA-256 of the token itself), so a
  console cookie is never a valid bearer token and a bearer token never a console cookie.
  Same lifetime rules as API sessions: ``token_ttl_seconds`` after sign-in at the latest,
  ``session_idle_seconds`` after the last use.
* The cookie is HttpOnly, SameSite=Strict, limited to ``/console``, and Secure whenever the
  request came over TLS (directly, or through a proxy whose ``X-Forwarded-Proto`` uvicorn
  trusts: ``--forwarded-allow-ips``). Signing in rotates it: a new token, the old one ended.
* CSRF: every state-changing request carries ``HMAC-SHA256(session token, "console-csrf")``
  in the ``csrf`` form field or the ``X-CSRF-Token`` header (htmx: ``hx-headers``). The
  sign-in form, before any session exists, uses a double-submit cookie.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable
from urllib.parse import parse_qsl

import sqlalchemy as sa
from fastapi import Request, Response

from ..accounts import AccountError, normalise_username, session_deadline
from ..config import Settings
from ..db import Database
from ..schema import sessions, users
from ..security import (
    HashBusy, RateLimited, admit_login, dummy_hash, forget_old_limits, login_policy, new_token, settle_login,
    token_hash,
)
from ..timeutil import utcnow

COOKIE = "dd_console"
PRE_COOKIE = "dd_console_pre"
LANG_COOKIE = "dd_console_lang"
PATH = "/console"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
TOUCH_EVERY = timedelta(seconds=60)
STAFF_ROLES = ("processor", "viewer", "admin", "supervisor")
MAX_FORM_BYTES = 256 * 1024

# The console's clocks: one for its sessions, one for the case service's deadlines (the
# ``now`` it passes to ``server.cases``). Tests replace them to move through time.
_clock: Callable[[], datetime] = utcnow
_case_clock: Callable[[], datetime] = utcnow


def now() -> datetime:
    return _clock()


def case_now() -> datetime:
    return _case_clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace both clocks (``None``: the real time again)."""
    global _clock, _case_clock
    _clock = _case_clock = clock or utcnow


def set_case_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the clock of the case service's deadlines only."""
    global _case_clock
    _case_clock = clock or utcnow


def console_hash(token: str) -> str:
    return token_hash("console:" + token)


def csrf_for(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"console-csrf", hashlib.sha256).hexdigest()


def is_tls(request: Request) -> bool:
    """The request came over TLS (uvicorn has already applied a trusted proxy's
    ``X-Forwarded-Proto`` to the scheme)."""
    return request.url.scheme in ("https", "wss")


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PATH, httponly=True, samesite="strict",
                        secure=is_tls(request))


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=PATH, httponly=True, samesite="strict", secure=is_tls(request))


@dataclass(frozen=True)
class ConsoleUser:
    user_id: int
    username: str
    display_name: str
    role: str
    token_hash: str
    csrf: str


class NotSignedIn(Exception):
    """No console session, or it ended (``expired``: it timed out)."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("sign in first")
        self.expired = expired


class CsrfRefused(Exception):
    pass


class SignInRefused(Exception):
    """``reason``: wrong (username or password), limited (retry_after), busy."""

    def __init__(self, reason: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def current_user(request: Request) -> ConsoleUser:
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > 200:
        raise NotSignedIn()
    digest = console_hash(token)
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    with db.read() as conn:
        row = conn.execute(
            sa.select(sessions.c.expires_at, sessions.c.created_at, users.c.id, users.c.username, users.c.role,
                      users.c.display_name, users.c.active)
            .join(users, users.c.id == sessions.c.user_id).where(sessions.c.token_hash == digest)).first()
    if row is None:
        raise NotSignedIn()
    at = now()
    if row.expires_at <= at or row.created_at + timedelta(seconds=settings.token_ttl_seconds) <= at:
        with db.write() as conn:
            conn.execute(sa.delete(sessions).where(sessions.c.token_hash == digest))
        raise NotSignedIn(expired=True)
    if not row.active or row.role not in STAFF_ROLES:
        raise NotSignedIn()
    deadline = session_deadline(row.created_at, at, settings)
    if deadline - row.expires_at >= TOUCH_EVERY:
        with db.write() as conn:
            conn.execute(sa.update(sessions).where(sessions.c.token_hash == digest, sessions.c.expires_at > at)
                         .values(expires_at=deadline))
    return ConsoleUser(row.id, row.username, row.display_name, row.role, digest, csrf_for(token))


async def form_data(request: Request) -> dict[str, str]:
    """The fields of a URL-encoded form (the only kind the console sends)."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return {}
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=200))


def check_csrf(request: Request, form: dict[str, str], user: ConsoleUser) -> None:
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent.encode("utf-8", "replace"), user.csrf.encode()):
        raise CsrfRefused()


def check_pre_csrf(request: Request, form: dict[str, str]) -> None:
    cookie = request.cookies.get(PRE_COOKIE, "")
    sent = form.get(CSRF_FIELD, "")
    if not cookie or not sent or not hmac.compare_digest(cookie.encode("utf-8", "replace"),
                                                         sent.encode("utf-8", "replace")):
        raise CsrfRefused()


def new_pre_token() -> str:
    return secrets.token_urlsafe(24)


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:100]


def sign_in(request: Request, username: str, password: str) -> tuple[str, dict[str, Any]]:
    """Check the password under the sign-in policy and open a console session.
    Returns the new token and the account's row. Raises :class:`SignInRefused`."""
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    try:
        name = normalise_username(username)
    except AccountError:
        name = username.strip().lower()[:64]
    policy = login_policy(settings)
    at = now()
    with db.write() as conn:
        try:
            admission = admit_login(conn, name, client_address(request), at, policy)
        except RateLimited as exc:
            raise SignInRefused("limited", exc.retry_after) from None
        user = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
    try:
        ok = request.app.state.hash_gate.verify(
            user["password_hash"] if user else dummy_hash(settings.argon2_profile), password)
    except HashBusy:
        with db.write() as conn:
            settle_login(conn, admission, at, signed_in=False)
        raise SignInRefused("busy", 1) from None
    if not ok or user is None or not user["active"] or user["role"] not in STAFF_ROLES:
        with db.write() as conn:
            forget_old_limits(conn, at, policy)
        raise SignInRefused("wrong")
    token = new_token()
    old = request.cookies.get(COOKIE, "")
    with db.write() as conn:
        settle_login(conn, admission, at, signed_in=True)
        if old and len(old) <= 200:
            conn.execute(sa.delete(sessions).where(sessions.c.token_hash == console_hash(old)))
        conn.execute(sa.select(users.c.id).where(users.c.id == user["id"]).with_for_update())
        values: dict[str, Any] = {"token_hash": console_hash(token), "user_id": user["id"], "created_at": at,
                                  "expires_at": session_deadline(at, at, settings)}
        if "kind" in sessions.c:  # a schema that records the kind of session
            values["kind"] = "console"
        conn.execute(sa.insert(sessions).values(**values))
        keep = max(settings.max_sessions_per_account, 1)
        newest = (sa.select(sessions.c.token_hash).where(sessions.c.user_id == user["id"])
                  .order_by(sessions.c.created_at.desc(), sessions.c.token_hash.desc()).limit(keep))
        conn.execute(sa.delete(sessions).where(sessions.c.user_id == user["id"],
                                               sessions.c.token_hash.not_in(newest.scalar_subquery())))
        conn.execute(sa.delete(sessions).where(sessions.c.expires_at < at - timedelta(days=1)))
    return token, dict(user)


def sign_out(request: Request) -> None:
    token = request.cookies.get(COOKIE, "")
    if token and len(token) <= 200:
        with request.app.state.db.write() as conn:
            conn.execute(sa.delete(sessions).where(sessions.c.token_hash == console_hash(token)))
