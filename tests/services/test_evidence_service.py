"""Evidence intake through the workstation: store, attach, refuse, list, trust, check."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli.main import main
from app.errors import UserError
from app.evidence.inspect import image_to_pdf
from app.services.evidence_service import (
    add_evidence,
    add_trust_root,
    attached,
    check_unit,
    evidence_path,
    remove_evidence,
    stored_file_ok,
)
from app.services.workspace import Workspace
from tests.conftest import SMALL
from tests.evidence import corpus as c


@pytest.fixture(scope="module")
def pki() -> c.Pki:
    return c.make_pki()


@pytest.fixture
def ws(tmp_path: Path):
    workspace = Workspace(tmp_path / "data", clock=lambda: datetime(2026, 11, 25, 9, 0, tzinfo=UTC), lang="en")
    workspace.frameworks.import_bytes(SMALL.encode(), "small.yaml")
    workspace.unit_init("small-2024", "X1", "UBND xã Một", "xa")
    yield workspace
    workspace.close()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix not in (".lock", ".sqlite3-wal", ".sqlite3-shm")}


def test_attach_stores_one_copy_by_content_with_the_nfc_name(ws, tmp_path):
    import unicodedata

    data = c.reportlab_pdf(pages=2)
    nfd_name = unicodedata.normalize("NFD", "Biên bản họp.pdf")
    first = write(tmp_path, nfd_name, data)
    second = write(tmp_path, "Bản sao.pdf", data)
    add_evidence(ws, "1.1", [first])
    add_evidence(ws, "1.2", [second])
    add_evidence(ws, "1.1", [first])          # again: nothing new
    items = attached(ws)
    assert [(i.code, i.name) for i in items] == [("1.1", "Biên bản họp.pdf"), ("1.2", "Bản sao.pdf")]
    sha = hashlib.sha256(data).hexdigest()
    assert {i.sha256 for i in items} == {sha}
    assert evidence_path(ws.data_dir, sha, "pdf").read_bytes() == data
    assert len(list((ws.data_dir / "evidence").rglob("*.pdf"))) == 1
    assert all(stored_file_ok(ws, i) for i in items)
    assert items[0].pages == 2 and items[0].problems == ()


@pytest.mark.parametrize("name,data,reason", [
    ("Trống.pdf", b"", "empty"),
    ("Báo cáo.pdf", c.zip_bytes(), "ZIP"),
    ("Bị cắt.pdf", c.reportlab_pdf(pages=3)[:900], "incomplete"),
    ("Tờ trình.docx", c.zip_bytes(), "not accepted"),
])
def test_refused_files_store_nothing(ws, tmp_path, name, data, reason):
    good = write(tmp_path, "Tốt.pdf", c.reportlab_pdf())
    bad = write(tmp_path, name, data)
    before = snapshot(ws.data_dir)
    with pytest.raises(UserError) as info:
        add_evidence(ws, "1.1", [good, bad])      # one bad file: none attached
    assert reason.lower() in str(info.value).lower() and "nothing attached" in str(info.value)
    assert "chưa đính kèm" in info.value.message_vi
    assert attached(ws) == []
    assert snapshot(ws.data_dir) == before


def test_over_the_configured_cap_is_refused(ws, tmp_path):
    ws.set_setting("evidence_max_mb", "1")
    big = write(tmp_path, "Lớn.pdf", c.reportlab_pdf(pages=2) + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n")
    with pytest.raises(UserError, match=r"(?i)larger|cap|MB"):
        add_evidence(ws, "1.1", [big])


def test_active_content_is_listed_and_checked(ws, tmp_path):
    add_evidence(ws, "1.1", [write(tmp_path, "Có JavaScript.pdf", c.javascript_pdf())])
    item = attached(ws)[0]
    assert "javascript" in {p.code for p in item.problems}
    kinds = {(f.code, f.kind) for f in check_unit(ws)}
    assert ("1.1", "evidence_problem") in kinds
    assert ("1.1", "evidence_missing") not in kinds


def test_signed_pdf_shows_its_signer_and_trust(ws, tmp_path, pki):
    signed = write(tmp_path, "Quyết định ký số.pdf", c.sign_pdf(c.reportlab_pdf(pages=1, compress=False), pki))
    add_evidence(ws, "1.1", [signed])
    sig = attached(ws)[0].signatures[0]
    assert sig["signer"] == c.SIGNER_CN and sig["valid"] and not sig["trusted"]
    root = write(tmp_path, "root.der", pki.root_der)
    subject, _, new = add_trust_root(ws, root)
    assert new and subject
    sig = attached(ws)[0].signatures[0]     # stored files are validated again against the new root
    assert sig["signer"] == c.SIGNER_CN and sig["valid"] and sig["trusted"] and sig["covers_whole_file"]
    assert "signature_untrusted" not in {p.code for p in attached(ws)[0].problems}
    assert add_trust_root(ws, root)[2] is False
    with pytest.raises(UserError, match=r"not an X\.509"):
        add_trust_root(ws, write(tmp_path, "junk.pem", b"-----BEGIN CERTIFICATE-----\nxx\n"))


def test_modified_after_signing_is_flagged(ws, tmp_path, pki):
    signed = c.sign_pdf(c.reportlab_pdf(pages=1, compress=False), pki)
    add_evidence(ws, "1.1", [write(tmp_path, "Sửa sau khi ký.pdf", c.change_page_after_signing(signed))])
    item = attached(ws)[0]
    assert item.signatures and not item.signatures[0]["covers_whole_file"]
    assert "signature_partial" in {p.code for p in item.problems}


def test_image_converted_to_pdf_on_request(ws, tmp_path):
    jpeg = write(tmp_path, "Ảnh quét.jpg", c.scan_image("JPEG"))
    item = add_evidence(ws, "1.1", [jpeg], to_pdf=True)[0]
    assert item.kind == "pdf" and item.name == "Ảnh quét.pdf"
    assert item.original_sha256 == hashlib.sha256(jpeg.read_bytes()).hexdigest()
    plain = add_evidence(ws, "1.2", [jpeg])[0]
    assert plain.kind == "jpeg" and "image_scan" in {p.code for p in plain.problems}


def test_optimize_never_touches_a_signed_pdf(ws, tmp_path, pki):
    signed = write(tmp_path, "Ký số.pdf", c.sign_pdf(c.reportlab_pdf(pages=1, compress=False), pki))
    with pytest.raises(UserError):
        add_evidence(ws, "1.1", [signed], optimize=True)
    loose = write(tmp_path, "Chưa nén.pdf", c.reportlab_pdf(pages=6, compress=False))
    item = add_evidence(ws, "1.1", [loose], optimize=True)[0]
    if item.original_sha256 is not None:
        assert item.size < loose.stat().st_size


def test_remove_by_name_or_hash_prefix_is_audited(ws, tmp_path):
    path = write(tmp_path, "Biên bản.pdf", c.reportlab_pdf())
    add_evidence(ws, "1.1", [path])
    with pytest.raises(UserError, match="no attached evidence"):
        remove_evidence(ws, "1.1", "Khác.pdf")
    sha = attached(ws)[0].sha256
    assert remove_evidence(ws, "1.1", sha[:8], reason="nhầm tệp") == 1
    assert attached(ws) == []
    assert ws.audit_check().broken_at is None


def test_evidence_for_unknown_or_parent_codes_is_refused(ws, tmp_path):
    path = write(tmp_path, "Biên bản.pdf", c.reportlab_pdf())
    with pytest.raises(UserError, match="no indicator"):
        add_evidence(ws, "9.9", [path])
    with pytest.raises(UserError, match="sub-indicators"):
        add_evidence(ws, "1", [path])


def test_cli_evidence_list_json_has_the_design_fields(tmp_path, capsys):
    data = tmp_path / "data"
    fw = write(tmp_path, "small.dti.yaml", SMALL.encode())
    pdf = write(tmp_path, "Biên bản họp.pdf", c.reportlab_pdf())
    for args in (["framework", "import", str(fw)],
                 ["unit", "init", "--framework", "small-2024", "--unit-code", "X1", "--unit-name", "Xã", "--group", "xa"],
                 ["evidence", "add", "1.1", str(pdf)]):
        assert main(["--data-dir", str(data), *args]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "evidence", "list", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["evidence"]
    assert {"code", "name", "sha256", "size", "pages", "problems", "signatures"} <= set(items[0])
    assert items[0]["name"] == "Biên bản họp.pdf"
    bad = write(tmp_path, "Giả.pdf", c.zip_bytes())
    assert main(["--data-dir", str(data), "--lang", "en", "evidence", "add", "1.1", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Giả.pdf" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------- issue 17, item 3 and 11

def loose_scan_pdf(width: int = 1200, height: int = 1400) -> bytes:
    """A one-page scan whose grey image is stored uncompressed (as some office scanners write it): about
    1,6 MB that `optimize` brings to about 0,1 MB."""
    import io
    import random

    import pikepdf

    rnd = random.Random(7)
    rows = []
    for y in range(height):
        row = bytearray(b"\xff" * width)
        if y % 40 < 12:
            for x in range(100, width - 100, 7):
                row[x] = rnd.randrange(0, 90)
        rows.append(bytes(row))
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, b"".join(rows))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
                              Contents=pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)))
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def noisy_jpeg(size: int = 1400) -> bytes:
    """A photo of noise: JPEG that no rewrite makes smaller, over 1 MB."""
    import io
    import random

    from PIL import Image

    rnd = random.Random(3)
    image = Image.frombytes("L", (size, size), bytes(rnd.randrange(256) for _ in range(size * size)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, dpi=(200, 200))
    return out.getvalue()


def audit_rows(ws, action: str) -> list:
    from sqlalchemy import select

    from app.models.tables import AuditEntry

    with ws.store.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_audit_row_of_a_converted_photo_names_the_original_and_its_sha256(ws, tmp_path):
    jpeg = write(tmp_path, "Ảnh chụp biên bản.jpg", c.scan_image("JPEG"))
    item = add_evidence(ws, "1.1", [jpeg], to_pdf=True)[0]
    row = audit_rows(ws, "evidence.add")[-1]
    assert "Ảnh chụp biên bản.jpg" in row.new and sha(jpeg) in row.new      # the original, whole hash
    assert "Ảnh chụp biên bản.pdf" in row.new and item.sha256 in row.new    # what is stored
    plain = write(tmp_path, "Biên bản.pdf", c.reportlab_pdf())
    add_evidence(ws, "1.2", [plain])
    assert audit_rows(ws, "evidence.add")[-1].new == f"Biên bản.pdf (SHA-256 {sha(plain)})"


def test_a_partial_batch_attaches_the_good_files_and_names_the_refused_one(ws, tmp_path):
    from app.services.evidence_service import attach_files

    good = [write(tmp_path, f"Biên bản {n}.pdf", c.reportlab_pdf(pages=n)) for n in (1, 2)]
    photo = write(tmp_path, "Ảnh.jpg", c.scan_image("JPEG"))
    bad = write(tmp_path, "Tờ trình.pdf", c.zip_bytes())
    intake = attach_files(ws, "1.1", [good[0], bad, photo, good[1]], to_pdf=True, partial=True)
    assert [i.item.name for i in intake.attached] == ["Biên bản 1.pdf", "Ảnh.pdf", "Biên bản 2.pdf"]
    assert all(i.new for i in intake.attached)
    assert [(r.name, r.compressible) for r in intake.refused] == [("Tờ trình.pdf", False)]
    assert "Tờ trình.pdf" in intake.refused[0].vi and "ZIP" in intake.refused[0].vi
    assert [i.name for i in attached(ws)] == ["Biên bản 1.pdf", "Ảnh.pdf", "Biên bản 2.pdf"]
    again = attach_files(ws, "1.1", [good[0]], partial=True)
    assert [i.new for i in again.attached] == [False] and again.refused == ()
    with pytest.raises(UserError, match="nothing attached"):     # without partial: all or nothing, as the CLI
        add_evidence(ws, "1.2", [good[0], bad])
    assert [i.code for i in attached(ws)] == ["1.1"] * 3


def test_a_scan_over_the_cap_is_offered_compression_and_compressed_under_it(ws, tmp_path):
    from app.services.evidence_service import attach_files

    ws.set_setting("evidence_max_mb", "1")
    big = write(tmp_path, "Biên bản quét.pdf", loose_scan_pdf())
    assert big.stat().st_size > 1024 * 1024
    refused = attach_files(ws, "1.1", [big], partial=True).refused
    assert [(r.name, r.compressible, r.size) for r in refused] == [("Biên bản quét.pdf", True, big.stat().st_size)]
    assert "vượt giới hạn 1 MB" in refused[0].vi
    with pytest.raises(UserError, match="--optimize may bring it under"):      # the command line's hint
        add_evidence(ws, "1.1", [big])
    intake = attach_files(ws, "1.1", [big], optimize=True, partial=True)
    assert intake.refused == ()
    done = intake.attached[0]
    assert done.source_size == big.stat().st_size and done.item.size < 1024 * 1024 / 4
    assert done.item.original_sha256 == sha(big) and done.item.name == "Biên bản quét.pdf"
    row = audit_rows(ws, "evidence.add")[-1]
    assert sha(big) in row.new and done.item.sha256 in row.new
    assert stored_file_ok(ws, attached(ws)[0])


def test_compression_is_not_offered_for_a_signed_scan_and_says_when_it_is_not_enough(ws, tmp_path, pki):
    from app.services.evidence_service import attach_files

    ws.set_setting("evidence_max_mb", "1")
    signed = write(tmp_path, "Ký số.pdf", c.sign_pdf(loose_scan_pdf(), pki))
    assert not attach_files(ws, "1.1", [signed], partial=True).refused[0].compressible   # would break the signature
    photo = write(tmp_path, "Ảnh lớn.jpg", noisy_jpeg())
    assert not attach_files(ws, "1.1", [photo], partial=True).refused[0].compressible    # not a PDF
    photo_pdf = write(tmp_path, "Ảnh lớn.pdf", image_to_pdf(photo))      # a JPEG inside: qpdf cannot shrink it
    refusal = attach_files(ws, "1.1", [photo_pdf], partial=True).refused[0]
    assert refusal.compressible
    after = attach_files(ws, "1.1", [photo_pdf], optimize=True, partial=True).refused[0]
    assert not after.compressible and "Ảnh lớn.pdf" in after.vi and "không nén nhỏ hơn được" in after.vi
    assert "vượt giới hạn 1 MB" in after.vi and "cannot be made smaller" in after.en
    assert attached(ws) == []


def test_a_removal_can_be_restored_with_its_record(ws, tmp_path):
    from app.services.evidence_service import detach_evidence, restore_evidence

    first = write(tmp_path, "Biên bản.pdf", c.reportlab_pdf())
    second = write(tmp_path, "Giấy mời.pdf", c.reportlab_pdf(pages=3))
    add_evidence(ws, "1.1", [first, second])
    before = {i.sha256: i for i in attached(ws)}
    gone = detach_evidence(ws, "1.1", sha(first), reason="nhầm tệp")
    assert [(d.code, d.name, d.sha256) for d in gone] == [("1.1", "Biên bản.pdf", sha(first))]
    assert [i.name for i in attached(ws)] == ["Giấy mời.pdf"]
    assert restore_evidence(ws, gone) == 1
    assert {i.sha256: i for i in attached(ws)} == before
    assert restore_evidence(ws, gone) == 0            # already back: nothing twice
    rows = audit_rows(ws, "evidence.remove") + audit_rows(ws, "evidence.add")
    assert sha(first) in rows[0].old and rows[0].reason == "nhầm tệp"
    assert rows[-1].reason == "undo" and sha(first) in rows[-1].new
    assert ws.audit_check().broken_at is None


def test_an_attached_unsigned_pdf_can_be_compressed_and_put_back(ws, tmp_path, pki):
    from app.services.evidence_service import compress_attached, replace_attachment

    loose = write(tmp_path, "Quét.pdf", loose_scan_pdf())
    add_evidence(ws, "1.1", [loose])
    result = compress_attached(ws, "1.1", sha(loose))
    assert result.changed and result.before_size == loose.stat().st_size and result.after_size < result.before_size
    (item,) = attached(ws)
    assert (item.name, item.sha256, item.original_sha256) == ("Quét.pdf", result.after_sha256, sha(loose))
    row = audit_rows(ws, "evidence.optimize")[-1]
    assert sha(loose) in row.old and result.after_sha256 in row.new
    assert replace_attachment(ws, "1.1", result.after_sha256, sha(loose), reason="undo")
    assert [i.sha256 for i in attached(ws)] == [sha(loose)]
    signed = write(tmp_path, "Ký số.pdf", c.sign_pdf(c.reportlab_pdf(pages=1, compress=False), pki))
    add_evidence(ws, "1.2", [signed])
    with pytest.raises(UserError, match="signed"):
        compress_attached(ws, "1.2", sha(signed))
    photo = write(tmp_path, "Ảnh.pdf", image_to_pdf(write(tmp_path, "Ảnh.jpg", noisy_jpeg())))
    add_evidence(ws, "2.1", [photo])
    kept = compress_attached(ws, "2.1", sha(photo))     # a JPEG inside: less than 5 % to gain, nothing changes
    assert not kept.changed and kept.after_size == kept.before_size == photo.stat().st_size
    assert [i.sha256 for i in attached(ws) if i.code == "2.1"] == [sha(photo)]
    assert ws.audit_check().broken_at is None
