"""Typed request and response models (pydantic v2): the OpenAPI description comes from here.
Roles, submission states and report groupings are the enums of ``server.enums`` (their
values are the wire strings)."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from domain.text import nfc

from .enums import CaseState, Outcome, ReportGrouping, Role, SubmissionState


def _no_controls(value: str) -> str:
    """Text that reaches the database: NFC, and no NUL or other control characters
    (PostgreSQL refuses NUL in text; nothing a person types contains them)."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value) or "\x7f" in value:
        raise ValueError("contains control characters")
    return nfc(value)


Text = Annotated[str, AfterValidator(_no_controls)]

Kind = Literal["assessment", "reflection", "business_info", "inventory", "case_feedback"]
TargetKindT = Literal["branch", "team", "stage", "official"]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class HealthOut(BaseModel):
    ok: bool
    version: str
    database: Literal["sqlite", "postgresql"]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    username: Text = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginOut(BaseModel):
    token: str
    expires_at: str
    role: Role
    tax_code: str | None
    display_name: str


class UserIn(BaseModel):
    username: Text = Field(min_length=1, max_length=64,
                          description="the tax code for an enterprise; a plain login for staff")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    display_name: Text = Field(min_length=1, max_length=300)


class UserPatch(BaseModel):
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)
    display_name: Text | None = Field(default=None, min_length=1, max_length=300)


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    display_name: str
    tax_code: str | None
    active: bool
    created_at: str


class UsersPage(BaseModel):
    items: list[UserOut]


# ---- catalog ----
class BranchOut(BaseModel):
    code: str
    name: str


class TeamOut(BaseModel):
    code: str
    name: str
    branch: str | None


class StageOut(BaseModel):
    code: str
    name: str


class OfficialOut(BaseModel):
    code: str
    name: str
    team: str | None


class ReasonOut(BaseModel):
    code: str
    name: str
    name_en: str


class ReasonsOut(BaseModel):
    satisfied: list[ReasonOut]
    dissatisfied: list[ReasonOut]


class CatalogOut(BaseModel):
    version: str
    branches: list[BranchOut]
    teams: list[TeamOut]
    stages: list[StageOut]
    officials: list[OfficialOut]
    reasons: ReasonsOut


class CatalogTargetIn(BaseModel):
    kind: TargetKindT
    code: Text = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: Text = Field(min_length=1, max_length=300)
    parent: Text | None = Field(default=None, max_length=40)
    active: bool = True


class CatalogUpdateIn(BaseModel):
    targets: list[CatalogTargetIn] = Field(min_length=1, max_length=5000)


# ---- declarations ----
class HandlingOut(BaseModel):
    kind: TargetKindT
    code: str
    name: str


class DeclarationOut(BaseModel):
    number: str
    office_code: str
    type_code: str
    registered_at: str
    status: str
    channel: int | None
    cleared_at: str | None
    updated_at: str
    partner: str | None = None
    total_value: float | None = None
    currency: str | None = None
    handling: list[HandlingOut]


class DeclarationsPage(BaseModel):
    items: list[DeclarationOut]
    next_cursor: str | None
    has_more: bool


class HandlingIn(BaseModel):
    kind: TargetKindT
    code: Text = Field(min_length=1, max_length=40)


class DeclarationIn(BaseModel):
    """What the clearance system reports about a declaration (admin stand-in)."""
    owner_tax_code: Text = Field(min_length=10, max_length=14)
    office_code: Text = Field(min_length=1, max_length=8)
    type_code: Text = Field(min_length=3, max_length=4)
    registered_at: Text = Field(max_length=40)
    status: Literal["new", "channeled", "released", "preservation", "cleared", "cancelled"]
    channel: Literal[1, 2, 3] | None = None
    cleared_at: Text | None = Field(default=None, max_length=40)
    partner: Text | None = Field(default=None, max_length=300)
    total_value: float | None = Field(default=None, ge=0, le=1e15)
    currency: Text | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    handling: list[HandlingIn] = Field(default_factory=list, max_length=100)


# ---- submissions ----
class BatchItemIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")
    id: str = Field(pattern=UUID_PATTERN, description="client-generated UUID: identity and idempotency key")
    kind: Kind
    schema_: int = Field(alias="schema", ge=1, le=1_000_000)
    created_at: str | None = Field(default=None, max_length=40, description="informative; kept when ISO 8601")
    payload: dict[str, Any]


class BatchIn(BaseModel):
    items: list[BatchItemIn] = Field(min_length=1, max_length=500)


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ItemResult(BaseModel):
    id: str
    status: Literal["accepted", "duplicate", "rejected"]
    http_status: int
    code: str | None = None
    message: str | None = None
    details: list[FieldErrorOut] | None = None
    server_ref: str | None = None
    received_at: str | None = None


class BatchOut(BaseModel):
    results: list[ItemResult]


class CaseStatus(BaseModel):
    """Customs' case about a reflection or a low rating, as the enterprise tracks it."""
    state: CaseState
    answer_due: str = Field(description="ISO 8601 with offset")
    answered_at: str | None
    outcome: Outcome | None
    can_reopen: bool = Field(description="answered and not reopened yet: the enterprise may reopen it once")


class SubmissionStatus(BaseModel):
    id: str
    kind: Kind
    server_ref: str
    declaration_number: str | None
    received_at: str
    state: SubmissionState
    verified: bool | None
    outcome: str | None
    answer: str | None
    answered_at: str | None
    updated_at: str
    payload: dict[str, Any] | None = Field(
        default=None, description="the submission as stored (normal form): every workstation of the "
                                  "enterprise can show what was sent")
    case: CaseStatus | None = Field(default=None, description="null for a submission without a case")


class SubmissionsPage(BaseModel):
    items: list[SubmissionStatus]
    next_cursor: str | None
    has_more: bool


# ---- processing ----
class InboxItem(BaseModel):
    server_ref: str
    id: str
    kind: Kind
    tax_code: str
    enterprise: str | None
    declaration_number: str | None
    lowest_stars: int | None
    payload: dict[str, Any]
    received_at: str
    state: SubmissionState
    verified: bool | None
    outcome: str | None
    answer: str | None
    answered_at: str | None


class InboxPage(BaseModel):
    items: list[InboxItem]
    total_open: int
    next_cursor: str | None
    has_more: bool


class AnswerIn(BaseModel):
    verified: bool | None = Field(description="true: the facts were confirmed; false: not confirmed")
    outcome: Text = Field(min_length=1, max_length=500)
    answer: Text = Field(min_length=1, max_length=4000)


# ---- reports ----
class ReportGroup(BaseModel):
    kind: ReportGrouping
    code: str
    name: str
    total: int
    satisfied_or_above: int
    percent_satisfied: float | None
    by_level: dict[str, int]


class ReportOut(BaseModel):
    from_: str | None = Field(alias="from")
    to: str | None
    group_by: ReportGrouping
    branch: str | None
    total: int
    satisfied_or_above: int
    percent_satisfied: float | None
    by_level: dict[str, int]
    assessments: int
    groups: list[ReportGroup]
    model_config = ConfigDict(populate_by_name=True)
