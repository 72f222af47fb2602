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
        <source>Plugins</source>
        <translation>Tiện ích</translation>
    </message>
    <message>
        <source>Declarant Desk: customs declarations and the service-quality assessment.</source>
        <translation>Declarant Desk: tờ khai hải quan và đánh giá chất lượng phục vụ.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>No declarations yet: sign in to receive them, or try the program with --demo.</source>
        <translation>Chưa có tờ khai: hãy đăng nhập để nhận tờ khai, hoặc dùng thử chương trình với --demo.</translation>
    </message>
    <message>
        <source>Language changed. Some parts of the window change after a restart.</source>
        <translation>Đã đổi ngôn ngữ. Một số phần của cửa sổ sẽ thay đổi sau khi khởi động lại chương trình.</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be used: %2</source>
        <translation>Thư mục dữ liệu %1 không dùng được: %2</translation>
    </message>
    <message>
        <source>The server address takes effect after a restart.</source>
        <translation>Địa chỉ máy chủ có hiệu lực sau khi khởi động lại chương trình.</translation>
    </message>
    <message>
        <source>A service failed to start (see Help → Plugins).</source>
        <translation>Một dịch vụ không khởi động được (xem Trợ giúp → Danh sách tiện ích).</translation>
    </message>
    <message>
        <source>Declarant Desk cannot start</source>
        <translation>Declarant Desk không khởi động được</translation>
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
    <name>DeclarationList</name>
    <message>
        <source>The declaration store is busy (locked by another program). Try again in a moment.</source>
        <translation>Cơ sở dữ liệu tờ khai đang bận (một chương trình khác đang khóa). Hãy thử lại sau giây lát.</translation>
    </message>
    <message>
        <source>The declaration store cannot be read: %1</source>
        <translation>Không đọc được cơ sở dữ liệu tờ khai: %1</translation>
    </message>
    <message>
        <source>The declaration list failed: %1</source>
        <translation>Danh sách tờ khai bị lỗi: %1</translation>
    </message>
    <message>
        <source>Not cleared yet; goods released on %1</source>
        <translation>Chưa thông quan; hàng được giải phóng lúc %1</translation>
    </message>
    <message>
        <source>Not cleared yet; goods brought to preservation on %1</source>
        <translation>Chưa thông quan; hàng được đưa về bảo quản lúc %1</translation>
    </message>
    <message>
        <source>Decl. no.</source>
        <translation>Số TK</translation>
    </message>
    <message>
        <source>First declaration: %1</source>
        <translation>Số tờ khai đầu tiên: %1</translation>
    </message>
    <message>
        <source>Reg. date</source>
        <translation>Ngày ĐK</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Mã LH</translation>
    </message>
    <message>
        <source>Type code (its name is shown as a tooltip)</source>
        <translation>Mã loại hình (tên loại hình hiện khi di chuột)</translation>
    </message>
    <message>
        <source>Customs office</source>
        <translation>Mã HQ</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Phân luồng</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>Tên đối tác</translation>
    </message>
    <message>
        <source>Total value</source>
        <translation>Tổng trị giá</translation>
    </message>
    <message>
        <source>Total invoice value</source>
        <translation>Tổng trị giá hóa đơn</translation>
    </message>
    <message>
        <source>Clearance date</source>
        <translation>Ngày thông quan</translation>
    </message>
    <message>
        <source>&amp;Direction:</source>
        <translation>&amp;Loại tờ khai:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>&amp;Trạng thái:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Phân luồng:</translation>
    </message>
    <message>
        <source>Offi&amp;ce:</source>
        <translation>&amp;Mã HQ:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>Từ &amp;ngày:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>Đến ngà&amp;y:</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>Tìm &amp;kiếm:</translation>
    </message>
    <message>
        <source>Declaration number or partner (Ctrl+F)</source>
        <translation>Số tờ khai hoặc tên đối tác (Ctrl+F)</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>Đặt lạ&amp;i</translation>
    </message>
    <message>
        <source>Show all declarations</source>
        <translation>Hiện tất cả tờ khai</translation>
    </message>
    <message>
        <source>Back to all declarations</source>
        <translation>Quay lại tất cả tờ khai</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>Mọi ngày</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập khẩu</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Xuất khẩu</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Mọi luồng</translation>
    </message>
    <message>
        <source>All offices</source>
        <translation>Mọi chi cục</translation>
    </message>
    <message>
        <source>(several)</source>
        <translation>(nhiều giá trị)</translation>
    </message>
    <message>
        <source>(several statuses)</source>
        <translation>(nhiều trạng thái)</translation>
    </message>
    <message>
        <source>(several channels)</source>
        <translation>(nhiều luồng)</translation>
    </message>
    <message>
        <source>%1 declarations</source>
        <translation>%1 tờ khai</translation>
    </message>
    <message>
        <source>%1+ declarations (counting…)</source>
        <translation>%1+ tờ khai (đang đếm…)</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Declaration list</source>
        <translation>Danh sách tờ khai</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Loading declarations…</source>
        <translation>Đang tải danh sách tờ khai…</translation>
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
        <translation>Ngôn n&amp;gữ</translation>
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
    <name>OutboxWindow</name>
    <message>
        <source>Assessment</source>
        <translation>Đánh giá</translation>
    </message>
    <message>
        <source>Reflection</source>
        <translation>Phản ánh</translation>
    </message>
    <message>
        <source>Enterprise information</source>
        <translation>Thông tin doanh nghiệp</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Bị hỏng</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Thời điểm ghi</translation>
    </message>
    <message>
        <source>Declaration</source>
        <translation>Tờ khai</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Sent on</source>
        <translation>Ngày gửi</translation>
    </message>
    <message>
        <source>Server reference</source>
        <translation>Số tiếp nhận</translation>
    </message>
    <message>
        <source>Server answer</source>
        <translation>Trả lời của máy chủ</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã định danh</translation>
    </message>
    <message>
        <source>Damaged on this computer: it will not be sent. The stored bytes are kept for customs IT; send the entries again if needed.</source>
        <translation>Bị hỏng trên máy tính này: sẽ không được gửi. Dữ liệu đã lưu được giữ lại cho bộ phận CNTT hải quan; hãy gửi lại các nội dung nếu cần.</translation>
    </message>
    <message>
        <source>Set apart on %1</source>
        <translation>Đã tách riêng lúc %1</translation>
    </message>
    <message>
        <source>Damaged: %1</source>
        <translation>Bị hỏng: %1</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Not sent yet: %1</source>
        <translation>Chưa gửi được: %1</translation>
    </message>
    <message>
        <source>Not sent yet: it will be tried again</source>
        <translation>Chưa gửi được: sẽ thử gửi lại</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Đã tiếp nhận</translation>
    </message>
    <message>
        <source>Being reviewed</source>
        <translation>Đang xác minh</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Đã trả lời</translation>
    </message>
    <message>
        <source>Answered on %1</source>
        <translation>Đã trả lời lúc %1</translation>
    </message>
    <message>
        <source>Content removed on %1 (kept only for the retention period); the history stays</source>
        <translation>Nội dung đã được xóa lúc %1 (chỉ lưu trong thời hạn lưu trữ); lịch sử vẫn được giữ</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Hàng đợi gửi</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Đang chờ gửi</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Bị máy chủ từ chối</translation>
    </message>
    <message>
        <source>Damaged on this computer</source>
        <translation>Bị hỏng trên máy tính này</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Hiển thị:</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <source>Send the selected refused items again, unchanged.</source>
        <translation>Gửi lại các mục bị từ chối đã chọn, giữ nguyên nội dung.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Waiting: %1 · Refused: %2 · Sent: %3</source>
        <translation>Chờ gửi: %1 · Bị từ chối: %2 · Đã gửi: %3</translation>
    </message>
