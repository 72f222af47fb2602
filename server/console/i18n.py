"""The console's texts: English in the code and templates, Vietnamese here (NFC).

``translator(lang)`` gives the ``_`` of the templates: ``_("Inbox")`` → "Hộp việc";
``_("{n} unread", n=3)`` formats after translating. ``tests/console/test_i18n.py`` checks
that every text used in the templates and in the console's code has a Vietnamese
translation in NFC."""
from __future__ import annotations

import unicodedata
from datetime import timedelta, timezone
from typing import Any, Callable

LANGS = ("vi", "en")
DEFAULT = "vi"
VN = timezone(timedelta(hours=7), "ICT")

ROLE_NAMES = {"processor": "processor", "viewer": "viewer", "admin": "administrator",
              "supervisor": "supervisor", "enterprise": "enterprise"}

# name groups for values of the case service's enums (states, outcomes, levels, kinds)
ENUM_NAMES: dict[str, dict[str, str]] = {
    "state": {"new": "New", "assigned": "Assigned", "in_review": "In review", "answered": "Answered",
              "closed": "Closed", "reopened": "Reopened"},
    "outcome": {"substantiated": "Substantiated", "partly": "Partly substantiated",
                "not_substantiated": "Not substantiated"},
    "kind": {"assessment": "Low rating", "reflection": "Reflection"},
    "target": {"branch": "Branch", "team": "Team", "stage": "Stage", "official": "Official"},
}

VI: dict[str, str] = {
    # layout
    "Customs console": "Bảng điều khiển hải quan",
    "Skip to content": "Chuyển đến nội dung chính",
    "Main menu": "Danh mục chính",
    "Inbox": "Hộp việc",
    "Answer templates": "Mẫu trả lời",
    "Holidays and targets": "Ngày nghỉ và thời hạn",
    "Alerts": "Thông báo",
    "{n} unread": "{n} chưa đọc",
    "Sign out": "Đăng xuất",
    "Back": "Quay lại",
    "processor": "cán bộ xử lý",
    "viewer": "cán bộ theo dõi",
    "administrator": "quản trị viên",
    "supervisor": "lãnh đạo phụ trách",
    "enterprise": "doanh nghiệp",
    # sign-in
    "Sign in": "Đăng nhập",
    "Sign in to the customs console": "Đăng nhập bảng điều khiển hải quan",
    "Username": "Tên đăng nhập",
    "Password": "Mật khẩu",
    "For customs staff. Enterprises use the Declarant Desk program.":
        "Dành cho cán bộ hải quan. Doanh nghiệp dùng chương trình Declarant Desk.",
    "Wrong username or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "Too many sign-in attempts. Try again in {seconds} seconds.":
        "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {seconds} giây.",
    "The server is busy. Try again in a moment.": "Máy chủ đang bận. Hãy thử lại sau giây lát.",
    "Your session has ended. Sign in again.": "Phiên làm việc đã kết thúc. Hãy đăng nhập lại.",
    "You have signed out.": "Bạn đã đăng xuất.",
    # refusals
    "Request refused": "Yêu cầu bị từ chối",
    "The form has expired or did not come from this console. Reload the page and try again.":
        "Biểu mẫu đã hết hạn hoặc không được gửi từ bảng điều khiển này. Hãy tải lại trang rồi thử lại.",
    "Not allowed": "Không được phép",
    "Your role may not do this.": "Vai trò của bạn không được thực hiện thao tác này.",
    "Not found": "Không tìm thấy",
    "This case does not exist or belongs to another branch.":
        "Hồ sơ này không tồn tại hoặc thuộc chi cục khác.",
    "Conflict": "Xung đột",
    "Invalid input": "Dữ liệu không hợp lệ",
}


def _check(catalogue: dict[str, str]) -> None:
    for text in catalogue.values():
        assert unicodedata.is_normalized("NFC", text), text


def translate(text: str, lang: str) -> str:
    if lang == "vi":
        return VI.get(text, text)
    return text


def translator(lang: str) -> Callable[..., str]:
    def _(text: str, **values: Any) -> str:
        out = translate(text, lang)
        return out.format(**values) if values else out
    return _
