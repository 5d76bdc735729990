"""The layout of the entry workbook (sổ nhập số liệu): sheet names, rows and columns, the row kinds the
reader trusts, and every text written into it in Vietnamese and English.

Sheet names are fixed, in Vietnamese, whatever the language of the texts:

  Hướng dẫn        for people: the unit, the framework (id, title, sha256 prefix), how to type values
  Thông tin chung  row 3 headings, from row 4 one row per info field of the group:
                   A Mã | B Tên thông tin | C Đơn vị tính | D Kiểu | E Giá trị (input) | F Ghi chú |
                   G code key (hidden)
  Chỉ số           row 3 headings, from row 4 one row per applicable indicator, in display order:
                   A Mã | B Tên chỉ tiêu (indented by depth) | C Điểm tối đa | D Cách tính | E Minh chứng |
                   F Giá trị (input on leaves) | G Giải trình (input on leaves) | H code key | I row kind
                   (leaf / parent / appraiser) — H and I hidden
  _meta            very hidden: format, unit code, framework id and sha256, group; the drop-down lists of
                   the choice indicators from column D
"""

from __future__ import annotations

FORMAT = "dti-entry-workbook/1"
SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin chung"
SHEET_INDICATORS = "Chỉ số"
SHEET_META = "_meta"

HEADER_ROW = 3
FIRST_ROW = 4
# "Chỉ số" columns (1-based)
C_CODE, C_TITLE, C_MAX, C_RULE, C_EVIDENCE, C_VALUE, C_EXPLAIN, C_KEY, C_KIND = range(1, 10)
# "Thông tin chung" columns
F_CODE, F_TITLE, F_UNIT, F_TYPE, F_VALUE, F_NOTE, F_KEY = range(1, 8)
LEAF, PARENT, APPRAISER = "leaf", "parent", "appraiser"

# Hostile input, besides the limits of app.xlsx_guard (size, unpacked size, parts):
MAX_ROWS = 5000                   # data rows read per sheet; a template has a few hundred at most
MAX_META_ROWS = 50
MAX_LISTED = 50                   # problems named in the one-line refusal

APPRAISER_NOTE = {"vi": "do cơ quan thẩm định chấm", "en": "scored by the appraiser"}
EVIDENCE = {"vi": {"required": "bắt buộc", "optional": "không bắt buộc", "none": "không cần"},
            "en": {"required": "required", "optional": "optional", "none": "not needed"}}
INFO_TYPE = {"vi": {"integer": "số nguyên", "number": "số", "text": "văn bản"},
             "en": {"integer": "whole number", "number": "number", "text": "text"}}
YES_NO = {"vi": ("có", "không"), "en": ("yes", "no")}

