"""Vietnamese translations of the update strings, as a Qt Linguist fragment.

``python -m desktop.updates.i18n.build_fragment`` writes ``updates_vi.ts`` beside this file
from the strings lupdate finds in ``desktop/updates`` and the table below. The host
catalogue merges it: ``pyside6-lconvert -i resources/i18n/declarant_desk_vi.ts
desktop/updates/i18n/updates_vi.ts -o resources/i18n/declarant_desk_vi.ts``.
"""
from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRAGMENT = HERE / "updates_vi.ts"

VI = {
    ("UpdateClient", "The signed update information has expired ({detail}). Customs IT must re-sign the update "
                     "repository; no update was installed."):
        "Thông tin cập nhật đã ký đã hết hạn ({detail}). Bộ phận CNTT hải quan cần ký lại kho cập nhật; "
        "chưa cài đặt bản cập nhật nào.",
    ("UpdateClient", "A downloaded update file does not match its signed length or hash and was discarded "
                     "({detail}). The installed version is unchanged."):
        "Tệp cập nhật tải về không khớp với độ dài hoặc mã băm đã ký nên đã bị loại bỏ ({detail}). "
        "Phiên bản đang cài đặt không thay đổi.",
    ("UpdateClient", "The update information failed its signature check ({detail}); it was refused. The installed "
                     "version is unchanged."):
        "Thông tin cập nhật không qua được kiểm tra chữ ký ({detail}) nên đã bị từ chối. "
        "Phiên bản đang cài đặt không thay đổi.",
    ("UpdateClient", "The update repository sent invalid information ({detail}); it was refused."):
        "Kho cập nhật gửi thông tin không hợp lệ ({detail}) nên đã bị từ chối.",
    ("UpdateClient", "The update server cannot be reached ({detail}). The program will try again later."):
        "Không kết nối được máy chủ cập nhật ({detail}). Chương trình sẽ thử lại sau.",
    ("UpdateClient", "The update could not be stored on this computer ({detail})."):
        "Không lưu được bản cập nhật trên máy tính này ({detail}).",
    ("UpdateClient", "Checking for updates failed: {detail}"): "Kiểm tra cập nhật không thành công: {detail}",
    ("UpdateClient", "No trusted update root is installed; updates are off."):
        "Chưa cài đặt khóa gốc tin cậy cho cập nhật; chức năng cập nhật đang tắt.",
    ("UpdateClient", "The {ring} release list is too large; it was refused."):
        "Danh sách phiên bản của nhóm {ring} quá lớn nên đã bị từ chối.",
    ("UpdateClient", "The {ring} release list is not valid ({detail})."):
        "Danh sách phiên bản của nhóm {ring} không hợp lệ ({detail}).",
    ("UpdateClient", "Release {version} is no longer offered by the update repository."):
        "Kho cập nhật không còn cung cấp phiên bản {version}.",
    ("UpdatePolicy", "pilot (release candidates)"): "thí điểm (bản phát hành thử)",
    ("UpdatePolicy", "stable"): "chính thức",
    ("UpdatePolicy", "Update ring: {ring}"): "Nhóm cập nhật: {ring}",
    ("UpdatePolicy", "set by IT policy ({source})"): "do chính sách CNTT thiết lập ({source})",
    ("UpdatePolicy", "default (no IT policy)"): "mặc định (không có chính sách CNTT)",
    ("UpdatePolicy", "no update repository configured"): "chưa cấu hình kho cập nhật",
    ("UpdatePolicy", "automatic checks switched off by IT"): "bộ phận CNTT đã tắt kiểm tra tự động",
    ("UpdatePolicy", "policy problem: {problem}"): "lỗi chính sách: {problem}",
    ("Updates", "Unexpected update error: {detail}"): "Lỗi cập nhật không mong muốn: {detail}",
    ("Updates", "The installer runs on Windows only. The verified file was kept at {path}."):
        "Trình cài đặt chỉ chạy trên Windows. Tệp đã kiểm tra được giữ tại {path}.",
    ("Updates", "The installer did not finish in time; the current version stays."):
        "Trình cài đặt không hoàn tất kịp thời; phiên bản hiện tại được giữ nguyên.",
    ("Updates", "The installer could not be started ({detail}); the current version stays."):
        "Không khởi động được trình cài đặt ({detail}); phiên bản hiện tại được giữ nguyên.",
    ("Updates", "Update"): "Cập nhật",
    ("Updates", "A new version {version} is available (you have {current}). Install it now?"):
        "Có phiên bản mới {version} (bạn đang dùng {current}). Cài đặt ngay?",
    ("Updates", "The program keeps your data. If the installation fails, the current version stays."):
        "Dữ liệu của bạn được giữ nguyên. Nếu cài đặt không thành công, phiên bản hiện tại vẫn được giữ.",
    ("Updates", "Install now"): "Cài đặt ngay",
    ("Updates", "Later"): "Để sau",
    ("Updates", "No update repository is configured for this workstation."):
        "Máy trạm này chưa được cấu hình kho cập nhật.",
    ("Updates", "The trusted update root is missing from the installation."):
        "Bộ cài đặt thiếu khóa gốc tin cậy cho cập nhật.",
    ("Updates", "Updates"): "Cập nhật",
    ("Updates", "Declarant Desk {version} is up to date ({ring} ring)."):
        "Declarant Desk {version} là phiên bản mới nhất (nhóm {ring}).",
    ("Updates", "Version {version} is available: use the button on the right to install it."):
        "Đã có phiên bản {version}: bấm nút bên phải để cài đặt.",
    ("Updates", "Downloading version {version}…"): "Đang tải phiên bản {version}…",
    ("Updates", "The installer stopped with code {code}; version {current} stays installed and your data is "
                "unchanged."):
        "Trình cài đặt dừng với mã {code}; phiên bản {current} vẫn được giữ và dữ liệu của bạn không thay đổi.",
    ("Updates", "Update not installed"): "Chưa cài đặt bản cập nhật",
    ("Updates", "Version {version} is installed; it starts the next time you open Declarant Desk."):
        "Đã cài đặt phiên bản {version}; phiên bản này chạy từ lần mở Declarant Desk tiếp theo.",
    ("Updates", "New version {version}: install…"): "Phiên bản mới {version}: cài đặt…",
    ("Updates", "version {version} available"): "có phiên bản {version}",
    ("Updates", "Check for updates…"): "Kiểm tra cập nhật…",
}


def sources_in_code() -> set[tuple[str, str]]:
    from desktop import i18n

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        i18n._empty_ts(fresh, "vi")
        i18n.run_lupdate(fresh, sorted(HERE.parent.glob("*.py")))
        return {(m.context, m.source) for m in i18n.read_ts(fresh)}


def main() -> int:
    import unicodedata

    missing = sources_in_code() - set(VI)
    if missing:
        print("untranslated update strings:", sorted(missing))
        return 1
    root = ET.Element("TS", version="2.1", language="vi")
    contexts: dict[str, ET.Element] = {}
    for (context, source), text in sorted(VI.items()):
        if context not in contexts:
            contexts[context] = ET.SubElement(root, "context")
            ET.SubElement(contexts[context], "name").text = context
        message = ET.SubElement(contexts[context], "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation").text = unicodedata.normalize("NFC", text)
    body = ET.tostring(root, encoding="unicode")
    FRAGMENT.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    print(f"wrote {FRAGMENT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
