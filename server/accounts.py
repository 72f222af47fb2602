"""Accounts: enterprise accounts (username = tax code, MST check digit) and customs staff;
their sessions and sign-in. Usable without HTTP: functions take a connection (or the
``Database``) and plain values, and raise ``AccountError`` or the API's ``ApiError``s."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from domain.text import nfc
from domain.validation import InvalidTaxCode, normalize_tax_code

from .config import Settings
from .db import Database
from .enums import Role
from .errors import ApiError, not_found, unauthorized
from .schema import sessions, users
from .security import (
    HashBusy, HashGate, RateLimited, admit_login, dummy_hash, forget_old_limits, hash_password, login_policy,
    new_token, settle_login, token_hash,
)
from .timeutil import iso, utcnow

ROLES: tuple[Role, ...] = tuple(Role)
_STAFF_LOGIN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_LISTED = 5000


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class Principal:
    """A signed-in account, as seen through one of its sessions."""
    user_id: int
    username: str
    role: Role
    display_name: str
    tax_code: str | None
    token_hash: str


def normalise_username(username: str, role: Role | str | None = None) -> str:
    """Tax codes in canonical form; staff logins lower-case. Raises AccountError."""
    raw = nfc(username).strip()
    looks_like_tax = bool(re.fullmatch(r"[\d\s.\-\u2010-\u2015]{10,24}", unicodedata.normalize("NFKC", raw)))
    if role == Role.ENTERPRISE or (role is None and looks_like_tax):
        try:
            return normalize_tax_code(raw)
        except InvalidTaxCode as exc:
            raise AccountError(f"an enterprise account is its tax code: {exc}") from None
    login = raw.lower()
    if not _STAFF_LOGIN.match(login):
        raise AccountError("a staff login has 2-64 characters: lower-case letters, digits, '.', '_' or '-', "
                           "starting with a letter")
    return login


def create_user(conn: sa.Connection, *, username: str, password: str, role: Role | str, display_name: str,
                argon2_profile: str = "production", exist_ok: bool = False) -> dict[str, Any]:
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"role must be one of {', '.join(ROLES)}") from None
    name = normalise_username(username, role)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    display = " ".join(nfc(display_name).split())
    if not display or len(display) > 300:
        raise AccountError("a display name of 1 to 300 characters is required")
    existing = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
    if existing is not None:
        if exist_ok:
            return dict(existing)
        raise AccountError(f"the account {name} already exists")
    row = {"username": name, "role": role, "display_name": display,
           "tax_code": name if role == Role.ENTERPRISE else None,
           "password_hash": hash_password(password, argon2_profile), "active": True, "created_at": utcnow()}
    try:
        with conn.begin_nested():
            row["id"] = conn.execute(sa.insert(users).values(**row).returning(users.c.id)).scalar_one()
    except sa.exc.IntegrityError:
        raise AccountError(f"the account {name} already exists") from None
    return row


def session_deadline(created_at: datetime, now: datetime, settings: Settings) -> datetime:
    """When a session used at ``now`` ends: after ``session_idle_seconds`` without use, and
    ``token_ttl_seconds`` after it was opened at the latest."""
    return min(created_at + timedelta(seconds=settings.token_ttl_seconds),
               now + timedelta(seconds=settings.session_idle_seconds))


def open_session(conn: sa.Connection, user_id: int, settings: Settings) -> tuple[str, datetime]:
    """Open a session; the account keeps at most ``max_sessions_per_account`` (its oldest
    sessions are ended). Returns the token and the session's latest end (its lifetime; it
    ends earlier when idle). ``sessions.expires_at`` holds the idle deadline, moved forward
    as the session is used (:func:`principal_for_token`)."""
    token = new_token()
    now = utcnow()
    # one account's sign-ins are serialised here (PostgreSQL: row lock; SQLite: single writer)
    conn.execute(sa.select(users.c.id).where(users.c.id == user_id).with_for_update())
    conn.execute(sa.insert(sessions).values(token_hash=token_hash(token), user_id=user_id, created_at=now,
                                            expires_at=session_deadline(now, now, settings)))
    keep = max(settings.max_sessions_per_account, 1)
    newest = (sa.select(sessions.c.token_hash).where(sessions.c.user_id == user_id)
              .order_by(sessions.c.created_at.desc(), sessions.c.token_hash.desc()).limit(keep))
    conn.execute(sa.delete(sessions).where(sessions.c.user_id == user_id,
                                           sessions.c.token_hash.not_in(newest.scalar_subquery())))
    # sessions that ended a day ago are of no use to anyone
    conn.execute(sa.delete(sessions).where(sessions.c.expires_at < now - timedelta(days=1)))
    return token, now + timedelta(seconds=settings.token_ttl_seconds)


def as_api_error(exc: AccountError) -> ApiError:
    return ApiError(422, "validation_error", str(exc))


def describe_user(row: Any) -> dict[str, Any]:
    """An account as the API shows it (never its password hash)."""
    return {"id": row["id"], "username": row["username"], "role": Role(row["role"]),
            "display_name": row["display_name"], "tax_code": row["tax_code"], "active": bool(row["active"]),
            "created_at": iso(row["created_at"])}


def add_user(conn: sa.Connection, *, username: str, password: str, role: Role | str, display_name: str,
             argon2_profile: str = "production") -> dict[str, Any]:
    """Create an account; 409 ``conflict`` when it exists, 422 when a value is refused."""
    try:
        return create_user(conn, username=username, password=password, role=role, display_name=display_name,
                           argon2_profile=argon2_profile)
    except AccountError as exc:
        if "already exists" in str(exc):
            raise ApiError(409, "conflict", str(exc)) from None
        raise as_api_error(exc) from None


def list_users(conn: sa.Connection, role: Role | None = None) -> list[Any]:
    """Accounts in creation order (at most ``MAX_LISTED``), optionally of one role."""
    q = sa.select(users).order_by(users.c.id)
    if role:
        q = q.where(users.c.role == role)
    return list(conn.execute(q.limit(MAX_LISTED)).mappings())


def update_user(conn: sa.Connection, username: str, *, acting_user_id: int, active: bool | None = None,
                display_name: str | None = None, password: str | None = None,
                argon2_profile: str = "production") -> Any:
    """Disable or enable an account, reset its password or rename it (``None``: unchanged).
    Disabling or a new password closes the account's open sessions; an account cannot
    disable itself. 404 when there is no such account. Returns the updated row."""
    try:
        name = normalise_username(username)
    except AccountError:
        raise not_found(f"no account {username}") from None
    values: dict[str, Any] = {}
    if active is not None:
        values["active"] = active
    if display_name is not None:
        values["display_name"] = " ".join(display_name.split())
    if password is not None:
        values["password_hash"] = hash_password(password, argon2_profile)
    row = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
    if row is None:
        raise not_found(f"no account {name}")
    if row["id"] == acting_user_id and active is False:
        raise ApiError(422, "validation_error", "an administrator cannot disable their own account")
    if values:
        conn.execute(sa.update(users).where(users.c.id == row["id"]).values(**values))
    if active is False or password is not None:
        conn.execute(sa.delete(sessions).where(sessions.c.user_id == row["id"]))
    return conn.execute(sa.select(users).where(users.c.id == row["id"])).mappings().one()


# ---- sign-in and sessions ----------------------------------------------------------------

# a session's idle deadline is moved forward at most once a minute (one write per minute
# of use, not one per request)
TOUCH_EVERY = timedelta(seconds=60)


def sign_in(db: Database, gate: HashGate, settings: Settings, *, username: str, password: str,
            address: str) -> dict[str, Any]:
    """Sign-in policy: docs/SERVER.md. The attempt is checked and counted in the database
    before the password is evaluated, and the evaluation takes one of this process's
    hashing slots (none free → 503 with Retry-After). Returns the new session's token, its
    latest end and the account (``role``, ``tax_code``, ``display_name``); 401 for a wrong
    username or password or a disabled account, 429 when the limits are reached."""
    try:
        name = normalise_username(username)
    except AccountError:
        name = username.strip().lower()[:64]
    policy = login_policy(settings)
    now = utcnow()
    with db.write() as conn:
        try:
            admission = admit_login(conn, name, address, now, policy)
        except RateLimited as exc:
            raise ApiError(429, "rate_limited", "too many sign-in attempts; wait before trying again",
                           {"retry_after": exc.retry_after}, headers={"Retry-After": str(exc.retry_after)}) from None
        user = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
    try:
        ok = gate.verify(user["password_hash"] if user else dummy_hash(settings.argon2_profile), password)
    except HashBusy:
        with db.write() as conn:
            settle_login(conn, admission, now, signed_in=False)
        raise ApiError(503, "unavailable", "the server is busy signing others in; try again in a moment",
                       headers={"Retry-After": "1"}) from None
    if not ok or user is None or not user["active"]:
        with db.write() as conn:
            forget_old_limits(conn, now, policy)
        raise unauthorized("wrong username or password")
    with db.write() as conn:
        settle_login(conn, admission, now, signed_in=True)
        token, expires = open_session(conn, user["id"], settings)
    return {"token": token, "expires_at": iso(expires), "role": Role(user["role"]), "tax_code": user["tax_code"],
            "display_name": user["display_name"]}


def close_session(conn: sa.Connection, digest: str) -> None:
    """End the session whose token hashes to ``digest`` (sign-out)."""
    conn.execute(sa.delete(sessions).where(sessions.c.token_hash == digest))


def principal_for_token(db: Database, token: str | None, settings: Settings) -> Principal:
    """The account behind a session token, moving the session's idle deadline forward
    (at most once per ``TOUCH_EVERY``). 401 when the token is missing, unknown or closed,
    the session expired (``token_expired``) or the account is disabled."""
    if not token or len(token) > 200:
        raise unauthorized("sign in first: send Authorization: Bearer <token>")
    digest = token_hash(token)
    with db.read() as conn:
        row = conn.execute(
            sa.select(sessions.c.expires_at, sessions.c.created_at, users.c.id, users.c.username, users.c.role,
                      users.c.display_name, users.c.tax_code, users.c.active)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == digest)).first()
    if row is None:
        raise unauthorized("the session is unknown or was closed; sign in again")
    now = utcnow()
    if row.expires_at <= now:
        raise unauthorized("the session has expired; sign in again", code="token_expired")
    if not row.active:
        raise unauthorized("this account is disabled")
    deadline = session_deadline(row.created_at, now, settings)
    if deadline - row.expires_at >= TOUCH_EVERY:
        with db.write() as conn:
            conn.execute(sa.update(sessions).where(sessions.c.token_hash == digest, sessions.c.expires_at > now)
                         .values(expires_at=deadline))
    return Principal(row.id, row.username, Role(row.role), row.display_name, row.tax_code, digest)
