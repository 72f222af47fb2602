"""Sign-in under attack: the limits hold under real concurrency (two server processes'
worth of apps on one database), password hashing is bounded per process, strangers cannot
lock an account out, and sessions are capped per account and end when idle."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from server.app import create_app
from server.embedded import start_server
from server.schema import login_limits, sessions, users
from server.security import HashGate, LoginPolicy
from server.timeutil import utcnow

from .conftest import ENTERPRISE_A, PASSWORDS, VIEWER, settings_for

LOGIN = "/api/v1/auth/login"
FIGURES: dict[str, object] = {}


class CountingHasher:
    """Wraps Argon2's verification: counts evaluations and the peak of concurrent ones, and
    makes each take ``seconds`` (the production profile's cost, without its memory)."""

    def __init__(self, monkeypatch, seconds: float) -> None:  # noqa: ANN001
        self.seconds = seconds
        self.calls = 0
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()
        original = PasswordHasher.verify
        counter = self

        def verify(hasher, hash, password):  # noqa: ANN001, A002
            with counter._lock:
                counter.calls += 1
                counter.active += 1
                counter.peak = max(counter.peak, counter.active)
            try:
                time.sleep(counter.seconds)
                return original(hasher, hash, password)
            finally:
                with counter._lock:
                    counter.active -= 1

        monkeypatch.setattr(PasswordHasher, "verify", verify)


def _burst(urls: list[str], bodies: list[dict]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))
    out: list = [None] * len(bodies)

    def send(i: int) -> None:
        with httpx.Client(timeout=60) as c:
            barrier.wait()
            out[i] = c.post(urls[i % len(urls)] + LOGIN, json=bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None for r in out)
    return out


# ---- 1. the limit cannot be outrun ---------------------------------------------------------

def test_concurrent_wrong_passwords_never_outrun_the_limit(db_url, backend, monkeypatch):
    """40 wrong passwords at once, through two servers on one database (as two processes
    would be): at most ``limit`` passwords are evaluated, the rest get 429."""
    limit = 5
    hasher = CountingHasher(monkeypatch, 0.15)
    s = settings_for(db_url, login_max_per_account_address=limit, login_account_free_failures=1000)
    servers = [start_server(db_url, settings=s), start_server(db_url, settings=s)]
    try:
        answers = _burst([srv.url for srv in servers],
                         [{"username": ENTERPRISE_A, "password": f"wrong-{i}"} for i in range(40)])
    finally:
        for srv in servers:
            srv.stop()
    statuses = sorted(r.status_code for r in answers)
    FIGURES[f"limit_{backend}"] = (hasher.calls, limit, len(answers))
    print(f"\n[{backend}] 40 concurrent wrong passwords, limit {limit}: {hasher.calls} evaluated, "
          f"{statuses.count(401)}×401, {statuses.count(429)}×429")
    assert hasher.calls <= limit
    assert statuses.count(401) == hasher.calls and statuses.count(429) == len(answers) - hasher.calls
    for r in answers:
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1 and r.json()["error"]["code"] == "rate_limited"


# ---- 2. hashing is bounded per process -----------------------------------------------------

def test_hash_slots_come_from_the_memory_setting():
    assert HashGate(256, "production").slots == 4  # 64 MiB per Argon2id evaluation
    assert HashGate(100, "production").slots == 1
    assert HashGate(8, "production").slots == 1  # always at least one
    assert HashGate(3, "low").slots == 3


