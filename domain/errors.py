"""What the server's stable refusal codes mean to a person, in Vietnamese and English.

The server refuses an item with a ``code`` that never changes (``server.ingest.ITEM_CODES``)
and an English ``message`` meant for logs and support. A user reads the text for the code
in their language: no English server text reaches a Vietnamese user. An unknown code (a
newer server) reads as a general refusal.
"""
from __future__ import annotations

from .codes import Code

ITEM_REFUSALS: dict[str, Code] = {c.code: c for c in (
    Code("validation_error",
         "Dữ liệu chưa đúng quy định của hệ thống hải quan; kiểm tra lại nội dung và gửi lại.",
         "The customs system found the content invalid; check it and send again."),
    Code("invalid_content",
         "Nội dung có ký tự hoặc giá trị không hợp lệ; hãy sửa và gửi lại.",
         "The content has an invalid character or value; correct it and send again."),
    Code("schema_unsupported",
         "Máy chủ hải quan không đọc được phiên bản dữ liệu này; hãy cập nhật chương trình.",
         "The customs server cannot read this data version; update the program."),
    Code("id_conflict",
         "Mã định danh của lần gửi này đã được dùng cho nội dung khác; hãy lập lại và gửi.",
         "This submission's identifier was already used for other content; record it again and send."),
    Code("declaration_unknown",
         "Hệ thống hải quan chưa có tờ khai này.",
         "The customs system does not know this declaration."),
    Code("declaration_not_yours",
         "Tờ khai này thuộc doanh nghiệp khác.",
         "This declaration belongs to another enterprise."),
    Code("not_own_tax_code",
         "Doanh nghiệp chỉ cung cấp thông tin của chính mình.",
         "An enterprise provides its own information only."),
    Code("already_assessed",
         "Tờ khai đã được đánh giá từ máy khác của doanh nghiệp.",
         "The declaration was already assessed from another workstation of the enterprise."),
    Code("case_unknown",
         "Hải quan không có hồ sơ xử lý nào cho nội dung này của doanh nghiệp.",
         "Customs has no case of the enterprise for this submission."),
    Code("case_not_answered",
         "Hồ sơ chưa được hải quan trả lời nên chưa thể chấp nhận hoặc mở lại.",
         "Customs has not answered the case yet, so it cannot be accepted or reopened."),
    Code("case_reopen_used",
         "Hồ sơ đã được mở lại một lần; mỗi hồ sơ chỉ được mở lại một lần.",
         "The case was already reopened once; a case can be reopened only once."),
    # not from the server: the desktop outbox set the item apart, damaged on disk (docs/OUTBOX.md)
    Code("damaged",
         "Bản lưu trên máy tính này bị hỏng nên chưa được gửi; hãy gửi lại nội dung.",
         "The copy stored on this computer was damaged and was not sent; send the entries again."),
)}

GENERAL_REFUSAL = Code("", "Máy chủ hải quan từ chối nội dung này.", "The customs server refused this content.")


def refusal_text(code: str | None, lang: str = "vi") -> str:
    """The sentence a user reads for a refused item."""
    return ITEM_REFUSALS.get(code or "", GENERAL_REFUSAL).label(lang)
