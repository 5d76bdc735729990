"""Evidence intake through the workstation: store, attach, refuse, list, trust, check."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli.main import main
from app.errors import UserError
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