TEXT = {
    "vi": {
        "info_title": "Thông tin chung — {unit} ({code})",
        "ind_title": "Chỉ số — {unit} ({code}) — {fw}, nhóm {group}",
        "hint": "Chỉ nhập vào các ô màu vàng. Ô trống: giữ nguyên giá trị đang lưu. Xem trang “Hướng dẫn”.",
        "info_heads": ("Mã", "Tên thông tin", "Đơn vị tính", "Kiểu", "Giá trị", "Ghi chú"),
        "ind_heads": ("Mã", "Tên chỉ tiêu", "Điểm tối đa", "Cách tính", "Minh chứng", "Giá trị", "Giải trình"),
        "no_info": "Bộ chỉ số không có thông tin chung cho nhóm này.",
        "denominator_of": "Mẫu số của chỉ tiêu {codes}",
        "note": "Ghi chú: {guide}",
        "hint_choice": "Chọn trong danh sách hoặc gõ số thứ tự (1–{n}).",
        "hint_parts": "Gõ số thứ tự các nội dung đạt theo thứ tự trên (1–{n}), cách nhau bằng dấu phẩy; “-” nếu "
                      "không đạt nội dung nào.",
        "hint_share": "Nhập 0,85, 85 % hoặc a/b.",
        "hint_a": "Nhập a; mẫu số {info} ở Thông tin chung.",
        "hint_value": "Nhập giá trị (số) hoặc a/b.",
        "dv_title": "Giá trị chưa hợp lệ",
        "dv_decimal": "Nhập số từ 0 đến {max} (dấu phẩy hoặc chấm thập phân). Giá trị sai sẽ bị từ chối khi nhập "
                      "vào phần mềm.",
        "dv_ge0": "Nhập số không âm (dấu phẩy hoặc chấm thập phân). Giá trị sai sẽ bị từ chối khi nhập vào phần mềm.",
        "dv_whole": "Nhập số nguyên không âm. Giá trị sai sẽ bị từ chối khi nhập vào phần mềm.",
        "dv_list": "Chọn một giá trị trong danh sách (hoặc gõ số thứ tự). Giá trị sai sẽ bị từ chối khi nhập vào "
                   "phần mềm.",
    },
    "en": {
        "info_title": "General information — {unit} ({code})",
        "ind_title": "Indicators — {unit} ({code}) — {fw}, group {group}",
        "hint": "Type only in the yellow cells. An empty cell keeps the stored value. See the sheet “Hướng dẫn”.",
        "info_heads": ("Code", "Information", "Unit", "Type", "Value", "Notes"),
        "ind_heads": ("Code", "Indicator", "Max points", "How it is scored", "Evidence", "Value", "Explanation"),
        "no_info": "The framework asks no general information of this group.",
        "denominator_of": "Denominator of {codes}",
        "note": "Note: {guide}",
        "hint_choice": "Choose from the list or type the option's number (1–{n}).",
        "hint_parts": "Type the numbers of the parts met, in the order above (1–{n}), separated by commas; “-” for "
                      "none.",
        "hint_share": "Type 0.85, 85 % or a/b.",
        "hint_a": "Enter a; the denominator {info} is in the general information.",
        "hint_value": "Enter the value (a number) or a/b.",
        "dv_title": "Value not valid",
        "dv_decimal": "Type a number from 0 to {max}. A wrong value is refused when the file is imported.",
        "dv_ge0": "Type a number not below 0. A wrong value is refused when the file is imported.",
        "dv_whole": "Type a whole number not below 0. A wrong value is refused when the file is imported.",
        "dv_list": "Choose a value from the list (or type its number). A wrong value is refused when the file is "
                   "imported.",
    },
}

