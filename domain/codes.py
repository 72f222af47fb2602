"""Reference codes of the declaration software and of the assessment.

These are data, not logic: labels marked *unverified* in the domain reference live here so
that they can be corrected in one place. Vietnamese labels are the source text; English
labels are the second language.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Code:
    code: str
    vi: str
    en: str

    def label(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


IMPORT = "I"
EXPORT = "E"

# Mã loại hình (Decision 1357/QĐ-TCHQ, 2021): code -> (direction, Vietnamese name, English name)
TYPE_CODES: dict[str, tuple[str, str, str]] = {
    "A11": (IMPORT, "Nhập kinh doanh tiêu dùng", "Import for domestic consumption"),
    "A12": (IMPORT, "Nhập kinh doanh sản xuất", "Import for production"),
    "A21": (IMPORT, "Chuyển tiêu thụ nội địa từ nguồn tạm nhập", "Temporary import moved to domestic use"),
    "A31": (IMPORT, "Nhập khẩu hàng hóa đã xuất khẩu", "Re-import of exported goods"),
    "A41": (IMPORT, "Nhập kinh doanh của doanh nghiệp thực hiện quyền nhập khẩu", "Import under trading rights"),
    "E11": (IMPORT, "Nhập nguyên liệu của DNCX từ nước ngoài", "Materials imported by an export-processing enterprise"),
    "E21": (IMPORT, "Nhập nguyên liệu, vật tư để gia công cho thương nhân nước ngoài", "Materials imported for processing for a foreign trader"),
    "E31": (IMPORT, "Nhập nguyên liệu sản xuất xuất khẩu", "Materials imported for export production"),
    "G11": (IMPORT, "Tạm nhập hàng kinh doanh tạm nhập tái xuất", "Temporary import for re-export trading"),
    "G13": (IMPORT, "Tạm nhập miễn thuế", "Duty-free temporary import"),
    "G51": (IMPORT, "Tái nhập hàng hóa đã tạm xuất", "Re-import of temporarily exported goods"),
    "C11": (IMPORT, "Hàng nước ngoài gửi kho ngoại quan", "Foreign goods into a bonded warehouse"),
    "H11": (IMPORT, "Hàng nhập khẩu khác", "Other imports"),
    "B11": (EXPORT, "Xuất kinh doanh", "Export for trading"),
    "B12": (EXPORT, "Xuất sau khi đã tạm xuất", "Export after temporary export"),
    "B13": (EXPORT, "Xuất khẩu hàng đã nhập khẩu", "Export of imported goods"),
    "E42": (EXPORT, "Xuất khẩu sản phẩm của DNCX", "Export by an export-processing enterprise"),
    "E52": (EXPORT, "Xuất sản phẩm gia công cho thương nhân nước ngoài", "Export of products processed for a foreign trader"),
    "E62": (EXPORT, "Xuất sản phẩm sản xuất xuất khẩu", "Export of products made for export"),
    "G21": (EXPORT, "Tái xuất hàng kinh doanh tạm nhập tái xuất", "Re-export of temporarily imported goods"),
    "G61": (EXPORT, "Tạm xuất hàng hóa", "Temporary export"),
    "C12": (EXPORT, "Hàng hóa từ kho ngoại quan xuất đi nước ngoài", "Goods from a bonded warehouse to abroad"),
    "H21": (EXPORT, "Xuất khẩu hàng khác", "Other exports"),
}

NUMBER_PREFIX = {IMPORT: "10", EXPORT: "30"}


def direction_of_number(number: str) -> str | None:
    """Import/export direction read from a 12-digit declaration number, if known."""
    for direction, prefix in NUMBER_PREFIX.items():
        if number.startswith(prefix):
            return direction
    return None


# Phân luồng ("Mã phân loại kiểm tra")
CHANNELS: dict[int, Code] = {
    1: Code("1", "Luồng xanh", "Green channel"),
    2: Code("2", "Luồng vàng", "Yellow channel"),
    3: Code("3", "Luồng đỏ", "Red channel"),
}
CHANNEL_COLOURS = {1: "#2e7d32", 2: "#f9a825", 3: "#c62828"}


class Status(str, Enum):
    NEW = "new"
    CHANNELED = "channeled"
    RELEASED = "released"
    PRESERVATION = "preservation"
    CLEARED = "cleared"
    CANCELLED = "cancelled"


STATUSES: dict[str, Code] = {
    Status.NEW.value: Code(Status.NEW.value, "Nhập mới", "New"),
    Status.CHANNELED.value: Code(Status.CHANNELED.value, "Đã phân luồng", "Channel assigned"),
    Status.RELEASED.value: Code(Status.RELEASED.value, "Giải phóng hàng", "Goods released"),
    Status.PRESERVATION.value: Code(Status.PRESERVATION.value, "Đưa hàng về bảo quản", "Brought to preservation"),
    Status.CLEARED.value: Code(Status.CLEARED.value, "Đã thông quan", "Cleared"),
    Status.CANCELLED.value: Code(Status.CANCELLED.value, "Hủy", "Cancelled"),
}

# Customs offices in Hai Phong (unverified list)
OFFICES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("03CC", "Chi cục HQ CK cảng Hải Phòng KV I", "Hai Phong Port Area I"),
        Code("03CE", "Chi cục HQ CK cảng Hải Phòng KV II", "Hai Phong Port Area II"),
        Code("03TG", "Chi cục HQ CK cảng Hải Phòng KV III", "Hai Phong Port Area III"),
        Code("03EE", "Chi cục HQ cảng Đình Vũ", "Dinh Vu Port"),
        Code("03NK", "Chi cục HQ KCX và KCN Hải Phòng", "Hai Phong EPZ and Industrial Zones"),
        Code("03PA", "Chi cục HQ Quản lý hàng đầu tư - gia công", "Investment and Processing Goods"),
        Code("03PJ", "Chi cục HQ Hải Dương", "Hai Duong"),
        Code("03PL", "Chi cục HQ Hưng Yên", "Hung Yen"),
        Code("03CD", "Chi cục HQ Thái Bình", "Thai Binh"),
    )
}

# ---- The assessment -------------------------------------------------------------------

RATING_LEVELS: dict[int, Code] = {
    5: Code("5", "Rất hài lòng", "Very satisfied"),
    4: Code("4", "Hài lòng", "Satisfied"),
    3: Code("3", "Bình thường", "Normal"),
    2: Code("2", "Không hài lòng", "Dissatisfied"),
    1: Code("1", "Rất không hài lòng", "Very dissatisfied"),
}
SATISFIED_MIN_STARS = 4  # "satisfied or above" = 4 or 5 stars
LOW_RATING_MAX_STARS = 2  # 1 or 2 stars require a detailed reason and a contact


class TargetKind(str, Enum):
    OFFICIAL = "official"
    TEAM = "team"
    STAGE = "stage"
    BRANCH = "branch"


TARGET_KINDS: dict[str, Code] = {
    TargetKind.OFFICIAL.value: Code("official", "Công chức", "Official"),
    TargetKind.TEAM.value: Code("team", "Đội công tác", "Working team"),
    TargetKind.STAGE.value: Code("stage", "Khâu nghiệp vụ", "Professional stage"),
    TargetKind.BRANCH.value: Code("branch", "Chi cục Hải quan", "Customs branch"),
}

# Reasons offered with a rating: one list for 3-5 stars, one for 1-2 stars.
SATISFIED_REASONS: dict[str, Code] = {
    c.code: c
    for c in (
        Code("S01", "Thái độ phục vụ tận tình, lịch sự", "Attentive, courteous service"),
        Code("S02", "Giải quyết thủ tục nhanh chóng", "Procedure handled quickly"),
        Code("S03", "Hướng dẫn rõ ràng, dễ hiểu", "Clear, easy-to-follow guidance"),
        Code("S04", "Đúng quy định, minh bạch", "By the rules and transparent"),
        Code("S05", "Chuyên môn nghiệp vụ tốt", "Strong professional competence"),
    )
}
DISSATISFIED_REASONS: dict[str, Code] = {
    c.code: c
    for c in (
        Code("D01", "Thái độ phục vụ chưa tốt", "Poor service attitude"),
        Code("D02", "Giải quyết thủ tục chậm", "Procedure handled slowly"),
        Code("D03", "Hướng dẫn không rõ ràng", "Unclear guidance"),
        Code("D04", "Yêu cầu hồ sơ, giấy tờ ngoài quy định", "Documents requested beyond the rules"),
        Code("D05", "Gây phiền hà, sách nhiễu", "Harassment or obstruction"),
        Code("D06", "Lý do khác", "Other reason"),
    )
}


def reasons_for(stars: int) -> dict[str, Code]:
    return DISSATISFIED_REASONS if stars <= LOW_RATING_MAX_STARS else SATISFIED_REASONS


# ---- Eligibility ----------------------------------------------------------------------

ASSESSMENT_STATUSES = frozenset({Status.RELEASED.value, Status.PRESERVATION.value, Status.CLEARED.value})
REFLECTION_STATUSES = frozenset({Status.CHANNELED.value}) | ASSESSMENT_STATUSES


def can_assess(status: str, channel: int | None) -> bool:
    """The final assessment is allowed once goods are released, preserved or cleared."""
    return status in ASSESSMENT_STATUSES and channel in CHANNELS


def can_reflect(status: str, channel: int | None) -> bool:
    """A reflection is allowed during the procedure, once the declaration has a channel."""
    return status in REFLECTION_STATUSES and channel in CHANNELS