def test_concurrent_hashing_is_bounded_and_overflow_gets_503(db_url, backend, monkeypatch):
    slots = 2
    hasher = CountingHasher(monkeypatch, 0.6)
    # the "low" profile costs 1 MiB per hash; the sign-in limits are out of the way here
    s = settings_for(db_url, login_hash_memory_mib=slots, login_max_per_account_address=100,
                     login_account_free_failures=100)
    srv = start_server(db_url, settings=s)
    try:
        answers = _burst([srv.url], [{"username": ENTERPRISE_A, "password": PASSWORDS[ENTERPRISE_A]}] * 12)
        busy = [r for r in answers if r.status_code == 503]
        FIGURES[f"hash_{backend}"] = (hasher.peak, slots, len(busy))
        print(f"\n[{backend}] 12 concurrent sign-ins, {slots} hashing slots: peak {hasher.peak} concurrent "
              f"hashes, {len(busy)}×503, {sum(r.status_code == 200 for r in answers)}×200")
        assert hasher.peak <= slots
        assert busy, [r.status_code for r in answers]
        for r in busy:
            assert r.headers["Retry-After"] == "1" and r.json()["error"]["code"] == "unavailable"
        assert {r.status_code for r in answers} <= {200, 503}
        # attempts refused for want of a slot were not counted against the account
        with srv.db.read() as conn:
            counts = dict(conn.execute(sa.select(login_limits.c.scope_key, login_limits.c.count)).all())
        assert counts[f"account:{ENTERPRISE_A}"] == 0
    finally:
        srv.stop()


# ---- 3. strangers cannot lock an account out ---------------------------------------------------

def _client(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000), raise_server_exceptions=False)


def _login(c: TestClient, password: str):
    return c.post(LOGIN, json={"username": ENTERPRISE_A, "password": password})


def test_strangers_slow_an_account_down_but_never_lock_its_owner_out(db_url, backend):
    app = create_app(settings_for(db_url, login_max_per_account_address=10, login_max_per_address=50,
                                  login_account_free_failures=5, login_account_max_delay_seconds=60))
    db = app.state.db
    try:
        office, home = _client(app, "203.0.113.10"), _client(app, "198.51.100.7")
        attackers = [_client(app, f"192.0.2.{i}") for i in range(1, 5)]
        r = _login(office, PASSWORDS[ENTERPRISE_A])
        assert r.status_code == 200
        desktop = {"Authorization": f"Bearer {r.json()['token']}"}
        # the attackers know the (public) tax code and keep guessing from several addresses
        answers = []
        for round_ in range(12):
            for c in attackers:
                answers.append(_login(c, f"guess-{round_}").status_code)
                with db.write() as conn:  # let the account's delay pass at once
                    conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == f"account:{ENTERPRISE_A}")
                                 .values(not_before=None))
        assert answers.count(401) == 4 * 10 and answers.count(429) == 4 * 2  # 10 per (account, address)
        # the owner's desktop keeps its session
        assert office.get("/api/v1/catalog", headers=desktop).status_code == 200
        # one more guess puts the account in its delay; the owner signs in from the office anyway
        assert _login(attackers[0], "guess-x").status_code == 429  # that pair is at its limit
        assert _login(_client(app, "192.0.2.99"), "guess-y").status_code == 401
        r = _login(office, PASSWORDS[ENTERPRISE_A])
        assert r.status_code == 200, r.text
        # from an address the account never signed in from, the owner waits the delay, no more
        r = _login(home, PASSWORDS[ENTERPRISE_A])
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        with db.write() as conn:
            conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == f"account:{ENTERPRISE_A}")
                         .values(not_before=utcnow() - timedelta(seconds=1)))
        assert _login(home, PASSWORDS[ENTERPRISE_A]).status_code == 200
        # the attackers' addresses did not harm other accounts
        assert attackers[1].post(LOGIN, json={"username": VIEWER, "password": PASSWORDS[VIEWER]}).status_code == 200
    finally:
        db.dispose()


