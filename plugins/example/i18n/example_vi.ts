<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>api</name>
    <message>
        <source>Select a declaration first.</source>
        <translation>Hãy chọn một tờ khai trước.</translation>
    </message>
</context>
<context>
    <name>example</name>
    <message>
        <source>Example: selected declaration</source>
        <translation>Ví dụ: tờ khai đang chọn</translation>
    </message>
    <message>
        <source>Example: pin or unpin the selected declaration</source>
        <translation>Ví dụ: ghim / bỏ ghim tờ khai đang chọn</translation>
    </message>
    <message>
        <source>Example: pinned declarations</source>
        <translation>Ví dụ: các tờ khai đã ghim</translation>
    </message>
    <message>
        <source>Example: unpin all</source>
        <translation>Ví dụ: bỏ mọi ghim</translation>
    </message>
    <message>
        <source>Example: send a test note</source>
        <translation>Ví dụ: gửi ghi chú thử</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Số ngày</translation>
    </message>
    <message>
        <source>Days since registration</source>
        <translation>Số ngày từ ngày đăng ký</translation>
    </message>
    <message>
        <source>Example plugin</source>
        <translation>Tiện ích ví dụ</translation>
    </message>
    <message>
        <source>Pinned declarations</source>
        <translation>Tờ khai đã ghim</translation>
    </message>
    <message>
        <source>No declaration is pinned.</source>
        <translation>Chưa ghim tờ khai nào.</translation>
    </message>
    <message>
        <source>Test note queued.</source>
        <translation>Đã xếp ghi chú thử vào hàng đợi gửi.</translation>
    </message>
    <message>
        <source>Test note received by the server.</source>
        <translation>Máy chủ đã nhận ghi chú thử.</translation>
    </message>
    <message>
        <source>Test note refused: %1</source>
        <translation>Ghi chú thử bị từ chối: %1</translation>
    </message>
    <message>
        <source>Declaration %1 is not in the list.</source>
        <translation>Tờ khai %1 không có trong danh sách.</translation>
    </message>
    <message>
        <source>Declaration %1: registered %2 days ago, handled by %3 units and officials.</source>
        <translation>Tờ khai %1: đăng ký cách đây %2 ngày, do %3 đơn vị và công chức xử lý.</translation>
    </message>
    <message>
        <source>The example task failed: %1</source>
        <translation>Tác vụ ví dụ bị lỗi: %1</translation>
    </message>
</context>
</TS>
