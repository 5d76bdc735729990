"""Issue 19: signing a package with an official's USB token (a SoftHSM2 token through the real PKCS#11 module)
and what the province sees of it. Everything goes through the CLI (`app.cli.main.main`), in this process.

Tokens (one SOFTHSM2_CONF, plugged in side by side, so every export names its --token-label):
GIAMDOC (ECDSA P-256, organisation "UBND xã Một"), RSA (RSA 2048), HETHAN (expired), KHAC (another unit's
official), LA (a CA the province does not trust). The test CA stands in for the Government CA.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL
from tests.trust import tokenkit as k

PASS = "token-test-passphrase-1"


@dataclass(frozen=True)
class Setup:
    base: Path
    conf: Path
    gca: k.Ca

    def run(self, data: str | Path, *args: object) -> int:
        data = data if isinstance(data, Path) else self.base / data
        return main(["--data-dir", str(data), "--lang", "en", "--passphrase-file", str(self.base / "pass.txt"),
                     *map(str, args)])

    @property
    def pin(self) -> Path:
        return self.base / "pin.txt"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    k.need_softhsm()
    base = tmp_path_factory.mktemp("token")
    gca, other_ca = k.make_ca(), k.make_ca("CA không tin cậy (thử)")
    conf = k.make_token(base / "hsm", "GIAMDOC", [k.issue(gca)], extra_certs=(gca.cert,))
    k.make_token(base / "hsm", "RSA", [k.issue(gca, cn="Trần Thị Rsa", rsa=True)], conf=conf)
    k.make_token(base / "hsm", "HETHAN", [k.issue(gca, cn="Lê Văn Hết", days=(-800, -10))], conf=conf)
    k.make_token(base / "hsm", "KHAC", [k.issue(gca, cn="Phạm Văn Khác", org="UBND xã Khác")], conf=conf)
    k.make_token(base / "hsm", "LA", [k.issue(other_ca, cn="Đỗ Văn Lạ")], conf=conf)
    (base / "pass.txt").write_text(PASS + "\n", encoding="utf-8")
    (base / "pin.txt").write_text(k.PIN + "\n", encoding="utf-8")
    (base / "gca.pem").write_bytes(gca.pem())
    (base / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")
    s = Setup(base, conf, gca)
    assert s.run("prov", "authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ Thử") == 0
    assert s.run("prov", "framework", "import", base / "fw.dti.yaml") == 0
    assert s.run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", "X1", "--unit-name", "UBND xã Một",
                 "--group", "xa", "--unit-passphrase-file", base / "pass.txt", "--out", base / "x1.dtienroll") == 0
    assert s.run("x1", "enroll", "accept", base / "x1.dtienroll") == 0
    assert s.run("x1", "entry", "set", "1.1", "50") == 0
    assert s.run("prov", "authority", "root", "--out", base / "root.pem") == 0
    (base / "both.pem").write_bytes((base / "root.pem").read_bytes() + gca.pem())
    return s


@pytest.fixture
def env(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> Setup:
    monkeypatch.setenv("SOFTHSM2_CONF", str(setup.conf))
    monkeypatch.delenv("DTI_TOKEN_PIN", raising=False)
    return setup


_exported: dict[str, Path] = {}


def export(s: Setup, label: str | None, capsys: pytest.CaptureFixture[str]) -> Path:
    """X1's package signed with token `label` (None: without a token), exported once per label."""
    key = label or "-"
    if key not in _exported:
        out = s.base / f"x1-{key}.dtipkg"
        extra = ["--token", "--token-label", label, "--token-lib", k.SOFTHSM, "--token-pin-file", s.pin] if label else []
        rc = s.run("x1", "package", "export", "--out", out, *extra)
        assert rc == 0, capsys.readouterr()
        _exported[key] = out
    return _exported[key]


def province(s: Setup, tmp_path: Path, trust_gca: bool = True) -> Path:
    data = tmp_path / "prov"
    shutil.copytree(s.base / "prov", data, ignore=shutil.ignore_patterns("dti.lock"))
    if trust_gca:
        assert s.run(data, "trust", "add-root", s.base / "gca.pem") == 0
    return data


