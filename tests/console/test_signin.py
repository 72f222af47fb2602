"""Console sign-in, sessions, cookies, CSRF and the language switch."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from domain.demo import DEMO_ENTERPRISE
from server.console import auth
from server.schema import sessions
from server.timeutil import utcnow


def _cookie_header(response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(name + "=")]
    assert found, f"no {name} cookie set"
    return found[-1]


def _signed_in(console) -> bool:
    r = console.client.get("/console", follow_redirects=False)
    return r.status_code == 303 and r.headers["location"] == "/console/inbox"


def test_pages_need_a_session_and_send_back_to_the_sign_in(console):
    for path in ("/console/inbox", "/console/cases/1", "/console/templates", "/console/calendar",
                 "/console/alerts"):
        r = console.client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/console?next="), path
    r = console.client.get("/console/inbox", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 401 and r.headers["hx-redirect"] == "/console"


def test_sign_in_page_is_vietnamese_by_default_with_labelled_fields(console):
    r = console.client.get("/console")
    assert r.status_code == 200
    assert '<html lang="vi">' in r.text
    assert "Đăng nhập bảng điều khiển hải quan" in r.text
    assert '<label for="username">Tên đăng nhập</label>' in r.text
    assert '<label for="password">Mật khẩu</label>' in r.text


def test_staff_sign_in_sets_a_strict_http_only_cookie_and_opens_the_inbox(console):
    r = console.sign_in("xuly")
    assert r.status_code == 303 and r.headers["location"] == "/console/inbox"
    cookie = _cookie_header(r, auth.COOKIE).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    assert _signed_in(console)


def test_cookie_is_secure_over_tls(make_console):
    console = make_console("https://testserver")
    r = console.sign_in("xuly")
    assert r.status_code == 303
    cookie = _cookie_header(r, auth.COOKIE).lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_enterprise_cannot_sign_in_and_reads_the_wrong_password_message(console):
    wrong = console.sign_in("xuly", "not-the-password")
    enterprise = console.sign_in(DEMO_ENTERPRISE.tax_code)
    assert wrong.status_code == enterprise.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in enterprise.text
    assert "Sai tên đăng nhập hoặc mật khẩu." in wrong.text
    assert auth.COOKIE not in console.client.cookies
    assert not _signed_in(console)


def test_sign_in_counts_under_the_api_sign_in_limits(app, console):
    statuses = [console.sign_in("baocao", "wrong-password-x").status_code for _ in range(11)]
    assert statuses[0] == 401 and statuses[-1] == 429  # the same limits as the API's sign-in
    r = console.sign_in("baocao")  # the right password, but the limit is reached: not even evaluated
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "Đăng nhập sai quá nhiều lần" in r.text


def test_sign_in_without_its_form_token_is_refused(console):
    console.client.get("/console")
    r = console.client.post("/console/sign-in", data={"username": "xuly", "password": "demo-xuly-2020"},
                            follow_redirects=False)
    assert r.status_code == 403
    assert "Biểu mẫu đã hết hạn" in r.text
    r = console.client.post("/console/sign-in", data={"username": "xuly", "password": "demo-xuly-2020",
                                                      "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_sign_in_rotates_the_session(app, console):
    console.signed_in("xuly")
    first = console.client.cookies.get(auth.COOKIE)
    console.signed_in("xuly")
    second = console.client.cookies.get(auth.COOKIE)
    assert first and second and first != second
    with app.state.db.read() as conn:
        hashes = set(conn.execute(sa.select(sessions.c.token_hash)).scalars())
    assert auth.console_hash(second) in hashes
    assert auth.console_hash(first) not in hashes  # the old session was ended, not left behind


def test_sign_out_ends_the_session(app, console):
    console.signed_in("xuly")
    token = console.client.cookies.get(auth.COOKIE)
    # without the CSRF token: refused, still signed in
    r = console.client.post("/console/sign-out", follow_redirects=False)
    assert r.status_code == 403 and _signed_in(console)
    r = console.client.post("/console/sign-out", data={"csrf": auth.csrf_for(token)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console?out=1"
    with app.state.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sessions)
                            .where(sessions.c.token_hash == auth.console_hash(token))).scalar_one() == 0
    console.client.cookies.set(auth.COOKIE, token, path="/console")  # replaying the old cookie
    assert not _signed_in(console)


def test_a_session_ends_when_idle_and_at_its_lifetime(app, settings, console):
    start = utcnow()
    auth.set_clock(lambda: start)
    console.signed_in("xuly")
    # used within the idle timeout: still open, and the idle deadline moves on
    auth.set_clock(lambda: start + timedelta(seconds=settings.session_idle_seconds - 60))
    assert _signed_in(console)
    auth.set_clock(lambda: start + timedelta(seconds=2 * settings.session_idle_seconds - 120))
    assert _signed_in(console)
    # idle for longer than the timeout: ended
    auth.set_clock(lambda: start + timedelta(seconds=3 * settings.session_idle_seconds))
    r = console.client.get("/console/inbox", follow_redirects=False)
    assert r.status_code == 303 and "ended=1" in r.headers["location"]
    assert "Phiên làm việc đã kết thúc" in console.client.get(r.headers["location"]).text
    # lifetime: even a session in constant use ends token_ttl_seconds after sign-in
    auth.set_clock(lambda: start)
    console.signed_in("xuly")
    step = settings.session_idle_seconds // 2
    t = 0
    while t + step < settings.token_ttl_seconds:
        t += step
        auth.set_clock(lambda t=t: start + timedelta(seconds=t))
        assert _signed_in(console)
    auth.set_clock(lambda: start + timedelta(seconds=settings.token_ttl_seconds + 1))
    assert not _signed_in(console)


def test_console_cookie_and_api_token_are_not_interchangeable(console):
    console.signed_in("xuly")
    cookie_token = console.client.cookies.get(auth.COOKIE)
    r = console.client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {cookie_token}"})
    assert r.status_code == 401
    api_token = console.client.post("/api/v1/auth/login",
                                    json={"username": "xuly", "password": "demo-xuly-2020"}).json()["token"]
    console.client.cookies.clear()
    console.client.cookies.set(auth.COOKIE, api_token, path="/console")
    assert not _signed_in(console)


def test_language_switch_is_a_cookie_and_never_leaves_the_console(console):
    r = console.client.get("/console/lang/en?next=/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console"
    assert "samesite=strict" in _cookie_header(r, auth.LANG_COOKIE).lower()
    page = console.client.get("/console")
    assert '<html lang="en">' in page.text and "Sign in to the customs console" in page.text
    for evil in ("https://evil.example/", "//evil.example/x", "/console/../api", "/\\evil.example"):
        r = console.client.get("/console/lang/vi", params={"next": evil}, follow_redirects=False)
        assert r.headers["location"].startswith("/console"), evil
        assert "evil" not in r.headers["location"]
    assert '<html lang="vi">' in console.client.get("/console").text


def test_console_pages_allow_only_their_own_scripts_and_forms_to_themselves(console):
    r = console.client.get("/console")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "sha256" not in csp and "unsafe" not in csp
    assert "form-action 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text and " style=" not in r.text
