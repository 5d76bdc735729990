"""The unit list of `dti enroll issue --from` (app.services.unit_list): reading CSV and XLSX as officers write
them (Vietnamese headers, `;` from Excel in a Vietnamese locale, a BOM, codes typed as numbers) and checking
every row before anything is issued, all bad rows named at once. Pure: files in tmp_path, no store."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import UserError
from app.frameworks.loader import load_bytes
from app.services import unit_list
from app.services.unit_list import ListRefused, check, read
from tests.conftest import SMALL

FW = load_bytes(SMALL.encode("utf-8"), "small.dti.yaml").framework
VI_HEADER = "Mã đơn vị;Tên đơn vị;Nhóm;Đơn vị cấp trên;Đơn vị tiền thân;Được cấp tài khoản cho đơn vị khác"


def write_csv(path: Path, lines: list[str], *, bom: bool = False, encoding: str = "utf-8") -> Path:
    data = "\r\n".join(lines).encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: â ê ô ă ơ ư precomposed, the tone a combining mark after them."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, marks = unicodedata.normalize("NFD", ch)[0], unicodedata.normalize("NFD", ch)[1:]
        kept = "".join(m for m in marks if m in "\u0302\u0306\u031b")
        tone = "".join(m for m in marks if m not in kept)
        out += unicodedata.normalize("NFC", base + kept).encode("cp1258") + tone.encode("cp1258")
    return out


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def checked(listed, *, authority: str = "TP", province: bool = True, enrolled: dict[str, str] | None = None):
    return check(listed, FW, authority=authority, may_issue_others=province, enrolled=enrolled or {})


def refusal(listed, **kwargs) -> ListRefused:
    with pytest.raises(ListRefused) as caught:
        checked(listed, **kwargs)
    return caught.value


# -- reading --------------------------------------------------------------------------------------------------
def test_170_communes_with_vietnamese_headers_semicolons_and_a_bom(tmp_path: Path):
    rows = [f"{26000 + i};UBND xã Số {i};xa;;;" for i in range(170)]
    listed = read(write_csv(tmp_path / "xa.csv", [VI_HEADER, *rows], bom=True))
    assert len(listed.rows) == 170 and listed.source == "xa.csv" and listed.ignored_columns == ()
    assert listed.rows[0] == unit_list.ListedUnit(2, "26000", "UBND xã Số 0", "xa", "", "", "")
    units = checked(listed)
    assert [u.code for u in units][:3] == ["26000", "26001", "26002"] and units[-1].line == 171
    assert all(u.group == "xa" and not u.can_issue and u.predecessors == () for u in units)


@pytest.mark.parametrize("header", [
    "code,name,group,parent,predecessors,may_enroll_others",
    " CODE , Name ,GROUP, Parent,Predecessors , May_Enroll_Others ",
    "name,may_enroll_others,group,code",                                          # any order, optional columns left out
    "mã,tên,nhóm,cấp trên,tiền thân,cấp tiếp",
    "Ma don vi,Ten don vi,Nhom,Don vi cap tren,Don vi tien than,Duoc cap tai khoan cho don vi khac",   # no diacritics
    "Mã đơn vị,Tên đơn vị,Nhóm,Cấp huyện (ghi x)",                                # the enrollment page's Excel list
])
def test_headers_in_english_or_vietnamese_any_case_and_order(tmp_path: Path, header: str):
    keys = [unit_list._HEADERS[unit_list._header_key(h)] for h in header.split(",")]
    values = {"code": "X1", "name": "UBND xã Một", "group": "xa", "parent": "", "predecessors": "",
              "may_enroll_others": "không"}
    listed = read(write_csv(tmp_path / "list.csv", [header, ",".join(values[k] for k in keys)]))
    assert [(r.code, r.name, r.group) for r in listed.rows] == [("X1", "UBND xã Một", "xa")]


def test_decomposed_vietnamese_headers_are_normalised(tmp_path: Path):
    header = unicodedata.normalize("NFD", "Mã,Tên,Nhóm")
    listed = read(write_csv(tmp_path / "nfd.csv", [header, "X1,UBND xã Một,xa"]))
    assert listed.rows[0].code == "X1"


def test_title_rows_and_extra_columns_are_skipped(tmp_path: Path):
    listed = read(write_csv(tmp_path / "list.csv", [
        "DANH SÁCH ĐƠN VỊ CẤP TÀI KHOẢN NĂM 2025,,,,", ",,,,", "STT,Mã,Tên,Nhóm,Ghi chú",
        "1,X1,UBND xã Một,xa,", ",,,,", "2,X2,\"UBND xã Hai, mới\",xa,sáp nhập"]))
    assert [(r.line, r.code, r.name) for r in listed.rows] == [(4, "X1", "UBND xã Một"), (6, "X2", "UBND xã Hai, mới")]
    assert listed.ignored_columns == ("STT", "Ghi chú")


def test_the_delimiter_is_the_one_that_finds_the_header(tmp_path: Path):
    listed = read(write_csv(tmp_path / "list.csv", ["code;name;group", "X1;UBND xã Một, huyện Hai;xa"]))
    assert listed.rows[0].name == "UBND xã Một, huyện Hai"


def test_an_xlsx_with_codes_typed_as_numbers_and_a_boolean(tmp_path: Path):
    path = write_xlsx(tmp_path / "list.xlsx", [
        ["Danh sách xã"], [], ["Mã", "Tên", "Nhóm", "Tiền thân", "Cấp tiếp"],
        [26734, "UBND xã Tân Dân", "xa", "26735, 26736", None],
        [26737.0, "  UBND huyện Mới  ", "UBND huyện", None, True],
    ])
    units = checked(read(path))
    assert [(u.line, u.code, u.name, u.group, u.predecessors, u.can_issue) for u in units] == [
        (4, "26734", "UBND xã Tân Dân", "xa", ("26735", "26736"), False),
        (5, "26737", "UBND huyện Mới", "huyen", (), True)]


@pytest.mark.parametrize(("answer", "expected"), [
    ("", False), ("no", False), ("Không", False), ("KHONG", None), ("0", False), ("false", False),
    ("yes", True), ("Có", True), ("x", True), ("X", True), ("1", True), ("TRUE", True), ("maybe", None)])
def test_may_enroll_others_answers(tmp_path: Path, answer: str, expected: bool | None):
    listed = read(write_csv(tmp_path / "l.csv", ["code,name,group,may_enroll_others", f"H1,UBND huyện Một,huyen,{answer}"]))
    if expected is None:
        assert "is not yes or no" in str(refusal(listed))
    else:
        assert checked(listed)[0].can_issue is expected


def test_predecessors_split_on_spaces_commas_and_semicolons(tmp_path: Path):
    listed = read(write_csv(tmp_path / "l.csv", ["code;name;group;predecessors",
                                                 "X9;UBND xã Chín;xa;\"X1, X2;X3  X4 X1\""]))
    assert checked(listed)[0].predecessors == ("X1", "X2", "X3", "X4")


# -- whole files refused ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b"\r\n , ,\r\n", "the file is empty"),
    (b"code,name,group\r\n", "no unit listed under the header"),
    (b"code,name,parent\r\nX1,UBND,TP\r\n", "missing: group"),
    (b"STT,Ten\r\n1,UBND\r\n", "missing: code, group"),
    (b"code,name,group,Code\r\nX1,a,xa,X2\r\n", "names the column code twice"),
    (cp1258("Mã,Tên,Nhóm\r\nX1,UBND xã Một,xa\r\n"), "not UTF-8 text (line 1)"),
    (cp1258("code,name,group\r\nX1,UBND xã Một,xa\r\n"), "not UTF-8 text (line 2)"),
    (codecs.BOM_UTF16_LE + "code\tname\tgroup".encode("utf-16-le"), "not UTF-8 text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel file (.xls)"),
    (b"\x00\x01\x02garbage\xff", "not UTF-8 text"),
])
def test_files_that_are_no_list(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read(path)
    assert expected in str(caught.value) and str(caught.value).startswith("list.csv: ")
    assert caught.value.message_vi.startswith("list.csv: ") and caught.value.message_vi != str(caught.value)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04" + bytes(100), bytes(range(256)) * 10])
def test_garbage_named_xlsx(tmp_path: Path, content: bytes):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserError, match=r"list\.xlsx: (not an Excel workbook|damaged workbook)"):
        read(path)


def test_more_than_2000_units_is_refused_in_either_format(tmp_path: Path):
    rows = [f"X{i},UBND xã {i},xa" for i in range(unit_list.MAX_ROWS + 1)]
    with pytest.raises(UserError, match=r"more than 2\.000 units"):
        read(write_csv(tmp_path / "big.csv", ["code,name,group", *rows]))
    assert len(read(write_csv(tmp_path / "ok.csv", ["code,name,group", *rows[:-1]])).rows) == unit_list.MAX_ROWS
    path = write_xlsx(tmp_path / "big.xlsx", [["code", "name", "group"], *[r.split(",") for r in rows]])
    with pytest.raises(UserError, match=r"more than 2\.000 units"):
        read(path)


# -- rows refused, all of them at once --------------------------------------------------------------------------
def test_every_bad_row_is_named_with_its_reason(tmp_path: Path):
    listed = read(write_csv(tmp_path / "l.csv", [
        "code,name,group,parent,predecessors,may_enroll_others",
        "X1,UBND xã Một,xa,,,",                      # 2 fine
        ",UBND xã không mã,xa,,,",                    # 3
        "X3,,,,,",                                    # 4
        "X 4,UBND xã Bốn,xa,,,",                      # 5 bad code
        "x1,UBND xã Một lặp,xa,,,",                   # 6 repeated (case does not make it another unit)
        "X6,UBND xã Sáu,phuong,,,",                   # 7 unknown group
        "X7,UBND xã Bảy,xa,,,hmm",                    # 8 bad yes/no
        "X8,UBND xã Tám,xa,,X8,",                     # 9 itself as predecessor
        "X9,UBND xã Chín,xa,,../etc,",                # 10 malformed predecessor
        "X10,UBND xã Mười,xa,H7,,",                   # 11 another parent
        f"X11,{'Ư' * 201},xa,,,",                     # 12 name over 200 characters
        "X12,UBND xã Mười hai,xa,tp,,",               # 13 fine: this authority, any case
        "E1,UBND xã đã cấp,xa,,,",                    # 14 already enrolled
        "X14,=HYPERLINK(\"x\"),xa,,,",                # 15 a formula for every workbook it goes to
    ]))
    error = refusal(listed, enrolled={"e1": "E1"})
    reasons = {p.line: p.en for p in error.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15]
    assert reasons[3] == "code empty" and reasons[4] == "name, group empty"
    assert "must be letters, digits" in reasons[5]
    assert reasons[6] == "code x1 is listed twice (row 2)"
    assert "no group 'phuong' (groups: huyen, xa)" in reasons[7]
    assert "'hmm' is not yes or no" in reasons[8]
    assert "predecessor 'X8'" in reasons[9] and "predecessor '../etc'" in reasons[10]
    assert "parent H7 is not this authority (TP)" in reasons[11]
    assert "1 to 200 printable characters" in reasons[12]
    assert "E1 is already enrolled" in reasons[14] and "formula" in reasons[15]
    text = str(error)
    assert text.startswith("l.csv: 12 rows cannot be enrolled, nothing was issued — row 3: code empty; row 4: ")
    assert text.endswith("; and 2 more") and "row 13" not in text and "\n" not in text
    vi = error.message_vi
    assert vi.startswith("l.csv: 12 dòng không cấp được, chưa cấp đơn vị nào — dòng 3: thiếu mã; dòng 4: thiếu tên, nhóm")
    assert vi.endswith("; và 2 dòng khác") and "mã x1 lặp lại (dòng 2)" in vi


def test_a_district_enrolls_no_unit_that_enrolls_others(tmp_path: Path):
    listed = read(write_csv(tmp_path / "l.csv", ["code,name,group,parent,may_enroll_others",
                                                 "X1,UBND xã Một,xa,H1,có", "X2,UBND xã Hai,xa,TP,"]))
    error = refusal(listed, authority="H1", province=False)
    assert [(p.line, p.en) for p in error.problems] == [
        (2, "only the province can enroll a unit that enrolls others"),
        (3, "parent TP is not this authority (H1): the units under another unit are enrolled by that unit's "
            "installation")]


def test_a_formula_cell_is_refused_not_its_cached_value(tmp_path: Path):
    path = write_xlsx(tmp_path / "f.xlsx", [["code", "name", "group"], ["X1", "UBND xã Một", "xa"],
                                            ["=A2&\"b\"", "UBND xã Hai", "xa"], ["X3", "=B2", "xa"]])
    error = refusal(read(path))
    assert [p.line for p in error.problems] == [3, 4]
    assert "cell A3 is a formula" in error.problems[0].en and "ô B4 là công thức" in error.problems[1].vi


def test_a_group_may_be_written_by_its_title(tmp_path: Path):
    listed = read(write_csv(tmp_path / "l.csv", ["code,name,group", "X1,UBND xã Một,ubnd  XÃ", "H1,UBND huyện,HUYEN"]))
    assert [u.group for u in checked(listed)] == ["xa", "huyen"]
