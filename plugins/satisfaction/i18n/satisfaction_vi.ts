<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
    <context>
        <name>AnswersWindow</name>
        <message>
            <source>Assessment</source>
            <translation>Đánh giá</translation>
        </message>
        <message>
            <source>Reflection</source>
            <translation>Phản ánh</translation>
        </message>
        <message>
            <source>Results of assessments and reflections</source>
            <translation>Kết quả đánh giá, phản ánh</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Loại</translation>
        </message>
        <message>
            <source>Declaration</source>
            <translation>Số tờ khai</translation>
        </message>
        <message>
            <source>Recorded</source>
            <translation>Ngày ghi</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation>Số tham chiếu</translation>
        </message>
        <message>
            <source>Processing</source>
            <translation>Xử lý</translation>
        </message>
        <message>
            <source>Answer due</source>
            <translation>Hạn trả lời</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>Trả lời</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Chi tiết</translation>
        </message>
        <message>
            <source>&amp;Open</source>
            <translation>&amp;Mở</translation>
        </message>
        <message>
            <source>Open the assessment (a rejected one can be corrected and sent again)</source>
            <translation>Mở phiếu đánh giá (phiếu bị từ chối có thể sửa và gửi lại)</translation>
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation>&amp;Làm mới</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>&amp;Accept the answer</source>
            <translation>&amp;Chấp nhận trả lời</translation>
        </message>
        <message>
            <source>The answer settles the matter: customs closes the case</source>
            <translation>Nội dung trả lời đã giải quyết vấn đề: cơ quan hải quan đóng hồ sơ</translation>
        </message>
        <message>
            <source>Re&amp;open the case…</source>
            <translation>Mở &amp;lại hồ sơ…</translation>
        </message>
        <message>
            <source>The answer does not settle the matter: customs handles the case again (once)</source>
            <translation>Nội dung trả lời chưa giải quyết vấn đề: cơ quan hải quan xử lý lại hồ sơ (một lần)</translation>
        </message>
        <message>
            <source>%1 sent · %2 queued · %3 answered · %4 rejected</source>
            <translation>%1 đã gửi · %2 chờ gửi · %3 đã trả lời · %4 bị từ chối</translation>
        </message>
        <message>
            <source>Nothing has been sent yet.</source>
            <translation>Chưa gửi đánh giá hoặc phản ánh nào.</translation>
        </message>
        <message>
            <source>Reason given by the server: %1</source>
            <translation>Lý do máy chủ đưa ra: %1</translation>
        </message>
        <message>
            <source>Case at customs: %1</source>
            <translation>Hồ sơ tại cơ quan hải quan: %1</translation>
        </message>
        <message>
            <source>answer due %1</source>
            <translation>hạn trả lời %1</translation>
        </message>
        <message>
            <source>You accepted the answer.</source>
            <translation>Doanh nghiệp đã chấp nhận nội dung trả lời.</translation>
        </message>
        <message>
            <source>You reopened the case: %1</source>
            <translation>Doanh nghiệp đã đề nghị mở lại hồ sơ: %1</translation>
        </message>
        <message>
            <source>(waiting to be sent)</source>
            <translation>(đang chờ gửi)</translation>
        </message>
        <message>
            <source>(refused: %1)</source>
            <translation>(bị từ chối: %1)</translation>
        </message>
        <message>
            <source>Answer from customs</source>
            <translation>Trả lời của cơ quan hải quan</translation>
        </message>
        <message>
            <source>Outcome: %1</source>
            <translation>Kết quả xác minh: %1</translation>
        </message>
        <message>
            <source>verified</source>
            <translation>đã xác minh</translation>
        </message>
        <message>
            <source>Detailed reason: %1</source>
            <translation>Lý do chi tiết: %1</translation>
        </message>
        <message>
            <source>Reopen the case</source>
            <translation>Mở lại hồ sơ</translation>
        </message>
        <message>
            <source>Why does the answer not settle the matter? Customs handles the case again; a case can be reopened once.</source>
            <translation>Vì sao nội dung trả lời chưa giải quyết vấn đề? Cơ quan hải quan sẽ xử lý lại; mỗi hồ sơ chỉ được mở lại một lần.</translation>
        </message>
    </context>
    <context>
        <name>AssessmentDialog</name>
        <message>
            <source>Service-quality assessment — %1</source>
            <translation>Đánh giá sự hài lòng — tờ khai %1</translation>
        </message>
        <message>
            <source>Rate every official, working team, professional stage and customs branch that handled this declaration: 1 to 5 stars (arrow keys or digits) and at least one reason.</source>
            <translation>Đánh giá từng công chức, đội công tác, khâu nghiệp vụ và chi cục hải quan đã xử lý tờ khai này: từ 1 đến 5 sao (phím mũi tên hoặc phím số) và ít nhất một lý do.</translation>
        </message>
        <message>
            <source>&amp;Copy the first rating to unrated targets</source>
            <translation>&amp;Chép đánh giá đầu tiên cho các mục chưa đánh giá</translation>
        </message>
        <message>
            <source>Give every target without stars the same stars and reasons as the first one.</source>
            <translation>Gán cho mọi mục chưa có sao cùng số sao và lý do như mục đầu tiên.</translation>
        </message>
        <message>
            <source>Detailed reason and contact person (required with 1 or 2 stars)</source>
            <translation>Lý do chi tiết và người liên hệ (bắt buộc khi đánh giá 1 hoặc 2 sao)</translation>
        </message>
        <message>
            <source>What happened, when and where (at most %1 characters)</source>
            <translation>Nội dung sự việc, thời gian, địa điểm (tối đa %1 ký tự)</translation>
        </message>
        <message>
            <source>&amp;Detailed reason:</source>
            <translation>&amp;Lý do chi tiết:</translation>
        </message>
        <message>
            <source>Contact &amp;full name:</source>
            <translation>&amp;Họ tên người liên hệ:</translation>
        </message>
        <message>
            <source>Mobile &amp;phone:</source>
            <translation>Số &amp;điện thoại di động:</translation>
        </message>
        <message>
            <source>Detailed reason</source>
            <translation>Lý do chi tiết</translation>
        </message>
        <message>
            <source>Contact full name</source>
            <translation>Họ tên người liên hệ</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>Số điện thoại di động</translation>
        </message>
        <message>
            <source>&amp;Record</source>
            <translation>&amp;Ghi</translation>
        </message>
        <message>
            <source>Check the form and show exactly what will be sent (Ctrl+Enter)</source>
            <translation>Kiểm tra phiếu và hiển thị đúng nội dung sẽ gửi (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Summary of the assessment</source>
            <translation>Nội dung đánh giá</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>&amp;Gửi</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Sửa</translation>
        </message>
        <message>
            <source>Correct and send &amp;again</source>
            <translation>Sửa và gửi &amp;lại</translation>
        </message>
        <message>
            <source>Detailed reason and contact person (required: a target has 1 or 2 stars)</source>
            <translation>Lý do chi tiết và người liên hệ (bắt buộc: có mục được đánh giá 1 hoặc 2 sao)</translation>
        </message>
        <message>
            <source>Check what will be sent. Choose &lt;b&gt;Send&lt;/b&gt; to send it, or &lt;b&gt;Edit&lt;/b&gt; to go back to the form. Once sent, the assessment cannot be changed.</source>
            <translation>Kiểm tra nội dung sẽ gửi. Chọn &lt;b&gt;Gửi&lt;/b&gt; để gửi, hoặc &lt;b&gt;Sửa&lt;/b&gt; để quay lại phiếu. Sau khi gửi, đánh giá không thể thay đổi.</translation>
        </message>
        <message>
            <source>Customs reference: %1</source>
            <translation>Số tham chiếu hải quan: %1</translation>
        </message>
        <message>
            <source>Processing: %1</source>
            <translation>Tình trạng xử lý: %1</translation>
        </message>
        <message>
            <source>Answer from customs:</source>
            <translation>Trả lời của cơ quan hải quan:</translation>
        </message>
        <message>
            <source>This declaration was assessed from another workstation of your enterprise.</source>
            <translation>Tờ khai này đã được đánh giá từ máy khác của doanh nghiệp.</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Lý do: %1</translation>
        </message>
        <message>
            <source>Please correct the following:</source>
            <translation>Vui lòng sửa các nội dung sau:</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Đối tượng</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Mức độ</translation>
        </message>
        <message>
            <source>Reasons</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Ý kiến khác</translation>
        </message>
        <message>
            <source>Detailed reason:</source>
            <translation>Lý do chi tiết:</translation>
        </message>
        <message>
            <source>Contact person:</source>
            <translation>Người liên hệ:</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
    </context>
    <context>
        <name>ReflectionDialog</name>
        <message>
            <source>Reflection during the procedure — %1</source>
            <translation>Phản ánh trong quá trình làm thủ tục — tờ khai %1</translation>
        </message>
        <message>
            <source>Tell customs about a problem that arose during the procedure of this declaration. Customs verifies every reflection and sends you its answer.</source>
            <translation>Phản ánh với cơ quan hải quan vướng mắc phát sinh trong quá trình làm thủ tục của tờ khai này. Cơ quan hải quan xác minh mọi phản ánh và gửi trả lời cho doanh nghiệp.</translation>
        </message>
        <message>
            <source>Describe the problem (at most %1 characters)</source>
            <translation>Nội dung vướng mắc (tối đa %1 ký tự)</translation>
        </message>
        <message>
            <source>Targets concerned</source>
            <translation>Đối tượng liên quan</translation>
        </message>
        <message>
            <source>&amp;Full name:</source>
            <translation>&amp;Họ tên:</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation>Họ tên</translation>
        </message>
        <message>
            <source>Mobile &amp;phone:</source>
            <translation>Số &amp;điện thoại di động:</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>Số điện thoại di động</translation>
        </message>
        <message>
            <source>&amp;Content:</source>
            <translation>&amp;Nội dung:</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Nội dung</translation>
        </message>
        <message>
            <source>&amp;Targets concerned (optional):</source>
            <translation>Đối &amp;tượng liên quan (không bắt buộc):</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>&amp;Gửi</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Please correct the following:</source>
            <translation>Vui lòng sửa các nội dung sau:</translation>
        </message>
    </context>
    <context>
        <name>SatisfactionCommon</name>
        <message>
            <source>Declaration</source>
            <translation>Tờ khai</translation>
        </message>
        <message>
            <source>Not yet possible</source>
            <translation>Chưa thể đánh giá</translation>
        </message>
        <message>
            <source>Not rated</source>
            <translation>Chưa đánh giá</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>Chờ gửi</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Đã gửi</translation>
        </message>
        <message>
            <source>Answered</source>
            <translation>Đã trả lời</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Bị từ chối</translation>
        </message>
        <message>
            <source>It will be sent when the connection returns.</source>
            <translation>Sẽ được gửi khi có kết nối.</translation>
        </message>
        <message>
            <source>Received by customs, waiting for processing.</source>
            <translation>Cơ quan hải quan đã nhận, đang chờ xử lý.</translation>
        </message>
        <message>
            <source>Customs has answered.</source>
            <translation>Cơ quan hải quan đã trả lời.</translation>
        </message>
        <message>
            <source>The server refused it: correct it and send it again.</source>
            <translation>Máy chủ đã từ chối: hãy sửa và gửi lại.</translation>
        </message>
        <message>
            <source>This declaration can be rated.</source>
            <translation>Tờ khai này có thể đánh giá.</translation>
        </message>
        <message>
            <source>Rating is not possible yet for this declaration.</source>
            <translation>Tờ khai này chưa thể đánh giá.</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Đã tiếp nhận</translation>
        </message>
        <message>
            <source>Being verified</source>
            <translation>Đang xác minh</translation>
        </message>
        <message>
            <source>Assigned to an official</source>
            <translation>Đã giao công chức xử lý</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Đã đóng</translation>
        </message>
        <message>
            <source>Reopened</source>
            <translation>Đã mở lại</translation>
        </message>
        <message>
            <source>The detailed reason</source>
            <translation>Lý do chi tiết</translation>
        </message>
        <message>
            <source>The contact person's full name</source>
            <translation>Họ tên người liên hệ</translation>
        </message>
        <message>
            <source>The contact phone number</source>
            <translation>Số điện thoại liên hệ</translation>
        </message>
        <message>
            <source>The full name</source>
            <translation>Họ tên</translation>
        </message>
        <message>
            <source>The phone number</source>
            <translation>Số điện thoại</translation>
        </message>
        <message>
            <source>The content</source>
            <translation>Nội dung</translation>
        </message>
        <message>
            <source>Choose 1 to 5 stars for %1.</source>
            <translation>Chọn từ 1 đến 5 sao cho %1.</translation>
        </message>
        <message>
            <source>Choose at least one reason for %1.</source>
            <translation>Chọn ít nhất một lý do cho %1.</translation>
        </message>
        <message>
            <source>The phone number is not valid: a mobile number has 10 digits and starts with 03, 05, 07, 08 or 09 (+84 is accepted).</source>
            <translation>Số điện thoại không hợp lệ: số di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (chấp nhận dạng +84).</translation>
        </message>
        <message>
            <source>The comment on %1</source>
            <translation>Ý kiến về %1</translation>
        </message>
        <message>
            <source>%1 is too long: %2 characters, at most %3.</source>
            <translation>%1 quá dài: %2 ký tự, tối đa %3.</translation>
        </message>
        <message>
            <source>Enter the detailed reason: it is required when a target gets 1 or 2 stars.</source>
            <translation>Nhập lý do chi tiết: bắt buộc khi có mục được đánh giá 1 hoặc 2 sao.</translation>
        </message>
        <message>
            <source>Enter the contact person's full name: it is required with 1 or 2 stars.</source>
            <translation>Nhập họ tên người liên hệ: bắt buộc khi đánh giá 1 hoặc 2 sao.</translation>
        </message>
        <message>
            <source>Enter the contact person's mobile phone: it is required with 1 or 2 stars.</source>
            <translation>Nhập số điện thoại di động của người liên hệ: bắt buộc khi đánh giá 1 hoặc 2 sao.</translation>
        </message>
        <message>
            <source>%1 is required.</source>
            <translation>Chưa nhập %1.</translation>
        </message>
        <message>
            <source>This declaration cannot be assessed yet: the goods must be released, brought to preservation or cleared.</source>
            <translation>Tờ khai này chưa thể đánh giá: hàng phải được giải phóng, đưa về bảo quản hoặc thông quan.</translation>
        </message>
        <message>
            <source>A reflection can be sent only once the declaration has been given a channel.</source>
            <translation>Chỉ gửi được phản ánh khi tờ khai đã được phân luồng.</translation>
        </message>
        <message>
            <source>No handling records are known for this declaration yet, so there is nothing to rate. Synchronise and try again.</source>
            <translation>Chưa có thông tin đơn vị, công chức xử lý tờ khai này nên chưa có gì để đánh giá. Hãy đồng bộ rồi thử lại.</translation>
        </message>
        <message>
            <source>Not accepted by the rules of customs: %1</source>
            <translation>Không đúng quy định của cơ quan hải quan: %1</translation>
        </message>
    </context>
    <context>
        <name>SatisfactionPlugin</name>
        <message>
            <source>Queued</source>
            <translation>Chờ gửi</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Đã gửi</translation>
        </message>
        <message>
            <source>Answered</source>
            <translation>Đã trả lời</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Bị từ chối</translation>
        </message>
        <message>
            <source>Not rated</source>
            <translation>Chưa đánh giá</translation>
        </message>
        <message numerus="yes">
            <source>%n reflection(s)</source>
            <translation>
                <numerusform>%n phản ánh</numerusform>
            </translation>
        </message>
        <message>
            <source>, answered</source>
            <translation>, đã trả lời</translation>
        </message>
        <message numerus="yes">
            <source>%n answered</source>
            <translation>
                <numerusform>%n đã trả lời</numerusform>
            </translation>
        </message>
        <message>
            <source>The assessment plugin's local file was damaged and was moved to %1; a new one was started. What was sent is safe in the outbox.</source>
            <translation>Tệp dữ liệu của chức năng đánh giá bị hỏng và đã được chuyển sang %1; chương trình đã tạo tệp mới. Các nội dung đã gửi vẫn an toàn trong hàng đợi gửi.</translation>
        </message>
        <message>
            <source>Service-quality assessment</source>
            <translation>Đánh giá sự hài lòng</translation>
        </message>
        <message>
            <source>Assess the selected declaration</source>
            <translation>Đánh giá tờ khai đang chọn</translation>
        </message>
        <message>
            <source>Send a reflection</source>
            <translation>Gửi phản ánh</translation>
        </message>
        <message>
            <source>Results of assessments and reflections</source>
            <translation>Kết quả đánh giá, phản ánh</translation>
        </message>
        <message>
            <source>Declarations not yet rated</source>
            <translation>Tờ khai chưa đánh giá</translation>
        </message>
        <message>
            <source>Assessment</source>
            <translation>Đánh giá</translation>
        </message>
        <message>
            <source>Service-quality assessment: not rated, queued, sent, answered or rejected; the stars are the lowest level given</source>
            <translation>Đánh giá sự hài lòng: chưa đánh giá, chờ gửi, đã gửi, đã trả lời hoặc bị từ chối; số sao là mức thấp nhất đã chọn</translation>
        </message>
        <message>
            <source>Select a declaration in the list first.</source>
            <translation>Hãy chọn một tờ khai trong danh sách trước.</translation>
        </message>
        <message>
            <source>Declaration %1 is not in the list.</source>
            <translation>Tờ khai %1 không có trong danh sách.</translation>
        </message>
        <message>
            <source>Declaration %1 cannot be assessed yet: the assessment is possible once the goods are released, brought to preservation or cleared.</source>
            <translation>Tờ khai %1 chưa thể đánh giá: chỉ đánh giá được khi hàng đã được giải phóng, đưa về bảo quản hoặc thông quan.</translation>
        </message>
        <message>
            <source>During the procedure you can send a reflection.</source>
            <translation>Trong quá trình làm thủ tục, doanh nghiệp có thể gửi phản ánh.</translation>
        </message>
        <message>
            <source>Send a &amp;reflection</source>
            <translation>Gửi &amp;phản ánh</translation>
        </message>
        <message>
            <source>Reflection</source>
            <translation>Phản ánh</translation>
        </message>
        <message>
            <source>A reflection on declaration %1 can be sent once the declaration has been given a channel (and until it is cleared).</source>
            <translation>Chỉ gửi được phản ánh về tờ khai %1 khi tờ khai đã được phân luồng (và đến khi thông quan).</translation>
        </message>
        <message>
            <source>Reopen the case</source>
            <translation>Mở lại hồ sơ</translation>
        </message>
        <message>
            <source>Say why the answer does not settle the matter (at most 2000 characters).</source>
            <translation>Hãy nêu lý do nội dung trả lời chưa giải quyết vấn đề (tối đa 2000 ký tự).</translation>
        </message>
        <message>
            <source>Declaration %1: the answer was accepted.</source>
            <translation>Tờ khai %1: đã chấp nhận nội dung trả lời.</translation>
        </message>
        <message>
            <source>Declaration %1: the case is reopened; customs will answer again.</source>
            <translation>Tờ khai %1: hồ sơ đã được mở lại; cơ quan hải quan sẽ trả lời lại.</translation>
        </message>
        <message>
            <source>Nothing was sent: sending is not available in this program (%1). Your entries are kept.</source>
            <translation>Chưa gửi được: chương trình chưa có chức năng gửi (%1). Nội dung đã nhập vẫn được giữ.</translation>
        </message>
        <message>
            <source>Nothing was sent: the submission could not be recorded (%1). Your entries are kept; try again.</source>
            <translation>Chưa gửi được: không ghi được vào hàng đợi gửi (%1). Nội dung đã nhập vẫn được giữ; hãy thử lại.</translation>
        </message>
        <message>
            <source>This declaration cannot be assessed any more (its status changed). Nothing was sent.</source>
            <translation>Tờ khai này không còn đánh giá được (trạng thái đã thay đổi). Chưa gửi gì.</translation>
        </message>
        <message>
            <source>The assessment of declaration %1 was sent to customs.</source>
            <translation>Đánh giá tờ khai %1 đã được gửi cho hải quan.</translation>
        </message>
        <message>
            <source>The reflection on declaration %1 was sent to customs.</source>
            <translation>Phản ánh về tờ khai %1 đã được gửi cho hải quan.</translation>
        </message>
        <message>
            <source>Sending to customs (declaration %1)…</source>
            <translation>Đang gửi cho hải quan (tờ khai %1)…</translation>
        </message>
        <message>
            <source>Declaration %1 was already assessed from another workstation of your enterprise; that assessment is shown.</source>
            <translation>Tờ khai %1 đã được đánh giá từ máy khác của doanh nghiệp; đánh giá đó được hiển thị.</translation>
        </message>
        <message>
            <source>Declaration %1: saved; it will be sent to customs when there is a connection.</source>
            <translation>Tờ khai %1: đã lưu, sẽ gửi cho hải quan khi có kết nối.</translation>
        </message>
        <message>
            <source>Refused by the server: %1</source>
            <translation>Máy chủ từ chối: %1</translation>
        </message>
        <message numerus="yes">
            <source>Customs answered %n of your submissions (declarations %1).</source>
            <translation>
                <numerusform>Cơ quan hải quan đã trả lời %n nội dung doanh nghiệp gửi (tờ khai %1).</numerusform>
            </translation>
        </message>
        <message>
            <source>New answer from customs</source>
            <translation>Có trả lời mới của cơ quan hải quan</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Xem</translation>
        </message>
        <message numerus="yes">
            <source>The server refused %n submission(s) (declarations %1). Open the results to see why, correct and send again.</source>
            <translation>
                <numerusform>Máy chủ đã từ chối %n nội dung (tờ khai %1). Mở kết quả để xem lý do, sửa và gửi lại.</numerusform>
            </translation>
        </message>
        <message>
            <source>Declarations not yet rated: press Enter on one to assess it.</source>
            <translation>Tờ khai chưa đánh giá: nhấn Enter trên một tờ khai để đánh giá.</translation>
        </message>
    </context>
    <context>
        <name>StarRating</name>
        <message>
            <source>not rated</source>
            <translation>chưa đánh giá</translation>
        </message>
        <message numerus="yes">
            <source>%n star(s), %1</source>
            <translation>
                <numerusform>%n sao, %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Rating from 1 to 5 stars. Use the arrow keys or the digits 1 to 5; 0 clears.</source>
            <translation>Đánh giá từ 1 đến 5 sao. Dùng phím mũi tên hoặc phím số 1 đến 5; phím 0 để xóa.</translation>
        </message>
    </context>
    <context>
        <name>TargetRow</name>
        <message>
            <source>Reasons for %1</source>
            <translation>Lý do đánh giá %1</translation>
        </message>
        <message>
            <source>Tick one or more reasons (Space toggles the selected reason).</source>
            <translation>Đánh dấu một hoặc nhiều lý do (phím cách để chọn hoặc bỏ chọn lý do đang trỏ).</translation>
        </message>
        <message>
            <source>Other comments (optional)</source>
            <translation>Ý kiến khác (không bắt buộc)</translation>
        </message>
        <message>
            <source>Comment on %1</source>
            <translation>Ý kiến khác về %1</translation>
        </message>
        <message>
            <source>Choose the stars first</source>
            <translation>Hãy chọn số sao trước</translation>
        </message>
    </context>
    <context>
        <name>UnratedWarning</name>
        <message>
            <source>Service-quality assessment</source>
            <translation>Đánh giá sự hài lòng</translation>
        </message>
        <message>
            <source>You closed the form without rating declaration %1.</source>
            <translation>Bạn đã đóng phiếu mà chưa đánh giá tờ khai %1.</translation>
        </message>
        <message numerus="yes">
            <source>%n declaration(s) have not been rated yet.</source>
            <translation>
                <numerusform>Có %n tờ khai chưa được đánh giá sự hài lòng.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Declarations whose goods were released, brought to preservation or cleared in the last %n day(s) count here. Your assessment helps customs improve its service.</source>
            <translation>
                <numerusform>Tính các tờ khai có hàng được giải phóng, đưa về bảo quản hoặc thông quan trong %n ngày gần đây. Đánh giá của doanh nghiệp giúp cơ quan hải quan nâng cao chất lượng phục vụ.</numerusform>
            </translation>
        </message>
        <message>
            <source>&amp;Do not remind me again today</source>
            <translation>&amp;Không nhắc lại trong hôm nay</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Xem</translation>
        </message>
        <message>
            <source>Show the list of declarations not yet rated</source>
            <translation>Hiển thị danh sách tờ khai chưa đánh giá</translation>
        </message>
        <message>
            <source>&amp;Later</source>
            <translation>Để &amp;sau</translation>
        </message>
    </context>
</TS>
