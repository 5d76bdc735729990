"""The enrollment sheet handed out at the training session (DESIGN §5)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from app.reports.enrollment_sheet import fingerprint_groups, write_enrollment_sheet
from tests.reports.pdfcheck import assert_fonts_embedded, compact, docinfo, page_count, text_of

CERT_FP = hashlib.sha256(b"unit certificate").hexdigest()
ROOT_FP = hashlib.sha256(b"root certificate").hexdigest()
PASSPHRASE = "K7mQ-x2Lp-9rTa-0Ol1"
WHEN = datetime(2024, 3, 5, 8, 0)


def sheet_args(**overrides) -> dict:
    args = dict(unit_code="XA-LAC-HONG", unit_name="UBND xã Lạc Hồng", group_title="UBND xã, phường, thị trấn",
                parent_name="UBND huyện Văn Lâm", framework_title="Bộ chỉ số Chuyển đổi số tỉnh Hưng Yên năm 2024",
                framework_id="hungyen-dti-2024", issuer_name="UBND huyện Văn Lâm", passphrase=PASSPHRASE,
                certificate_fingerprint=CERT_FP, root_fingerprint=ROOT_FP, valid_from=date(2024, 3, 5),
                valid_to=date(2026, 3, 4), issued_on=date(2024, 3, 5), can_issue=False, created=WHEN)
    args.update(overrides)
    return args


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    out = tmp_path / "phieu.pdf"
    write_enrollment_sheet(out, **sheet_args())
    return out


def test_one_a4_page_with_embedded_fonts(sheet: Path):
    assert page_count(sheet) == 1
    assert_fonts_embedded(sheet)


def test_vietnamese_text(sheet: Path):
    text = text_of(sheet)
    for expected in ("PHIẾU CẤP TÀI KHOẢN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "UBND xã Lạc Hồng", "XA-LAC-HONG", "UBND xã, phường, thị trấn", "UBND huyện Văn Lâm",
                     "Bộ chỉ số Chuyển đổi số tỉnh Hưng Yên năm 2024", "hungyen-dti-2024",
                     "từ 05/03/2024 đến 04/03/2026", "Ngày 05 tháng 03 năm 2024", "Trang 1/1",
                     "dti enroll accept", "dti passphrase change", "GIỮ BÍ MẬT MẬT KHẨU"):
        assert expected in text, expected
    lowered = text.casefold()
    assert "người giao" in lowered and "người nhận" in lowered
    assert "Cấp tài khoản cho cấp dưới" in text and "Không" in text


def test_passphrase_is_printed_in_groups_of_four(sheet: Path):
    text = text_of(sheet)
    assert "K7mQ -x2L p-9r Ta-0 Ol1" in text
    assert PASSPHRASE in compact(text)


def test_fingerprints_are_printed_in_groups_over_two_lines(sheet: Path):
    text = text_of(sheet)
    for fp in (CERT_FP, ROOT_FP):
        groups = fingerprint_groups(fp)
        assert len(groups) == 16 and all(len(g) == 4 for g in groups)
        assert " ".join(groups[:8]) in text and " ".join(groups[8:]) in text
        assert fp.upper() in compact(text)


def test_fingerprint_groups_accept_openssl_form():
    colons = ":".join(CERT_FP[i:i + 2] for i in range(0, 64, 2)).upper()
    assert fingerprint_groups(colons) == fingerprint_groups(CERT_FP)
    assert fingerprint_groups(CERT_FP)[0] == CERT_FP[:4].upper()


def test_english(tmp_path: Path):
    out = tmp_path / "sheet-en.pdf"
    write_enrollment_sheet(out, **sheet_args(lang="en", can_issue=True, parent_name=None))
    assert page_count(out) == 1
    assert_fonts_embedded(out)
    text = text_of(out)
    for expected in ("ENROLLMENT SHEET", "SOCIALIST REPUBLIC OF VIET NAM", "UBND xã Lạc Hồng", "ISSUED BY",
                     "RECEIVED BY", "from 05/03/2024 to 04/03/2026", "Date: 05/03/2024", "Page 1/1",
                     "dti enroll accept", "dti passphrase change", "May enroll other units", "Yes"):
        assert expected in text, expected
    assert "PHIẾU" not in text


def test_a_district_without_parent(tmp_path: Path):
    out = tmp_path / "huyen.pdf"
    write_enrollment_sheet(out, **sheet_args(unit_code="HUYEN-VL", unit_name="UBND huyện Văn Lâm",
                                            group_title="UBND cấp huyện", parent_name=None, can_issue=True,
                                            issuer_name="Sở Thông tin và Truyền thông tỉnh Hưng Yên"))
    text = text_of(out)
    assert "Có — được cấp tài khoản cho các đơn vị trực thuộc" in text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text  # the issuer heads the sheet in capitals
    assert "Đơn vị cấp trên —\n" in text


def test_enrollment_file_name_in_the_instructions(tmp_path: Path):
    out = tmp_path / "named.pdf"
    write_enrollment_sheet(out, **sheet_args(enrollment_file="XA-LAC-HONG.dti-enroll"))
    assert "dti enroll accept XA-LAC-HONG.dti-enroll" in text_of(out)


def test_decomposed_input_prints_composed_and_long_values_stay_on_one_page(tmp_path: Path):
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    long_name = "Ủy ban nhân dân huyện Văn Lâm — Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện " * 2
    out = tmp_path / "long.pdf"
    write_enrollment_sheet(out, **sheet_args(unit_name=nfd(long_name), passphrase=nfd("Hoa sen nở rộ ở Đồng Tháp 2024!"),
                                            framework_title=nfd("Bộ chỉ số đánh giá mức độ chuyển đổi số " * 3)))
    assert page_count(out) == 1
    assert_fonts_embedded(out)
    text = text_of(out)
    assert "Ủy ban nhân dân huyện Văn Lâm" in text
    assert "Hoasennởrộở" in compact(text)  # the passphrase, composed, spaces shown as ␣ and read as spaces
    assert "␣" in text  # the note explaining the sign


def test_the_passphrase_is_not_in_the_metadata(sheet: Path):
    info = docinfo(sheet)
    assert "XA-LAC-HONG" in info["/Title"] and "UBND xã Lạc Hồng" in info["/Title"]
    assert info["/Author"] == "DTI"
    assert info["/Creator"].startswith("dti ")
    assert not any(PASSPHRASE in v for v in info.values())


def test_invariant_output_is_reproducible(tmp_path: Path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_enrollment_sheet(a, **sheet_args(invariant=True))
    write_enrollment_sheet(b, **sheet_args(invariant=True))
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("bad", [
    {"certificate_fingerprint": "abc"},
    {"root_fingerprint": "z" * 64},
    {"passphrase": "   "},
    {"passphrase": "mật\tkhẩu1"},
    {"passphrase": "漢字漢字abcd"},
    {"passphrase": "abc␣defgh"},
])
def test_bad_input_is_refused_and_the_previous_sheet_stays(tmp_path: Path, bad: dict):
    out = tmp_path / "phieu.pdf"
    write_enrollment_sheet(out, **sheet_args())
    before = out.read_bytes()
    with pytest.raises(ValueError):
        write_enrollment_sheet(out, **sheet_args(**bad))
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["phieu.pdf"]
