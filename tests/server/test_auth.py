"""Sign-in, sessions, rate limits and the error body shape."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server.schema import sessions
from server.timeutil import utcnow

from .conftest import ADMIN, ENTERPRISE_A, PASSWORDS, PROCESSOR, VIEWER, settings_for


def _error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


def test_health_names_the_database(api, backend):
    r = api.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["ok"] is True and r.json()["database"] == backend


def test_openapi_description_is_served(api):
    doc = api.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/auth/login", "/api/v1/catalog", "/api/v1/declarations", "/api/v1/submissions/batch",
                 "/api/v1/submissions", "/api/v1/inbox", "/api/v1/inbox/{server_ref}/answer",
                 "/api/v1/reports/satisfaction", "/api/v1/users"):
        assert path in doc["paths"], path


OPERATION_IDS = {
    ("get", "/api/v1/health"): "health_api_v1_health_get",
    ("post", "/api/v1/auth/login"): "login_api_v1_auth_login_post",
    ("post", "/api/v1/auth/logout"): "logout_api_v1_auth_logout_post",
    ("post", "/api/v1/users"): "add_user_api_v1_users_post",
    ("get", "/api/v1/users"): "list_users_api_v1_users_get",
    ("patch", "/api/v1/users/{username}"): "patch_user_api_v1_users__username__patch",
    ("get", "/api/v1/catalog"): "get_catalog_api_v1_catalog_get",
    ("put", "/api/v1/catalog"): "put_catalog_api_v1_catalog_put",
    ("get", "/api/v1/declarations"): "list_declarations_api_v1_declarations_get",
    ("put", "/api/v1/declarations/{number}"): "put_declaration_api_v1_declarations__number__put",
    ("post", "/api/v1/submissions/batch"): "post_batch_api_v1_submissions_batch_post",
    ("get", "/api/v1/submissions"): "list_submissions_api_v1_submissions_get",
    ("get", "/api/v1/inbox"): "inbox_api_v1_inbox_get",
    ("get", "/api/v1/inbox/{server_ref}"): "inbox_item_api_v1_inbox__server_ref__get",
    ("post", "/api/v1/inbox/{server_ref}/review"): "start_review_api_v1_inbox__server_ref__review_post",
    ("post", "/api/v1/inbox/{server_ref}/answer"): "answer_api_v1_inbox__server_ref__answer_post",
    ("get", "/api/v1/reports/satisfaction"): "satisfaction_report_api_v1_reports_satisfaction_get",
    ("get", "/api/v1/codes"): "codes_api_v1_codes_get",
    # case handling (server/api/cases.py, templates.py, holidays.py, staff.py)
    ("get", "/api/v1/cases"): "list_cases_api_v1_cases_get",
    ("get", "/api/v1/cases/{case_id}"): "get_case_api_v1_cases__case_id__get",
    ("post", "/api/v1/cases/{case_id}/take"): "take_case_api_v1_cases__case_id__take_post",
    ("post", "/api/v1/cases/{case_id}/assign"): "assign_case_api_v1_cases__case_id__assign_post",
    ("post", "/api/v1/cases/{case_id}/review"): "review_case_api_v1_cases__case_id__review_post",
    ("post", "/api/v1/cases/{case_id}/notes"): "note_case_api_v1_cases__case_id__notes_post",
    ("post", "/api/v1/cases/{case_id}/answer"): "answer_case_api_v1_cases__case_id__answer_post",
    ("post", "/api/v1/cases/{case_id}/close"): "close_case_api_v1_cases__case_id__close_post",
    ("get", "/api/v1/alerts"): "list_alerts_api_v1_alerts_get",
    ("post", "/api/v1/alerts/read"): "read_alerts_api_v1_alerts_read_post",
    ("get", "/api/v1/templates"): "list_templates_api_v1_templates_get",
    ("post", "/api/v1/templates"): "create_template_api_v1_templates_post",
    ("put", "/api/v1/templates/{template_id}"): "update_template_api_v1_templates__template_id__put",
    ("delete", "/api/v1/templates/{template_id}"): "delete_template_api_v1_templates__template_id__delete",
    ("get", "/api/v1/holidays"): "list_holidays_api_v1_holidays_get",
    ("put", "/api/v1/holidays"): "replace_holidays_api_v1_holidays_put",
    ("get", "/api/v1/case-settings"): "get_case_settings_api_v1_case_settings_get",
    ("put", "/api/v1/case-settings"): "put_case_settings_api_v1_case_settings_put",
    ("get", "/api/v1/mail-settings"): "get_mail_settings_api_v1_mail_settings_get",
    ("put", "/api/v1/mail-settings"): "put_mail_settings_api_v1_mail_settings_put",
    ("get", "/api/v1/staff"): "list_staff_api_v1_staff_get",
    ("patch", "/api/v1/staff/{username}"): "update_staff_api_v1_staff__username__patch",
}


def _enum(doc: dict, schema: dict) -> list:
    """The values a schema allows, through ``$ref``, ``anyOf`` (optional values) and ``allOf``."""
    if "$ref" in schema:
        return _enum(doc, doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    for key in ("anyOf", "allOf"):
        if key in schema:
            return [v for s in schema[key] for v in _enum(doc, s)]
    return list(schema.get("enum", []))


def test_openapi_keeps_operations_and_wire_values(api):
    """Clients depend on the operation ids and on the exact strings of roles, states and
    report groupings."""
    doc = api.get("/api/v1/openapi.json").json()
    found = {(method, path): op["operationId"] for path, ops in doc["paths"].items() for method, op in ops.items()}
    # every published operation keeps its method, path and id (new ones may be added)
    assert {key: found.get(key) for key in OPERATION_IDS} == OPERATION_IDS
    assert len(set(found.values())) == len(found)
    schemas = doc["components"]["schemas"]
    roles = ["enterprise", "processor", "viewer", "admin", "supervisor"]
    for model in ("LoginOut", "UserIn", "UserOut"):
        assert _enum(doc, schemas[model]["properties"]["role"]) == roles, model
    for model in ("SubmissionStatus", "InboxItem"):
        assert _enum(doc, schemas[model]["properties"]["state"]) == ["received", "in_review", "answered"], model

    def param(path: str, name: str) -> dict:
        return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)

    assert _enum(doc, param("/api/v1/users", "role")["schema"]) == roles
    inbox_state = param("/api/v1/inbox", "state")["schema"]
    assert _enum(doc, inbox_state) == ["open", "answered", "all"] and inbox_state["default"] == "open"
    group_by = param("/api/v1/reports/satisfaction", "group_by")["schema"]
    assert _enum(doc, group_by) == ["none", "branch", "team", "stage", "official", "month", "day"]
    assert group_by["default"] == "none"


def test_login_for_every_role(api):
    for username, role in ((ENTERPRISE_A, "enterprise"), (PROCESSOR, "processor"), (VIEWER, "viewer"),
                           (ADMIN, "admin")):
        r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORDS[username]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["role"] == role
        assert len(body["token"]) >= 32
        assert body["expires_at"].endswith("+07:00")
        assert body["tax_code"] == (ENTERPRISE_A if role == "enterprise" else None)


def test_tax_code_username_is_normalised(api):
    spaced = f"{ENTERPRISE_A[:4]} {ENTERPRISE_A[4:]}"
    r = api.post("/api/v1/auth/login", json={"username": spaced, "password": PASSWORDS[ENTERPRISE_A]})
    assert r.status_code == 200


def test_wrong_password_and_unknown_user_look_the_same(api):
    a = _error(api.post("/api/v1/auth/login", json={"username": ENTERPRISE_A, "password": "wrong-password"}),
               401, "unauthorized")
    b = _error(api.post("/api/v1/auth/login", json={"username": "0100109106", "password": "wrong-password"}),
               401, "unauthorized")
    assert a["error"]["message"] == b["error"]["message"]


def test_token_is_stored_only_as_a_hash(api, app):
    token = api.login(ENTERPRISE_A)
    with app.state.db.read() as conn:
        stored = conn.execute(sa.select(sessions.c.token_hash)).scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_no_token_garbage_token_and_logout(api):
    _error(api.get("/api/v1/catalog"), 401, "unauthorized")
    _error(api.get("/api/v1/catalog", headers={"Authorization": "Bearer nonsense"}), 401, "unauthorized")
    _error(api.get("/api/v1/catalog", headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    token = api.login(ENTERPRISE_A)
    h = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/catalog", headers=h).status_code == 200
    assert api.post("/api/v1/auth/logout", headers=h).status_code == 204
    _error(api.get("/api/v1/catalog", headers=h), 401, "unauthorized")


def test_expired_token(api, app):
    token = api.login(ENTERPRISE_A)
    with app.state.db.write() as conn:
        conn.execute(sa.update(sessions).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = api.get("/api/v1/declarations", headers={"Authorization": f"Bearer {token}"})
    _error(r, 401, "token_expired")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_rate_limit_per_account(db_url):
    from fastapi.testclient import TestClient

    from server.app import create_app

    app = create_app(settings_for(db_url, login_max_per_account_address=3, login_max_per_address=100))
    try:
        with TestClient(app) as c:
            for _ in range(3):
                assert c.post("/api/v1/auth/login", json={"username": ENTERPRISE_A, "password": "bad"}).status_code == 401
            r = c.post("/api/v1/auth/login", json={"username": ENTERPRISE_A, "password": PASSWORDS[ENTERPRISE_A]})
            _error(r, 429, "rate_limited")
            assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60 + 1
            # another account from the same address is not affected
            assert c.post("/api/v1/auth/login", json={"username": PROCESSOR, "password": PASSWORDS[PROCESSOR]}
                          ).status_code == 200
    finally:
        app.state.db.dispose()


def test_rate_limit_per_address(db_url):
    from fastapi.testclient import TestClient

    from server.app import create_app

    app = create_app(settings_for(db_url, login_max_per_account_address=100, login_max_per_address=4))
    try:
        with TestClient(app) as c:
            for name in ("a1", "a2", "a3", "a4"):
                assert c.post("/api/v1/auth/login", json={"username": name + "xx", "password": "bad"}).status_code == 401
            r = c.post("/api/v1/auth/login", json={"username": VIEWER, "password": PASSWORDS[VIEWER]})
            _error(r, 429, "rate_limited")
            assert int(r.headers["Retry-After"]) >= 1
    finally:
        app.state.db.dispose()


def test_error_bodies_for_common_4xx(api):
    _error(api.get("/api/v1/no-such-thing"), 404, "not_found")
    _error(api.client.delete("/api/v1/health"), 405, "method_not_allowed")
    r = api.client.post("/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"})
    _error(r, 400, "bad_request")
    body = _error(api.post("/api/v1/auth/login", json={"username": ""}), 422, "validation_error")
    assert body["error"]["details"]


def test_admin_creates_accounts(api):
    r = api.post("/api/v1/users", ADMIN, json={"username": "0100109106", "password": "mat-khau-dai-1",
                                               "role": "enterprise", "display_name": "Công ty Sông Hồng"})
    assert r.status_code == 201, r.text
    assert r.json()["tax_code"] == "0100109106"
    assert api.post("/api/v1/auth/login", json={"username": "0100109106", "password": "mat-khau-dai-1"}
                    ).status_code == 200
    # a tax code with a wrong check digit is refused
    _error(api.post("/api/v1/users", ADMIN, json={"username": "0100109107", "password": "mat-khau-dai-1",
                                                  "role": "enterprise", "display_name": "X"}), 422, "validation_error")
    _error(api.post("/api/v1/users", ADMIN, json={"username": "0100109106", "password": "mat-khau-dai-1",
                                                  "role": "enterprise", "display_name": "X"}), 409, "conflict")
    r = api.post("/api/v1/users", ADMIN, json={"username": "xuly2", "password": "mat-khau-dai-1",
                                               "role": "processor", "display_name": "Đỗ Thu Trang"})
    assert r.status_code == 201 and r.json()["tax_code"] is None
    names = [u["username"] for u in api.get("/api/v1/users", ADMIN).json()["items"]]
    assert "xuly2" in names and ENTERPRISE_A in names


def test_admin_disables_and_resets_accounts(api):
    token = api.login(ENTERPRISE_A)
    h = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/catalog", headers=h).status_code == 200
    r = api.client.patch(f"/api/v1/users/{ENTERPRISE_A}", headers=api.headers(ADMIN), json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    _error(api.get("/api/v1/catalog", headers=h), 401, "unauthorized")  # open sessions closed
    _error(api.post("/api/v1/auth/login", json={"username": ENTERPRISE_A, "password": PASSWORDS[ENTERPRISE_A]}),
           401, "unauthorized")
    r = api.client.patch(f"/api/v1/users/{ENTERPRISE_A}", headers=api.headers(ADMIN),
                         json={"active": True, "password": "mat-khau-moi-2026"})
    assert r.status_code == 200 and r.json()["active"] is True
    assert api.post("/api/v1/auth/login", json={"username": ENTERPRISE_A, "password": "mat-khau-moi-2026"}
                    ).status_code == 200
    _error(api.client.patch("/api/v1/users/0100109106", headers=api.headers(ADMIN), json={"active": False}),
           404, "not_found")
    _error(api.client.patch(f"/api/v1/users/{ADMIN}", headers=api.headers(ADMIN), json={"active": False}),
           422, "validation_error")
    _error(api.client.patch(f"/api/v1/users/{VIEWER}", headers=api.headers(PROCESSOR), json={"active": False}),
           403, "forbidden")


def test_look_alike_tax_codes_are_not_new_accounts(api):
    """Full-width digits are the same account (NFKC); other digit systems are refused: only
    ASCII digits are ever stored as a tax code."""
    full_width = "".join(chr(0xFF10 + int(d)) for d in ENTERPRISE_A)
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in ENTERPRISE_A)
    body = {"password": "mat-khau-dai-1", "role": "enterprise", "display_name": "X"}
    _error(api.post("/api/v1/users", ADMIN, json={"username": full_width, **body}), 409, "conflict")
    _error(api.post("/api/v1/users", ADMIN, json={"username": arabic_indic, **body}), 422, "validation_error")
    r = api.post("/api/v1/users", ADMIN, json={"username": "0312-945656", **body})
    assert r.status_code == 201 and r.json()["username"] == "0312945656"
    names = [u["username"] for u in api.get("/api/v1/users", ADMIN).json()["items"]]
    assert all(n.isascii() for n in names)
    r = api.post("/api/v1/auth/login", json={"username": full_width, "password": PASSWORDS[ENTERPRISE_A]})
    assert r.status_code == 200 and r.json()["tax_code"] == ENTERPRISE_A
