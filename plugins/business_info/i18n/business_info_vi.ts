<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>business_info</name>
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
        <source>Contact &amp;phone</source>
        <translation>Điện thoại liên &amp;hệ</translation>
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
        <source>Main &amp;business line</source>
        <translation>Ngành nghề &amp;kinh doanh chính</translation>
    </message>
    <message>
        <source>Number of e&amp;mployees</source>
        <translation>Số l&amp;ao động</translation>
    </message>
    <message>
        <source>&amp;Charter capital (VND)</source>
        <translation>&amp;Vốn điều lệ (VNĐ)</translation>
    </message>
    <message>
        <source>Production site or &amp;warehouse</source>
        <translation>Địa điểm sản xuất, kho &amp;bãi</translation>
    </message>
    <message>
        <source>Customs branch usually &amp;dealt with</source>
        <translation>Chi cục Hải quan thường làm thủ tục (&amp;D)</translation>
    </message>
    <message>
        <source>Rea&amp;son for providing</source>
        <translation>&amp;Lý do cung cấp</translation>
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
        <source>The tax code is not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</source>
        <translation>Mã số thuế không hợp lệ: gồm 10 chữ số, hoặc 13 chữ số dạng XXXXXXXXXX-YYY, với chữ số kiểm tra đúng.</translation>
    </message>
    <message>
        <source>Enter the enterprise's name.</source>
        <translation>Hãy nhập tên doanh nghiệp.</translation>
    </message>
    <message>
        <source>Enter the head office address.</source>
        <translation>Hãy nhập địa chỉ trụ sở.</translation>
    </message>
    <message>
        <source>The phone number is not valid: 10 digits starting with 03, 05, 07, 08 or 09 (+84 is accepted).</source>
        <translation>Số điện thoại không hợp lệ: gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (chấp nhận +84).</translation>
    </message>
    <message>
        <source>The e-mail address is not valid.</source>
        <translation>Địa chỉ thư điện tử không hợp lệ.</translation>
    </message>
    <message>
        <source>The representative's name is too long.</source>
        <translation>Tên người đại diện quá dài.</translation>
    </message>
    <message>
        <source>Choose why you are providing the information.</source>
        <translation>Hãy chọn lý do cung cấp thông tin.</translation>
    </message>
    <message>
        <source>The number of employees must be a whole number.</source>
        <translation>Số lao động phải là số nguyên.</translation>
    </message>
    <message>
        <source>The charter capital must be an amount in đồng.</source>
        <translation>Vốn điều lệ phải là số tiền tính bằng đồng.</translation>
    </message>
    <message>
        <source>%1 is too long.</source>
        <translation>%1 quá dài.</translation>
    </message>
    <message>
        <source>Provide enterprise information</source>
        <translation>Cung cấp thông tin doanh nghiệp</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— chọn —</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Gửi</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
    <message>
        <source>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and periodically when customs asks.</source>
        <translation>Cơ quan hải quan thu thập thông tin này phục vụ quản lý rủi ro. Doanh nghiệp cung cấp khi thông tin thay đổi, khi lần đầu làm thủ tục tại đơn vị hải quan và định kỳ theo yêu cầu của cơ quan hải quan.</translation>
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
        <source>This enterprise's information has not been provided from this computer yet.</source>
        <translation>Thông tin doanh nghiệp chưa được cung cấp từ máy tính này.</translation>
    </message>
    <message>
        <source>Last provided on %1</source>
        <translation>Cung cấp lần gần nhất: %1</translation>
    </message>
    <message>
        <source>The information could not be queued for sending: %1</source>
        <translation>Không thể đưa thông tin vào hàng đợi gửi: %1</translation>
    </message>
    <message>
        <source>Enterprise information saved; it is sent as soon as there is a connection.</source>
        <translation>Đã lưu thông tin doanh nghiệp; thông tin sẽ được gửi ngay khi có kết nối.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information: Other operations → Provide enterprise information.</source>
        <translation>Cơ quan hải quan đề nghị doanh nghiệp cung cấp thông tin: Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp.</translation>
    </message>
</context>
</TS>
