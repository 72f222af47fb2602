"""Server settings: command-line options and ``DD_SERVER_*`` environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

ENV_PREFIX = "DD_SERVER_"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{ENV_PREFIX}{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    db_url: str
    # sessions: absolute lifetime, idle timeout, open sessions per account (oldest ended first)
    token_ttl_seconds: int = 12 * 3600
    session_idle_seconds: int = 4 * 3600
    max_sessions_per_account: int = 20
    # sign-in policy (docs/SERVER.md "Sign-in policy"): hard limits per (account, address) and
    # per address in a fixed window; per account only a growing delay, never a lock
    login_window_seconds: int = 15 * 60
    login_max_per_account_address: int = 10
    login_max_per_address: int = 50
    login_account_free_failures: int = 5
    login_account_max_delay_seconds: int = 60
    login_known_address_days: int = 30
    # memory allowed for concurrent password hashing in one process; with the Argon2 profile's
    # memory cost it gives the number of hashes computed at once (more → 503 with Retry-After)
    login_hash_memory_mib: int = 256
    # Argon2id cost: "production" (library defaults: 64 MiB, t=3, p=4) or "low" (tests, demo)
    argon2_profile: str = "production"
    # request limits
    max_body_bytes: int = 2 * 1024 * 1024  # batches are also limited to 500 items (models.BatchIn)
    updates_dir: Path | None = None
    dashboard: bool = True

    @classmethod
    def from_env(cls, db_url: str | None = None, **overrides) -> "Settings":
        url = db_url or os.environ.get(ENV_PREFIX + "DB")
        if not url:
            raise SystemExit(f"no database: pass --db URL or set {ENV_PREFIX}DB")
        s = cls(
            db_url=url,
            token_ttl_seconds=_env_int("TOKEN_TTL", cls.token_ttl_seconds),
            login_window_seconds=_env_int("LOGIN_WINDOW", cls.login_window_seconds),
            session_idle_seconds=_env_int("SESSION_IDLE", cls.session_idle_seconds),
            max_sessions_per_account=_env_int("MAX_SESSIONS_PER_ACCOUNT", cls.max_sessions_per_account),
            login_max_per_account_address=_env_int("LOGIN_MAX_PER_ACCOUNT_ADDRESS",
                                                   cls.login_max_per_account_address),
            login_max_per_address=_env_int("LOGIN_MAX_PER_ADDRESS", cls.login_max_per_address),
            login_account_free_failures=_env_int("LOGIN_ACCOUNT_FREE_FAILURES", cls.login_account_free_failures),
            login_account_max_delay_seconds=_env_int("LOGIN_ACCOUNT_MAX_DELAY", cls.login_account_max_delay_seconds),
            login_known_address_days=_env_int("LOGIN_KNOWN_ADDRESS_DAYS", cls.login_known_address_days),
            login_hash_memory_mib=_env_int("LOGIN_HASH_MEMORY_MIB", cls.login_hash_memory_mib),
            argon2_profile=os.environ.get(ENV_PREFIX + "ARGON2", cls.argon2_profile).strip() or "production",
            updates_dir=Path(os.environ[ENV_PREFIX + "UPDATES_DIR"]) if os.environ.get(ENV_PREFIX + "UPDATES_DIR") else None,
            dashboard=os.environ.get(ENV_PREFIX + "DASHBOARD", "1") not in ("0", "false", "no"),
        )
        return replace(s, **overrides) if overrides else s
