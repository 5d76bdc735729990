<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
    <context>
        <name>App</name>
        <message>
            <location filename="../../app/ui/app.py" line="83" />
            <source>DTI</source>
            <translation>DTI</translation>
        </message>
        <message>
            <location filename="../../app/ui/app.py" line="141" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>Check</name>
        <message>
            <location filename="../../app/ui/check_panel.py" line="24" />
            <source>Lỗi</source>
            <translation>Error</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="24" />
            <source>Thiếu</source>
            <translation>Missing</translation>
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
            <location filename="../../app/ui/check_panel.py" line="109" />
            <source>Không thấy thiếu sót nào.</source>
            <translation>Nothing missing or doubtful.</translation>
        </message>
        <message>
            <location filename="../../app/ui/check_panel.py" line="111" />
            <source>{errors} lỗi · {warnings} thiếu · {notes} ghi chú — nhấp đúp để đến chỉ tiêu</source>
            <translation>{errors} errors · {warnings} missing · {notes} notes — double-click to go to the indicator</translation>
        </message>
    </context>
    <context>
        <name>Editor</name>
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
        <name>EntryErrors</name>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="86" />
            <source>Tệp Excel chưa được nhập</source>
            <translation>The Excel file was not imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="117" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="72" />
            <source>Trang tính</source>
            <translation>Sheet</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="72" />
            <source>Ô</source>
            <translation>Cell</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="72" />
            <source>Mã</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="72" />
            <source>Lý do</source>
            <translation>Reason</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="92" />
            <source>{file}: {n} ô cần sửa. Chưa lưu số liệu nào — sửa các ô dưới đây trong tệp Excel rồi nhập lại.</source>
            <translation>{file}: {n} cells to correct. Nothing was saved — correct the cells below in the Excel file, then import it again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="95" />
            <source>Chưa lưu số liệu nào: {reason}</source>
            <translation>Nothing was saved: {reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/entry_errors.py" line="114" />
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
    </context>
    <context>
        <name>Export</name>
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
            <source>Đơn vị này đang ở chế độ luyện tập, chưa được cấp tài khoản nên chưa ký được gói nộp. Để xuất gói cần tệp cấp tài khoản (.dtienroll) và mật khẩu do cơ quan cấp trên gửi; khi có, hãy mở chương trình với một thư mục dữ liệu mới và chọn “Tôi có tệp cấp tài khoản”.</source>
            <translation>This unit is a practice unit: it is not enrolled, so it cannot sign a package. Exporting needs the enrollment file (.dtienroll) and the passphrase sent by the authority above; when you have them, open the program with a new data folder and choose “Accept an enrollment file”.</translation>
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
            <location filename="../../app/ui/export_dialog.py" line="172" />
            <source>Xuất gói</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="176" />
            <source>Hủy</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="240" />
            <source>Đang chờ để bắt đầu…</source>
            <translation>Waiting to start…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="292" />
            <source>Đóng</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="316" />
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
            <location filename="../../app/ui/export_dialog.py" line="225" />
            <source>Hãy nhập mật khẩu ký.</source>
            <translation>Enter the signing passphrase.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="230" />
            <source>Thư mục lưu không còn tồn tại; hãy chọn thư mục khác.</source>
            <translation>The folder no longer exists; choose another one.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="253" />
            <source>Đang ký và ghi gói, rồi đọc lại để kiểm tra… Việc ghi không dừng giữa chừng được; gói chỉ xuất hiện khi đã ghi xong.</source>
            <translation>Signing and writing the package, then reading it back to check it… Writing cannot stop half-way; the package appears only once it is complete.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="260" />
            <source>Đang hủy…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="274" />
            <source>Đã hủy, chưa ghi gì.</source>
            <translation>Cancelled; nothing was written.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="305" />
            <source>Không có cảnh báo.</source>
            <translation>No warnings.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="314" />
            <source>Dấu vân tay của gói (SHA-256 của manifest):</source>
            <translation>Package fingerprint (SHA-256 of the manifest):</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="318" />
            <source>Khi nhận, cơ quan thẩm định đối chiếu được dấu vân tay ở trên.</source>
            <translation>The appraisers can compare the fingerprint above when they receive it.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="96" />
            <source>Gói nộp của {name} ({code}), năm {year}</source>
            <translation>Submission package of {name} ({code}), year {year}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="278" />
            <source>Chưa xuất được: {reason}. Chưa ghi tệp nào.</source>
            <translation>Not exported: {reason}. No file was written.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="197" />
            <source>Ổ đĩa rời (USB): {path}</source>
            <translation>Removable drive (USB): {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="200" />
            <source>Thư mục lần trước: {path}</source>
            <translation>Last folder: {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="203" />
            <source>Thư mục Tài liệu: {path}</source>
            <translation>Documents folder: {path}</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="300" />
            <source>Tệp đã ghi vào {folder}:</source>
            <translation>Files written to {folder}:</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="303" />
            <source>Cảnh báo ghi trong gói: {parts}.</source>
            <translation>Warnings recorded in the package: {parts}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="298" />
            <source>Đã xuất gói nộp lần {revision}.</source>
            <translation>Submission package revision {revision} exported.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="307" />
            <source>Đọc lại và kiểm tra: hợp lệ — chữ ký của {signer}, {n} mục khớp với danh mục.</source>
            <translation>Read back and verified: valid — signed by {signer}, {n} entries match the manifest.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="311" />
            <source>Đọc lại và kiểm tra: KHÔNG hợp lệ — {reason}. Đừng nộp gói này; hãy xuất lại.</source>
            <translation>Read back and verified: NOT valid — {reason}. Do not submit this package; export again.</translation>
        </message>
        <message>
            <location filename="../../app/ui/export_dialog.py" line="317" />
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
            <location filename="../../app/ui/file_actions.py" line="119" />
            <source>Chọn tệp phản hồi thẩm định</source>
            <translation>Choose the appraisal feedback file</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="120" />
            <source>Tệp phản hồi (*.phanhoi *.dtifeedback);;Mọi tệp (*)</source>
            <translation>Feedback files (*.phanhoi *.dtifeedback);;All files (*)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="139" />
            <source>Đã nhập phản hồi thẩm định</source>
            <translation>Appraisal feedback imported</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="145" />
            <source>Lưu mẫu nhập Excel</source>
            <translation>Save the Excel entry template</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="145" />
            <source>Sổ Excel (*.xlsx)</source>
            <translation>Excel workbook (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="156" />
            <source>Chọn sổ Excel đã nhập số liệu</source>
            <translation>Choose the filled-in Excel workbook</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="189" />
            <source>Lưu báo cáo tự đánh giá</source>
            <translation>Save the self-assessment report</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="189" />
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
            <location filename="../../app/ui/file_actions.py" line="175" />
            <source>Đã nhập từ Excel</source>
            <translation>Imported from Excel</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="133" />
            <source>Đã nhập {n} ý kiến thẩm định, trong đó {k} tiêu chí cần giải trình. Cây chỉ số đang lọc “Cần giải trình”: viết giải trình cho từng tiêu chí rồi xuất gói nộp lần mới.</source>
            <translation>{n} appraisal items imported; {k} criteria need an explanation. The tree now shows “Needs explanation”: write an explanation for each, then export a new revision of the package.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="137" />
            <source>Đã nhập {n} ý kiến thẩm định. Điểm thẩm định hiện bên cạnh điểm tự chấm.</source>
            <translation>{n} appraisal items imported. Appraised points are shown beside the self-assessed points.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="184" />
            <source>Bản cài đặt này chưa có phần in báo cáo tự đánh giá (PDF). Hãy cập nhật phần mềm.</source>
            <translation>This installation cannot print the self-assessment report (PDF) yet. Please update the software.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="175" />
            <source>Đã lưu {n} thay đổi từ {name}.</source>
            <translation>{n} changes saved from {name}.</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="127" />
            <source>Đang kiểm tra chữ ký và nhập phản hồi…</source>
            <translation>Checking the signature and importing the feedback…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="151" />
            <source>Đã xuất mẫu nhập Excel</source>
            <translation>Excel entry template exported</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="197" />
            <source>Đang tạo báo cáo PDF…</source>
            <translation>Creating the PDF report…</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="198" />
            <source>Đã tạo báo cáo</source>
            <translation>Report created</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="151" />
            <source>Đã lưu {name}. Nhập số liệu vào các ô màu vàng, rồi dùng Tệp → Nhập từ Excel….</source>
            <translation>{name} saved. Enter the figures in the yellow cells, then use File → Import from Excel….</translation>
        </message>
        <message>
            <location filename="../../app/ui/file_actions.py" line="198" />
            <source>Đã lưu {name}. Mở báo cáo ngay?</source>
            <translation>{name} saved. Open the report now?</translation>
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
            <location filename="../../app/ui/first_run_wizard.py" line="183" />
            <source>Cơ quan cấp</source>
            <translation>Issued by</translation>
        </message>
        <message>
            <location filename="../../app/ui/first_run_wizard.py" line="184" />
            <source>Vân tay chứng thư</source>
            <translation>Certificate fingerprint</translation>
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
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../app/ui/main_window.py" line="65" />
            <source>DTI — Tự đánh giá chỉ số chuyển đổi số</source>
            <translation>DTI — Digital Transformation Index self-assessment</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="113" />
            <source>Chỉ tiêu đang chọn</source>
            <translation>Selected indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="115" />
            <source>Thông tin chung</source>
            <translation>General information</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="123" />
            <source>Kiểm tra hồ sơ</source>
            <translation>Submission check</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="138" />
            <source>Mọi thay đổi được lưu ngay khi nhập — không cần bấm Lưu.</source>
            <translation>Every change is saved as you type — there is no Save button.</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="149" />
            <source>Tìm theo mã hoặc tên (Ctrl+F)…</source>
            <translation>Search by code or title (Ctrl+F)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="202" />
            <source>&amp;Tệp</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="205" />
            <source>Thoát</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="209" />
            <source>&amp;Sửa</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="210" />
            <source>Hoàn tác</source>
            <translation>Undo</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="212" />
            <source>Làm lại</source>
            <translation>Redo</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="216" />
            <source>&amp;Đi tới</source>
            <translation>&amp;Go</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="230" />
            <source>&amp;Xem</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="232" />
            <source>Bảng kiểm tra hồ sơ</source>
            <translation>Submission check panel</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="159" />
            <source>Lọc:</source>
            <translation>Filter:</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="187" />
            <source>Không có tiêu chí nào phù hợp</source>
            <translation>No criterion matches</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="218" />
            <source>Tìm chỉ số</source>
            <translation>Find an indicator</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="219" />
            <source>Cây chỉ số</source>
            <translation>Indicator tree</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="220" />
            <source>Ô nhập số liệu</source>
            <translation>Value field</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="221" />
            <source>Tài liệu kiểm chứng</source>
            <translation>Evidence</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="224" />
            <source>Tiêu chí tiếp theo chưa xong</source>
            <translation>Next unfinished criterion</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="409" />
            <source>Đã lưu lúc {time}</source>
            <translation>Saved at {time}</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="186" />
            <source>Đang lọc: {n} tiêu chí phù hợp</source>
            <translation>Filtered: {n} matching criteria</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="420" />
            <source>Đang kiểm tra và lưu tài liệu kiểm chứng…</source>
            <translation>Checking and storing the evidence…</translation>
        </message>
        <message>
            <location filename="../../app/ui/main_window.py" line="432" />
            <source>Không tìm thấy tệp đã lưu: {name}</source>
            <translation>Stored file not found: {name}</translation>
        </message>
    </context>
    <context>
        <name>Ops</name>
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
            <location filename="../../app/ui/undo.py" line="21" />
            <source>{code}: {old} → {new}</source>
            <translation>{code}: {old} → {new}</translation>
        </message>
    </context>
</TS>