</context>
<context>
    <name>PluginHost</name>
    <message>
        <source>not a version number: %1</source>
        <translation>không phải số phiên bản: %1</translation>
    </message>
    <message>
        <source>host_api must be a version range such as &quot;&gt;=1.0,&lt;2.0&quot;</source>
        <translation>host_api phải là một khoảng phiên bản, ví dụ &quot;&gt;=1.0,&lt;2.0&quot;</translation>
    </message>
    <message>
        <source>malformed host_api clause %1</source>
        <translation>điều kiện host_api sai cú pháp: %1</translation>
    </message>
    <message>
        <source>~= needs at least two version parts</source>
        <translation>~= cần ít nhất hai thành phần phiên bản</translation>
    </message>
    <message>
        <source>missing or empty manifest fields: %1</source>
        <translation>khai báo thiếu hoặc để trống các trường: %1</translation>
    </message>
    <message>
        <source>invalid plugin id %1 (lower-case letters, digits and _)</source>
        <translation>mã tiện ích %1 không hợp lệ (chỉ dùng chữ thường, chữ số và _)</translation>
    </message>
    <message>
        <source>the folder is named %1 but the manifest id is %2</source>
        <translation>thư mục tên là %1 nhưng mã trong khai báo là %2</translation>
    </message>
    <message>
        <source>entry must be &apos;module:callable&apos;, not %1</source>
        <translation>entry phải có dạng &apos;module:callable&apos;, không phải %1</translation>
    </message>
    <message>
        <source>enabled_by_default must be true or false</source>
        <translation>enabled_by_default phải là true hoặc false</translation>
    </message>
    <message>
        <source>no plugin.toml in %1</source>
        <translation>không có plugin.toml trong %1</translation>
    </message>
    <message>
        <source>plugin.toml is not valid TOML: %1</source>
        <translation>plugin.toml không đúng cú pháp TOML: %1</translation>
    </message>
    <message>
        <source>cannot read plugin.toml: %1</source>
        <translation>không đọc được plugin.toml: %1</translation>
    </message>
    <message>
        <source>a plugin with the id %1 is already provided by %2</source>
        <translation>tiện ích có mã %1 đã được nạp từ %2</translation>
    </message>
    <message>
        <source>package %1 of the entry point %2 not found</source>
        <translation>không tìm thấy gói %1 của điểm vào %2</translation>
    </message>
    <message>
        <source>the entry point name %1 differs from the manifest id %2</source>
        <translation>tên điểm vào %1 khác với mã trong khai báo %2</translation>
    </message>
    <message>
        <source>needs host API %1; this program provides %2</source>
        <translation>cần API chương trình chủ %1; chương trình này cung cấp %2</translation>
    </message>
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
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Đóng không lưu</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Lưu tất cả</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Có với &amp;tất cả</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>Không với tất c&amp;ả</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hủy bỏ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Không lưu</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Khôi phục mặc định</translation>
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
        <source>The address of the customs feedback server, given by customs IT (for example https://phanhoi.haiquan.vn). It takes effect at once.</source>
        <translation>Địa chỉ máy chủ tiếp nhận phản hồi của hải quan, do bộ phận CNTT hải quan cung cấp (ví dụ https://phanhoi.haiquan.vn). Có hiệu lực ngay.</translation>
    </message>
    <message>
        <source>Passwords are kept in the system&apos;s credential store.</source>
        <translation>Mật khẩu được lưu trong kho mật khẩu của hệ điều hành.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the customs feedback server</source>
        <translation>Đăng nhập máy chủ tiếp nhận ý kiến của Hải quan</translation>
    </message>
    <message>
        <source>Remember the password in the Windows credential store</source>
        <translation>Ghi nhớ mật khẩu trong kho thông tin đăng nhập của Windows</translation>
    </message>
    <message>
        <source>No secure credential store is available: the password will be asked each time.</source>
        <translation>Máy tính không có kho lưu mật khẩu an toàn: mật khẩu sẽ được hỏi mỗi lần.</translation>
    </message>
    <message>
        <source>Tax code:</source>
        <translation>Mã số thuế:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>No server address is set (Settings).</source>
        <translation>Chưa thiết lập địa chỉ máy chủ (Thiết lập).</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>The disk is full: the submission could not be recorded. Everything recorded before is safe. Free some disk space and send again.</source>
        <translation>Ổ đĩa đã đầy: không ghi được nội dung gửi. Mọi thứ đã ghi trước đó vẫn an toàn. Hãy giải phóng dung lượng ổ đĩa rồi gửi lại.</translation>
    </message>
    <message>
        <source>Outbox (items to send)…</source>
        <translation>Hàng đợi gửi…</translation>
    </message>
    <message>
        <source>No server address is set: nothing will be sent until one is entered.</source>
        <translation>Chưa đặt địa chỉ máy chủ: chưa gửi được gì cho đến khi nhập địa chỉ.</translation>
    </message>
    <message>
        <source>Server address saved: connecting to %1…</source>
        <translation>Đã lưu địa chỉ máy chủ: đang kết nối tới %1…</translation>
    </message>
    <message>
        <source>No server address is set: open Settings to enter it.</source>
        <translation>Chưa thiết lập địa chỉ máy chủ: mở Thiết lập để nhập.</translation>
    </message>
    <message>
        <source>Outbox — items to send</source>
        <translation>Hàng đợi gửi</translation>
    </message>
    <message>
        <source>%1 item(s) of the outbox were damaged on this computer and will not be sent: see Outbox, &quot;Damaged&quot;. The other items are sent as usual.</source>
        <translation>%1 nội dung trong hàng đợi gửi bị hỏng trên máy tính này và sẽ không được gửi: xem Hàng đợi gửi, mục &quot;Bị hỏng&quot;. Các nội dung khác vẫn được gửi bình thường.</translation>
    </message>
    <message>
        <source>The outbox file was empty (0 bytes), probably cut off by a full disk or a failed copy. It was moved to %1 and a new outbox was started.</source>
        <translation>Tệp hàng đợi gửi bị rỗng (0 byte), có thể do ổ đĩa đầy hoặc sao chép lỗi. Tệp đã được chuyển sang %1 và một hàng đợi gửi mới đã được tạo.</translation>
    </message>
    <message>
        <source>The outbox file was damaged. It was moved to %1 and a new outbox was started. Keep the old file for customs IT.</source>
        <translation>Tệp hàng đợi gửi bị hỏng. Tệp đã được chuyển sang %1 và một hàng đợi mới đã được tạo. Hãy giữ tệp cũ để bộ phận CNTT Hải quan kiểm tra.</translation>
    </message>
    <message>
        <source>Signed in as %1.</source>
        <translation>Đã đăng nhập: %1.</translation>
    </message>
    <message>
        <source>Sign in again to send the %n item(s) waiting in the outbox.</source>
        <translation>Hãy đăng nhập lại để gửi %n nội dung đang chờ trong hàng đợi gửi.</translation>
    </message>
    <message>
        <source>Sign in with your enterprise&apos;s tax code to receive your declarations and send assessments.</source>
        <translation>Đăng nhập bằng mã số thuế của doanh nghiệp để nhận tờ khai và gửi đánh giá.</translation>
    </message>
    <message>
        <source>Sign in to the customs feedback server.</source>
        <translation>Đăng nhập vào máy chủ tiếp nhận phản hồi của hải quan.</translation>
    </message>
    <message>
        <source>The password is wrong for tax code %1: type it again (and check the tax code).</source>
        <translation>Mật khẩu không đúng với mã số thuế %1: hãy nhập lại (và kiểm tra mã số thuế).</translation>
    </message>
    <message>
        <source>Sign-in refused: the tax code or password is wrong.</source>
        <translation>Đăng nhập bị từ chối: mã số thuế hoặc mật khẩu không đúng.</translation>
    </message>
    <message>
        <source>This account may not sign in here.</source>
        <translation>Tài khoản này không được đăng nhập tại đây.</translation>
    </message>
    <message>
        <source>Too many sign-in attempts: wait a moment and try again.</source>
        <translation>Đăng nhập sai quá nhiều lần: vui lòng chờ một lát rồi thử lại.</translation>
    </message>
    <message>
        <source>The server is busy: try again in a moment.</source>
        <translation>Máy chủ đang bận: vui lòng thử lại sau ít phút.</translation>
    </message>
    <message>
        <source>The server cannot be reached: check the network and try again.</source>
        <translation>Không kết nối được máy chủ: kiểm tra mạng rồi thử lại.</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Cần đăng nhập</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>Chưa kết nối</translation>
    </message>
    <message>
        <source>Another window is sending</source>
        <translation>Một cửa sổ khác đang gửi</translation>
    </message>
    <message>
        <source>Waiting: %1</source>
        <translation>Chờ gửi: %1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Lỗi gần nhất: %1</translation>
    </message>
    <message>
        <source>Last sent: %1</source>
        <translation>Gửi lần cuối: %1</translation>
    </message>
    <message>
        <source>Next attempt: %1</source>
        <translation>Thử lại lúc: %1</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>the server did not answer in time</source>
        <translation>máy chủ không trả lời kịp thời hạn</translation>
    </message>
    <message>
        <source>no connection to the server</source>
        <translation>không kết nối được máy chủ</translation>
    </message>
    <message>
        <source>the server is busy; it will be tried again</source>
        <translation>máy chủ đang bận; sẽ tự gửi lại</translation>
    </message>
    <message>
        <source>the server&apos;s answer could not be read</source>
        <translation>không đọc được trả lời của máy chủ</translation>
    </message>
    <message>
        <source>the address does not answer like the feedback server</source>
        <translation>địa chỉ này không trả lời như máy chủ tiếp nhận ý kiến</translation>
    </message>
    <message>
        <source>sign-in needed</source>
        <translation>cần đăng nhập</translation>
    </message>
    <message>
        <source>the disk is full: free some space (nothing recorded is lost)</source>
        <translation>ổ đĩa đã đầy: hãy giải phóng dung lượng (không mất dữ liệu đã ghi)</translation>
    </message>
    <message>
        <source>the local outbox could not be read</source>
        <translation>không đọc được hàng đợi gửi trên máy</translation>
    </message>
</context>
<context>
    <name>UpdateClient</name>
    <message>
        <source>A downloaded update file does not match its signed length or hash and was discarded ({detail}). The installed version is unchanged.</source>
        <translation>Tệp cập nhật tải về không khớp với độ dài hoặc mã băm đã ký nên đã bị loại bỏ ({detail}). Phiên bản đang cài đặt không thay đổi.</translation>
    </message>
    <message>
        <source>Checking for updates failed: {detail}</source>
        <translation>Kiểm tra cập nhật không thành công: {detail}</translation>
    </message>
    <message>
        <source>No trusted update root is installed; updates are off.</source>
        <translation>Chưa cài đặt khóa gốc tin cậy cho cập nhật; chức năng cập nhật đang tắt.</translation>
    </message>
    <message>
        <source>Release {version} is no longer offered by the update repository.</source>
        <translation>Kho cập nhật không còn cung cấp phiên bản {version}.</translation>
    </message>
    <message>
        <source>The signed update information has expired ({detail}). Customs IT must re-sign the update repository; no update was installed.</source>
        <translation>Thông tin cập nhật đã ký đã hết hạn ({detail}). Bộ phận CNTT hải quan cần ký lại kho cập nhật; chưa cài đặt bản cập nhật nào.</translation>
    </message>
    <message>
        <source>The update could not be stored on this computer ({detail}).</source>
        <translation>Không lưu được bản cập nhật trên máy tính này ({detail}).</translation>
    </message>
    <message>
        <source>The update information failed its signature check ({detail}); it was refused. The installed version is unchanged.</source>
        <translation>Thông tin cập nhật không qua được kiểm tra chữ ký ({detail}) nên đã bị từ chối. Phiên bản đang cài đặt không thay đổi.</translation>
    </message>
    <message>
        <source>The update repository sent invalid information ({detail}); it was refused.</source>
        <translation>Kho cập nhật gửi thông tin không hợp lệ ({detail}) nên đã bị từ chối.</translation>
    </message>
    <message>
        <source>The update server cannot be reached ({detail}). The program will try again later.</source>
        <translation>Không kết nối được máy chủ cập nhật ({detail}). Chương trình sẽ thử lại sau.</translation>
    </message>
    <message>
        <source>The {ring} release list is not valid ({detail}).</source>
        <translation>Danh sách phiên bản của nhóm {ring} không hợp lệ ({detail}).</translation>
    </message>
    <message>
        <source>The {ring} release list is too large; it was refused.</source>
        <translation>Danh sách phiên bản của nhóm {ring} quá lớn nên đã bị từ chối.</translation>
    </message>
</context>
<context>
    <name>UpdatePolicy</name>
    <message>
        <source>Update ring: {ring}</source>
        <translation>Nhóm cập nhật: {ring}</translation>
    </message>
    <message>
        <source>automatic checks switched off by IT</source>
        <translation>bộ phận CNTT đã tắt kiểm tra tự động</translation>
    </message>
    <message>
        <source>default (no IT policy)</source>
        <translation>mặc định (không có chính sách CNTT)</translation>
    </message>
    <message>
        <source>no update repository configured</source>
        <translation>chưa cấu hình kho cập nhật</translation>
    </message>
    <message>
        <source>pilot (release candidates)</source>
        <translation>thí điểm (bản phát hành thử)</translation>
    </message>
    <message>
        <source>policy problem: {problem}</source>
        <translation>lỗi chính sách: {problem}</translation>
    </message>
    <message>
        <source>set by IT policy ({source})</source>
        <translation>do chính sách CNTT thiết lập ({source})</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>chính thức</translation>
    </message>
</context>
<context>
    <name>Updates</name>
    <message>
        <source>A new version {version} is available (you have {current}). Install it now?</source>
        <translation>Có phiên bản mới {version} (bạn đang dùng {current}). Cài đặt ngay?</translation>
    </message>
    <message>
        <source>Check for updates…</source>
        <translation>Kiểm tra cập nhật…</translation>
    </message>
    <message>
        <source>Declarant Desk {version} is up to date ({ring} ring).</source>
        <translation>Declarant Desk {version} là phiên bản mới nhất (nhóm {ring}).</translation>
    </message>
    <message>
        <source>Downloading version {version}…</source>
        <translation>Đang tải phiên bản {version}…</translation>
    </message>
    <message>
        <source>Install now</source>
        <translation>Cài đặt ngay</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>New version {version}: install…</source>
        <translation>Phiên bản mới {version}: cài đặt…</translation>
    </message>
    <message>
        <source>No update repository is configured for this workstation.</source>
        <translation>Máy trạm này chưa được cấu hình kho cập nhật.</translation>
    </message>
    <message>
        <source>The installer could not be started ({detail}); the current version stays.</source>
        <translation>Không khởi động được trình cài đặt ({detail}); phiên bản hiện tại được giữ nguyên.</translation>
    </message>
    <message>
        <source>The installer did not finish in time; the current version stays.</source>
        <translation>Trình cài đặt không hoàn tất kịp thời; phiên bản hiện tại được giữ nguyên.</translation>
    </message>
    <message>
        <source>The installer runs on Windows only. The verified file was kept at {path}.</source>
        <translation>Trình cài đặt chỉ chạy trên Windows. Tệp đã kiểm tra được giữ tại {path}.</translation>
    </message>
    <message>
        <source>The installer stopped with code {code}; version {current} stays installed and your data is unchanged.</source>
        <translation>Trình cài đặt dừng với mã {code}; phiên bản {current} vẫn được giữ và dữ liệu của bạn không thay đổi.</translation>
    </message>
    <message>
        <source>The program keeps your data. If the installation fails, the current version stays.</source>
        <translation>Dữ liệu của bạn được giữ nguyên. Nếu cài đặt không thành công, phiên bản hiện tại vẫn được giữ.</translation>
    </message>
    <message>
        <source>The trusted update root is missing from the installation.</source>
        <translation>Bộ cài đặt thiếu khóa gốc tin cậy cho cập nhật.</translation>
    </message>
    <message>
        <source>Unexpected update error: {detail}</source>
        <translation>Lỗi cập nhật không mong muốn: {detail}</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Update not installed</source>
        <translation>Chưa cài đặt bản cập nhật</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Customs IT withdrew version {current}. Go back to version {version} now?</source>
        <translation>Bộ phận CNTT hải quan đã thu hồi phiên bản {current}. Quay lại phiên bản {version} ngay?</translation>
    </message>
    <message>
        <source>Version {version} is available: use the button on the right to install it.</source>
        <translation>Đã có phiên bản {version}: bấm nút bên phải để cài đặt.</translation>
    </message>
    <message>
        <source>Version {version} is installed; it starts the next time you open Declarant Desk.</source>
        <translation>Đã cài đặt phiên bản {version}; phiên bản này chạy từ lần mở Declarant Desk tiếp theo.</translation>
    </message>
    <message>
        <source>version {version} available</source>
        <translation>có phiên bản {version}</translation>
    </message>
</context>
<context>
    <name>WelcomeBar</name>
    <message>
        <source>Welcome to Declarant Desk.</source>
        <translation>Chào mừng đến với Declarant Desk.</translation>
    </message>
    <message>
        <source>Step 2 of 2: sign in with your enterprise&apos;s tax code and password. Your declarations then appear in the list and assessments can be sent.</source>
        <translation>Bước 2/2: đăng nhập bằng mã số thuế và mật khẩu của doanh nghiệp. Sau đó tờ khai sẽ hiện trong danh sách và có thể gửi đánh giá.</translation>
    </message>
    <message>
        <source>The list stays empty until the program is connected to the customs feedback server. Step 1 of 2: enter the server address (customs IT gives it). Step 2: sign in with your enterprise&apos;s tax code.</source>
        <translation>Danh sách còn trống cho đến khi chương trình kết nối với máy chủ tiếp nhận phản hồi của hải quan. Bước 1/2: nhập địa chỉ máy chủ (do bộ phận CNTT hải quan cung cấp). Bước 2: đăng nhập bằng mã số thuế của doanh nghiệp.</translation>
    </message>
    <message>
        <source>1. Set the server &amp;address…</source>
        <translation>1. Đặt địa &amp;chỉ máy chủ…</translation>
    </message>
    <message>
        <source>2. Si&amp;gn in…</source>
        <translation>2. Đăn&amp;g nhập…</translation>
    </message>
</context>
</TS>
