"""The layout of a framework workbook (XLSX): its sheets, their columns and the help written into it.

Row 1 of every data sheet holds the headings; columns are found by heading (Vietnamese, or the YAML key),
in any order; columns headed "Ghi chú…" are notes and ignored, as are other sheets. Formulas and merged
cells are refused in the data sheets; empty rows are skipped.

  Thông tin        Trường | Giá trị — one row per field: format, id, title, decision, year, start, end,
                   default_appraiser, notice, reconstructed (Có/Không). Dates are Excel dates or
                   YYYY-MM-DD text (dd/mm/yyyy is accepted too).
  Nhóm             Mã nhóm | Tên nhóm | Xếp hạng (Có/Không, empty = Có)
  Xếp loại         Xếp loại | Tỷ lệ tối thiểu (0..1, or a percentage such as 90 %), highest first
  Thông tin chung  Mã | Tên thông tin | Kiểu dữ liệu (integer/number/text) | Đơn vị tính |
                   Áp dụng cho nhóm (group codes separated by commas, empty = every group) |
                   Đơn vị thẩm định | Hướng dẫn — optional sheet
  Chỉ số           Mã | Mã chỉ số cha (empty for a main index; the parent's row comes first) |
                   Tên chỉ số | Tối đa: <group code> — one column per group, empty = not applicable |
                   Loại quy tắc (leaves only; empty = points) | Tham số quy tắc — the rule's parameters
                   as a YAML flow mapping such as {denominator: TT.4, target: 0.8} | Minh chứng
                   (required/optional/none, empty = optional) | Đơn vị thẩm định | Hướng dẫn
  Hướng dẫn        written for people (every column, an example per rule type); never read
"""

from __future__ import annotations

from dataclasses import dataclass

from app.frameworks.schema import FORMAT

# Hostile input, besides the limits of app.xlsx_guard: rows and columns a sheet, problems listed.
MAX_ROWS = 5000
MAX_SCANNED_ROWS = 20 * MAX_ROWS    # empty formatted rows are skipped, but not a million of them
MAX_COLS = 60
MAX_PROBLEMS = 50

META, GROUPS, GRADES, INFO, INDICATORS, GUIDE = (
    "Thông tin", "Nhóm", "Xếp loại", "Thông tin chung", "Chỉ số", "Hướng dẫn")

YES, NO = "Có", "Không"
TRUE_WORDS = {"có", "co", "c", "x", "yes", "y", "true", "1"}
FALSE_WORDS = {"không", "khong", "k", "no", "n", "false", "0"}


@dataclass(frozen=True)
class Column:
    key: str        # the YAML key, accepted as a heading too
    heading: str
    width: int
    required: bool = False
    help: str = ""


META_COLUMNS = (Column("field", "Trường", 22, True), Column("value", "Giá trị", 60, True),
                Column("note", "Ghi chú", 70))
