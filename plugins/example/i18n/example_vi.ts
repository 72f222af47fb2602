<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>example</name>
    <message>
        <source>Example: selected declaration</source>
        <translation>Ví dụ: tờ khai đang chọn</translation>
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
        <source>Select a declaration first.</source>
        <translation>Hãy chọn một tờ khai trước.</translation>
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