GUIDE = {
    "vi": [
        ("title", "SỔ NHẬP SỐ LIỆU TỰ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI)"),
        ("", "Sổ này do phần mềm DTI tạo (lệnh `dti entry template`) để đơn vị nhập số liệu tự đánh giá bằng Excel, "
             "rồi đưa lại vào phần mềm bằng lệnh `dti entry import TÊN_TỆP.xlsx`."),
        ("", ""),
        ("", "Đơn vị: {unit} — mã đơn vị {code}"),
        ("", "Nhóm đơn vị: {group_title} ({group})"),
        ("", "Bộ chỉ số: {fw} — {fw_title}"),
        ("", "Năm đánh giá: {year}{window}"),
        ("", "Phiên bản bộ chỉ số (sha256): {sha}"),
        ("", ""),
        ("head", "CÁCH NHẬP"),
        ("", "1. Chỉ các ô màu vàng được đọc: cột Giá trị ở trang “Thông tin chung”, cột Giá trị và Giải trình ở "
             "trang “Chỉ số”. Các ô khác được khóa (mở khóa: Review › Unprotect Sheet, không cần mật khẩu) và không "
             "được đọc."),
        ("", "2. Nhập Thông tin chung trước: nhiều tỷ lệ lấy mẫu số ở đó (khi cột Cách tính ghi “nhập a”, chỉ gõ tử "
             "số a)."),
        ("", "3. Số: dùng dấu phẩy hoặc dấu chấm thập phân (30,5 hoặc 30.5). Không gõ dấu phân cách hàng nghìn "
             "(gõ 1234, không gõ 1.234)."),
        ("", "4. Có/không: chọn “có” hoặc “không” trong danh sách."),
        ("", "5. Tỷ lệ a/b: gõ hai số cách nhau bằng dấu “/”, ví dụ 45/50, khi cột Cách tính ghi “nhập a/b”."),
        ("", "6. Tỷ lệ phần trăm: gõ 0,85 hoặc 85 %. Gõ 85 (không có %) bị từ chối vì không rõ là 85 % hay 0,85."),
        ("", "7. Lựa chọn: chọn trong danh sách (hoặc gõ số thứ tự của lựa chọn)."),
        ("", "8. Nhiều nội dung: gõ số thứ tự các nội dung đạt, cách nhau bằng dấu phẩy hoặc chấm phẩy (ví dụ "
             "1, 2); gõ “-” nếu không đạt nội dung nào."),
        ("", "9. Ô để trống giữ nguyên giá trị đang lưu trong phần mềm (không xóa). Muốn xóa một giá trị: "
             "`dti entry clear MÃ`."),
        ("", "10. Ô xám “do cơ quan thẩm định chấm”: đơn vị không tự chấm, chỉ có thể ghi giải trình."),
        ("", "11. Không đổi tên trang, không chèn hay xóa dòng. Không dùng công thức chưa được tính; ô Excel đã "
             "đổi thành ngày tháng (ví dụ gõ 3/4 vào ô không phải dạng văn bản) bị từ chối."),
        ("", ""),
        ("head", "KHI ĐƯA VÀO PHẦN MỀM"),
        ("", "Tệp được đọc cả hoặc không: chỉ cần một ô sai thì không giá trị nào được lưu, và phần mềm liệt kê "
             "mọi ô sai kèm địa chỉ (ví dụ “Chỉ số!F12”) để sửa rồi nhập lại."),
        ("", "Sổ này chỉ dùng cho đơn vị {code} với đúng phiên bản bộ chỉ số trên; sổ của đơn vị khác hoặc của "
             "phiên bản bộ chỉ số khác bị từ chối."),
        ("", "Các giá trị in sẵn là số liệu đang lưu trong phần mềm lúc tạo sổ."),
    ],
    "en": [
        ("title", "DTI SELF-ASSESSMENT ENTRY WORKBOOK"),
        ("", "This workbook was written by the DTI suite (`dti entry template`) for the unit to enter its "
             "self-assessment in Excel; read it back with `dti entry import FILE.xlsx`."),
        ("", ""),
        ("", "Unit: {unit} — unit code {code}"),
        ("", "Group: {group_title} ({group})"),
        ("", "Framework: {fw} — {fw_title}"),
        ("", "Assessment year: {year}{window}"),
        ("", "Framework version (sha256): {sha}"),
        ("", ""),
        ("head", "HOW TO FILL IN"),
        ("", "1. Only the yellow cells are read: the Value column of “Thông tin chung”, the Value and Explanation "
             "columns of “Chỉ số”. The other cells are locked (Review › Unprotect Sheet, no password) and not read."),
        ("", "2. Fill in the general information first: many ratios take their denominator from it (where the "
             "scoring says “enter a”, type only a)."),
        ("", "3. Numbers: decimal comma or dot (30,5 or 30.5). Do not type thousands separators (1234, not 1.234)."),
        ("", "4. Yes/no: choose “yes” or “no” (“có”/“không”) from the list."),
        ("", "5. Ratio a/b: two numbers separated by “/”, e.g. 45/50, where the scoring says “enter a/b”."),
        ("", "6. Shares: type 0.85 or 85 %. A bare 85 is refused: 85 % or 0.85 cannot be guessed."),
        ("", "7. Options: choose from the list (or type the option's number)."),
        ("", "8. Parts: the numbers of the parts met, separated by commas or semicolons (e.g. 1, 2); “-” for none."),
        ("", "9. An empty cell keeps the value stored in the software (it does not clear it). To clear a value: "
             "`dti entry clear CODE`."),
        ("", "10. Grey cells “scored by the appraiser”: the unit does not score these, it may only explain."),
        ("", "11. Do not rename sheets or insert or delete rows. Formulas never calculated are refused, and so are "
             "cells Excel turned into dates (e.g. 3/4 typed into a cell that is not text)."),
        ("", ""),
        ("head", "WHEN IMPORTING"),
        ("", "The file is read all or nothing: one bad cell and nothing is saved; every bad cell is listed with "
             "its address (e.g. “Chỉ số!F12”) to fix and import again."),
        ("", "This workbook is only for unit {code} and exactly this framework version; a workbook of another unit "
             "or framework version is refused."),
        ("", "The values printed in it are those stored in the software when it was written."),
    ],
}