META_FIELDS: dict[str, tuple[str, str]] = {   # key -> (kind, help)
    "format": ("text", f"Định dạng tệp, luôn là {FORMAT}."),
    "id": ("text", "Mã bộ chỉ số: chữ thường không dấu, chữ số và dấu '-', ví dụ hy-2023."),
    "title": ("text", "Tên bộ chỉ số."),
    "decision": ("text", "Quyết định ban hành (không bắt buộc)."),
    "year": ("year", "Năm đánh giá, ví dụ 2023."),
    "start": ("date", "Ngày bắt đầu kỳ số liệu (ngày Excel hoặc YYYY-MM-DD); điền cả hai ngày hoặc bỏ trống cả hai."),
    "end": ("date", "Ngày kết thúc kỳ số liệu."),
    "default_appraiser": ("text", "Đơn vị thẩm định mặc định (không bắt buộc)."),
    "notice": ("text", "Lưu ý hiển thị cho người dùng (không bắt buộc)."),
    "reconstructed": ("bool", "Có nếu bộ chỉ số được dựng lại, chưa đối chiếu văn bản gốc; bỏ trống = Không."),
}
GROUP_COLUMNS = (
    Column("code", "Mã nhóm", 16, True, "Mã nhóm đơn vị: chữ thường không dấu, chữ số và dấu '-', ví dụ so-dvc."),
    Column("title", "Tên nhóm", 50, True, "Tên nhóm đơn vị; mỗi nhóm được xếp hạng riêng."),
    Column("ranked", "Xếp hạng", 12, False, "Có: xếp hạng nhóm này; Không: chỉ đánh giá. Bỏ trống = Có."),
)
GRADE_COLUMNS = (
    Column("label", "Xếp loại", 24, True, "Tên mức xếp loại, ví dụ Tốt, Khá. Liệt kê từ mức cao nhất."),
    Column("min", "Tỷ lệ tối thiểu", 18, True,
           "Tỷ lệ điểm tối thiểu so với điểm tối đa: từ 0 đến 1, hoặc phần trăm như 90 %."),
)
INFO_COLUMNS = (
    Column("code", "Mã", 12, True, "Mã thông tin, ví dụ TT.4; không trùng mã chỉ số."),
    Column("title", "Tên thông tin", 50, True, "Tên thông tin chung (không tính điểm)."),
    Column("type", "Kiểu dữ liệu", 14, False, "integer (số nguyên), number (số), text (văn bản). Bỏ trống = integer."),
    Column("unit", "Đơn vị tính", 14, False, "Ví dụ: người, hồ sơ (không bắt buộc)."),
    Column("groups", "Áp dụng cho nhóm", 22, False, "Mã các nhóm, cách nhau bởi dấu phẩy; bỏ trống = mọi nhóm."),
    Column("appraiser", "Đơn vị thẩm định", 28, False, "Đơn vị thẩm định thông tin này (không bắt buộc)."),
    Column("guide", "Hướng dẫn", 60, False, "Hướng dẫn nhập (không bắt buộc)."),
)
MAX_PREFIX = "Tối đa: "
INDICATOR_COLUMNS = (
    Column("code", "Mã", 12, True, "Mã chỉ số, không trùng, ví dụ 1, 1.1, 1.1.2. Thứ tự dòng là thứ tự hiển thị."),
    Column("parent", "Mã chỉ số cha", 14, False,
           "Mã chỉ số cấp trên; bỏ trống với chỉ số chính. Dòng của chỉ số cha phải ở phía trên."),
    Column("title", "Tên chỉ số", 60, True, "Tên chỉ số; thụt lề theo cấp (chỉ để dễ đọc)."),
    # the "Tối đa: <group>" columns come here, one per group
    Column("rule", "Loại quy tắc", 16, False,
           "Cách tính điểm của chỉ số lá, xem bảng dưới; bỏ trống = points. Để trống ở chỉ số có chỉ số con."),
    Column("params", "Tham số quy tắc", 50, False,
           "Tham số của quy tắc dạng {tên: giá trị, ...}, xem ví dụ dưới; số thập phân dùng dấu chấm."),
    Column("evidence", "Minh chứng", 13, False,
           "required (bắt buộc), optional (không bắt buộc), none (không cần). Bỏ trống = optional."),
    Column("appraiser", "Đơn vị thẩm định", 28, False,
           "Đơn vị thẩm định chỉ số (không bắt buộc; bỏ trống = theo chỉ số cha hoặc mặc định)."),
    Column("guide", "Hướng dẫn", 60, False, "Cách xác định và tính điểm (không bắt buộc)."),
)
MAX_HELP = "Điểm tối đa của chỉ số cho nhóm đó; bỏ trống = không áp dụng cho nhóm. Chỉ số con chỉ áp dụng " \
           "cho các nhóm mà chỉ số cha áp dụng."

# What each rule type means and a parameters cell a person can copy (tests check that each one builds).
RULE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("points", "Đơn vị nhập trực tiếp số điểm (từ 0 đến điểm tối đa).", ""),
    ("yes_no", "Có: được điểm tối đa; Không: 0 điểm.", ""),
    ("ratio", "Điểm = min(a/b ÷ target, 1) × điểm tối đa; b do đơn vị nhập hoặc lấy từ thông tin chung "
              "denominator; target mặc định là 1.", "{denominator: TT.4, target: 0.8}"),
    ("tiers", "Điểm theo ngưỡng số lượng (on: count): đạt từ min trở lên được points điểm; ngưỡng cao nhất "
              "trước.", "{on: count, tiers: [{min: 4, points: 20}, {min: 3, points: 15}]}"),
    ("tiers", "Điểm theo ngưỡng tỷ lệ (on: share): tỷ lệ từ min trở lên được fraction × điểm tối đa.",
     "{on: share, denominator: TT.4, tiers: [{min: 0.8, fraction: 1}, {min: 0.5, fraction: 0.5}]}"),
    ("choice", "Chọn một phương án; mỗi phương án được một tỷ lệ (fraction) của điểm tối đa.",
     "{options: [{code: day-du, label: Đầy đủ, fraction: 1}, {code: mot-phan, label: Một phần, fraction: 0.5}, "
     "{code: khong, label: Không có, fraction: 0}]}"),
    ("parts", "Cộng điểm các phần đạt được (points điểm hoặc fraction × điểm tối đa), không quá điểm tối đa.",
     "{parts: [{code: quy-che, label: Có quy chế, points: 2}, {code: ke-hoach, label: Có kế hoạch, "
     "fraction: 0.5}]}"),
    ("count", "per_item điểm cho mỗi mục, tính tối đa cap mục, không quá điểm tối đa.", "{per_item: 2, cap: 5}"),
    ("best_in_group", "Điểm = giá trị của đơn vị ÷ giá trị cao nhất trong nhóm × điểm tối đa (tính khi tổng "
                      "hợp); denominator không bắt buộc.", "{denominator: TT.4}"),
    ("appraiser_only", "Đơn vị không tự chấm; chỉ tính điểm của đơn vị thẩm định.", ""),
)
