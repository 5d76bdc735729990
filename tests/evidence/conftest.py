"""The evidence corpus, generated once per test session under a temporary directory.

`corpus[key]` is the path of a file whose name is the one a person would attach ("Biên bản họp.pdf").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evidence import corpus as c

CAP = 2 * 1024 * 1024


@pytest.fixture(scope="session")
def pki() -> c.Pki:
    return c.make_pki()


@pytest.fixture(scope="session")
def signed_bytes(pki: c.Pki) -> bytes:
    return c.sign_pdf(c.reportlab_pdf(pages=2, compress=False), pki)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, pki: c.Pki, signed_bytes: bytes) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    valid = c.reportlab_pdf(pages=3)
    jpeg = c.scan_image("JPEG")
    png = c.scan_image("PNG")
    files: dict[str, tuple[str, bytes]] = {
        "valid": ("Biên bản họp.pdf", valid),
        "valid_upper": ("BIÊN BẢN.PDF", valid),
        "jpeg": ("Ảnh quét biên bản.jpg", jpeg),
        "jpeg_long_ext": ("Ảnh quét.JPEG", jpeg),
        "png": ("Trang 1.png", png),
        "png_named_jpg": ("Ảnh chụp.jpg", png),
        "owner_only": ("Kế hoạch (mã hóa).pdf", c.encrypted_pdf(user="")),
        "user_password": ("Báo cáo mật khẩu.pdf", c.encrypted_pdf(user="mat-khau")),
        "javascript": ("Có JavaScript.pdf", c.javascript_pdf()),
        "names_js_objstm": ("JS trong object stream.pdf", c.names_javascript_in_object_stream_pdf()),
        "launch": ("Launch.pdf", c.launch_pdf()),
        "obfuscated_launch": ("Launch ẩn.pdf", c.obfuscated_launch_pdf()),
        "goto": ("Mở trang 1.pdf", c.goto_open_action_pdf()),
        "page_aa": ("Hành động trang.pdf", c.page_aa_pdf()),
        "embedded": ("Có đính kèm.pdf", c.embedded_file_pdf()),
        "xfa": ("Biểu mẫu XFA.pdf", c.xfa_pdf()),
        "truncated": ("Bị cắt.pdf", valid[: len(valid) // 2]),
        "damaged_xref": ("Hỏng xref.pdf", c.damaged_xref(valid)),
        "no_pages": ("Không trang.pdf", c.raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                    b"<< /Type /Pages /Kids [] /Count 0 >>"])),
        "garbage_pdf": ("Rác.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"),
        "zip_as_pdf": ("Báo cáo.pdf", c.zip_bytes()),
        "png_as_pdf": ("Ảnh đổi tên.pdf", png),
        "jpeg_as_pdf": ("Ảnh JPEG đổi tên.pdf", jpeg),
        "exe_as_pdf": ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        "pdf_as_jpg": ("Quyết định.jpg", valid),
        "docx": ("Tờ trình.docx", c.zip_bytes()),
        "no_ext": ("README", valid),
        "empty": ("Rỗng.pdf", b""),
        "too_big": ("Quá lớn.pdf", valid + b"%" + b"0" * CAP + b"\n%%EOF\n"),
        "jpeg_truncated": ("Ảnh hỏng.jpg", jpeg[: len(jpeg) * 2 // 3]),
        "png_truncated": ("Ảnh hỏng.png", png[: len(png) // 2]),
        "png_bomb": ("Ảnh khổng lồ.png", c.png_bomb()),
        "signed": ("Văn bản ký số.pdf", signed_bytes),
        "signed_modified": ("Ký rồi sửa.pdf", c.change_page_after_signing(signed_bytes)),
        "signed_flipped": ("Ký rồi đổi byte.pdf", signed_bytes.replace(b"(Trang 1)", b"(Trang 9)", 1)),
    }
    paths = {}
    for key, (name, data) in files.items():
        folder_for = folder / key  # one folder per file: names repeat (the same display name, other bytes)
        folder_for.mkdir()
        path = folder_for / name
        path.write_bytes(data)
        paths[key] = path
    return paths
