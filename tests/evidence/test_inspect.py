"""inspect_file on the corpus: what is accepted with which findings, and what is refused with which reason."""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from pathlib import Path

import pytest

from app.errors import UserError
from app.evidence import EvidenceRefused, Inspection, inspect_file, syntax
from tests.evidence import corpus as c
from tests.evidence.conftest import CAP


def inspect(path: Path, name: str | None = None, roots: tuple[bytes, ...] = ()) -> Inspection:
    return inspect_file(path, path.name if name is None else name, CAP, roots)


def refusal(path: Path, name: str | None = None) -> EvidenceRefused:
    with pytest.raises(EvidenceRefused) as caught:
        inspect(path, name)
    return caught.value


def test_valid_pdf(corpus):
    path = corpus["valid"]
    result = inspect(path)
    assert result.kind == "pdf" and result.ext == "pdf"
    assert result.pages == 3
    assert result.size == path.stat().st_size
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.encrypted is False
    assert result.problems == () and result.signatures == ()


def test_extension_is_case_insensitive(corpus):
    assert inspect(corpus["valid_upper"]).pages == 3
    assert inspect(corpus["jpeg_long_ext"]).kind == "jpeg"


@pytest.mark.parametrize("key, kind, ext", [("jpeg", "jpeg", "jpg"), ("png", "png", "png"),
                                            ("png_named_jpg", "png", "png")])
def test_image_scans_are_accepted_as_what_they_are(corpus, key, kind, ext):
    result = inspect(corpus[key])
    assert (result.kind, result.ext, result.pages, result.encrypted) == (kind, ext, 1, False)
    assert result.codes == ("image_scan",)
    assert "ảnh" in result.problems[0].vi


def test_owner_password_only_opens_and_is_flagged(corpus):
    result = inspect(corpus["owner_only"])
    assert result.encrypted is True
    assert result.pages == 2
    assert "encrypted" in result.codes


def test_user_password_is_refused(corpus):
    error = refusal(corpus["user_password"])
    assert "encrypted" in str(error) and "mã hóa" in error.message_vi
    assert "Báo cáo mật khẩu.pdf" in str(error) and "Báo cáo mật khẩu.pdf" in error.message_vi


@pytest.mark.parametrize("key, codes", [
    ("javascript", {"javascript", "open_action"}),
    ("names_js_objstm", {"javascript"}),
    ("launch", {"launch"}),
    ("obfuscated_launch", {"launch", "open_action"}),
    ("page_aa", {"additional_actions"}),
    ("embedded", {"embedded_files"}),
    ("xfa", {"xfa"}),
])
def test_active_content(corpus, key, codes):
    result = inspect(corpus[key])
    assert set(result.codes) & {"javascript", "open_action", "additional_actions", "launch", "embedded_files",
                                "xfa"} == codes


def test_js_hidden_in_object_streams_is_not_visible_to_grep(corpus):
    assert b"/JavaScript" not in corpus["names_js_objstm"].read_bytes()


def test_open_action_to_a_page_is_not_active_content(corpus):
    assert inspect(corpus["goto"]).problems == ()


def test_truncated_pdf_is_refused(corpus):
    """Decision (see app/evidence/inspect.py): a PDF cut off before its %%EOF is refused, not repaired."""
    error = refusal(corpus["truncated"])
    assert "incomplete" in str(error) and "không trọn vẹn" in error.message_vi


def test_complete_pdf_with_damaged_xref_is_repaired(corpus):
    result = inspect(corpus["damaged_xref"])
    assert result.pages == 3
    assert "repaired" in result.codes


def test_finding_text_does_not_depend_on_where_the_file_is(corpus, tmp_path):
    copy = tmp_path / "elsewhere" / "x.pdf"
    copy.parent.mkdir()
    copy.write_bytes(corpus["damaged_xref"].read_bytes())
    assert inspect(copy, "Hỏng xref.pdf") == inspect(corpus["damaged_xref"])
    assert str(tmp_path) not in repr(inspect(copy))


@pytest.mark.parametrize("key, words_en, words_vi", [
    ("zip_as_pdf", "ZIP", "ZIP"),
    ("png_as_pdf", "PNG", "PNG"),
    ("jpeg_as_pdf", "JPEG", "JPEG"),
    ("exe_as_pdf", "executable", "chương trình"),
    ("pdf_as_jpg", "PDF", "PDF"),
])
def test_not_what_its_name_says(corpus, key, words_en, words_vi):
    error = refusal(corpus[key])
    assert "not what its name says" in str(error) and words_en in str(error)
    assert "không đúng với tên tệp" in error.message_vi and words_vi in error.message_vi


@pytest.mark.parametrize("key", ["docx", "no_ext"])
def test_type_not_accepted(corpus, key):
    error = refusal(corpus[key])
    assert "not accepted" in str(error) and "không chấp nhận" in error.message_vi


def test_empty_file(corpus):
    error = refusal(corpus["empty"])
    assert "empty" in str(error) and "rỗng" in error.message_vi