def test_the_account_delay_doubles_up_to_its_ceiling(db_url, backend):
    app = create_app(settings_for(db_url, login_account_free_failures=3, login_account_max_delay_seconds=8))
    db = app.state.db
    try:
        retry_after = []
        for i in range(8):
            c = _client(app, f"192.0.2.{i + 1}")
            r = _login(c, "wrong-password")
            assert r.status_code == 401
            r = _login(c, "wrong-password")  # at once: the account's delay is running
            retry_after.append(int(r.headers["Retry-After"]) if r.status_code == 429 else 0)
            with db.write() as conn:
                conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == f"account:{ENTERPRISE_A}")
                             .values(not_before=None))
        # failures 1 and 2 are free; the 3rd, 4th, 5th … are followed by 1, 2, 4, 8 (the ceiling) s
        assert retry_after == [0, 1, 2, 4, 8, 8, 8, 8]
    finally:
        db.dispose()
    assert LoginPolicy(account_free=5, account_max_delay=60).account_delay(100) == 60


def test_a_successful_sign_in_is_not_counted(db_url):
    app = create_app(settings_for(db_url, login_max_per_account_address=3))
    try:
        c = _client(app, "203.0.113.10")
        for _ in range(10):
            assert _login(c, PASSWORDS[ENTERPRISE_A]).status_code == 200
        for _ in range(2):
            assert _login(c, "wrong-password").status_code == 401
        assert _login(c, PASSWORDS[ENTERPRISE_A]).status_code == 200
    finally:
        app.state.db.dispose()


# ---- 4. sessions ----------------------------------------------------------------------------

def test_sessions_per_account_are_capped_oldest_first(db_url):
    app = create_app(settings_for(db_url, max_sessions_per_account=3))
    try:
        c = _client(app, "203.0.113.10")
        tokens = [_login(c, PASSWORDS[ENTERPRISE_A]).json()["token"] for _ in range(8)]
        with app.state.db.read() as conn:
            uid = conn.execute(sa.select(users.c.id).where(users.c.username == ENTERPRISE_A)).scalar_one()
            live = conn.execute(sa.select(sa.func.count()).select_from(sessions)
                                .where(sessions.c.user_id == uid)).scalar_one()
        assert live == 3
        codes = [c.get("/api/v1/catalog", headers={"Authorization": f"Bearer {t}"}).status_code for t in tokens]
        assert codes == [401] * 5 + [200] * 3
    finally:
        app.state.db.dispose()


def test_idle_sessions_end_and_used_ones_are_extended(db_url):
    app = create_app(settings_for(db_url, session_idle_seconds=600, token_ttl_seconds=3600))
    db = app.state.db
    try:
        c = _client(app, "203.0.113.10")
        r = _login(c, PASSWORDS[ENTERPRISE_A])
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        with db.read() as conn:
            deadline = conn.execute(sa.select(sessions.c.expires_at)).scalar_one()
        assert abs((deadline - utcnow()).total_seconds() - 600) < 30  # the idle deadline, not the lifetime
        # used 500 s after its last use: the deadline moves to 600 s from now
        with db.write() as conn:
            conn.execute(sa.update(sessions).values(expires_at=utcnow() + timedelta(seconds=100)))
        assert c.get("/api/v1/catalog", headers=h).status_code == 200
        with db.read() as conn:
            deadline = conn.execute(sa.select(sessions.c.expires_at)).scalar_one()
        assert abs((deadline - utcnow()).total_seconds() - 600) < 30
        # but never past the lifetime
        with db.write() as conn:
            conn.execute(sa.update(sessions).values(created_at=utcnow() - timedelta(seconds=3500),
                                                    expires_at=utcnow() + timedelta(seconds=5)))
        assert c.get("/api/v1/catalog", headers=h).status_code == 200
        with db.read() as conn:
            deadline = conn.execute(sa.select(sessions.c.expires_at)).scalar_one()
        assert (deadline - utcnow()).total_seconds() < 120
        # idle past the deadline: token_expired
        with db.write() as conn:
            conn.execute(sa.update(sessions).values(expires_at=utcnow() - timedelta(seconds=1)))
        r = c.get("/api/v1/catalog", headers=h)
        assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"
    finally:
        db.dispose()
