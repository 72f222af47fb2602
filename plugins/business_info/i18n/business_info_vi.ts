<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>business_info</name>
    <message>
        <source>Identity</source>
        <translation>Định danh</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Người liên hệ</translation>
    </message>
    <message>
        <source>Business lines</source>
        <translation>Ngành nghề kinh doanh</translation>
    </message>
    <message>
        <source>Import and export</source>
        <translation>Xuất nhập khẩu</translation>
    </message>
    <message>
        <source>Bank accounts</source>
        <translation>Tài khoản ngân hàng</translation>
    </message>
    <message>
        <source>Sites and warehouses</source>
        <translation>Cơ sở sản xuất, kho bãi</translation>
    </message>
    <message>
        <source>Related parties</source>
        <translation>Bên liên quan</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>Ngân hàng</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Số tài khoản</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Loại tiền</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Tax code or ID</source>
        <translation>Mã số thuế hoặc mã định danh</translation>
    </message>
    <message>
        <source>Country (2 letters)</source>
        <translation>Quốc gia (2 chữ cái)</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>Quan hệ</translation>
    </message>
    <message>
        <source>VSIC code</source>
        <translation>Mã ngành VSIC</translation>
    </message>
    <message>
        <source>The information has changed</source>
        <translation>Thông tin thay đổi</translation>
    </message>
    <message>
        <source>First procedure at this customs unit</source>
        <translation>Lần đầu làm thủ tục tại đơn vị hải quan</translation>
    </message>
    <message>
        <source>Periodic, as requested by customs</source>
        <translation>Định kỳ theo yêu cầu của cơ quan hải quan</translation>
    </message>
    <message>
        <source>Requested by customs</source>
        <translation>Theo yêu cầu của cơ quan hải quan</translation>
    </message>
    <message>
        <source>Periodic (collection plan)</source>
        <translation>Định kỳ (kế hoạch thu thập)</translation>
    </message>
    <message>
        <source>First procedure at a customs unit</source>
        <translation>Lần đầu làm thủ tục tại đơn vị hải quan</translation>
    </message>
    <message>
        <source>Ad hoc request</source>
        <translation>Yêu cầu đột xuất</translation>
    </message>
    <message>
        <source>Production site</source>
        <translation>Cơ sở sản xuất</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Kho bãi</translation>
    </message>
    <message>
        <source>Parent company</source>
        <translation>Công ty mẹ</translation>
    </message>
    <message>
        <source>Subsidiary</source>
        <translation>Công ty con</translation>
    </message>
    <message>
        <source>Affiliate</source>
        <translation>Công ty liên kết</translation>
    </message>
    <message>
        <source>Owner or shareholder</source>
        <translation>Chủ sở hữu hoặc cổ đông</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Under 1 billion đồng</source>
        <translation>Dưới 1 tỷ đồng</translation>
    </message>
    <message>
        <source>1 to 10 billion đồng</source>
        <translation>Từ 1 đến 10 tỷ đồng</translation>
    </message>
    <message>
        <source>10 to 50 billion đồng</source>
        <translation>Từ 10 đến 50 tỷ đồng</translation>
    </message>
    <message>
        <source>50 to 200 billion đồng</source>
        <translation>Từ 50 đến 200 tỷ đồng</translation>
    </message>
    <message>
        <source>200 to 1,000 billion đồng</source>
        <translation>Từ 200 đến 1.000 tỷ đồng</translation>
    </message>
    <message>
        <source>Over 1,000 billion đồng</source>
        <translation>Trên 1.000 tỷ đồng</translation>
    </message>
    <message>
        <source>%1: not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</source>
        <translation>%1: không hợp lệ: gồm 10 chữ số, hoặc 13 chữ số dạng XXXXXXXXXX-YYY, với chữ số kiểm tra đúng.</translation>
    </message>
    <message>
        <source>%1: required.</source>
        <translation>%1: bắt buộc.</translation>
    </message>
    <message>
        <source>%1: not a valid e-mail address (for example ketoan@congty.vn).</source>
        <translation>%1: không phải địa chỉ thư điện tử hợp lệ (ví dụ ketoan@congty.vn).</translation>
    </message>
    <message>
        <source>%1: not a valid phone number: a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a landline with its area code (for example 0225 3842 123).</source>
        <translation>%1: số điện thoại không hợp lệ: số di động (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09) hoặc số cố định kèm mã vùng (ví dụ 0225 3842 123).</translation>
    </message>
    <message>
        <source>%1: unknown code %2.</source>
        <translation>%1: mã %2 không có trong danh mục.</translation>
    </message>
    <message>
        <source>%1: too long.</source>
        <translation>%1: quá dài.</translation>
    </message>
    <message>
        <source>%1: 4 to 34 letters or digits.</source>
        <translation>%1: từ 4 đến 34 chữ cái hoặc chữ số.</translation>
    </message>
    <message>
        <source>%1: a three-letter code such as VND or USD.</source>
        <translation>%1: mã gồm ba chữ cái, ví dụ VND hoặc USD.</translation>
    </message>
    <message>
        <source>%1: a two-letter code such as VN or JP.</source>
        <translation>%1: mã gồm hai chữ cái, ví dụ VN hoặc JP.</translation>
    </message>
    <message>
        <source>%1: the same account is listed twice.</source>
        <translation>%1: một tài khoản được kê hai lần.</translation>
    </message>
    <message>
        <source>&amp;Add a row</source>
        <translation>&amp;Thêm dòng</translation>
    </message>
    <message>
        <source>&amp;Remove the row</source>
        <translation>&amp;Xóa dòng</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>đã trả lời</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
    <message>
        <source>to answer</source>
        <translation>cần trả lời</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>Trả lời: %1</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>hạn %1</translation>
    </message>
    <message>
        <source>Nothing changed since the last version. Send it again to confirm that the information is still correct?</source>
        <translation>Không có thay đổi so với lần cung cấp gần nhất. Gửi lại để xác nhận thông tin vẫn đúng?</translation>
    </message>
    <message>
        <source>Check the changes since the last version (highlighted), then send.</source>
        <translation>Kiểm tra các thay đổi so với lần cung cấp gần nhất (được tô sáng), rồi gửi.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(chưa có)</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(đã bỏ)</translation>
    </message>
    <message>
        <source>Provide enterprise information</source>
        <translation>Cung cấp thông tin doanh nghiệp</translation>
    </message>
    <message>
        <source>&amp;Tax code</source>
        <translation>&amp;Mã số thuế</translation>
    </message>
    <message>
        <source>Enterprise &amp;name</source>
        <translation>&amp;Tên doanh nghiệp</translation>
    </message>
    <message>
        <source>Head office &amp;address</source>
        <translation>Địa chỉ trụ &amp;sở</translation>
    </message>
    <message>
        <source>Company &amp;phone</source>
        <translation>Điện t&amp;hoại doanh nghiệp</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>Thư điện tử (&amp;E-mail)</translation>
    </message>
    <message>
        <source>Legal &amp;representative</source>
        <translation>Người đại diện theo &amp;pháp luật</translation>
    </message>
    <message>
        <source>Contact person&apos;s &amp;name</source>
        <translation>&amp;Tên người liên hệ</translation>
    </message>
    <message>
        <source>&amp;Position</source>
        <translation>&amp;Chức vụ</translation>
    </message>
    <message>
        <source>Contact person&apos;s &amp;phone</source>
        <translation>Điện thoại người &amp;liên hệ</translation>
    </message>
    <message>
        <source>Contact person&apos;s &amp;e-mail</source>
        <translation>Thư điện tử người liên &amp;hệ</translation>
    </message>
    <message>
        <source>Business lines (VSIC)</source>
        <translation>Ngành nghề kinh doanh (VSIC)</translation>
    </message>
    <message>
        <source>Main goods: &amp;HS chapters</source>
        <translation>Hàng hóa chính: chương &amp;HS</translation>
    </message>
    <message>
        <source>Customs units usually dealt with</source>
        <translation>Đơn vị hải quan thường làm thủ tục</translation>
    </message>
    <message>
        <source>Yearly import-export &amp;turnover</source>
        <translation>&amp;Kim ngạch xuất nhập khẩu hằng năm</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>Tài khoản ngân hàng</translation>
    </message>
    <message>
        <source>Production site or warehouse</source>
        <translation>Cơ sở sản xuất, kho bãi</translation>
    </message>
    <message>
        <source>Related party</source>
        <translation>Bên liên quan</translation>
    </message>
    <message>
        <source>Other information</source>
        <translation>Thông tin khác</translation>
    </message>
    <message>
        <source>Rea&amp;son for providing</source>
        <translation>&amp;Lý do cung cấp</translation>
    </message>
    <message>
        <source>Request answered</source>
        <translation>Yêu cầu được trả lời</translation>
    </message>
    <message>
        <source>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and when customs asks.</source>
        <translation>Cơ quan hải quan thu thập thông tin này phục vụ quản lý rủi ro. Doanh nghiệp cung cấp khi thông tin thay đổi, khi lần đầu làm thủ tục tại một đơn vị hải quan và khi cơ quan hải quan yêu cầu.</translation>
    </message>
    <message>
        <source>Request from customs</source>
        <translation>Yêu cầu của cơ quan hải quan</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Hạn cung cấp</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Requests from customs</source>
        <translation>Các yêu cầu của cơ quan hải quan</translation>
    </message>
    <message>
        <source>The first line is the main business line.</source>
        <translation>Dòng đầu tiên là ngành nghề kinh doanh chính.</translation>
    </message>
    <message>
        <source>&amp;Record and check</source>
        <translation>&amp;Ghi và kiểm tra</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường thông tin</translation>
    </message>
    <message>
        <source>Last version</source>
        <translation>Lần cung cấp gần nhất</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Hiện nay</translation>
    </message>
    <message>
        <source>&amp;Send to customs</source>
        <translation>&amp;Gửi cơ quan hải quan</translation>
    </message>
    <message>
        <source>&amp;Back to the form</source>
        <translation>&amp;Quay lại biểu mẫu</translation>
    </message>
    <message>
        <source>for example 84, 85, 39</source>
        <translation>ví dụ 84, 85, 39</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— chọn —</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
    <message>
        <source>queued, will be sent when the connection returns</source>
        <translation>đang chờ, sẽ gửi khi có kết nối</translation>
    </message>
    <message>
        <source>being sent</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <source>received by customs</source>
        <translation>cơ quan hải quan đã nhận</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>bị máy chủ từ chối</translation>
    </message>
    <message>
        <source>(%n request(s))</source>
        <translation>(%n yêu cầu)</translation>
    </message>
    <message>
        <source>Customs asked for your enterprise information by %1: the request is overdue.</source>
        <translation>Cơ quan hải quan yêu cầu cung cấp thông tin doanh nghiệp trước ngày %1: yêu cầu đã quá hạn.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information by %1.</source>
        <translation>Cơ quan hải quan yêu cầu cung cấp thông tin doanh nghiệp trước ngày %1.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information.</source>
        <translation>Cơ quan hải quan yêu cầu cung cấp thông tin doanh nghiệp.</translation>
    </message>
    <message>
        <source>Other operations → Provide enterprise information.</source>
        <translation>Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp.</translation>
    </message>
    <message>
        <source>The form shows the information customs holds from the last collection.</source>
        <translation>Biểu mẫu hiển thị thông tin cơ quan hải quan đang lưu từ lần thu thập trước.</translation>
    </message>
    <message>
        <source>The form shows the last version your enterprise sent from another workstation.</source>
        <translation>Biểu mẫu hiển thị lần cung cấp gần nhất của doanh nghiệp từ máy trạm khác.</translation>
    </message>
    <message>
        <source>This enterprise&apos;s information has not been provided from this computer yet.</source>
        <translation>Thông tin doanh nghiệp chưa được cung cấp từ máy tính này.</translation>
    </message>
    <message>
        <source>Last provided on %1</source>
        <translation>Cung cấp lần gần nhất: %1</translation>
    </message>
    <message>
        <source>Record the information first.</source>
        <translation>Hãy ghi thông tin trước.</translation>
    </message>
    <message>
        <source>The information could not be queued for sending: %1</source>
        <translation>Không thể đưa thông tin vào hàng đợi gửi: %1</translation>
    </message>
    <message>
        <source>Enterprise information recorded; it is sent as soon as there is a connection.</source>
        <translation>Đã ghi thông tin doanh nghiệp; thông tin được gửi ngay khi có kết nối.</translation>
    </message>
</context>
</TS>