def test_over_the_cap(corpus):
    error = refusal(corpus["too_big"])
    assert "larger than the 2 MB limit" in str(error)
    assert "vượt giới hạn 2 MB" in error.message_vi


def test_pdf_that_cannot_be_opened(corpus):
    error = refusal(corpus["garbage_pdf"])
    assert "cannot be read" in str(error) and "không đọc được" in error.message_vi


def test_pdf_without_pages(corpus):
    error = refusal(corpus["no_pages"])
    assert "no pages" in str(error) and "không có trang" in error.message_vi


@pytest.mark.parametrize("key", ["jpeg_truncated", "png_truncated"])
def test_damaged_images(corpus, key):
    error = refusal(corpus[key])
    assert "image" in str(error) and "ảnh" in error.message_vi


def test_decompression_bomb(corpus):
    assert corpus["png_bomb"].stat().st_size < 1000
    error = refusal(corpus["png_bomb"])
    assert "too large" in str(error) and "quá lớn" in error.message_vi
    assert "0×0" not in str(error)


def test_image_over_the_pixel_cap_but_under_pillows_own_limit(tmp_path):
    path = tmp_path / "Ảnh 85 triệu điểm.png"
    path.write_bytes(c.png_bomb(10_000, 8_500))
    error = refusal(path)
    assert "10000×8500 pixels" in str(error) and "10000×8500 điểm ảnh" in error.message_vi


def test_missing_file_is_refused_not_crashed(tmp_path):
    error = refusal(tmp_path / "không có.pdf")
    assert "cannot be opened" in str(error)


def test_refusal_is_a_user_error_naming_the_file_in_nfc(corpus):
    nfd = unicodedata.normalize("NFD", "C:\\Tài liệu\\Rỗng.pdf")
    error = refusal(corpus["empty"], nfd)
    assert isinstance(error, UserError)
    assert str(error).startswith("“Rỗng.pdf”")
    assert unicodedata.is_normalized("NFC", str(error)) and unicodedata.is_normalized("NFC", error.message_vi)
    assert "\n" not in str(error) and "\n" not in error.message_vi


def test_display_name_decides_the_extension(corpus, tmp_path):
    stored = tmp_path / ("ab" * 32)  # a content-addressed store may keep files without a name
    stored.write_bytes(corpus["valid"].read_bytes())
    assert inspect(stored, "Biên bản họp.pdf").pages == 3
    assert "not accepted" in str(refusal(stored, "Biên bản họp.txt"))


def test_libraries_print_nothing_on_stderr(corpus, pki):
    """qpdf's and pyHanko's complaints about hostile files stay off the terminal (DESIGN §7)."""
    import subprocess
    import sys

    keys = ["garbage_pdf", "damaged_xref", "no_pages", "signed", "signed_flipped", "signed_modified", "jpeg_truncated",
            "png_bomb", "truncated"]
    broken_kids = corpus["no_pages"].parent.parent / "broken_kids.pdf"
    broken_kids.write_bytes(corpus["valid"].read_bytes().replace(b"/Kids [", b"/Kids [ 5 (x) ", 1))
    paths = [str(corpus[k]) for k in keys] + [str(broken_kids)]
    code = ("import sys; from pathlib import Path; from app.evidence import inspect_file, EvidenceRefused\n"
            f"for p in {paths!r}:\n"
            "    try: inspect_file(Path(p), Path(p).name, 10**7, [])\n"
            "    except EvidenceRefused: pass\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == ""


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_sound_content_has_no_syntax_finding(tmp_path):
    path = _write(tmp_path, "Một trang.pdf", c.one_page_with(zlib.compress(b"BT /F1 12 Tf 72 700 Td (Xin chao) Tj ET"),
                                                              image=c.scan_image("JPEG", size=(120, 90))))
    assert inspect(path).problems == ()


def test_corrupt_flate_content_is_a_syntax_finding(tmp_path):
    path = _write(tmp_path, "Nội dung hỏng.pdf", c.one_page_with(b"x\x9c" + b"\xff" * 64))
    result = inspect(path)
    assert result.pages == 1 and result.codes == ("syntax",)
    assert "cú pháp" in result.problems[0].vi


def test_truncated_jpeg_inside_a_pdf_is_a_syntax_finding(tmp_path):
    jpeg = c.scan_image("JPEG", size=(120, 90))
    path = _write(tmp_path, "Ảnh trong PDF hỏng.pdf", c.one_page_with(zlib.compress(b"q Q"), image=jpeg[:len(jpeg) // 2]))
    result = inspect(path)
    assert result.codes == ("syntax",)
    assert "JPEG" in result.problems[0].en


def test_flate_bomb_is_reported_not_inflated(tmp_path, monkeypatch):
    monkeypatch.setattr(syntax, "MAX_DECODED", 8 * 1024 * 1024)
    bomb = c.flate_bomb(32 * 1024 * 1024)
    assert len(bomb) < 100_000
    path = _write(tmp_path, "Bom nén.pdf", c.one_page_with(bomb))
    result = inspect(path)
    assert result.codes == ("syntax",)
    assert "more than 8 MB" in result.problems[0].en
