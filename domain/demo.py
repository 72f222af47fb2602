"""A deterministic demo world: enterprises, the customs catalog and declarations.

The desktop's demo database and the server's ``seed-demo`` both come from here, so the
declarations a demo user sees locally are exactly the ones the demo server knows, with the
same handling records. Everything is a pure function of a seed:

* ``iter_declarations(seed, count)`` yields rows in a fixed order; the first ``n`` rows are
  the same whatever ``count`` is (a sequential random stream consumed row by row).
* ``handling_for(number, office, channel, status)`` derives, from the declaration number
  alone, which team, stages and officials of the branch handled it.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterator

from .codes import CHANNELS, EXPORT, IMPORT, NUMBER_PREFIX, OFFICES, TYPE_CODES, Status, TargetKind
from .validation import make_tax_code

DEFAULT_SEED = 2020
DEMO_COUNT = 3000  # declarations in the default demo (desktop --demo and server seed-demo)
DEMO_END = datetime(2026, 11, 20, 17, 0)  # the demo world's "now"
DEMO_START = datetime(2022, 1, 4, 7, 30)


# ---- Enterprises ----------------------------------------------------------------------

@dataclass(frozen=True)
class Enterprise:
    tax_code: str
    name: str
    address: str
    password: str  # demo password only: real ones live in the OS credential store


def _tax(nine: str) -> str:
    code = make_tax_code(nine)
    assert code is not None, nine
    return code


DEMO_ENTERPRISE = Enterprise(
    tax_code=_tax("020012345"),
    name="Công ty TNHH Xuất nhập khẩu Hải Long",
    address="Số 12 Lê Hồng Phong, Ngô Quyền, Hải Phòng",
    password="demo-hailong-2020",
)
OTHER_ENTERPRISE = Enterprise(
    tax_code=_tax("020098765"),
    name="Công ty Cổ phần Logistics Đình Vũ",
    address="Khu kinh tế Đình Vũ, Hải An, Hải Phòng",
    password="demo-dinhvu-2020",
)
ENTERPRISES = (DEMO_ENTERPRISE, OTHER_ENTERPRISE)

# Demo customs staff: (username, full name, role, password)
DEMO_STAFF = (
    ("xuly", "Nguyễn Thu Hà", "processor", "demo-xuly-2020"),
    ("baocao", "Trần Minh Đức", "viewer", "demo-baocao-2020"),
    ("quantri", "Lê Văn Sơn", "admin", "demo-quantri-2020"),
)


# ---- Catalog: branches -> teams; stages; officials ------------------------------------

TEAM_TEMPLATES = (
    ("TT", "Đội Thủ tục hàng hóa xuất nhập khẩu"),
    ("KT", "Đội Kiểm tra thực tế hàng hóa"),
    ("GS", "Đội Giám sát hải quan"),
)
STAGES = (
    ("TN", "Tiếp nhận, đăng ký tờ khai"),
    ("KH", "Kiểm tra hồ sơ"),
    ("KTT", "Kiểm tra thực tế hàng hóa"),
    ("THU", "Thu thuế, lệ phí"),
    ("GSH", "Giám sát, giải phóng hàng"),
)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quang", "Ngọc")
_GIVEN = ("An", "Bình", "Hà", "Hương", "Lan", "Nam", "Sơn", "Tuấn", "Trang", "Dũng", "Hải", "Yến")
OFFICIALS_PER_TEAM = 4


@dataclass(frozen=True)
class Target:
    kind: str  # TargetKind value
    code: str
    name: str
    parent: str | None = None  # team -> branch code; official -> team code


@dataclass
class Catalog:
    branches: list[Target] = field(default_factory=list)
    teams: list[Target] = field(default_factory=list)
    stages: list[Target] = field(default_factory=list)
    officials: list[Target] = field(default_factory=list)

    def all(self) -> list[Target]:
        return self.branches + self.teams + self.stages + self.officials

    def by_key(self) -> dict[tuple[str, str], Target]:
        return {(t.kind, t.code): t for t in self.all()}


def build_catalog() -> Catalog:
    cat = Catalog()
    n = 0
    for office in OFFICES.values():
        cat.branches.append(Target(TargetKind.BRANCH.value, office.code, office.vi))
        for team_code, team_name in TEAM_TEMPLATES:
            tcode = f"{office.code}-{team_code}"
            cat.teams.append(Target(TargetKind.TEAM.value, tcode, team_name, office.code))
            for k in range(OFFICIALS_PER_TEAM):
                name = f"{_FAMILY[n % 10]} {_MIDDLE[(n // 10) % 8]} {_GIVEN[(n * 7 + k) % 12]}"
                cat.officials.append(Target(TargetKind.OFFICIAL.value, f"{office.code}{n:04d}", name, tcode))
                n += 1
    cat.stages = [Target(TargetKind.STAGE.value, c, name) for c, name in STAGES]
    return cat


def _h(number: str, salt: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{salt}:{number}".encode(), digest_size=8).digest(), "big")


def handling_for(number: str, office: str, channel: int | None, status: str,
                 catalog: Catalog | None = None) -> list[Target]:
    """The branch, team, stages and officials that handled a declaration.

    Derived from the number, so the desktop and the server agree without exchanging it;
    in production the server's declarations feed is the source of truth.
    """
    if channel not in CHANNELS or status in (Status.NEW.value, Status.CANCELLED.value):
        return []
    cat = catalog or _CATALOG
    branch = next(t for t in cat.branches if t.code == office)
    stages = ["TN"]
    if channel >= 2:
        stages.append("KH")
    if channel == 3:
        stages.append("KTT")
    if status != Status.CHANNELED.value:
        stages += ["THU", "GSH"]
    team_code = f"{office}-{'KT' if channel == 3 else 'TT'}"
    team = next(t for t in cat.teams if t.code == team_code)
    team_officials = [o for o in cat.officials if o.parent == team_code]
    first = _h(number, "official") % len(team_officials)
    officials = [team_officials[first]]
    if channel >= 2:
        officials.append(team_officials[(first + 1 + _h(number, "second") % (len(team_officials) - 1)) % len(team_officials)])
    stage_targets = [t for t in cat.stages if t.code in stages]
    return [branch, team, *stage_targets, *officials]


_CATALOG = build_catalog()


# ---- Declarations ---------------------------------------------------------------------

_PARTNERS = (
    "SAMSUNG ELECTRONICS CO., LTD", "LG DISPLAY CO., LTD", "FOXCONN INTERCONNECT TECHNOLOGY",
    "KYOCERA DOCUMENT SOLUTIONS INC", "BRIDGESTONE CORPORATION", "NITTO DENKO CORPORATION",
    "SHENZHEN HUAXING TRADING CO., LTD", "GUANGZHOU YUEXIU IMPORT EXPORT", "POSCO INTERNATIONAL",
    "MITSUI & CO., LTD", "TOYOTA TSUSHO CORPORATION", "SUMITOMO CORPORATION",
    "OLAM INTERNATIONAL LIMITED", "CARGILL ASIA PACIFIC", "BASF SOUTH EAST ASIA PTE LTD",
    "YAZAKI EDS VIETNAM", "HYOSUNG TNC CORPORATION", "WALMART GLOBAL SOURCING",
    "IKEA SUPPLY AG", "DECATHLON INTERNATIONAL", "NIKE GLOBAL TRADING B.V.", "ADIDAS SOURCING LTD",
    "UNIQLO CO., LTD", "PANASONIC APPLIANCES ASIA", "CANON PRINTING VIETNAM",
)
_TRANSPORT = ("1", "2", "3", "4", "5", "9")  # air, sea (container), sea (bulk), road, rail, other
_TYPE_BY_DIR = {
    IMPORT: [c for c, (d, _, _) in TYPE_CODES.items() if d == IMPORT],
    EXPORT: [c for c, (d, _, _) in TYPE_CODES.items() if d == EXPORT],
}
_OFFICE_CODES = list(OFFICES)
_SPAN_SECONDS = int((DEMO_END - DEMO_START).total_seconds())
_RECENT_SECONDS = 14 * 86400
_SEQ_STRIDE = 7919  # coprime with 10**9: declaration numbers never repeat


@dataclass(frozen=True)
class Declaration:
    number: str
    first_number: str | None  # "Số tờ khai đầu tiên" for split declarations
    branch_index: int  # "Số nhánh" (0 when not split)
    branch_total: int  # "Tổng số tờ khai chia nhánh"
    registered_at: datetime
    office_code: str
    type_code: str
    direction: str
    partner: str
    transport: str
    bill_of_lading: str
    invoice_no: str
    invoice_value: float  # USD
    tax_total: int  # VND
    status: str
    channel: int | None
    cleared_at: datetime | None
    note: str
    owner_tax_code: str


def _status_for(rng: random.Random, age_days: float) -> tuple[str, bool]:
    """Return (status, has_channel) for a declaration registered ``age_days`` ago."""
    r = rng.random()
    if age_days < 1:
        table = ((0.25, Status.NEW), (0.60, Status.CHANNELED), (0.75, Status.RELEASED), (1.0, Status.CLEARED))
    elif age_days < 7:
        table = ((0.03, Status.NEW), (0.15, Status.CHANNELED), (0.30, Status.RELEASED),
                 (0.38, Status.PRESERVATION), (0.97, Status.CLEARED), (1.0, Status.CANCELLED))
    else:
        table = ((0.02, Status.RELEASED), (0.05, Status.PRESERVATION), (0.97, Status.CLEARED), (1.0, Status.CANCELLED))
    for limit, status in table:
        if r < limit:
            return status.value, status is not Status.NEW
    return Status.CLEARED.value, True


def iter_declarations(seed: int = DEFAULT_SEED, count: int = DEMO_COUNT,
                      owner: Enterprise = DEMO_ENTERPRISE) -> Iterator[Declaration]:
    rng = random.Random(f"{seed}:{owner.tax_code}")
    seq_start = rng.randrange(10**8, 9 * 10**8)
    previous: Declaration | None = None
    split_left = 0
    for i in range(count):
        seq = (seq_start + i * _SEQ_STRIDE) % 10**9
        direction = IMPORT if rng.random() < 0.55 else EXPORT
        number = f"{NUMBER_PREFIX[direction]}{seq:09d}0"
        offset = rng.randrange(_SPAN_SECONDS)
        if rng.random() < 0.05:  # a share of recent declarations, still in procedure
            offset = _SPAN_SECONDS - rng.randrange(_RECENT_SECONDS)
        registered = DEMO_START + timedelta(seconds=offset)
        # office hours: 7:00-17:00
        registered = registered.replace(hour=7 + registered.hour % 10)
        age_days = (DEMO_END - registered).total_seconds() / 86400
        status, has_channel = _status_for(rng, age_days)
        roll = rng.random()
        channel = (1 if roll < 0.6 else 2 if roll < 0.9 else 3) if has_channel else None
        office = _OFFICE_CODES[int(rng.random() ** 1.6 * len(_OFFICE_CODES))]
        type_code = rng.choice(_TYPE_BY_DIR[direction])
        partner = _PARTNERS[rng.randrange(len(_PARTNERS))]
        transport = _TRANSPORT[min(int(rng.random() ** 2 * 6), 5)]
        value = round(rng.lognormvariate(9.5, 1.3), 2)
        tax = int(value * 25_400 * rng.choice((0, 0, 0.05, 0.1, 0.15))) if direction == IMPORT else 0
        cleared_at = None
        if status in (Status.CLEARED.value, Status.RELEASED.value, Status.PRESERVATION.value):
            hours = {1: 0.2, 2: 3.0, 3: 20.0}[channel or 1] * (0.5 + rng.random())
            cleared_at = min(registered + timedelta(seconds=int(hours * 3600)), DEMO_END)
        first_number, branch_index, branch_total = None, 0, 0
        if split_left and previous is not None and previous.direction == direction:
            first_number = previous.first_number or previous.number
            branch_index = previous.branch_index + 1
            branch_total = previous.branch_total
            split_left -= 1
        elif rng.random() < 0.03:
            split_left = rng.randrange(1, 4)
            branch_total = split_left + 1
            branch_index = 1
            first_number = number
        else:
            split_left = 0
        note = "" if rng.random() < 0.9 else rng.choice(
            ("Hàng mẫu", "Bổ sung C/O", "Chờ kết quả giám định", "Khai bổ sung trị giá", "Hàng về cảng Đình Vũ"))
        decl = Declaration(
            number=number,
            first_number=first_number,
            branch_index=branch_index,
            branch_total=branch_total,
            registered_at=registered,
            office_code=office,
            type_code=type_code,
            direction=direction,
            partner=partner,
            transport=transport,
            bill_of_lading=f"{rng.choice(('HPH', 'SGN', 'MSC', 'ONE', 'EGL'))}{rng.randrange(10**7, 10**8)}",
            invoice_no=f"INV-{registered.year}-{rng.randrange(10**5):05d}",
            invoice_value=value,
            tax_total=tax,
            status=status,
            channel=channel,
            cleared_at=cleared_at,
            note=note,
            owner_tax_code=owner.tax_code,
        )
        previous = decl
        yield decl
