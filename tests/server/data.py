"""Declarations and payloads of the demo world, picked for what a test needs."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from domain.codes import can_assess
from domain.demo import DEMO_ENTERPRISE, OTHER_ENTERPRISE, Declaration, handling_for, iter_declarations
from server.seed import OTHER_COUNT


@lru_cache(maxsize=None)
def demo_declarations() -> tuple[Declaration, ...]:
    return tuple(iter_declarations(owner=DEMO_ENTERPRISE))


@lru_cache(maxsize=None)
def other_declarations() -> tuple[Declaration, ...]:
    return tuple(iter_declarations(count=OTHER_COUNT, owner=OTHER_ENTERPRISE))


def assessable(n: int = 1, owner: str = "A") -> list[Declaration]:
    decls = demo_declarations() if owner == "A" else other_declarations()
    return [d for d in decls if can_assess(d.status, d.channel)][:n]


def with_status(status: str, owner: str = "A") -> Declaration:
    decls = demo_declarations() if owner == "A" else other_declarations()
    return next(d for d in decls if d.status == status)


def targets(d: Declaration):
    return handling_for(d.number, d.office_code, d.channel, d.status)


def assessment(d: Declaration, stars: int = 5, *, n_targets: int = 2, **extra: Any) -> dict[str, Any]:
    reasons = ["D02"] if stars <= 2 else ["S02"]
    p: dict[str, Any] = {"declaration_number": d.number, "ratings": [
        {"target_kind": t.kind, "target_code": t.code, "stars": stars, "reasons": reasons}
        for t in targets(d)[:n_targets]]}
    if stars <= 2:
        p["detail"] = "Hồ sơ phải bổ sung nhiều lần."
        p["contact"] = {"name": "Phạm Thị Lan", "phone": "0912 345 678"}
    p.update(extra)
    return p


def reflection(d: Declaration, content: str = "Thủ tục kéo dài, đề nghị hướng dẫn.") -> dict[str, Any]:
    t = targets(d)[0]
    return {"declaration_number": d.number, "name": "Phạm Thị Lan", "phone": "+84 912 345 678",
            "content": content, "targets": [{"target_kind": t.kind, "target_code": t.code}]}


def business_info(tax_code: str = DEMO_ENTERPRISE.tax_code) -> dict[str, Any]:
    return {"tax_code": tax_code, "name": DEMO_ENTERPRISE.name, "address": DEMO_ENTERPRISE.address,
            "phone": "0912345678", "email": "xnk@hailong.vn", "representative": "Nguyễn Văn Hải",
            "reason": "changed", "fields": {"Ngành nghề": "Xuất nhập khẩu"}}