def entries(pkg: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pkg) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_token_list_shows_tokens_and_certificates(env: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    capsys.readouterr()
    assert main(["token", "list", "--lib", k.SOFTHSM, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["tokens"]
    by_label = {t["label"]: t for t in listed}
    assert {"GIAMDOC", "RSA", "HETHAN", "KHAC", "LA"} <= set(by_label)
    certs = {c["subject"]: c for c in by_label["GIAMDOC"]["certificates"]}
    official = next(c for s, c in certs.items() if "Nguyễn Văn Thử" in s)
    assert "O=UBND xã Một" in official["subject"] and "Ban Cơ yếu" in official["issuer"]
    assert official["key_usage"] == ["digital_signature", "non_repudiation"]
    assert official["not_after"] > official["not_before"]


def test_export_with_token_openssl_verifies_both_signers(env: Setup, capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    pkg = export(env, "GIAMDOC", capsys)
    files = entries(pkg)
    from app.packages.cosign import second_signer, signer_count

    assert signer_count(files["manifest.p7s"]) == 2
    assert second_signer(files["manifest.p7s"])[1] is not None
    (tmp_path / "manifest.json").write_bytes(files["manifest.json"])
    (tmp_path / "manifest.p7s").write_bytes(files["manifest.p7s"])
    verify = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "manifest.p7s"),
              "-content", str(tmp_path / "manifest.json"), "-purpose", "any", "-out", "/dev/null", "-CAfile"]
    ok = subprocess.run([*verify, str(env.base / "both.pem")], capture_output=True, text=True)
    assert ok.returncode == 0 and "Verification successful" in ok.stderr, ok.stderr
    # with the province's root alone, the token's signer does not chain: openssl checks every signer
    assert subprocess.run([*verify, str(env.base / "root.pem")], capture_output=True).returncode != 0


def test_rsa_token_signs_too(env: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pkg = export(env, "RSA", capsys)
    data = province(env, tmp_path)
    capsys.readouterr()
    assert env.run(data, "package", "verify", pkg) == 0
    out = capsys.readouterr().out
    assert "token signature by Trần Thị Rsa (UBND xã Một): valid" in out


def test_pades_report_validates_with_pyhanko_and_pdfsig(env: Setup, capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    pdf = entries(export(env, "GIAMDOC", capsys))["report/self-assessment.pdf"]
    reader = PdfFileReader(io.BytesIO(pdf))
    (sig,) = reader.embedded_signatures
    root = ax509.Certificate.load(env.gca.cert.public_bytes(Encoding.DER))
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Văn Thử"
    field = sig.sig_field
    rect = [float(v) for v in field["/Rect"]]
    assert rect[2] - rect[0] > 100 and "/AP" in field   # a visible block
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows and all("yes" in r[-5:-2][:1] for r in rows), fonts   # every font embedded
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in shown and "Nguyễn Văn Thử" in shown and "Total document signed" in shown, shown


def test_stamp_text_is_vietnamese_in_vietnam_time() -> None:
    from datetime import UTC, datetime

    from app.reports.pdf_sign import stamp_text

    text = stamp_text("Nguyễn Văn Thử", "UBND xã Một", datetime(2025, 12, 31, 17, 5, tzinfo=UTC))
    assert text.splitlines() == ["Ký bởi: Nguyễn Văn Thử", "Cơ quan: UBND xã Một",
                                 "Thời gian ký: 01/01/2026 00:05 (giờ Việt Nam)"]


def test_province_imports_and_stores_the_valid_token_signature(env: Setup, capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    import json
    import sqlite3

    pkg = export(env, "GIAMDOC", capsys)
    data = province(env, tmp_path)
    capsys.readouterr()
    assert env.run(data, "package", "import", pkg) == 0
    out = capsys.readouterr().out
    assert "token signature by Nguyễn Văn Thử (UBND xã Một): valid" in out
    assert "does not name" not in out
    with sqlite3.connect(data / "dti.sqlite3") as db:
        (stored,) = db.execute("select data_json from submission").fetchone()
    found = json.loads(stored)["token_signature"]
    assert found["valid"] and found["trusted"] and found["names_unit"]
    assert found["organisation"] == "UBND xã Một" and found["key_usage"] == ["digital_signature", "non_repudiation"]


def test_untrusted_root_is_reported_and_refused_when_required(env: Setup, capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    pkg = export(env, "LA", capsys)
    data = province(env, tmp_path)
    capsys.readouterr()
    assert env.run(data, "package", "verify", pkg) == 0       # the enrolled signature binds; the token's is reported
    out = capsys.readouterr().out
    assert "token signature by Đỗ Văn Lạ (UBND xã Một): not valid: the signer is not certified by a trusted authority" in out
    assert env.run(data, "config", "set", "require-token-signature", "yes") == 0
    capsys.readouterr()
    assert env.run(data, "package", "import", pkg) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "a valid token signature is required here and this one is not: the signer is not certified" in err


def test_required_token_signature_refuses_a_package_without_one(env: Setup, capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    plain, signed = export(env, None, capsys), export(env, "GIAMDOC", capsys)
    data = province(env, tmp_path)
    assert env.run(data, "config", "set", "require-token-signature", "yes") == 0
    capsys.readouterr()
    assert env.run(data, "package", "import", plain) != 0
    assert "a token signature is required here (require-token-signature) and the package has none" in capsys.readouterr().err
    assert env.run(data, "package", "import", signed) == 0
    # without the setting a package without a token signature imports as before
    other = province(env, tmp_path / "other")
    capsys.readouterr()
    assert env.run(other, "package", "import", plain) == 0
    assert "token" not in capsys.readouterr().out


def test_certificate_of_another_unit_is_reported_not_refused(env: Setup, capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    pkg = export(env, "KHAC", capsys)
    data = province(env, tmp_path)
    capsys.readouterr()
    assert env.run(data, "package", "import", pkg) == 0
    out = capsys.readouterr().out
    assert "token signature by Phạm Văn Khác (UBND xã Khác): valid; the certificate does not name this unit" in out


def _refused_export(env: Setup, capsys: pytest.CaptureFixture[str], *args: object) -> str:
    out = env.base / "refused.dtipkg"
    before = sorted(p.name for p in env.base.iterdir())
    capsys.readouterr()
    rc = env.run("x1", "package", "export", "--out", out, "--token", "--token-lib", k.SOFTHSM, *args)
    err = capsys.readouterr().err.strip()
    assert rc != 0 and len(err.splitlines()) == 1, err
    assert not out.exists() and sorted(p.name for p in env.base.iterdir()) == before
    return err


def test_wrong_pin_refuses_and_never_shows_the_pin(env: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    pin = env.base / "wrong-pin.txt"
    pin.write_text("97531864\n", encoding="utf-8")
    err = _refused_export(env, capsys, "--token-label", "GIAMDOC", "--token-pin-file", pin)
    assert "wrong PIN for token 'GIAMDOC'" in err and "97531864" not in err
    log = env.base / "x1" / "logs" / "dti.log"
    assert not log.exists() or "97531864" not in log.read_text(encoding="utf-8", errors="replace")


def test_pin_from_the_environment(env: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTI_TOKEN_PIN", "00000000")
    err = _refused_export(env, capsys, "--token-label", "GIAMDOC")
    assert "wrong PIN" in err and "00000000" not in err


def test_token_absent(env: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = _refused_export(env, capsys, "--token-label", "KHONGCO", "--token-pin-file", env.pin)
    assert "no token labelled 'KHONGCO' is plugged in" in err
    capsys.readouterr()
    missing = tmp_path / "nowhere" / "libtoken.so"
    assert env.run("x1", "package", "export", "--out", tmp_path / "x.dtipkg", "--token", "--token-lib", missing,
                   "--token-pin-file", env.pin) != 0
    assert f"the PKCS#11 module {missing} was not found" in capsys.readouterr().err


def test_expired_certificate(env: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused_export(env, capsys, "--token-label", "HETHAN", "--token-pin-file", env.pin)
    assert "the token's certificate expired on" in err


def test_config_settings_are_checked(env: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = province(env, tmp_path, trust_gca=False)
    assert env.run(data, "config", "set", "require-token-signature", "maybe") != 0
    assert "require-token-signature is yes or no" in capsys.readouterr().err
    assert env.run(data, "config", "set", "token-lib", tmp_path / "none.so") != 0
    assert "is not a file" in capsys.readouterr().err
    assert env.run(data, "config", "set", "token-lib", k.SOFTHSM) == 0
    capsys.readouterr()
    assert env.run(data, "token", "list") == 0       # the module from the setting
    assert "GIAMDOC" in capsys.readouterr().out


def test_signed_with_the_token_and_encrypted_opens_only_at_the_province(env: Setup, capsys: pytest.CaptureFixture[str],
                                                                       tmp_path: Path) -> None:
    """The whole journey of issue 19 in one package: token-signed and encrypted for the province. The province
    imports it and sees who signed; openssl decrypts it with the province's root key and verifies both signers;
    another province is told whom it is for."""
    from cryptography.hazmat.primitives import serialization

    from app.services.trust_service import identity
    from app.services.workspace import Workspace
    from app.trust import keys

    out = tmp_path / "x1-token-encrypted.dtipkg"
    assert env.run("x1", "package", "export", "--out", out, "--encrypt", "--token", "--token-label", "GIAMDOC",
                   "--token-lib", k.SOFTHSM, "--token-pin-file", env.pin) == 0, capsys.readouterr()
    assert not out.read_bytes().startswith(b"PK")
    data = province(env, tmp_path)
    capsys.readouterr()
    assert env.run(data, "package", "import", out) == 0
    assert "token signature by Nguyễn Văn Thử (UBND xã Một): valid" in capsys.readouterr().out
    with Workspace(data, write=False) as ws:
        cert, pem = identity(ws).root
    key = tmp_path / "root-key.pem"
    key.write_bytes(keys.decrypt_key(pem, PASS).private_bytes(serialization.Encoding.PEM,
                                                              serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption()))
    (tmp_path / "root-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    plain = tmp_path / "plain.dtipkg"
    subprocess.run(["openssl", "cms", "-decrypt", "-inform", "DER", "-in", str(out), "-inkey", str(key), "-recip",
                    str(tmp_path / "root-cert.pem"), "-out", str(plain)], check=True, capture_output=True)
    files = entries(plain)
    (tmp_path / "manifest.json").write_bytes(files["manifest.json"])
    (tmp_path / "manifest.p7s").write_bytes(files["manifest.p7s"])
    ok = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "manifest.p7s"),
                         "-content", str(tmp_path / "manifest.json"), "-purpose", "any", "-out", "/dev/null", "-CAfile",
                         str(env.base / "both.pem")], capture_output=True, text=True)
    assert ok.returncode == 0 and "Verification successful" in ok.stderr, ok.stderr
    other = tmp_path / "other"
    assert env.run(other, "authority", "init", "--code", "TQ", "--name", "Sở Khoa học và Công nghệ Khác") == 0
    capsys.readouterr()
    assert env.run(other, "package", "import", out) != 0
    assert "encrypted for another authority" in capsys.readouterr().err
