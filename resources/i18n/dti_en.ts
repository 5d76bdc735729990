<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
    <context>
        <name>AggState</name>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="38" />
            <source>chưa nộp</source>
            <translation>not submitted</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="39" />
            <source>đã nộp</source>
            <translation>submitted</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="40" />
            <source>đang thẩm định</source>
            <translation>under appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="41" />
            <source>chờ giải trình</source>
            <translation>awaiting explanation</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="42" />
            <source>đã giải trình</source>
            <translation>explained</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="43" />
            <source>đã chốt</source>
            <translation>finalized</translation>
        </message>
    </context>
    <context>
        <name>Aggregator</name>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="51" />
            <source>số liệu</source>
            <translation>figures</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="51" />
            <source>giải trình</source>
            <translation>explanation</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="52" />
            <source>minh chứng</source>
            <translation>evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="141" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="141" />
            <source>Đơn vị</source>
            <translation>Unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="141" />
            <source>Nhóm</source>
            <translation>Group</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="141" />
            <source>Huyện</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="141" />
            <source>Trạng thái</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="142" />
            <source>Lần nộp</source>
            <translation>Revision</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="142" />
            <source>Tổng điểm</source>
            <translation>Total</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="142" />
            <source>Tỷ lệ</source>
            <translation>Share</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="142" />
            <source>Xếp loại</source>
            <translation>Grade</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="142" />
            <source>Ghi chú</source>
            <translation>Notes</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="241" />
            <source>Chỉ tiêu</source>
            <translation>Indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="241" />
            <source>Giá trị</source>
            <translation>Value</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="241" />
            <source>Tự chấm</source>
            <translation>Self-score</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="241" />
            <source>Thẩm định</source>
            <translation>Appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="242" />
            <source>Ý kiến</source>
            <translation>Comment</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="242" />
            <source>Đánh dấu</source>
            <translation>Flags</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="315" />
            <source>Phải nộp</source>
            <translation>Expected</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="315" />
            <source>Đã nộp</source>
            <translation>Submitted</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="315" />
            <source>Đang thẩm định</source>
            <translation>Under appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="316" />
            <source>Đã chốt</source>
            <translation>Finalized</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="316" />
            <source>Quá hạn</source>
            <translation>Late</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="336" />
            <source>Đang áp dụng</source>
            <translation>Current</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="336" />
            <source>Mới đến</source>
            <translation>Incoming</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="337" />
            <source>Ý kiến kèm theo</source>
            <translation>Attached comment</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="357" />
            <source>Tệp</source>
            <translation>File</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="357" />
            <source>Kết quả</source>
            <translation>Result</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="357" />
            <source>Chi tiết</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="432" />
            <source>Hạng</source>
            <translation>Rank</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="390" />
            <source>đã nhập</source>
            <translation>imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="391" />
            <source>bỏ qua</source>
            <translation>skipped</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="392" />
            <source>bị từ chối</source>
            <translation>refused</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="393" />
            <source>BÁO ĐỘNG</source>
            <translation>ALARM</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="394" />
            <source>hợp lệ</source>
            <translation>valid</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="395" />
            <source>hợp lệ, sẽ nhập</source>
            <translation>valid, will be imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="396" />
            <source>chờ kiểm tra</source>
            <translation>waiting to be checked</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="172" />
            <source>quá hạn</source>
            <translation>late</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="269" />
            <source>yêu cầu giải trình</source>
            <translation>explanation requested</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="275" />
            <source>xung đột</source>
            <translation>conflict</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="456" />
            <source>Hạng ({code})</source>
            <translation>Rank ({code})</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="535" />
            <source>TB {count} xã cũ {total}</source>
            <translation>mean of {count} former units {total}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="489" />
            <source>hạng {rank} {arrow}</source>
            <translation>rank {rank} {arrow}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="436" />
            <source>Năm {year}</source>
            <translation>Year {year}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="174" />
            <source>{n} xung đột</source>
            <translation>{n} conflicts</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="176" />
            <source>{n} yêu cầu giải trình</source>
            <translation>{n} explanations requested</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="178" />
            <source>{n} thay đổi so với lần {rev}</source>
            <translation>{n} changes since revision {rev}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="271" />
            <source>thay đổi: {what}</source>
            <translation>changed: {what}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="298" />
            <source>Thay đổi so với lần nộp trước: {what}</source>
            <translation>Changed since the previous submission: {what}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/models.py" line="300" />
            <source>Chỉ tiêu do {dept} thẩm định</source>
            <translation>Indicator appraised by {dept}</translation>
        </message>
    </context>
    <context>
        <name>AggregatorAppraisal</name>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="109" />
            <source>Lưu gói đã nhận…</source>
            <translation>Save received package…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="110" />
            <source>Gói nộp của đơn vị, đúng từng byte như khi nhận (để đối chiếu, kiểm tra chữ ký)</source>
            <translation>The unit's package, byte for byte as it was received (to compare, to check its signature)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="165" />
            <source>Số liệu đơn vị nhập:</source>
            <translation>Figures entered by the unit:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="166" />
            <source>Cách tính điểm:</source>
            <translation>Scoring rule:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="167" />
            <source>Đơn vị tự chấm:</source>
            <translation>Unit's self-score:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="168" />
            <source>Điểm đang tính:</source>
            <translation>Points as computed:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="169" />
            <source>Giải trình:</source>
            <translation>Explanation:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="172" />
            <source>Thẩm định</source>
            <translation>Appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="176" />
            <source>để trống: giữ điểm tự chấm</source>
            <translation>leave empty to keep the self-score</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="179" />
            <source>ý kiến gửi đơn vị</source>
            <translation>comment for the unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="180" />
            <source>Yêu cầu đơn vị giải trình</source>
            <translation>Ask the unit for an explanation</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="182" />
            <source>Điểm thẩm định:</source>
            <translation>Appraised points:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="183" />
            <source>Ý kiến:</source>
            <translation>Comment:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="186" />
            <source>Lưu (Enter)</source>
            <translation>Save (Enter)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="196" />
            <source>Enter: lưu · ↑/↓: tiêu chí trước/sau (lưu trước khi chuyển) · Esc: bỏ phần vừa gõ</source>
            <translation>Enter: save · ↑/↓: previous/next criterion (saved before moving) · Esc: drop what was just typed</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="342" />
            <source>Không tìm thấy đơn vị nào khớp “{text}”</source>
            <translation>No unit matches “{text}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="504" />
            <source>Chưa lưu được điểm thẩm định {unit} {code}: {why}</source>
            <translation>Appraisal of {unit} {code} not saved: {why}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/unit_picker.py" line="53" />
            <source>gõ mã hoặc tên đơn vị (không cần dấu)</source>
            <translation>type a unit's code or name (diacritics optional)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/work_bar.py" line="36" />
            <source>gửi cho:</source>
            <translation>to:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/work_bar.py" line="39" />
            <source>Đơn vị đã được cấp tài khoản nhận tệp giao việc (máy của cơ quan thẩm định); chỉ đơn vị này được gửi lại kết quả</source>
            <translation>The enrolled unit that receives the work file (the appraising department's installation); only this unit may send the results back</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/work_bar.py" line="66" />
            <source>— chọn đơn vị nhận —</source>
            <translation>— choose the recipient —</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/work_bar.py" line="111" />
            <source>Hãy chọn đơn vị nhận tệp giao việc: máy của {dept} đã được cấp tài khoản tại đây. Chỉ đơn vị đó được gửi lại kết quả thẩm định.</source>
            <translation>Choose the unit that receives the work file: the installation of {dept} enrolled here. Only that unit may send the appraisal results back.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/work_bar.py" line="127" />
            <source>Đã xuất {file} cho {unit}: {units} đơn vị, {n} chỉ tiêu.</source>
            <translation>{file} written for {unit}: {units} units, {n} indicators.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="248" />
            <source>Xuất tệp giao việc…</source>
            <translation>Export assignment file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="251" />
            <source>Nhập kết quả của cơ quan…</source>
            <translation>Import a department's results…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="461" />
            <source>Lưu gói nộp đã nhận</source>
            <translation>Save the received package</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="462" />
            <source>Gói nộp (*.dtipkg)</source>
            <translation>Submission packages (*.dtipkg)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="481" />
            <source>Lưu tệp giao việc thẩm định</source>
            <translation>Save the appraisal assignment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="482" />
            <source>Tệp giao việc (*.dtiwork)</source>
            <translation>Assignment files (*.dtiwork)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="499" />
            <source>Chọn tệp kết quả thẩm định của cơ quan</source>
            <translation>Choose the department's appraisal results file</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="500" />
            <source>Tệp thẩm định (*.dtiwork);;Mọi tệp (*)</source>
            <translation>Appraisal files (*.dtiwork);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="101" />
            <source>Đơn vị:</source>
            <translation>Unit:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="216" />
            <source>Tài liệu kiểm chứng (nhấp đúp để mở bằng ứng dụng khác):</source>
            <translation>Evidence (double-click to open in another application):</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="244" />
            <source>Thẩm định theo lĩnh vực:</source>
            <translation>Appraisal by field:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="293" />
            <source>Chưa có đơn vị nào nộp gói: nhập gói ở thẻ “Nhập gói”.</source>
            <translation>No unit has submitted a package yet: import packages on the “Import packages” tab.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="233" />
            <source>Không có tài liệu kiểm chứng</source>
            <translation>No evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="297" />
            <source>{state}, lần nộp {rev} · tự chấm {self_total} · sau thẩm định &lt;b&gt;{total}&lt;/b&gt; / {max} ({share}) · {grade}</source>
            <translation>{state}, revision {rev} · self-score {self_total} · after appraisal &lt;b&gt;{total}&lt;/b&gt; / {max} ({share}) · {grade}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="361" />
            <source>(chưa nhập)</source>
            <translation>(not entered)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="356" />
            <source>Có xung đột thẩm định chờ xử lý</source>
            <translation>An appraisal conflict awaits a decision</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="358" />
            <source>Đợt đánh giá đã chốt: không sửa được điểm</source>
            <translation>The round is finalized: points cannot be changed</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="369" />
            <source>, {n} trang</source>
            <translation>, {n} pages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="507" />
            <source>{dept}: {new} mới, {upd} cập nhật, {same} trùng, {conf} xung đột</source>
            <translation>{dept}: {new} new, {upd} updated, {same} identical, {conf} conflicts</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="372" />
            <source>Chữ ký số: {who}</source>
            <translation>Digital signature: {who}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="374" />
            <source>Vấn đề: {what}</source>
            <translation>Problems: {what}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="450" />
            <source>Không tìm thấy tệp đã lưu: {name}</source>
            <translation>Stored file not found: {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="350" />
            <source>Chỉ tiêu do {dept} thẩm định</source>
            <translation>Indicator appraised by {dept}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="353" />
            <source>Thay đổi so với lần nộp trước: {what}</source>
            <translation>Changed since the previous submission: {what}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="470" />
            <source>Đã lưu {file}: gói nộp lần {revision} của {unit}, đúng như khi nhận</source>
            <translation>Saved {file}: revision {revision} of {unit}, exactly as received</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="493" />
            <source>Đã xuất {file}: {units} đơn vị, {n} chỉ tiêu</source>
            <translation>{file} exported: {units} units, {n} indicators</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="84" />
            <source>Ký số token: {who} — hợp lệ, chuỗi tin cậy</source>
            <translation>Token signature: {who} — valid, trusted chain</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="87" />
            <source>Ký số token: {who} — không hợp lệ: {reason}</source>
            <translation>Token signature: {who} — not valid: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/appraisal_page.py" line="89" />
            <source>; chứng thư không ghi tên đơn vị này</source>
            <translation>; the certificate does not name this unit</translation>
        </message>
    </context>
    <context>
        <name>AggregatorChart</name>
        <message>
            <location filename="../../app/ui/aggregator/chart.py" line="232" />
            <source>… và {n} dòng nữa</source>
            <translation>… and {n} more rows</translation>
        </message>
    </context>
    <context>
        <name>AggregatorDashboard</name>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="81" />
            <source>Nhóm đơn vị</source>
            <translation>Unit group</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="82" />
            <source>Huyện</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="90" />
            <source>Biểu đồ tiến độ</source>
            <translation>Progress chart</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="95" />
            <source>Xếp loại tạm tính (theo điểm hiện tại)</source>
            <translation>Provisional grades (on current points)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="102" />
            <source>Cần chú ý</source>
            <translation>Needs attention</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="110" />
            <source>Nhấp đúp để mở đơn vị.</source>
            <translation>Double-click to open the unit.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="124" />
            <source>&lt;b style='color:#2e7d32'&gt;đã chốt kết quả&lt;/b&gt;</source>
            <translation>&lt;b style='color:#2e7d32'&gt;results finalized&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="125" />
            <source>đang mở</source>
            <translation>open</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="85" />
            <source>Tiến độ theo nhóm</source>
            <translation>Progress by group</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="86" />
            <source>Tiến độ theo huyện</source>
            <translation>Progress by district</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="128" />
            <source>Đợt đánh giá năm {year} — {state}</source>
            <translation>{year} round — {state}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="140" />
            <source>Phải nộp</source>
            <translation>Expected</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="140" />
            <source>Đã nộp</source>
            <translation>Submitted</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="141" />
            <source>Đang thẩm định</source>
            <translation>Under appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="141" />
            <source>Đã chốt</source>
            <translation>Finalized</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="144" />
            <source>Chưa có đơn vị nào được cấp tài khoản hay nộp gói.</source>
            <translation>No unit has been enrolled or has submitted a package yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="156" />
            <source>Chưa có đơn vị nào nộp gói.</source>
            <translation>No unit has submitted a package yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="165" />
            <source>Không có việc gì cần chú ý.</source>
            <translation>Nothing needs attention.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="131" />
            <source>Đã nhận {received}/{expected} đơn vị</source>
            <translation>{received}/{expected} units received</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="130" />
            <source>Hạn nộp: &lt;b&gt;{date}&lt;/b&gt;</source>
            <translation>Deadline: &lt;b&gt;{date}&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="133" />
            <source>&lt;span style='color:#ef6c00'&gt;{n} xung đột thẩm định&lt;/span&gt;</source>
            <translation>&lt;span style='color:#ef6c00'&gt;{n} appraisal conflicts&lt;/span&gt;</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dashboard.py" line="153" />
            <source>Xếp loại tạm tính — {group}</source>
            <translation>Provisional grades — {group}</translation>
        </message>
    </context>
    <context>
        <name>AggregatorDialogs</name>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="39" />
            <source>Đồng ý</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="40" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="55" />
            <source>Chọn gói nộp hoặc gói tổng hợp</source>
            <translation>Choose submission packages or bundles</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="56" />
            <source>Gói nộp (*.dtipkg *.dtibundle *.dtipkg.*);;Mọi tệp (*)</source>
            <translation>Packages (*.dtipkg *.dtibundle *.dtipkg.*);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="72" />
            <source>Mật khẩu ký số</source>
            <translation>Signing passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/dialogs.py" line="73" />
            <source>Nhập mật khẩu của máy này để ký tệp (mật khẩu không được lưu):</source>
            <translation>Enter this computer's passphrase to sign the file (the passphrase is not stored):</translation>
        </message>
    </context>
    <context>
        <name>AggregatorEnrollment</name>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="52" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="52" />
            <source>Đơn vị</source>
            <translation>Unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="52" />
            <source>Nhóm</source>
            <translation>Group</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="52" />
            <source>Cấp tiếp</source>
            <translation>Enrolls others</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="52" />
            <source>Ngày cấp</source>
            <translation>Issued</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="53" />
            <source>Hiệu lực đến</source>
            <translation>Valid until</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="53" />
            <source>Vân tay chứng thư</source>
            <translation>Certificate fingerprint</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="53" />
            <source>Trạng thái</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="97" />
            <source>Dòng</source>
            <translation>Row</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="97" />
            <source>Kết quả</source>
            <translation>Result</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="97" />
            <source>Mật khẩu của đơn vị</source>
            <translation>Unit passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="148" />
            <source>Cấp tài khoản cho một đơn vị</source>
            <translation>Enroll one unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="155" />
            <source>ví dụ X-TL08</source>
            <translation>e.g. X-TL08</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="158" />
            <source>ví dụ UBND xã Minh Phượng</source>
            <translation>e.g. Minh Phuong Commune People’s Committee</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="161" />
            <source>Cấp huyện: được cấp tài khoản tiếp cho các xã</source>
            <translation>District: may enroll its communes</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="163" />
            <source>Bộ chỉ số:</source>
            <translation>Framework:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="164" />
            <source>Mã đơn vị:</source>
            <translation>Unit code:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="165" />
            <source>Tên đơn vị:</source>
            <translation>Unit name:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="166" />
            <source>Nhóm:</source>
            <translation>Group:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="168" />
            <source>Cấp tài khoản…</source>
            <translation>Enroll…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="175" />
            <source>Cấp theo danh sách và thu hồi</source>
            <translation>Enroll from a list, revoke</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="187" />
            <source>Nhập danh sách đơn vị…</source>
            <translation>Import unit list…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="189" />
            <source>Danh sách .xlsx hoặc .csv (UTF-8), dòng tiêu đề: mã, tên, nhóm, cấp trên, tiền thân, cấp tiếp (hoặc code, name, group, parent, predecessors, may_enroll_others). Cấp cho tất cả đơn vị hoặc không đơn vị nào: dòng sai được nêu rõ lý do; phiếu in của mọi đơn vị trong một tệp PDF.</source>
            <translation>A list in .xlsx or .csv (UTF-8) with the header row code, name, group, parent, predecessors, may_enroll_others (or their Vietnamese names). Every unit is enrolled or none: bad rows are named with the reason; every unit's sheet in one PDF.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="386" />
            <source>Chọn danh sách đơn vị</source>
            <translation>Choose the unit list</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="387" />
            <source>Danh sách đơn vị (*.xlsx *.csv)</source>
            <translation>Unit list (*.xlsx *.csv)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="390" />
            <source>Chọn thư mục để ghi các tệp cấp tài khoản và tệp phiếu in</source>
            <translation>Choose the folder for the enrollment files and the sheets</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="401" />
            <source>{file}: đã cấp tài khoản cho cả {n} đơn vị, tệp ghi vào {folder}. Phiếu in của mọi đơn vị (có mật khẩu của từng đơn vị): {sheets}</source>
            <translation>{file}: all {n} units enrolled, files written to {folder}. The sheets of every unit (with each unit's passphrase): {sheets}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="186" />
            <source>Thu hồi đơn vị đang chọn…</source>
            <translation>Revoke the selected unit…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="190" />
            <source>Xuất danh sách thu hồi (CRL)…</source>
            <translation>Export the revocation list (CRL)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="309" />
            <source>Chọn thư mục để ghi tệp đăng ký và phiếu in</source>
            <translation>Choose the folder for the enrollment files and sheets</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="375" />
            <source>Thu hồi tài khoản</source>
            <translation>Revoke enrollment</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="383" />
            <source>Lưu danh sách thu hồi (CRL) để gửi các đơn vị</source>
            <translation>Save the revocation list (CRL) to send to the units</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="384" />
            <source>Danh sách thu hồi (*.crl)</source>
            <translation>Revocation list (*.crl)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="403" />
            <source>Lưu danh sách thu hồi (CRL)</source>
            <translation>Save the revocation list (CRL)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="66" />
            <source>có</source>
            <translation>yes</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="75" />
            <source>đang hiệu lực</source>
            <translation>valid</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="248" />
            <source>Máy này không cấp được tài khoản: chỉ cấp tỉnh (có chứng thư gốc) hoặc cấp huyện được quyền cấp tiếp mới cấp được.</source>
            <translation>This installation cannot enroll units: only a province (holding the root certificate) or a district allowed to enroll others can.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="307" />
            <source>Hãy nhập mã và tên đơn vị.</source>
            <translation>Enter the unit's code and name.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="381" />
            <source>Cần ghi lý do thu hồi.</source>
            <translation>A reason for the revocation is required.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="115" />
            <source>không cấp: {reason}</source>
            <translation>not enrolled: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="376" />
            <source>Lý do thu hồi tài khoản của {code} — {name} (ghi vào nhật ký):</source>
            <translation>Reason for revoking {code} — {name} (recorded in the audit log):</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="74" />
            <source>đã thu hồi ngày {day}</source>
            <translation>revoked on {day}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="114" />
            <source>đã cấp: {file}</source>
            <translation>enrolled: {file}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="251" />
            <source>Đã cấp {n} tài khoản, {revoked} đã thu hồi.</source>
            <translation>{n} units enrolled, {revoked} revoked.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="393" />
            <source>Đã thu hồi {code}. Danh sách thu hồi ({n} chứng thư) ghi vào {file}: gửi tệp này cho các đơn vị và cấp trên để nhập.</source>
            <translation>{code} revoked. The revocation list ({n} certificates) was written to {file}: send it to the units and to the level above to import.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="321" />
            <source>Đã cấp tài khoản cho {code}: {file} và phiếu in {sheet}. Mật khẩu của đơn vị: {secret} (đã in trên phiếu).</source>
            <translation>{code} enrolled: {file} and the sheet {sheet}. The unit's passphrase: {secret} (printed on the sheet).</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="330" />
            <source>Không cấp được cho {code}: {reason}</source>
            <translation>Could not enroll {code}: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="335" />
            <source>Đang cấp tài khoản…</source>
            <translation>Enrolling…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="365" />
            <source>Đang cấp tài khoản theo danh sách…</source>
            <translation>Enrolling the listed units…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/enrollment_page.py" line="409" />
            <source>Đã ghi danh sách thu hồi vào {file}</source>
            <translation>Revocation list written to {file}</translation>
        </message>
    </context>
    <context>
        <name>AggregatorEvidence</name>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="135" />
            <source>Trang trước</source>
            <translation>Previous page</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="141" />
            <source>Trang sau</source>
            <translation>Next page</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="144" />
            <source>Mở bằng ứng dụng khác</source>
            <translation>Open in another application</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="187" />
            <source>Đang hiển thị…</source>
            <translation>Rendering…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="232" />
            <source>{size} KB</source>
            <translation>{size} KB</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="232" />
            <source>SHA-256 {sha}…</source>
            <translation>SHA-256 {sha}…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="36" />
            <source>Không tìm thấy tệp đã lưu: {name}</source>
            <translation>Stored file not found: {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="163" />
            <source>Chọn một tài liệu để xem trước.</source>
            <translation>Choose a document to preview.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="231" />
            <source>{n} trang</source>
            <translation>{n} pages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="243" />
            <source>Kiểm tra khi nhận: không phát hiện vấn đề</source>
            <translation>Checked on receipt: no problem found</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="40" />
            <source>Không hiển thị được ảnh {name}</source>
            <translation>Cannot show the image {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="48" />
            <source>Không mở được tệp PDF {name}</source>
            <translation>Cannot open the PDF {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="52" />
            <source>Tệp {name} không có trang nào</source>
            <translation>{name} has no pages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="73" />
            <source>Không hiển thị được trang {page} của {name}</source>
            <translation>Cannot render page {page} of {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="216" />
            <source>Trang {page}/{pages}</source>
            <translation>Page {page}/{pages}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="238" />
            <source>Không có chữ ký số</source>
            <translation>No digital signature</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="235" />
            <source>Chữ ký số: {who}</source>
            <translation>Digital signature: {who}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/evidence_preview.py" line="240" />
            <source>Kết quả kiểm tra khi nhận: {what}</source>
            <translation>Found on receipt: {what}</translation>
        </message>
    </context>
    <context>
        <name>AggregatorFeedback</name>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="48" />
            <source>Phản hồi kết quả thẩm định cho đơn vị</source>
            <translation>Appraisal feedback to units</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="250" />
            <source>Chốt kết quả {round}?

Sau khi chốt, máy này từ chối mọi thay đổi điểm thẩm định (kể cả xử lý xung đột), việc nhận kết quả thẩm định của cơ quan khác và việc nhập gói nộp. Vẫn xuất được tệp phản hồi, gói tổng hợp và báo cáo xếp hạng.

Có thể mở lại bất cứ lúc nào bằng nút “Mở lại…”; lý do mở lại được ghi vào nhật ký.</source>
            <translation>Finalize the results of {round}?

Once final, this installation refuses every change of appraised points (resolving conflicts included), departments' appraisal returns and package imports. Feedback files, the district bundle and the ranking report can still be written.

It can be reopened at any time with “Reopen…”; the reason for reopening is written to the audit log.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="263" />
            <source>đợt đánh giá này</source>
            <translation>this assessment round</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="264" />
            <source>đợt đánh giá năm {year} ({title})</source>
            <translation>the {year} assessment round ({title})</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="55" />
            <source>Chọn đơn vị cần phản hồi</source>
            <translation>Select units awaiting feedback</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="57" />
            <source>Chọn tất cả</source>
            <translation>Select all</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="59" />
            <source>Bỏ chọn</source>
            <translation>Select none</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="65" />
            <source>Xuất tệp phản hồi…</source>
            <translation>Export feedback files…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="71" />
            <source>Gói tổng hợp gửi tỉnh</source>
            <translation>Bundle for the province</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="76" />
            <source>Xuất gói tổng hợp…</source>
            <translation>Export bundle…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="82" />
            <source>Chốt kết quả đợt đánh giá</source>
            <translation>Finalize the round</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="89" />
            <source>Chốt kết quả</source>
            <translation>Finalize results</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="92" />
            <source>Mở lại…</source>
            <translation>Reopen…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="102" />
            <source>Xung đột thẩm định chờ xử lý</source>
            <translation>Appraisal conflicts awaiting a decision</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="108" />
            <source>Không có xung đột thẩm định nào.

Xung đột xuất hiện khi kết quả thẩm định của một cơ quan khác (tệp kết quả theo lĩnh vực) hoặc của huyện (gói tổng hợp) khác với điểm đang áp dụng ở đây; điểm đang áp dụng được giữ cho đến khi có người quyết định.</source>
            <translation>No appraisal conflicts.

A conflict arises when the appraisal results of another department (a results file by field) or of the district (a bundle) differ from the points applied here; the points applied here are kept until someone decides.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="117" />
            <source>Giữ điểm đang áp dụng</source>
            <translation>Keep the current points</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="119" />
            <source>Lấy điểm mới đến</source>
            <translation>Take the incoming points</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="205" />
            <source>Chọn thư mục lưu tệp phản hồi</source>
            <translation>Choose the folder for the feedback files</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="228" />
            <source>Lưu gói tổng hợp</source>
            <translation>Save the bundle</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="229" />
            <source>Gói tổng hợp (*.dtibundle)</source>
            <translation>Bundles (*.dtibundle)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="252" />
            <source>Mở lại đợt đánh giá</source>
            <translation>Reopen the round</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="253" />
            <source>Lý do mở lại (được ghi vào nhật ký):</source>
            <translation>Reason for reopening (recorded in the log):</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="268" />
            <source>Xử lý xung đột thẩm định</source>
            <translation>Resolve the appraisal conflict</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="269" />
            <source>Lý do (có thể để trống):</source>
            <translation>Reason (optional):</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="156" />
            <source>Gói tổng hợp chứa nguyên vẹn gói mới nhất của từng xã, kết quả thẩm định và xếp hạng của huyện, có chữ ký số của huyện.</source>
            <translation>The bundle holds each commune's latest package intact, with the district's appraisal results and ranking, digitally signed by the district.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="158" />
            <source>Chỉ cấp huyện (có cấp tài khoản cho xã và đã nhập gói của xã) mới xuất gói tổng hợp.</source>
            <translation>Only a district (one that enrolled communes and has imported their packages) can export a bundle.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="160" />
            <source>Đã chốt: không thẩm định, không nhập gói được nữa cho đến khi mở lại.</source>
            <translation>Finalized: no more appraisal or package imports until the round is reopened.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="162" />
            <source>Đang mở. Sau khi chốt, mọi thay đổi điểm và việc nhập gói đều bị từ chối cho đến khi mở lại (có ghi lý do).</source>
            <translation>Open. Once finalized, every change of points and every package import is refused until the round is reopened (with a recorded reason).</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="186" />
            <source>Không có đơn vị nào đang chờ phản hồi.</source>
            <translation>No unit is awaiting feedback.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="203" />
            <source>Hãy chọn ít nhất một đơn vị.</source>
            <translation>Select at least one unit.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="266" />
            <source>Hãy chọn một xung đột trong bảng.</source>
            <translation>Select a conflict in the table.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="145" />
            <source>{n} chỉ tiêu đã thẩm định</source>
            <translation>{n} indicators appraised</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="147" />
            <source>{n} yêu cầu giải trình</source>
            <translation>{n} explanations requested</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="221" />
            <source>Đang ký và ghi tệp phản hồi…</source>
            <translation>Signing and writing the feedback files…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="239" />
            <source>Đang ký và ghi gói tổng hợp…</source>
            <translation>Signing and writing the bundle…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="222" />
            <source>Đã ghi {n} tệp phản hồi vào {folder}: {names}</source>
            <translation>{n} feedback files written to {folder}: {names}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="240" />
            <source>Đã ghi {file}: {n} gói của xã</source>
            <translation>{file} written: {n} commune packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="247" />
            <source>{round}: đã chốt kết quả</source>
            <translation>{round}: results finalized</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="258" />
            <source>{round}: đã mở lại</source>
            <translation>{round}: reopened</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/feedback_page.py" line="278" />
            <source>{unit} {code}: đã xử lý {n} xung đột</source>
            <translation>{unit} {code}: {n} conflicts resolved</translation>
        </message>
    </context>
    <context>
        <name>AggregatorImport</name>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="51" />
            <source>Kéo thả tệp gói nộp (.dtipkg), gói tổng hợp (.dtibundle), các phần của gói hoặc cả thư mục vào đây</source>
            <translation>Drop submission packages (.dtipkg), bundles (.dtibundle), package parts or whole folders here</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="87" />
            <source>Chọn tệp…</source>
            <translation>Choose files…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="89" />
            <source>Chọn thư mục…</source>
            <translation>Choose a folder…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="91" />
            <source>Quét ổ USB</source>
            <translation>Scan USB drives</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="94" />
            <source>Xóa danh sách</source>
            <translation>Clear the list</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="99" />
            <source>Kiểm tra trước</source>
            <translation>Check first</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="102" />
            <source>Nhập vào</source>
            <translation>Import</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="105" />
            <source>Dừng</source>
            <translation>Stop</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="111" />
            <source>Chưa chọn tệp nào.</source>
            <translation>No files chosen.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="116" />
            <source>%v/%m gói</source>
            <translation>%v/%m packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="152" />
            <source>Chọn thư mục chứa gói nộp</source>
            <translation>Choose the folder holding the packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="236" />
            <source>Đã dừng theo yêu cầu: các gói còn lại chưa được xử lý.</source>
            <translation>Stopped on request: the remaining packages were not processed.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="142" />
            <source>{n} gói chờ kiểm tra. Bấm “Kiểm tra trước” để xem kết quả mà chưa nhập gì.</source>
            <translation>{n} packages waiting to be checked. Press “Check first” to see the results without importing anything.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="229" />
            <source>Kiểm tra xong: {ok} gói sẽ được nhập, bỏ qua {skip} gói (đã có, hoặc đã có lần nộp mới hơn), {bad} gói bị từ chối. Chưa có gì được nhập.</source>
            <translation>Check done: {ok} packages would be imported, {skip} skipped (already there, or a newer revision is), {bad} refused. Nothing has been imported yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="253" />
            <source>Nhập xong: đã nhập {ok} gói, bỏ qua {skip} gói (đã có, hoặc đã có lần nộp mới hơn), {bad} gói bị từ chối.</source>
            <translation>Import done: {ok} packages imported, {skip} skipped (already there, or a newer revision is), {bad} refused.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="223" />
            <source>Đang kiểm tra gói: {done}/{total} xong. Chưa nhập gì.</source>
            <translation>Checking packages: {done}/{total} done. Nothing is imported.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="224" />
            <source>Đang nhập gói: {done}/{total} xong. Mỗi gói được nhập trọn vẹn hoặc không nhập gì.</source>
            <translation>Importing packages: {done}/{total} done. Each package is imported whole or not at all.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="162" />
            <source>Không tìm thấy gói nộp nào trên ổ USB ({where}).</source>
            <translation>No submission package found on the USB drives ({where}).</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/import_page.py" line="163" />
            <source>không có ổ USB nào đang cắm</source>
            <translation>no USB drive plugged in</translation>
        </message>
    </context>
    <context>
        <name>AggregatorRanking</name>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="283" />
            <source>Đợt {year} — {title}</source>
            <translation>Round {year} — {title}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="288" />
            <source>Thư mục dữ liệu khác…</source>
            <translation>Another data folder…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="162" />
            <source>Chưa có đơn vị nào nộp gói.</source>
            <translation>No unit has submitted a package yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="58" />
            <source>Tìm đơn vị (mã, tên; không cần dấu)…</source>
            <translation>Find a unit (code, name; diacritics optional)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="184" />
            <source>Không tìm thấy đơn vị nào.</source>
            <translation>No unit found.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="221" />
            <source>Không tìm thấy đơn vị nào khớp “{text}” trong bảng xếp hạng của nhóm này (chỉ có các đơn vị đã nộp gói).</source>
            <translation>No unit matches “{text}” in this group's ranking (only units that submitted a package are ranked).</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="56" />
            <source>So với năm trước…</source>
            <translation>Compare with last year…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="60" />
            <source>Bỏ so sánh</source>
            <translation>Stop comparing</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="70" />
            <source>Xuất báo cáo PDF…</source>
            <translation>Export PDF report…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="72" />
            <source>Xuất Excel…</source>
            <translation>Export Excel…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="74" />
            <source>Xuất hồ sơ minh chứng của đơn vị…</source>
            <translation>Export the unit's evidence dossier…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="137" />
            <source>Tổng điểm</source>
            <translation>Total</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="232" />
            <source>Chọn thư mục dữ liệu của đợt đánh giá trước</source>
            <translation>Choose the data folder of the previous round</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="242" />
            <source>Báo cáo PDF (*.pdf)</source>
            <translation>PDF report (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="242" />
            <source>Bảng tính Excel (*.xlsx)</source>
            <translation>Excel workbook (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="243" />
            <source>Lưu báo cáo xếp hạng</source>
            <translation>Save the ranking report</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="263" />
            <source>Lưu hồ sơ minh chứng của đơn vị</source>
            <translation>Save the unit's evidence dossier</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="43" />
            <source>Nhóm:</source>
            <translation>Group:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="48" />
            <source>Xếp hạng theo:</source>
            <translation>Rank by:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="164" />
            <source>Chưa có đơn vị nào để xếp hạng.</source>
            <translation>No units to rank yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="170" />
            <source>nhóm này không xếp hạng</source>
            <translation>this group is not ranked</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="186" />
            <source>Tỷ lệ điểm (%) so với điểm tối đa của từng chỉ số chính</source>
            <translation>Points as a share (%) of each main index's maximum</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="228" />
            <source>Cần ít nhất 3 chỉ số chính để vẽ biểu đồ radar.</source>
            <translation>A radar chart needs at least 3 main indices.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="172" />
            <source>{title}: tối đa {max} điểm{note}. {legend}</source>
            <translation>{title}: maximum {max} points{note}. {legend}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="217" />
            <source>Chọn một đơn vị trong bảng để xem biểu đồ.</source>
            <translation>Choose a unit in the table to see its chart.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="227" />
            <source>Trung bình của nhóm</source>
            <translation>Group average</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="117" />
            <source>{title} ({n} đơn vị)</source>
            <translation>{title} ({n} units)</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="121" />
            <source>So sánh với: {label}</source>
            <translation>Compared with: {label}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="226" />
            <source>{unit}: tỷ lệ điểm theo chỉ số chính</source>
            <translation>{unit}: share of points per main index</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="181" />
            <source>Điểm chỉ số {code}</source>
            <translation>Points of index {code}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="252" />
            <source>Đang tạo báo cáo xếp hạng…</source>
            <translation>Creating the ranking report…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="273" />
            <source>Đang ghép hồ sơ minh chứng…</source>
            <translation>Assembling the evidence dossier…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="253" />
            <source>Đã ghi {file}</source>
            <translation>{file} written</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/ranking_page.py" line="274" />
            <source>Đã ghi hồ sơ minh chứng của {unit}: {file}</source>
            <translation>Evidence dossier of {unit} written: {file}</translation>
        </message>
    </context>
    <context>
        <name>AggregatorUnits</name>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="26" />
            <source>Tìm theo mã hoặc tên đơn vị (gõ có dấu hay không dấu đều được)…</source>
            <translation>Search by unit code or name (with or without diacritics)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="76" />
            <source>Bỏ tìm kiếm và bộ lọc</source>
            <translation>Clear the search and the filters</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="125" />
            <source>Không tìm thấy đơn vị nào khớp “{text}” trong nhóm, huyện và trạng thái đang chọn.</source>
            <translation>No unit matches “{text}” in the chosen group, district and state.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="127" />
            <source>Không tìm thấy đơn vị nào khớp “{text}”. Tìm theo mã hoặc một phần tên, có dấu hay không dấu (“hoa binh” tìm được “Hòa Bình”).</source>
            <translation>No unit matches “{text}”. Search by code or part of the name, with or without diacritics (“hoa binh” finds “Hoa Binh” written with its accents).</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="130" />
            <source>Không có đơn vị nào trong nhóm, huyện và trạng thái đang chọn.</source>
            <translation>No unit in the chosen group, district and state.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="34" />
            <source>Mọi trạng thái</source>
            <translation>All statuses</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="38" />
            <source>Nhóm:</source>
            <translation>Group:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="38" />
            <source>Huyện:</source>
            <translation>District:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="39" />
            <source>Trạng thái:</source>
            <translation>Status:</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="71" />
            <source>Mọi nhóm</source>
            <translation>All groups</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="72" />
            <source>Mọi huyện</source>
            <translation>All districts</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/units_page.py" line="90" />
            <source>{shown}/{total} đơn vị</source>
            <translation>{shown}/{total} units</translation>
        </message>
    </context>
    <context>
        <name>AggregatorWindow</name>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="64" />
            <source>DTI — Tổng hợp, thẩm định và xếp hạng</source>
            <translation>DTI — Aggregation, appraisal and ranking</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="98" />
            <source>Điểm thẩm định được lưu khi bấm Enter, khi chuyển sang chỉ tiêu, đơn vị hay thẻ khác và khi đóng cửa sổ — không cần bấm Lưu.</source>
            <translation>Appraised points are saved on Enter, on moving to another criterion, unit or tab, and on closing the window — no need to press Save.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="300" />
            <source>điểm “{points}”</source>
            <translation>points “{points}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="302" />
            <source>ý kiến “{comment}”</source>
            <translation>comment “{comment}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="304" />
            <source>Điểm thẩm định chưa lưu được</source>
            <translation>Appraisal not saved</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="305" />
            <source>{unit}, chỉ tiêu {code}: {what} chưa lưu được.
Lý do: {why}

Đóng cửa sổ và bỏ phần đã gõ? Chọn “Hủy” để ở lại sửa.</source>
            <translation>{unit}, indicator {code}: {what} could not be saved.
Reason: {why}

Close the window and drop what was typed? Choose “Cancel” to stay and correct it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="307" />
            <source>phần đã gõ</source>
            <translation>what was typed</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="309" />
            <source>Đóng, bỏ phần đã gõ</source>
            <translation>Close, drop what was typed</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="101" />
            <source>&amp;Tệp</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="111" />
            <source>Mở hồ sơ của đơn vị mình</source>
            <translation>Open my own unit's assessment</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="114" />
            <source>Tự đánh giá của chính đơn vị này, trong cửa sổ của đơn vị</source>
            <translation>This unit's own self-assessment, in the unit window</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="119" />
            <source>Thoát</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="123" />
            <source>&amp;Đi tới</source>
            <translation>&amp;Go</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="85" />
            <source>Tổng quan</source>
            <translation>Overview</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="85" />
            <source>Nhập gói</source>
            <translation>Import packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="86" />
            <source>Đơn vị</source>
            <translation>Units</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="86" />
            <source>Thẩm định</source>
            <translation>Appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="87" />
            <source>Phản hồi và gói tổng hợp</source>
            <translation>Feedback and bundle</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="88" />
            <source>Xếp hạng</source>
            <translation>Ranking</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="88" />
            <source>Cấp tài khoản</source>
            <translation>Enrollment</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="103" />
            <source>Nhập gói…</source>
            <translation>Import packages…</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="104" />
            <source>Làm mới</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="227" />
            <source>Hồ sơ của đơn vị mình đang mở trong cửa sổ khác — đóng cửa sổ đó để tiếp tục tổng hợp và thẩm định.</source>
            <translation>The own unit's assessment is open in another window — close it to continue aggregating and appraising.</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="154" />
            <source>{n} đơn vị quá hạn</source>
            <translation>{n} units late</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="181" />
            <source>Đã lưu lúc {time}</source>
            <translation>Saved at {time}</translation>
        </message>
        <message>
            <location filename="../../app/ui/aggregator/window.py" line="170" />
            <source>Đang đọc kết quả đợt trước…</source>
            <translation>Reading the previous round's results…</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <location filename="../../app/ui/app.py" line="84" />
            <source>DTI</source>
            <translation>DTI</translation>
        </message>
        <message>
            <location filename="../../app/ui/app.py" line="178" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>CarryOver</name>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="83" />
            <source>Dùng các giá trị đã chọn</source>
            <translation>Use the selected values</translation>
        </message>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="88" />
            <source>Để sau</source>
            <translation>Later</translation>
        </message>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="56" />
            <source>Thông tin</source>
            <translation>Field</translation>
        </message>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="42" />
            <source>Dùng lại thông tin chung năm {year}</source>
            <translation>Reuse the general information of {year}</translation>
        </message>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="46" />
            <source>Đơn vị đã nhập các thông tin chung dưới đây trong đợt {year}. Bỏ chọn những giá trị đã thay đổi; chỉ các giá trị được chọn mới được ghi vào đợt này, và vẫn sửa được như số liệu nhập tay.</source>
            <translation>The unit entered the general information below in the {year} round. Untick the values that have changed; only the ticked values are written to this round, and they can still be edited like values typed by hand.</translation>
        </message>
        <message>
            <location filename="../../app/ui/carry_over_dialog.py" line="56" />
            <source>Giá trị năm {year}</source>
            <translation>Value in {year}</translation>
        </message>
    </context>
    <context>
        <name>Check</name>
        <message>
            <location filename="../../app/ui/check_panel.py" line="36" />
            <source>Còn thiếu</source>
            <translation>Missing</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="36" />
            <source>Cần sửa</source>
            <translation>To correct</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="36" />
            <source>Xem lại</source>
            <translation>To review</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="24" />
            <source>Ghi chú</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="47" />
            <source>Mức</source>
            <translation>Level</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="47" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="47" />
            <source>Nội dung</source>
            <translation>Finding</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="124" />
            <source>Không thấy thiếu sót nào.</source>
            <translation>Nothing missing or doubtful.</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="140" />
            <source>Còn thiếu {n} mục</source>
            <translation>missing: {n}</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="140" />
            <source>{n} mục cần sửa</source>
            <translation>to correct: {n}</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="141" />
            <source>{n} mục cần xem lại</source>
            <translation>to review: {n}</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="141" />
            <source>{n} ghi chú</source>
            <translation>notes: {n}</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="142" />
            <source>{parts} — nhấp đúp một dòng để đến chỉ tiêu đó</source>
            <translation>{parts} — double-click a line to go to its indicator</translation>
        </message>
    </context>
    <context>
        <name>Editor</name>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="92" />
            <source>Giá trị phần mềm hiểu được từ ô bên cạnh; được lưu khi bấm Enter hoặc rời ô.</source>
            <translation>The value the application read from the box beside it; it is stored on Enter or when you leave the box.</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="89" />
            <source>Số liệu của đơn vị</source>
            <translation>The unit's figures</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="93" />
            <source>Xóa số liệu</source>
            <translation>Clear the value</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="116" />
            <source>Giải trình (gửi kèm hồ sơ, lưu tự động):</source>
            <translation>Explanation (sent with the submission, saved automatically):</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="121" />
            <source>Ví dụ: lý do chưa có tài liệu, nguồn số liệu, ghi chú cho cơ quan thẩm định</source>
            <translation>For example: why a document is missing, where the figures come from, a note for the appraisers</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="43" />
            <source>Tài liệu kiểm chứng: bắt buộc</source>
            <translation>Evidence: required</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="44" />
            <source>Tài liệu kiểm chứng: không bắt buộc</source>
            <translation>Evidence: optional</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="45" />
            <source>Không yêu cầu tài liệu kiểm chứng</source>
            <translation>No evidence required</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="144" />
            <source>Chọn một chỉ số hoặc tiêu chí ở cây bên trái</source>
            <translation>Choose an index or criterion in the tree on the left</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="154" />
            <source>{points} / {max} điểm</source>
            <translation>{points} / {max} points</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="157" />
            <source>Cách tính: {how}</source>
            <translation>How: {how}</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="201" />
            <source>Gồm:</source>
            <translation>Made of:</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="222" />
            <source>Chưa lưu: {reason}</source>
            <translation>Not saved: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="152" />
            <source>Điểm tối đa {max}</source>
            <translation>Maximum {max} points</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="160" />
            <source>Quy tắc: {rule}</source>
            <translation>Rule: {rule}</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="162" />
            <source>Hướng dẫn: {guide}</source>
            <translation>Guide: {guide}</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="186" />
            <source>Điểm thẩm định: &lt;b&gt;{points}&lt;/b&gt; (tự chấm {self})</source>
            <translation>Appraised points: &lt;b&gt;{points}&lt;/b&gt; (self-score {self})</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="189" />
            <source>Ý kiến thẩm định: {comment}</source>
            <translation>Appraiser's comment: {comment}</translation>
        </message>
        <message>
            <location filename="../../app/ui/editor.py" line="191" />
            <source>Cơ quan thẩm định yêu cầu giải trình.</source>
            <translation>The appraisers ask for an explanation.</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="294" />
            <source>Điểm tự chấm:</source>
            <translation>Self-assessed points:</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="294" />
            <source>ví dụ 12,5</source>
            <translation>e.g. 12.5</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="133" />
            <source>số lượng đạt</source>
            <translation>number achieved</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="198" />
            <source>Không — 0 điểm</source>
            <translation>No — 0 points</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="268" />
            <source>Đơn vị không nhập số liệu cho tiêu chí này: cơ quan thẩm định chấm điểm.</source>
            <translation>The unit enters nothing for this criterion: the appraisers score it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="289" />
            <source>Số lượng:</source>
            <translation>Count:</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="289" />
            <source>số nguyên, ví dụ 4</source>
            <translation>a whole number, e.g. 4</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="289" />
            <source>(đếm)</source>
            <translation>(count)</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="291" />
            <source>Tỷ lệ:</source>
            <translation>Share:</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="291" />
            <source>a/b hoặc 85 %</source>
            <translation>a/b or 85 %</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="293" />
            <source>Giá trị:</source>
            <translation>Value:</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="132" />
            <source>Tử số (a):</source>
            <translation>Numerator (a):</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="136" />
            <source>Mẫu số (b):</source>
            <translation>Denominator (b):</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="141" />
            <source>Sửa ở Thông tin chung</source>
            <translation>Edit in General information</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="147" />
            <source>tổng số</source>
            <translation>total</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="179" />
            <source>chưa nhập</source>
            <translation>not entered</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="185" />
            <source>Tỷ lệ a/b: chưa tính được</source>
            <translation>Share a/b: cannot be computed yet</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="295" />
            <source>/ tối đa {max} điểm</source>
            <translation>/ maximum {max} points</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="197" />
            <source>Có — {points} điểm</source>
            <translation>Yes — {points} points</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="224" />
            <source>điểm</source>
            <translation>points</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_inputs.py" line="183" />
            <source>Tỷ lệ a/b = {share}</source>
            <translation>Share a/b = {share}</translation>
        </message>
    </context>
    <context>
        <name>EnrollmentDialog</name>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="57" />
            <source>Nhận tệp cấp tài khoản</source>
            <translation>Accept an enrollment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="69" />
            <source>Dùng tệp .dtienroll và phiếu cấp tài khoản do Sở Thông tin và Truyền thông hoặc UBND cấp huyện giao. Bấm “Kiểm tra tệp” để xem tệp cấp cho ai: việc kiểm tra chưa lưu gì vào máy.</source>
            <translation>Use the .dtienroll file and the enrollment sheet handed out by the provincial Department of Information and Communications or the district People's Committee. Click “Check the file” to see whom it enrolls: checking stores nothing on this computer.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="77" />
            <source>Tệp:</source>
            <translation>File:</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="80" />
            <source>Đường dẫn tệp cấp tài khoản (.dtienroll)</source>
            <translation>Path of the enrollment file (.dtienroll)</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="84" />
            <source>Chọn tệp…</source>
            <translation>Choose a file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="88" />
            <source>Kiểm tra tệp</source>
            <translation>Check the file</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="102" />
            <source>Đối chiếu với phiếu cấp tài khoản</source>
            <translation>Compare with the enrollment sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="104" />
            <source>So từng dòng với phiếu in. Hai dấu vân tay phải giống phiếu đến từng nhóm 4 ký tự; khác dù một ký tự: đừng nhận tài khoản và báo ngay cho cơ quan cấp.</source>
            <translation>Compare each line with the printed sheet. Both fingerprints must match the sheet group by group; if a single character differs, do not accept the account and tell the issuer at once.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="114" />
            <source>Đơn vị (mục 1)</source>
            <translation>Unit (section 1)</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="114" />
            <source>Nhóm đánh giá</source>
            <translation>Assessment group</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="115" />
            <source>Bộ chỉ số</source>
            <translation>Framework</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="115" />
            <source>Đơn vị cấp</source>
            <translation>Issued by</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="116" />
            <source>Hiệu lực chứng thư số</source>
            <translation>Certificate valid</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="117" />
            <source>Vân tay chứng thư của đơn vị (mục 3)</source>
            <translation>Unit certificate fingerprint (section 3)</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="118" />
            <source>Vân tay chứng thư gốc (mục 3)</source>
            <translation>Root certificate fingerprint (section 3)</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="143" />
            <source>mật khẩu in ở mục 2 của phiếu</source>
            <translation>the passphrase printed in section 2 of the sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="144" />
            <source>Gõ đúng từng ký tự như trên phiếu (phân biệt chữ hoa, chữ thường). Khoảng cách giữa các nhóm chỉ để dễ đọc: gõ liền hoặc gõ cả dấu cách đều được.</source>
            <translation>Type each character as on the sheet (upper and lower case differ). The gaps between groups are for reading only: type it with or without the spaces.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="147" />
            <source>Mật khẩu của đơn vị:</source>
            <translation>The unit's passphrase:</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="153" />
            <source>Nhận tài khoản</source>
            <translation>Enroll</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="157" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="191" />
            <source>Đang kiểm tra chữ ký của tệp…</source>
            <translation>Checking the file's signature…</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="212" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="221" />
            <source>từ {a} đến {b}</source>
            <translation>from {a} to {b}</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="246" />
            <source>Máy này đã nhận tệp này từ trước: không có gì thay đổi.</source>
            <translation>This computer already accepted this file: nothing changes.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="248" />
            <source>đơn vị thực hành “{name}”</source>
            <translation>the practice unit “{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="249" />
            <source>đơn vị “{name}” ({code}), chưa được cấp tài khoản</source>
            <translation>the unit “{name}” ({code}), not enrolled yet</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="251" />
            <source>Máy này đang mở {current}. Đơn vị đó được giữ nguyên trong thư mục {old}; số liệu thực hành không chuyển sang. Tài khoản của {unit} sẽ được cài vào thư mục dữ liệu mới {new}, và từ nay phần mềm mở thư mục đó.</source>
            <translation>This computer has {current} open. It stays as it is in the folder {old}; the practice values are not carried over. The account of {unit} will be installed in a new data folder, {new}, which the application opens from then on.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="256" />
            <source>Cấp lại tài khoản: chứng thư mới thay chứng thư cũ của {unit}; số liệu đã nhập được giữ nguyên. Từ nay dùng mật khẩu của phiếu mới.</source>
            <translation>Renewal: the new certificate replaces the old one of {unit}; the values already entered are kept. From now on use the passphrase of the new sheet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="258" />
            <source>Tài khoản được cài cho đơn vị đang mở, {unit}, trong thư mục này; số liệu và tài liệu đã nhập được giữ nguyên.</source>
            <translation>The account is installed for the unit open here, {unit}, in this folder; the values and documents already entered are kept.</translation>
        </message>
        <message>
            <location filename="../../app/ui/enrollment_dialog.py" line="288" />
            <source>Đang kiểm tra mật khẩu và cài đặt tài khoản…</source>
            <translation>Checking the passphrase and installing the account…</translation>
        </message>
    </context>
    <context>
        <name>EntryErrors</name>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="88" />
            <source>Tệp Excel chưa được nhập</source>
            <translation>The Excel file was not imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="120" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="74" />
            <source>Trang tính</source>
            <translation>Sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="74" />
            <source>Ô</source>
            <translation>Cell</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="74" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="74" />
            <source>Lý do</source>
            <translation>Reason</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="94" />
            <source>{file}: {n} ô cần sửa. Chưa lưu số liệu nào — sửa các ô dưới đây trong tệp Excel rồi nhập lại.</source>
            <translation>{file}: {n} cells to correct. Nothing was saved — correct the cells below in the Excel file, then import it again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="97" />
            <source>Chưa lưu số liệu nào: {reason}</source>
            <translation>Nothing was saved: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="117" />
            <source>… và {n} ô khác (sửa các ô trên rồi nhập lại để xem tiếp).</source>
            <translation>… and {n} more cells (correct the cells above and import again to see them).</translation>
        </message>
    </context>
    <context>
        <name>Evidence</name>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="60" />
            <source>Không ký số</source>
            <translation>Not signed</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="120" />
            <source>Chọn tài liệu kiểm chứng</source>
            <translation>Choose evidence files</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="121" />
            <source>Tài liệu (*.pdf *.jpg *.jpeg *.png);;Mọi tệp (*)</source>
            <translation>Documents (*.pdf *.jpg *.jpeg *.png);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="142" />
            <source>Đính kèm tệp…</source>
            <translation>Attach files…</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="143" />
            <source>Mở</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="144" />
            <source>Gỡ khỏi chỉ tiêu</source>
            <translation>Remove from the indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="167" />
            <source>Kéo thả tệp PDF, JPG, PNG vào đây hoặc bấm “Đính kèm tệp…”.</source>
            <translation>Drop PDF, JPG or PNG files here or press “Attach files…”.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="87" />
            <source>Tệp</source>
            <translation>File</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="87" />
            <source>Số trang</source>
            <translation>Pages</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="87" />
            <source>Dung lượng</source>
            <translation>Size</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="87" />
            <source>Chữ ký số</source>
            <translation>Digital signature</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="88" />
            <source>Kiểm tra tệp</source>
            <translation>File check</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="104" />
            <source>Đạt</source>
            <translation>Passed</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="183" />
            <source>Tài liệu kiểm chứng</source>
            <translation>Evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="186" />
            <source>Chọn một tiêu chí để đính kèm tài liệu kiểm chứng.</source>
            <translation>Choose a criterion to attach evidence to.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="62" />
            <source>Ký số hợp lệ: {signer}</source>
            <translation>Validly signed: {signer}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="62" />
            <source>Ký số, chưa tin cậy: {signer}</source>
            <translation>Signed, not trusted: {signer}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="63" />
            <source>Chữ ký KHÔNG hợp lệ: {signer}</source>
            <translation>INVALID signature: {signer}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="182" />
            <source>Tài liệu kiểm chứng ({count})</source>
            <translation>Evidence ({count})</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="49" />
            <source>đã đính kèm {n} tệp</source>
            <translation>attached {n} file(s)</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="52" />
            <source>({n} ảnh chụp đã chuyển sang PDF)</source>
            <translation>({n} photo(s) converted to PDF)</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="56" />
            <source>{n} tệp đã có sẵn ở tiêu chí này</source>
            <translation>{n} file(s) already attached to this criterion</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="58" />
            <source>không nhận {n} tệp:</source>
            <translation>{n} file(s) not accepted:</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="79" />
            <source>Đang kiểm tra và lưu tài liệu kiểm chứng…</source>
            <translation>Checking and storing the evidence…</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="98" />
            <source>đính kèm {n} tệp vào {code}</source>
            <translation>attach {n} file(s) to {code}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="106" />
            <source>Đang nén tệp PDF…</source>
            <translation>Compressing the PDF…</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="114" />
            <source>Đã nén “{name}” từ {before} xuống {after} và đính kèm.</source>
            <translation>Compressed “{name}” from {before} to {after} and attached it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="117" />
            <source>Đã đính kèm “{name}”.</source>
            <translation>Attached “{name}”.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="129" />
            <source>“{name}”: không nén nhỏ hơn được đáng kể; tệp giữ nguyên ({size}).</source>
            <translation>“{name}”: it cannot be made noticeably smaller; the file is kept as it is ({size}).</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="132" />
            <source>nén “{name}” ở {code}</source>
            <translation>compress “{name}” in {code}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="136" />
            <source>Đã nén “{name}” từ {before} xuống {after}.</source>
            <translation>Compressed “{name}” from {before} to {after}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="142" />
            <source>Gỡ tài liệu kiểm chứng</source>
            <translation>Remove evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="143" />
            <source>Gỡ “{name}” khỏi tiêu chí {code}?

Tệp vẫn được giữ trong máy; nếu gỡ nhầm, bấm Ctrl+Z (Sửa → Hoàn tác) để đính kèm lại.</source>
            <translation>Remove “{name}” from criterion {code}?

The file stays on this computer; if you remove it by mistake, press Ctrl+Z (Edit → Undo) to attach it again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="146" />
            <source>Gỡ</source>
            <translation>Remove</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="147" />
            <source>Không gỡ</source>
            <translation>Keep it</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="162" />
            <source>gỡ “{name}” khỏi {code}</source>
            <translation>remove “{name}” from {code}</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="165" />
            <source>Đã gỡ “{name}” khỏi tiêu chí {code}. Bấm Ctrl+Z để hoàn tác.</source>
            <translation>Removed “{name}” from criterion {code}. Press Ctrl+Z to undo.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="179" />
            <source>Đã hoàn tác: {what}.</source>
            <translation>Undone: {what}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_actions.py" line="180" />
            <source>Đã làm lại: {what}.</source>
            <translation>Redone: {what}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="150" />
            <source>Nén PDF</source>
            <translation>Compress PDF</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="151" />
            <source>Ghi lại tệp PDF đã chọn ở dạng nhỏ hơn (không áp dụng cho tệp có chữ ký số). Tệp gốc vẫn được giữ; Ctrl+Z để hoàn tác.</source>
            <translation>Rewrite the selected PDF smaller (not for digitally signed files). The original is kept; Ctrl+Z undoes it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="206" />
            <source>Ghi lại tệp PDF ở dạng nhỏ hơn rồi đính kèm nếu không còn vượt giới hạn. Tệp gốc trên máy không bị thay đổi.</source>
            <translation>Rewrite the PDF smaller and attach it if it is then within the limit. The original file on this computer is not changed.</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="213" />
            <source>Ẩn thông báo</source>
            <translation>Hide this message</translation>
        </message>
        <message>
            <location filename="../../app/ui/evidence_panel.py" line="235" />
            <source>Nén PDF ({n} tệp)</source>
            <translation>Compress PDF ({n} files)</translation>
        </message>
    </context>
    <context>
        <name>Export</name>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="268" />
            <source>Đợt này yêu cầu ký bằng token, nhưng chưa thấy token nào cắm vào máy.</source>
            <translation>This round requires a token signature, but no token is plugged in.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="65" />
            <source>Chọn thư mục lưu gói nộp</source>
            <translation>Choose the folder for the package</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="54" />
            <source>{n} MB</source>
            <translation>{n} MB</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="88" />
            <source>Xuất gói nộp</source>
            <translation>Export the submission package</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="101" />
            <source>Mỗi lần xuất là một lần nộp mới, có chữ ký số của đơn vị. Số liệu hoặc tài liệu còn thiếu không chặn việc xuất: chúng được ghi thành cảnh báo trong gói.</source>
            <translation>Every export is a new submission, digitally signed by the unit. Missing values or evidence do not block the export: they are recorded as warnings in the package.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="107" />
            <source>Đơn vị này đang ở chế độ luyện tập, chưa được cấp tài khoản nên chưa ký được gói nộp. Để xuất gói cần tệp cấp tài khoản (.dtienroll) và mật khẩu do cơ quan cấp trên gửi; khi có, hãy vào Tệp → Nhận tệp cấp tài khoản…</source>
            <translation>This unit is a practice unit: it is not enrolled, so it cannot sign a package. Exporting needs the enrollment file (.dtienroll) and the passphrase sent by the authority above; when you have them, choose File → Accept an enrollment file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="121" />
            <source>mật khẩu ghi trên phiếu cấp tài khoản</source>
            <translation>the passphrase printed on the enrollment sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="123" />
            <source>Mật khẩu ký:</source>
            <translation>Signing passphrase:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="129" />
            <source>Chọn thư mục…</source>
            <translation>Choose a folder…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="133" />
            <source>Lưu vào:</source>
            <translation>Save to:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="135" />
            <source>Chia thành nhiều tệp để gửi e-mail, mỗi tệp tối đa</source>
            <translation>Split into several files for e-mail, each at most</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="158" />
            <source>Mã hoá gói cho cơ quan nhận</source>
            <translation>Encrypt the package for the receiving authority</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="158" />
            <source>Chỉ cơ quan đã cấp tài khoản cho đơn vị mở được gói; ai nhặt được USB cũng không đọc được nội dung.</source>
            <translation>Only the authority that enrolled this unit can open the package; whoever finds the USB stick cannot read it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="239" />
            <source>Ký bằng token (chữ ký số của thủ trưởng)</source>
            <translation>Sign with the token (the head's digital signature)</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="241" />
            <source>Gói nộp và báo cáo tự đánh giá được ký thêm bằng chứng thư số trên token của thủ trưởng, bên cạnh chữ ký của đơn vị.</source>
            <translation>The package and the self-assessment report are also signed with the certificate on the head's token, beside the unit's signature.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="258" />
            <source>mã PIN của token, không được lưu lại</source>
            <translation>the token's PIN, never stored</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="261" />
            <source>Mã PIN của token:</source>
            <translation>Token PIN:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="276" />
            <source>{holder} — token {label}</source>
            <translation>{holder} — token {label}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="397" />
            <source>Hãy nhập mã PIN của token.</source>
            <translation>Enter the token's PIN.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="507" />
            <source>Gói nộp và báo cáo tự đánh giá trong gói đã được ký bằng token của {holder} (chữ ký số thứ hai, bên cạnh chữ ký của đơn vị).</source>
            <translation>The package and the self-assessment report inside it were signed with the token of {holder} (a second digital signature, beside the unit's).</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="158" />
            <source>Đã kiểm tra chữ ký của {signer} trước khi mã hoá; gói được mã hoá cho {authority}, chỉ cơ quan này mở được.</source>
            <translation>The signature of {signer} was checked before encryption; the package is encrypted for {authority}, and only that authority can open it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="173" />
            <source>Xuất gói</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="177" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="241" />
            <source>Đang chờ để bắt đầu…</source>
            <translation>Waiting to start…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="296" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="322" />
            <source>cơ quan đã cấp tài khoản cho đơn vị</source>
            <translation>the authority that enrolled the unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="52" />
            <source>{n} KB</source>
            <translation>{n} KB</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="58" />
            <source>chỉ tiêu chưa nhập</source>
            <translation>indicators not entered</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="58" />
            <source>thông tin chung chưa nhập</source>
            <translation>general information not entered</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="59" />
            <source>thiếu tài liệu kiểm chứng</source>
            <translation>evidence missing</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="59" />
            <source>tài liệu có vấn đề</source>
            <translation>evidence with problems</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="60" />
            <source>giá trị không hợp lệ</source>
            <translation>invalid values</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="60" />
            <source>vượt mẫu số</source>
            <translation>over the denominator</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="61" />
            <source>chờ thẩm định</source>
            <translation>awaiting appraisal</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="226" />
            <source>Hãy nhập mật khẩu ký.</source>
            <translation>Enter the signing passphrase.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="231" />
            <source>Thư mục lưu không còn tồn tại; hãy chọn thư mục khác.</source>
            <translation>The folder no longer exists; choose another one.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="254" />
            <source>Đang ký và ghi gói, rồi đọc lại để kiểm tra… Việc ghi không dừng giữa chừng được; gói chỉ xuất hiện khi đã ghi xong.</source>
            <translation>Signing and writing the package, then reading it back to check it… Writing cannot stop half-way; the package appears only once it is complete.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="261" />
            <source>Đang hủy…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="275" />
            <source>Đã hủy, chưa ghi gì.</source>
            <translation>Cancelled; nothing was written.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="303" />
            <source>Đã xuất gói nộp lần {revision}.</source>
            <translation>Submission package revision {revision} exported.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="96" />
            <source>Gói nộp của {name} ({code}), năm {year}</source>
            <translation>Submission package of {name} ({code}), year {year}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="279" />
            <source>Chưa xuất được: {reason}. Chưa ghi tệp nào.</source>
            <translation>Not exported: {reason}. No file was written.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="370" />
            <source>Chưa xuất được. Chưa ghi tệp nào.</source>
            <translation>Not exported. No file was written.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="319" />
            <source>Không có cảnh báo.</source>
            <translation>No warnings.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="408" />
            <source>Dấu vân tay của gói:</source>
            <translation>Package fingerprint:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="179" />
            <source>Xem danh sách</source>
            <translation>Show the list</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="254" />
            <source>Ẩn danh sách</source>
            <translation>Hide the list</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="185" />
            <source>Vẫn xuất</source>
            <translation>Export anyway</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="240" />
            <source>Không còn thiếu số liệu, tài liệu kiểm chứng hay thông tin chung nào.</source>
            <translation>No value, evidence or general information is missing.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="242" />
            <source>{n} chỉ tiêu chưa nhập số liệu (tính 0 điểm)</source>
            <translation>{n} indicators without a value (scored 0)</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="243" />
            <source>{n} chỉ tiêu thiếu tài liệu kiểm chứng bắt buộc và chưa có giải trình</source>
            <translation>{n} indicators missing required evidence, with no explanation</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="244" />
            <source>{n} mục thông tin chung chưa nhập</source>
            <translation>{n} general information fields not entered</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="245" />
            <source>{n} mục cần xem lại (số liệu chưa tính được điểm, tài liệu có vấn đề)</source>
            <translation>{n} to review (values that cannot be scored, evidence with problems)</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="246" />
            <source>Trước khi ký, hồ sơ còn thiếu:</source>
            <translation>Before signing, the submission still lacks:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="248" />
            <source>Có thể bổ sung trước rồi xuất, hoặc vẫn xuất ngay: phần còn thiếu được ghi thành cảnh báo trong gói, và lần xuất sau sẽ thay lần này.</source>
            <translation>Complete it first and then export, or export now anyway: what is missing is written as warnings in the package, and a later export replaces this one.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="324" />
            <source>Khi nhận, cơ quan thẩm định đối chiếu được dấu vân tay ở trên.</source>
            <translation>The appraisers can compare the fingerprint above when they receive it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="198" />
            <source>Ổ đĩa rời (USB): {path}</source>
            <translation>Removable drive (USB): {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="201" />
            <source>Thư mục lần trước: {path}</source>
            <translation>Last folder: {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="204" />
            <source>Thư mục Tài liệu: {path}</source>
            <translation>Documents folder: {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="317" />
            <source>Cảnh báo ghi trong gói: {parts}.</source>
            <translation>Warnings recorded in the package: {parts}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="306" />
            <source>Tệp đã ghi vào {folder}:</source>
            <translation>Files written to {folder}:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="308" />
            <source>Đọc lại và kiểm tra: hợp lệ — chữ ký của {signer}, {n} mục khớp với danh mục.</source>
            <translation>Read back and verified: valid — signed by {signer}, {n} entries match the manifest.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="312" />
            <source>Đọc lại và kiểm tra: KHÔNG hợp lệ — {reason}. Đừng nộp gói này; hãy xuất lại.</source>
            <translation>Read back and verified: NOT valid — {reason}. Do not submit this package; export again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="323" />
            <source>Nộp tệp .dtipkg cho {receiver}; giữ lại bản sao.</source>
            <translation>Hand the .dtipkg file to {receiver}; keep a copy.</translation>
        </message>
    </context>
    <context>
        <name>FileMenu</name>
        <message>
            <location filename="../../app/ui/file_actions.py" line="97" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="121" />
            <source>Chọn tệp phản hồi thẩm định</source>
            <translation>Choose the appraisal feedback file</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="122" />
            <source>Tệp phản hồi (*.phanhoi *.dtifeedback);;Mọi tệp (*)</source>
            <translation>Feedback files (*.phanhoi *.dtifeedback);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="143" />
            <source>Đã nhập phản hồi thẩm định</source>
            <translation>Appraisal feedback imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="149" />
            <source>Lưu mẫu nhập Excel</source>
            <translation>Save the Excel entry template</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="149" />
            <source>Sổ Excel (*.xlsx)</source>
            <translation>Excel workbook (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="162" />
            <source>Chọn sổ Excel đã nhập số liệu</source>
            <translation>Choose the filled-in Excel workbook</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="199" />
            <source>Lưu báo cáo tự đánh giá</source>
            <translation>Save the self-assessment report</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="199" />
            <source>Tệp PDF (*.pdf)</source>
            <translation>PDF file (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="67" />
            <source>Xuất gói nộp…</source>
            <translation>Export submission package…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="68" />
            <source>Nhập phản hồi thẩm định…</source>
            <translation>Import appraisal feedback…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="70" />
            <source>Xuất mẫu nhập Excel…</source>
            <translation>Export Excel entry template…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="71" />
            <source>Nhập từ Excel…</source>
            <translation>Import from Excel…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="73" />
            <source>In báo cáo tự đánh giá (PDF)…</source>
            <translation>Print self-assessment report (PDF)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="95" />
            <source>Mở</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="183" />
            <source>Đã nhập từ Excel</source>
            <translation>Imported from Excel</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="137" />
            <source>Đã nhập {n} ý kiến thẩm định, trong đó {k} tiêu chí cần giải trình. Cây chỉ số đang lọc “Cần giải trình”: viết giải trình cho từng tiêu chí rồi xuất gói nộp lần mới.</source>
            <translation>{n} appraisal items imported; {k} criteria need an explanation. The tree now shows “Needs explanation”: write an explanation for each, then export a new revision of the package.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="141" />
            <source>Đã nhập {n} ý kiến thẩm định. Điểm thẩm định hiện bên cạnh điểm tự chấm.</source>
            <translation>{n} appraisal items imported. Appraised points are shown beside the self-assessed points.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="194" />
            <source>Bản cài đặt này chưa có phần in báo cáo tự đánh giá (PDF). Hãy cập nhật phần mềm.</source>
            <translation>This installation cannot print the self-assessment report (PDF) yet. Please update the software.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="183" />
            <source>Đã lưu {n} thay đổi từ {name}.</source>
            <translation>{n} changes saved from {name}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="131" />
            <source>Đang kiểm tra chữ ký và nhập phản hồi…</source>
            <translation>Checking the signature and importing the feedback…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="157" />
            <source>Đã xuất mẫu nhập Excel</source>
            <translation>Excel entry template exported</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="207" />
            <source>Đang tạo báo cáo PDF…</source>
            <translation>Creating the PDF report…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="208" />
            <source>Đã tạo báo cáo</source>
            <translation>Report created</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="157" />
            <source>Đã lưu {name}. Nhập số liệu vào các ô màu vàng, rồi dùng Tệp → Nhập từ Excel….</source>
            <translation>{name} saved. Enter the figures in the yellow cells, then use File → Import from Excel….</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="208" />
            <source>Đã lưu {name}. Mở báo cáo ngay?</source>
            <translation>{name} saved. Open the report now?</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="82" />
            <source>Nhận tệp cấp tài khoản…</source>
            <translation>Accept an enrollment file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="83" />
            <source>Đổi mật khẩu…</source>
            <translation>Change passphrase…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="237" />
            <source>Chọn tệp cấp tài khoản</source>
            <translation>Choose the enrollment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="238" />
            <source>Tệp cấp tài khoản (*.dtienroll);;Mọi tệp (*)</source>
            <translation>Enrollment files (*.dtienroll);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="246" />
            <source>Đã nhận tài khoản cho {name} ({code}). Từ nay đơn vị ký và xuất được gói nộp.</source>
            <translation>The account of {name} ({code}) is accepted. The unit can now sign and export its package.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="249" />
            <source>Dữ liệu của đơn vị nằm ở thư mục {new}; đơn vị thực hành vẫn ở thư mục {old}.</source>
            <translation>The unit's data are in the folder {new}; the practice unit stays in the folder {old}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="251" />
            <source>Hãy đổi mật khẩu ngay: Tệp → Đổi mật khẩu…, rồi hủy phiếu cấp tài khoản hoặc cất ở nơi an toàn.</source>
            <translation>Change the passphrase now: File → Change passphrase…, then destroy the enrollment sheet or lock it away.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="253" />
            <source>Đã nhận tài khoản</source>
            <translation>Account accepted</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="260" />
            <source>Đổi mật khẩu ngay…</source>
            <translation>Change the passphrase now…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="273" />
            <source>Đã đổi mật khẩu</source>
            <translation>Passphrase changed</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="273" />
            <source>Đã đổi mật khẩu ({n} khóa). Từ nay dùng mật khẩu mới khi xuất gói nộp. Mật khẩu in trên phiếu cấp tài khoản không còn dùng được: hủy phiếu hoặc cất ở nơi an toàn.</source>
            <translation>Passphrase changed ({n} keys). Use the new passphrase when exporting the package. The passphrase printed on the enrollment sheet no longer works: destroy the sheet or lock it away.</translation>
        </message>
    </context>
    <context>
        <name>FirstRun</name>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="69" />
            <source>DTI — Bắt đầu sử dụng</source>
            <translation>DTI — Getting started</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="89" />
            <source>Quay lại</source>
            <translation>Back</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="90" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="91" />
            <source>Tiếp tục</source>
            <translation>Continue</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="120" />
            <source>Chỉ số chuyển đổi số</source>
            <translation>Digital Transformation Index</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="127" />
            <source>1. Chọn cách bắt đầu</source>
            <translation>1. Choose how to start</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="127" />
            <source>2. Nhập thông tin</source>
            <translation>2. Enter the details</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="127" />
            <source>3. Bắt đầu nhập số liệu</source>
            <translation>3. Start entering figures</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="165" />
            <source>Đường dẫn tệp cấp tài khoản</source>
            <translation>Path of the enrollment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="166" />
            <source>Chọn tệp…</source>
            <translation>Choose a file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="196" />
            <source>Mật khẩu ghi trên phiếu</source>
            <translation>The passphrase printed on the sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="234" />
            <source>Chọn thư mục…</source>
            <translation>Choose a folder…</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="321" />
            <source>Chọn tệp cấp tài khoản</source>
            <translation>Choose the enrollment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="323" />
            <source>Tệp cấp tài khoản (*.dtienroll *.dtipkg);;Mọi tệp (*)</source>
            <translation>Enrollment files (*.dtienroll *.dtipkg);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="327" />
            <source>Chọn thư mục dữ liệu</source>
            <translation>Choose the data folder</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="124" />
            <source>Tự đánh giá, đính kèm tài liệu kiểm chứng và nộp hồ sơ — không cần mạng.</source>
            <translation>Self-assess, attach evidence and submit — no network needed.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="137" />
            <source>Chào mừng đến với phần mềm tự đánh giá chỉ số chuyển đổi số (DTI)</source>
            <translation>Welcome to the Digital Transformation Index (DTI) self-assessment</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="138" />
            <source>Máy này chưa có dữ liệu của đơn vị nào. Hãy chọn cách bắt đầu:</source>
            <translation>This computer holds no unit's data yet. Choose how to start:</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="141" />
            <source>Nhận tệp cấp tài khoản</source>
            <translation>Accept an enrollment file</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="142" />
            <source>Dùng tệp do cơ quan tổng hợp gửi (kèm phiếu in có mật khẩu). Đơn vị được ký số và nộp hồ sơ.</source>
            <translation>Use the file the collecting authority sent (with the printed sheet and its passphrase). The unit can then sign and submit.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="143" />
            <source>Thực hành với bộ chỉ số có sẵn</source>
            <translation>Practise with a bundled framework</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="144" />
            <source>Nhập thử số liệu, đính kèm tài liệu và xem điểm; chưa ký, chưa nộp được.</source>
            <translation>Try entering figures, attaching evidence and seeing the score; nothing can be signed or submitted.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="145" />
            <source>Mở thư mục dữ liệu đã có</source>
            <translation>Open an existing data folder</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="146" />
            <source>Dùng dữ liệu chép từ máy khác hoặc từ USB.</source>
            <translation>Use data copied from another computer or a USB drive.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="160" />
            <source>Tệp có đuôi .dtienroll do Sở Thông tin và Truyền thông hoặc UBND cấp huyện gửi. Phần mềm kiểm tra chữ ký của tệp trước khi hiển thị nội dung.</source>
            <translation>A .dtienroll file sent by the provincial Department of Information and Communications or the district People's Committee. Its signature is checked before anything in it is shown.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="177" />
            <source>Đối chiếu với phiếu cấp tài khoản</source>
            <translation>Compare with the enrollment sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="178" />
            <source>So sánh từng dòng dưới đây với phiếu in. Nếu vân tay chứng thư khác phiếu, đừng tiếp tục và báo cho cơ quan cấp.</source>
            <translation>Compare each line below with the printed sheet. If the certificate fingerprint differs from the sheet, stop and tell the issuing authority.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="182" />
            <source>Đơn vị</source>
            <translation>Unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="182" />
            <source>Nhóm</source>
            <translation>Group</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="183" />
            <source>Bộ chỉ số</source>
            <translation>Framework</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="198" />
            <source>Đơn vị cấp</source>
            <translation>Issued by</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="199" />
            <source>Vân tay chứng thư của đơn vị</source>
            <translation>Unit certificate fingerprint</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="208" />
            <source>Cách đối chiếu: mỗi dấu vân tay có 16 nhóm, mỗi nhóm 4 ký tự, in ở mục 3 của phiếu. So lần lượt từng nhóm trên màn hình với nhóm cùng chỗ trên phiếu, đủ cả 16 nhóm của cả hai dòng, không chỉ vài nhóm đầu hay cuối. Khác dù một ký tự: bấm Hủy và báo cho đơn vị cấp.</source>
            <translation>How to compare: each fingerprint has 16 groups of 4 characters, printed in section 3 of the sheet. Compare every group on screen with the group in the same place on the sheet, all 16 groups of both lines, not only the first or last few. If a single character differs: press Cancel and tell the issuer.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="184" />
            <source>Vân tay chứng thư gốc</source>
            <translation>Root certificate fingerprint</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="197" />
            <source>Mật khẩu của đơn vị</source>
            <translation>The unit's passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="204" />
            <source>Đơn vị thực hành</source>
            <translation>Practice unit</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="205" />
            <source>Chọn bộ chỉ số và nhóm đơn vị. Khi nhận tệp cấp tài khoản, hãy dùng một thư mục dữ liệu mới.</source>
            <translation>Choose a framework and a unit group. When you receive an enrollment file, use a new data folder.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="220" />
            <source>Nhóm đơn vị</source>
            <translation>Unit group</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="221" />
            <source>Tên đơn vị</source>
            <translation>Unit name</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="230" />
            <source>Chọn thư mục chứa tệp dti.sqlite3 của đơn vị.</source>
            <translation>Choose the folder that holds the unit's dti.sqlite3 file.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="265" />
            <source>Kiểm tra tệp</source>
            <translation>Check the file</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="265" />
            <source>Nhận tài khoản</source>
            <translation>Enroll</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="266" />
            <source>Bắt đầu</source>
            <translation>Start</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="266" />
            <source>Mở</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="301" />
            <source>Đang cài đặt tài khoản…</source>
            <translation>Installing the enrollment…</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="197" />
            <source>Gõ đúng từng ký tự như ở mục 2 của phiếu. Khoảng cách giữa các nhóm chỉ để dễ đọc: gõ liền hoặc gõ cả dấu cách đều được.</source>
            <translation>Type each character as in section 2 of the sheet. The gaps between groups are for reading only: type it with or without the spaces.</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="308" />
            <source>Hãy nhập mật khẩu in ở mục 2 của phiếu cấp tài khoản.</source>
            <translation>Type the passphrase printed in section 2 of the enrollment sheet.</translation>
        </message>
    </context>
    <context>
        <name>Info</name>
        <message>
            <location filename="../../app/ui/info_form.py" line="33" />
            <source>Thông tin chung không tính điểm, nhưng là mẫu số của các tỷ lệ. Số liệu được lưu ngay khi rời ô hoặc bấm Enter.</source>
            <translation>General information is not scored, but it is the denominator of shares. A value is saved as soon as you leave the field or press Enter.</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="67" />
            <source>nội dung</source>
            <translation>text</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="67" />
            <source>số</source>
            <translation>number</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="102" />
            <source>Chưa lưu: {reason}</source>
            <translation>Not saved: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="65" />
            <source>Là mẫu số của: {codes}</source>
            <translation>Denominator of: {codes}</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="69" />
            <source>Xem và dùng lại…</source>
            <translation>Review and reuse…</translation>
        </message>
        <message>
            <location filename="../../app/ui/info_form.py" line="79" />
            <source>Có {n} thông tin chung của năm {year} có thể dùng lại.</source>
            <translation>{n} general information fields of {year} can be reused.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../app/ui/main_window.py" line="68" />
            <source>DTI — Tự đánh giá chỉ số chuyển đổi số</source>
            <translation>DTI — Digital Transformation Index self-assessment</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="124" />
            <source>Chỉ tiêu đang chọn</source>
            <translation>Selected indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="126" />
            <source>Thông tin chung</source>
            <translation>General information</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="134" />
            <source>Kiểm tra hồ sơ</source>
            <translation>Submission check</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="149" />
            <source>Mọi thay đổi được lưu ngay khi nhập — không cần bấm Lưu.</source>
            <translation>Every change is saved as you type — there is no Save button.</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="160" />
            <source>Tìm theo mã hoặc tên (Ctrl+F)…</source>
            <translation>Search by code or title (Ctrl+F)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="213" />
            <source>&amp;Tệp</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="216" />
            <source>Thoát</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="220" />
            <source>&amp;Sửa</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="221" />
            <source>Hoàn tác</source>
            <translation>Undo</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="223" />
            <source>Làm lại</source>
            <translation>Redo</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="227" />
            <source>&amp;Đi tới</source>
            <translation>&amp;Go</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="241" />
            <source>&amp;Xem</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="243" />
            <source>Bảng kiểm tra hồ sơ</source>
            <translation>Submission check panel</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="170" />
            <source>Lọc:</source>
            <translation>Filter:</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="198" />
            <source>Không có tiêu chí nào phù hợp</source>
            <translation>No criterion matches</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="229" />
            <source>Tìm chỉ số</source>
            <translation>Find an indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="230" />
            <source>Cây chỉ số</source>
            <translation>Indicator tree</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="231" />
            <source>Ô nhập số liệu</source>
            <translation>Value field</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="232" />
            <source>Tài liệu kiểm chứng</source>
            <translation>Evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="235" />
            <source>Tiêu chí tiếp theo chưa xong</source>
            <translation>Next unfinished criterion</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="421" />
            <source>Đã lưu lúc {time}</source>
            <translation>Saved at {time}</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="197" />
            <source>Đang lọc: {n} tiêu chí phù hợp</source>
            <translation>Filtered: {n} matching criteria</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="444" />
            <source>Không tìm thấy tệp đã lưu: {name}</source>
            <translation>Stored file not found: {name}</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="459" />
            <source>Đã dùng lại {n} thông tin chung của năm {year}.</source>
            <translation>Reused {n} general information fields of {year}.</translation>
        </message>
    </context>
    <context>
        <name>Ops</name>
        <message>
            <location filename="../../app/ui/ops.py" line="144" />
            <source>vi</source>
            <translation>en</translation>
        </message>
        <message>
            <location filename="../../app/ui/ops.py" line="147" />
            <source>Không thực hiện được</source>
            <translation>Could not be done</translation>
        </message>
        <message>
            <location filename="../../app/ui/ops.py" line="149" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/ops.py" line="74" />
            <source>Đang xử lý</source>
            <translation>Working</translation>
        </message>
        <message>
            <location filename="../../app/ui/ops.py" line="141" />
            <source>Lỗi chương trình: {what}. Chi tiết được ghi vào nhật ký.</source>
            <translation>Program error: {what}. The details are in the log file.</translation>
        </message>
    </context>
    <context>
        <name>PassphraseDialog</name>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="34" />
            <source>Đổi mật khẩu</source>
            <translation>Change passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="37" />
            <source>Đổi mật khẩu của đơn vị</source>
            <translation>Change the unit's passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="40" />
            <source>Mật khẩu mở khóa chữ ký số của đơn vị; phần mềm hỏi mật khẩu mỗi lần xuất gói nộp. Hãy đổi ngay sau khi nhận tài khoản: mật khẩu in trên phiếu đã qua tay người khác.</source>
            <translation>The passphrase unlocks the unit's digital signature; the application asks for it at every export of the package. Change it right after accepting the account: the passphrase printed on the sheet has passed through other hands.</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="46" />
            <source>Đơn vị thực hành chưa có mật khẩu. Mật khẩu đi cùng tài khoản: khi nhận tệp cấp tài khoản (Tệp → Nhận tệp cấp tài khoản…), dùng mật khẩu in trên phiếu, rồi đổi mật khẩu ở đây.</source>
            <translation>A practice unit has no passphrase yet. The passphrase comes with the account: when accepting the enrollment file (File → Accept an enrollment file…), use the passphrase printed on the sheet, then change it here.</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="56" />
            <source>mật khẩu đang dùng</source>
            <translation>the current passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="57" />
            <source>Lần đầu đổi: mật khẩu in ở mục 2 của phiếu cấp tài khoản.</source>
            <translation>The first time: the passphrase printed in section 2 of the enrollment sheet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="58" />
            <source>mật khẩu mới</source>
            <translation>the new passphrase</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="59" />
            <source>Ít nhất 8 ký tự. Nên là một câu dễ nhớ mà người khác khó đoán; ghi ra giấy thì cất nơi an toàn, không để cùng máy tính.</source>
            <translation>At least 8 characters. Best a sentence that is easy to remember and hard to guess; if written down, keep the paper somewhere safe, not with the computer.</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="61" />
            <source>nhập lại mật khẩu mới</source>
            <translation>the new passphrase again</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="63" />
            <source>Mật khẩu đang dùng:</source>
            <translation>Current passphrase:</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="64" />
            <source>Mật khẩu mới:</source>
            <translation>New passphrase:</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="65" />
            <source>Nhập lại mật khẩu mới:</source>
            <translation>New passphrase again:</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="83" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="103" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/passphrase_dialog.py" line="135" />
            <source>Đang đổi mật khẩu…</source>
            <translation>Changing the passphrase…</translation>
        </message>
    </context>
    <context>
        <name>PassphraseField</name>
        <message>
            <location filename="../../app/ui/passphrase_field.py" line="49" />
            <source>Hiện mật khẩu</source>
            <translation>Show passphrase</translation>
        </message>
    </context>
    <context>
        <name>RoundDialogs</name>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="262" />
            <source>Yêu cầu mã hoá gói</source>
            <translation>Ask for encrypted packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="264" />
            <source>Khi xuất gói nộp của đợt này, đơn vị mã hoá gói cho cơ quan đã cấp tài khoản (mặc định đã chọn); ai nhặt được USB cũng không đọc được.</source>
            <translation>When a unit exports its package in this round, it encrypts it for the authority that enrolled it (ticked by default); whoever finds the USB stick cannot read it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="266" />
            <source>Yêu cầu đơn vị:</source>
            <translation>Ask the units:</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="267" />
            <source>Yêu cầu chữ ký số token</source>
            <translation>Ask for a token signature</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="269" />
            <source>Gói nộp của đợt này phải có chữ ký số token hợp lệ của thủ trưởng đơn vị; gói không có chữ ký này bị từ chối khi nhập.</source>
            <translation>Packages of this round must carry a valid token signature of the unit's head; a package without one is refused at import.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="385" />
            <source>Đợt này yêu cầu đơn vị: {asks}; tệp đợt đánh giá mang theo yêu cầu này.</source>
            <translation>This round asks the units for: {asks}; the round file carries this request.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="178" />
            <source>Bước tiếp theo: Đợt đánh giá → Xuất tệp đợt đánh giá… để gửi cho các đơn vị.</source>
            <translation>Next: Rounds → Export round file… to send it to the units.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="103" />
            <source>Lưu xếp nhóm</source>
            <translation>Save groups</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="210" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="229" />
            <source>Mở đợt đánh giá mới</source>
            <translation>Open a new round</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="239" />
            <source>Một đợt đánh giá là một bộ chỉ số của một năm. Đợt mới thành đợt hiện hành; số liệu của các đợt trước vẫn giữ nguyên. Các đơn vị do máy này cấp tài khoản giữ nhóm của đợt trước khi bộ chỉ số mới có nhóm đó.</source>
            <translation>A round is one framework for one year. The new round becomes the current round; the data of earlier rounds stay as they are. The units enrolled here keep their group of the previous round where the new framework has that group.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="249" />
            <source>Bộ chỉ số:</source>
            <translation>Framework:</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="252" />
            <source>dd/mm/yyyy (có thể để trống)</source>
            <translation>dd/mm/yyyy (may be left empty)</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="254" />
            <source>Hạn nộp:</source>
            <translation>Deadline:</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="277" />
            <source>Mở đợt đánh giá</source>
            <translation>Open round</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="283" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="291" />
            <source>Đang đọc các bộ chỉ số…</source>
            <translation>Reading the frameworks…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="127" />
            <source>— chưa xếp nhóm —</source>
            <translation>— no group yet —</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="145" />
            <source>Hãy chọn nhóm cho ít nhất một đơn vị.</source>
            <translation>Choose a group for at least one unit.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="307" />
            <source>Máy này chưa có bộ chỉ số nào.</source>
            <translation>This installation holds no framework yet.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="154" />
            <source>Đã xếp nhóm: {units}.</source>
            <translation>Groups saved: {units}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="198" />
            <source>Xếp nhóm đơn vị trong đợt {year}</source>
            <translation>Assign units to groups in the {year} round</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="202" />
            <source>Các đơn vị dưới đây chưa có nhóm trong đợt {year} — {title}: chọn nhóm cho từng đơn vị, lưu, rồi xuất lại tệp đợt đánh giá.</source>
            <translation>The units below have no group in the round {year} — {title}: choose a group for each unit, save, then export the round file again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="301" />
            <source>— đã có đợt này</source>
            <translation>— already a round here</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="351" />
            <source>Đã mở đợt {year} — {title}. Đây là đợt hiện hành.</source>
            <translation>Round {year} — {title} is open. It is the current round.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="354" />
            <source>Hạn nộp: {date}.</source>
            <translation>Deadline: {date}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="356" />
            <source>{n} đơn vị giữ nhóm của đợt trước.</source>
            <translation>{n} unit(s) keep their group of the previous round.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="358" />
            <source>{n} đơn vị chưa có nhóm trong đợt này (bộ chỉ số mới không có nhóm cũ của đơn vị): {units}. Hãy xếp nhóm cho từng đơn vị dưới đây; đơn vị chưa có nhóm không được gửi tệp đợt đánh giá.</source>
            <translation>{n} unit(s) have no group in this round (the new framework lacks their previous group): {units}. Choose a group for each unit below; a unit without a group is not sent the round file.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="157" />
            <source>Còn chưa có nhóm: {units}.</source>
            <translation>Still without a group: {units}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_dialogs.py" line="338" />
            <source>Đang mở đợt đánh giá…</source>
            <translation>Opening the round…</translation>
        </message>
    </context>
    <context>
        <name>RoundMenu</name>
        <message>
            <location filename="../../app/ui/round_menu.py" line="89" />
            <source>mã hoá gói</source>
            <translation>encrypted packages</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="91" />
            <source>chữ ký số token</source>
            <translation>a token signature</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="276" />
            <source>Đợt này yêu cầu khi nộp gói: {asks}.</source>
            <translation>This round asks, for its packages: {asks}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="80" />
            <source>(đã chốt)</source>
            <translation>(finalized)</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="112" />
            <source>Đợt đánh &amp;giá</source>
            <translation>&amp;Rounds</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="121" />
            <source>(chưa có đợt đánh giá nào)</source>
            <translation>(no round yet)</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="135" />
            <source>Tệp đợt đánh giá (.dtiround) do cơ quan đã cấp tài khoản gửi: tham gia đợt mới mà không cần cấp tài khoản lại</source>
            <translation>A round file (.dtiround) sent by the authority that enrolled this unit: takes part in the new round without a new enrollment</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="137" />
            <source>Mở đợt đánh giá trên một bộ chỉ số có ở máy này; đợt mới thành đợt hiện hành</source>
            <translation>Open a round on a framework held here; the new round becomes the current round</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="139" />
            <source>Tệp gửi các đơn vị: bộ chỉ số, hạn nộp và nhóm của từng đơn vị trong đợt hiện hành</source>
            <translation>The file for the units: the framework, the deadline and each unit's group in the current round</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="211" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="267" />
            <source>Số liệu các đợt trước vẫn giữ nguyên: chọn đợt trong menu Đợt đánh giá để xem lại.</source>
            <translation>The data of earlier rounds stay as they are: choose a round in the Rounds menu to see them again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="269" />
            <source>Đã nhận tệp đợt đánh giá</source>
            <translation>Round file accepted</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="302" />
            <source>Lưu tệp đợt đánh giá</source>
            <translation>Save the round file</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="303" />
            <source>Tệp đợt đánh giá (*.dtiround)</source>
            <translation>Round files (*.dtiround)</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="321" />
            <source>Gửi tệp cho các đơn vị (USB, thư điện tử); mỗi đơn vị nhận bằng Đợt đánh giá → Nhận tệp đợt đánh giá…</source>
            <translation>Send the file to the units (USB stick, e-mail); each unit accepts it with Rounds → Accept round file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="326" />
            <source>Đã xuất tệp đợt đánh giá</source>
            <translation>Round file exported</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="334" />
            <source>Xếp nhóm…</source>
            <translation>Assign groups…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="126" />
            <source>Nhận tệp đợt đánh giá…</source>
            <translation>Accept round file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="127" />
            <source>Mở đợt đánh giá mới…</source>
            <translation>Open new round…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="128" />
            <source>Xuất tệp đợt đánh giá…</source>
            <translation>Export round file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="230" />
            <source>Chọn tệp đợt đánh giá</source>
            <translation>Choose a round file</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="231" />
            <source>Tệp đợt đánh giá (*.dtiround);;Mọi tệp (*)</source>
            <translation>Round files (*.dtiround);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="256" />
            <source>Tệp đợt đánh giá đã có</source>
            <translation>Round file already accepted</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="253" />
            <source>Tệp {file} đã được nhận trước đây: không có gì thay đổi.</source>
            <translation>{file} was accepted before: nothing changed.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="258" />
            <source>Đã nhận đợt {round} ({issuer} gửi).</source>
            <translation>Round {round} accepted (sent by {issuer}).</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="259" />
            <source>Đây là đợt hiện hành: từ nay số liệu nhập vào thuộc đợt {year}. Đơn vị ở nhóm “{group}”.</source>
            <translation>It is the current round: what is entered from now on belongs to {year}. The unit is in the group “{group}”.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="319" />
            <source>Đã ghi {file}: đợt {round} cho {n} đơn vị.</source>
            <translation>Wrote {file}: round {round} for {n} unit(s).</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="200" />
            <source>Đang làm việc với đợt {round}</source>
            <translation>Working in round {round}</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="262" />
            <source>Hạn nộp: {date}.</source>
            <translation>Deadline: {date}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="264" />
            <source>{n} đơn vị do máy này cấp tài khoản giữ nhóm của đợt trước.</source>
            <translation>{n} unit(s) enrolled here keep their group of the previous round.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="266" />
            <source>Chưa có nhóm trong đợt này: {units}.</source>
            <translation>No group in this round yet: {units}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="324" />
            <source>Chưa gửi cho (chưa có nhóm trong đợt này): {units}. Xếp nhóm cho các đơn vị này rồi xuất lại tệp.</source>
            <translation>Not sent to (no group in this round yet): {units}. Assign them a group, then export the file again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="158" />
            <source>hạn nộp {date}</source>
            <translation>deadline {date}</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="255" />
            <source>Đợt đang làm việc: {round}.</source>
            <translation>Round in use: {round}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="247" />
            <source>Đang kiểm tra chữ ký tệp đợt đánh giá…</source>
            <translation>Checking the signature of the round file…</translation>
        </message>
        <message>
            <location filename="../../app/ui/round_menu.py" line="315" />
            <source>Đang ký và ghi tệp đợt đánh giá…</source>
            <translation>Signing and writing the round file…</translation>
        </message>
    </context>
    <context>
        <name>Status</name>
        <message>
            <location filename="../../app/ui/tree_model.py" line="31" />
            <source>Đã xong</source>
            <translation>Done</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="32" />
            <source>Chưa nhập</source>
            <translation>Not entered</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="33" />
            <source>Thiếu minh chứng</source>
            <translation>Evidence missing</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="34" />
            <source>Có vấn đề</source>
            <translation>Problem</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="35" />
            <source>Có ý kiến thẩm định</source>
            <translation>Appraiser's comment</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="36" />
            <source>Cần giải trình</source>
            <translation>Explanation requested</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="37" />
            <source>Thẩm định chấm</source>
            <translation>Scored by appraisers</translation>
        </message>
    </context>
    <context>
        <name>Summary</name>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="142" />
            <source>chưa có</source>
            <translation>none yet</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="144" />
            <source>Xếp loại hiện khi đã nhập số liệu của ít nhất một tiêu chí.</source>
            <translation>The grade appears once a value of at least one criterion is entered.</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="119" />
            <source>Tổng điểm (tạm tính)</source>
            <translation>Total (provisional)</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="122" />
            <source>Tỷ lệ</source>
            <translation>Share</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="125" />
            <source>Xếp loại</source>
            <translation>Grade</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="132" />
            <source>đơn vị thực hành, chưa được cấp tài khoản</source>
            <translation>practice unit, not enrolled</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="163" />
            <source>Đợt {year}</source>
            <translation>Round {year}</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="166" />
            <source>đã chốt</source>
            <translation>finalized</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="168" />
            <source>đã có đợt {year}</source>
            <translation>newer round {year} held</translation>
        </message>
        <message>
            <location filename="../../app/ui/summary_bar.py" line="145" />
            <source>hạn nộp {date}</source>
            <translation>deadline {date}</translation>
        </message>
    </context>
    <context>
        <name>Tree</name>
        <message>
            <location filename="../../app/ui/tree_model.py" line="129" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="129" />
            <source>Chỉ số, tiêu chí</source>
            <translation>Index, criterion</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="129" />
            <source>Điểm</source>
            <translation>Points</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="129" />
            <source>Trạng thái</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_model.py" line="150" />
            <source>{done}/{total} xong</source>
            <translation>{done}/{total} done</translation>
        </message>
    </context>
    <context>
        <name>TreeFilter</name>
        <message>
            <location filename="../../app/ui/tree_filter.py" line="26" />
            <source>Tất cả</source>
            <translation>All</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_filter.py" line="26" />
            <source>Cần giải trình</source>
            <translation>Needs explanation</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_filter.py" line="27" />
            <source>Chưa xong</source>
            <translation>Unfinished</translation>
        </message>
        <message>
            <location filename="../../app/ui/tree_filter.py" line="27" />
            <source>Có phản hồi thẩm định</source>
            <translation>With appraisal feedback</translation>
        </message>
    </context>
    <context>
        <name>Undo</name>
        <message>
            <location filename="../../app/ui/undo.py" line="22" />
            <source>chưa nhập</source>
            <translation>no value</translation>
        </message>
        <message>
            <location filename="../../app/ui/undo.py" line="21" />
            <source>{code}: {old} → {new}</source>
            <translation>{code}: {old} → {new}</translation>
        </message>
    </context>
</TS>
