"""Accounts: enterprise accounts (username = tax code, MST check digit) and customs staff."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from domain.text import nfc
from domain.validation import InvalidTaxCode, normalize_tax_code

from .config import Settings
from .errors import ApiError
from .schema import sessions, users
from .security import hash_password, new_token, token_hash
from .timeutil import utcnow

ROLES = ("enterprise", "processor", "viewer", "admin")
_STAFF_LOGIN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    pass


def normalise_username(username: str, role: str | None = None) -> str:
    """Tax codes in canonical form; staff logins lower-case. Raises AccountError."""
    raw = nfc(username).strip()
    looks_like_tax = bool(re.fullmatch(r"[\d\s.\-\u2010-\u2015]{10,24}", unicodedata.normalize("NFKC", raw)))
    if role == "enterprise" or (role is None and looks_like_tax):
        try:
            return normalize_tax_code(raw)
        except InvalidTaxCode as exc:
            raise AccountError(f"an enterprise account is its tax code: {exc}") from None
    login = raw.lower()
    if not _STAFF_LOGIN.match(login):
        raise AccountError("a staff login has 2-64 characters: lower-case letters, digits, '.', '_' or '-', "
                           "starting with a letter")
    return login


def create_user(conn: sa.Connection, *, username: str, password: str, role: str, display_name: str,
                argon2_profile: str = "production", exist_ok: bool = False) -> dict[str, Any]:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
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
           "tax_code": name if role == "enterprise" else None,
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
    as the session is used (``server.deps``)."""
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
