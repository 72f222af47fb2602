<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Declarant Desk</source>
        <translation>Giới thiệu Declarant Desk</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Qt / PySide6</source>
        <translation>Qt / PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Update ring</source>
        <translation>Nhóm cập nhật</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Thư mục nhật ký</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Chế độ</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>dữ liệu trình diễn</translation>
    </message>
    <message>
        <source>Declarant Desk: customs declarations and the service-quality assessment.</source>
        <translation>Declarant Desk: tờ khai hải quan và đánh giá chất lượng phục vụ.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Language changed. Some parts of the window change after a restart.</source>
        <translation>Đã đổi ngôn ngữ. Một số phần của cửa sổ sẽ thay đổi sau khi khởi động lại chương trình.</translation>
    </message>
    <message>
        <source>The server address takes effect after a restart.</source>
        <translation>Địa chỉ máy chủ có hiệu lực sau khi khởi động lại chương trình.</translation>
    </message>
    <message>
        <source>A service failed to start (see Help → Plugins).</source>
        <translation>Một dịch vụ không khởi động được (xem Trợ giúp → Danh sách tiện ích).</translation>
    </message>
</context>
<context>
    <name>Credentials</name>
    <message>
        <source>No credential store is available on this computer (%1).</source>
        <translation>Máy tính này không có kho lưu mật khẩu (%1).</translation>
    </message>
    <message>
        <source>This computer has no secure credential store: your password will not be remembered on this computer and you will be asked for it each time.</source>
        <translation>Máy tính này không có kho lưu mật khẩu an toàn: mật khẩu sẽ không được ghi nhớ trên máy này và chương trình sẽ hỏi lại mỗi lần.</translation>
    </message>
    <message>
        <source>The password is empty.</source>
        <translation>Mật khẩu đang để trống.</translation>
    </message>
    <message>
        <source>The credential store refused to save the password: your password will not be remembered on this computer.</source>
        <translation>Kho lưu mật khẩu từ chối lưu: mật khẩu sẽ không được ghi nhớ trên máy này.</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>The demo server did not start: %1</source>
        <translation>Máy chủ trình diễn không khởi động được: %1</translation>
    </message>
</context>
<context>
    <name>HostApi</name>
    <message>
        <source>The declaration store is not open.</source>
        <translation>Cơ sở dữ liệu tờ khai chưa được mở.</translation>
    </message>
    <message>
        <source>The declaration list is not available.</source>
        <translation>Danh sách tờ khai không khả dụng.</translation>
    </message>
    <message>
        <source>Sending is not available in this program: the outbox is not installed.</source>
        <translation>Chức năng gửi không khả dụng: hàng đợi gửi chưa được cài đặt.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The declaration list is not available.</source>
        <translation>Danh sách tờ khai không khả dụng.</translation>
    </message>
    <message>
        <source>Export declarations</source>
        <translation>Tờ khai xuất khẩu</translation>
    </message>
    <message>
        <source>Import declarations</source>
        <translation>Tờ khai nhập khẩu</translation>
    </message>
    <message>
        <source>Declarant Desk</source>
        <translation>Declarant Desk</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>dữ liệu trình diễn</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <source>&amp;Export declarations</source>
        <translation>Tờ khai &amp;xuất khẩu</translation>
    </message>
    <message>
        <source>&amp;Import declarations</source>
        <translation>Tờ khai &amp;nhập khẩu</translation>
    </message>
    <message>
        <source>&amp;Other operations</source>
        <translation>Nghiệp vụ &amp;khác</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Trợ giúp</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation>Đăng &amp;nhập…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Thiết lập…</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>T&amp;hoát</translation>
    </message>
    <message>
        <source>Export declaration list</source>
        <translation>Danh sách tờ khai xuất khẩu</translation>
    </message>
    <message>
        <source>All declarations</source>
        <translation>Tất cả tờ khai</translation>
    </message>
    <message>
        <source>Import declaration list</source>
        <translation>Danh sách tờ khai nhập khẩu</translation>
    </message>
    <message>
        <source>&amp;About Declarant Desk</source>
        <translation>&amp;Giới thiệu</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>&amp;Danh sách tiện ích…</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>&amp;Mở thư mục nhật ký</translation>
    </message>
    <message>
        <source>Signing in is not available in this program.</source>
        <translation>Chức năng đăng nhập không khả dụng trong chương trình này.</translation>
    </message>
    <message>
        <source>(No operations: no plugin added one)</source>
        <translation>(Chưa có nghiệp vụ: chưa có tiện ích nào bổ sung)</translation>
    </message>
</context>
<context>
    <name>PluginHost</name>
    <message>
        <source>The plugin “%1” had an error (see Help → Plugins).</source>
        <translation>Tiện ích “%1” gặp lỗi (xem Trợ giúp → Danh sách tiện ích).</translation>
    </message>
</context>
<context>
    <name>PluginState</name>
    <message>
        <source>loaded</source>
        <translation>đang chạy</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>đã tắt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>lỗi</translation>
    </message>
    <message>
        <source>incompatible</source>
        <translation>không tương thích</translation>
    </message>
    <message>
        <source>invalid manifest</source>
        <translation>khai báo không hợp lệ</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>trùng lặp</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>chưa nạp</translation>
    </message>
</context>
<context>
    <name>PluginsDialog</name>
    <message>
        <source>Plugins</source>
        <translation>Danh sách tiện ích</translation>
    </message>
    <message>
        <source>Untick a plugin to disable it. Changes take effect the next time the program starts.</source>
        <translation>Bỏ chọn một tiện ích để tắt nó. Thay đổi có hiệu lực từ lần khởi động chương trình tiếp theo.</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Bật</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>bundled</source>
        <translation>kèm chương trình</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>đã cài đặt</translation>
    </message>
    <message>
        <source>user folder</source>
        <translation>thư mục người dùng</translation>
    </message>
    <message>
        <source>development folder</source>
        <translation>thư mục phát triển</translation>
    </message>
    <message>
        <source>Errors since start: %1. Last: %2</source>
        <translation>Số lỗi từ khi khởi động: %1. Lỗi gần nhất: %2</translation>
    </message>
    <message>
        <source>Services that failed to start:</source>
        <translation>Các dịch vụ không khởi động được:</translation>
    </message>
    <message>
        <source>Host API: %1</source>
        <translation>API chương trình chủ: %1</translation>
    </message>
    <message>
        <source>Plugin changes take effect the next time the program starts.</source>
        <translation>Thay đổi tiện ích có hiệu lực từ lần khởi động chương trình tiếp theo.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The server address must start with https:// (or http://) and name a host.</source>
        <translation>Địa chỉ máy chủ phải bắt đầu bằng https:// (hoặc http://) và có tên máy chủ.</translation>
    </message>
    <message>
        <source>Use https:// for a server on another computer.</source>
        <translation>Hãy dùng https:// cho máy chủ trên máy tính khác.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Thiết lập</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Ngôn ngữ:</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>Địa chỉ &amp;máy chủ:</translation>
    </message>
    <message>
        <source>Passwords are kept in the system's credential store.</source>
        <translation>Mật khẩu được lưu trong kho mật khẩu của hệ điều hành.</translation>
    </message>
</context>
</TS>
