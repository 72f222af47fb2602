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
    "count": {"new": "New", "assigned": "Assigned", "in_review": "In review", "answered": "Answered",
              "closed": "Closed", "reopened": "Reopened", "overdue": "Overdue"},
    "event": {"opened": "case opened", "viewed": "viewed", "assigned": "assigned to", "taken": "took the case",
              "review_started": "started the review", "noted": "internal note", "answered": "answered",
              "accepted": "accepted the answer", "reopened": "reopened the case", "closed": "closed the case",
              "escalated": "deadline passed, escalated to the supervisor"},
    "alert": {"new_one_star": "New 1-star rating", "due_soon": "Deadline near", "escalated": "Deadline passed",
              "reopened": "Reopened by the enterprise"},
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
    # inbox
    "Counts": "Số lượng",
    "Open": "Đang mở",
    "Escalated": "Đã chuyển lãnh đạo",
    "Escalated cases": "Hồ sơ quá hạn chuyển lãnh đạo",
    "Filters": "Bộ lọc",
    "Filter": "Lọc",
    "Clear": "Bỏ lọc",
    "State": "Trạng thái",
    "All open": "Tất cả đang mở",
    "Handled by": "Người xử lý",
    "Anyone": "Bất kỳ ai",
    "Branch": "Chi cục",
    "All my branches": "Tất cả chi cục của tôi",
    "Level": "Cấp",
    "Kind": "Loại",
    "All kinds": "Tất cả các loại",
    "Case": "Hồ sơ",
    "Declaration": "Tờ khai",
    "Answer due": "Hạn trả lời",
    "overdue": "quá hạn",
    "Overdue": "Quá hạn",
    "Open cases, overdue first": "Hồ sơ đang mở, quá hạn trước",
    "No case matches.": "Không có hồ sơ nào phù hợp.",
    "Pages": "Trang",
    "Previous": "Trang trước",
    "Next": "Trang sau",
    "Page {n} of {m}": "Trang {n}/{m}",
    # a case
    "Case {id}": "Hồ sơ {id}",
    "Received": "Ngày nhận",
    "nobody yet": "chưa có ai",
    "Outcome": "Kết quả",
    "What the enterprise said": "Ý kiến của doanh nghiệp",
    "Rated": "Đối tượng đánh giá",
    "Stars": "Số sao",
    "Reasons": "Lý do",
    "{n} of 5 stars": "{n} trên 5 sao",
    "Comment": "Ý kiến",
    "Contact": "Liên hệ",
    "Enterprise": "Doanh nghiệp",
    "Handling records": "Quá trình xử lý tờ khai",
    "Answer sent": "Câu trả lời đã gửi",
    "Audit trail": "Nhật ký xử lý",
    "Nothing yet.": "Chưa có gì.",
    "Actions": "Thao tác",
    "Take the case": "Nhận xử lý",
    "Start review": "Bắt đầu xác minh",
    "Close the case": "Đóng hồ sơ",
    "Assign to": "Giao cho",
    "Choose…": "Chọn…",
    "Assign": "Giao việc",
    "Answer the enterprise": "Trả lời doanh nghiệp",
    "Insert a template": "Chèn mẫu trả lời",
    "Insert": "Chèn",
    "Answer text": "Nội dung trả lời",
    "Send the answer": "Gửi câu trả lời",
    "Internal note (not sent to the enterprise)": "Ghi chú nội bộ (không gửi cho doanh nghiệp)",
    "Add the note": "Thêm ghi chú",
    "Choose who handles the case.": "Hãy chọn người xử lý hồ sơ.",
    "Write the note first.": "Hãy nhập nội dung ghi chú.",
    "An answer needs both an outcome and a text.": "Câu trả lời cần có cả kết quả và nội dung.",
    "The case has changed in the meantime; reload it and try again.":
        "Hồ sơ vừa được thay đổi; hãy tải lại trang rồi thử lại.",
    "The request was not accepted.": "Yêu cầu không được chấp nhận.",
    # templates page
    "Placeholders are filled from the case when a template is inserted; the text can then be edited.":
        "Các chỗ trống được điền từ hồ sơ khi chèn mẫu; sau đó có thể sửa nội dung.",
    "Name": "Tên",
    "Text": "Nội dung",
    "Save": "Lưu",
    "Delete": "Xóa",
    "New template": "Mẫu mới",
    "Add": "Thêm",
    # alerts
    "Mark all as read": "Đánh dấu tất cả là đã đọc",
    "When": "Thời điểm",
    "Alert": "Thông báo",
    "unread": "chưa đọc",
    "No alerts.": "Không có thông báo.",
    # values
    "New": "Mới",
    "Assigned": "Đã giao",
    "In review": "Đang xác minh",
    "Answered": "Đã trả lời",
    "Closed": "Đã đóng",
    "Reopened": "Mở lại",
    "Substantiated": "Có cơ sở",
    "Partly substantiated": "Có cơ sở một phần",
    "Not substantiated": "Không có cơ sở",
    "Low rating": "Đánh giá thấp",
    "Reflection": "Phản ánh",
    "Team": "Đội",
    "Stage": "Khâu",
    "Official": "Công chức",
    "All levels": "Tất cả các cấp",
    "Your account works for no branch yet: an administrator gives it its branches.":
        "Tài khoản của bạn chưa được phân công chi cục nào: quản trị viên sẽ phân công chi cục.",
    "Cases: {state}": "Hồ sơ: {state}",
    "Take or assign by": "Hạn nhận xử lý",
    "Deadline": "Hạn xử lý",
    "tax code": "mã số thuế",
    "Reason for reopening": "Lý do mở lại",
    "Ratings": "Đánh giá",
    "Type": "Loại hình",
    "Status": "Trạng thái tờ khai",
    "Channel": "Luồng",
    "Registered": "Ngày đăng ký",
    "Cleared": "Ngày thông quan",
    "the enterprise": "doanh nghiệp",
    "the system": "hệ thống",
    "Opened {n} times, last by {who} at {at}.": "Đã mở {n} lần, lần cuối: {who} lúc {at}.",
    "case opened": "tiếp nhận hồ sơ",
    "viewed": "đã xem",
    "assigned to": "giao cho",
    "took the case": "nhận xử lý",
    "started the review": "bắt đầu xác minh",
    "internal note": "ghi chú nội bộ",
    "answered": "đã trả lời",
    "accepted the answer": "chấp nhận câu trả lời",
    "reopened the case": "mở lại hồ sơ",
    "closed the case": "đóng hồ sơ",
    "deadline passed, escalated to the supervisor": "quá hạn, đã chuyển lãnh đạo",
    "New 1-star rating": "Có đánh giá 1 sao mới",
    "Deadline near": "Sắp đến hạn",
    "Deadline passed": "Đã quá hạn",
    "Reopened by the enterprise": "Doanh nghiệp mở lại hồ sơ",
    # holidays and targets
    "Deadline targets": "Thời hạn xử lý",
    "Counted in working days: Monday to Friday, without the public holidays.":
        "Tính theo ngày làm việc: thứ Hai đến thứ Sáu, trừ các ngày nghỉ lễ.",
    "Take or assign a case within (working days)": "Nhận hoặc giao xử lý trong vòng (ngày làm việc)",
    "Answer within (working days)": "Trả lời trong vòng (ngày làm việc)",
    "Alert this many hours before a deadline": "Thông báo trước hạn (số giờ)",
    "Public holidays": "Ngày nghỉ lễ",
    "One per line: date (YYYY-MM-DD), space, name": "Mỗi dòng một ngày: ngày (YYYY-MM-DD), dấu cách, tên ngày lễ",
    "The holidays were not saved: {reason}": "Chưa lưu được ngày nghỉ: {reason}",
    "Targets are whole numbers.": "Thời hạn phải là số nguyên.",
    "The targets were not saved: {reason}": "Chưa lưu được thời hạn: {reason}",
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


# the satisfaction reports' texts (server/console/reports.py)
from .reports_i18n import VI as _REPORTS_VI  # noqa: E402

VI.update({k: v for k, v in _REPORTS_VI.items() if k not in VI})

from .bi_i18n import VI as _BI_VI  # noqa: E402 - enterprise information and inventory pages

VI.update({k: v for k, v in _BI_VI.items() if k not in VI})
