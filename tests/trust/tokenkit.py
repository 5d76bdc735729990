"""A SoftHSM2 token standing in for an official's USB token, and a test CA standing in for the Government CA.

`make_token(folder, ...)` writes a SOFTHSM2_CONF under `folder`, initialises a token (softhsm2-util), imports each
private key (PKCS#8 PEM through softhsm2-util --import) and writes each certificate object beside it with
python-pkcs11, the way a CA's issuing tool leaves a real token. The caller points SOFTHSM2_CONF at the file it
returns (the module reads it when it initialises, and app.trust.token re-initialises on every use).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

SOFTHSM = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
                if Path(p).is_file()), None)
PIN, SO_PIN = "246810", "13579111"


def need_softhsm() -> str:
    if SOFTHSM is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2; .ci/run installs it)")
    try:
        import pkcs11  # noqa: F401
    except ImportError:
        pytest.skip("python-pkcs11 is not installed")
    return SOFTHSM


@dataclass(frozen=True)
class Ca:
    cert: Any
    key: Any

    def pem(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.cert.public_bytes(Encoding.PEM)


def _name(**attrs: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    oids = {"C": NameOID.COUNTRY_NAME, "L": NameOID.LOCALITY_NAME, "O": NameOID.ORGANIZATION_NAME,
            "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME, "UID": NameOID.USER_ID}
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in attrs.items()])


def make_ca(cn: str = "Cơ quan chứng thực số chuyên dùng Chính phủ (thử)") -> Ca:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    name = _name(C="VN", O="Ban Cơ yếu Chính phủ (thử)", CN=cn)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256()))
    return Ca(cert, key)


def issue(ca: Ca, *, cn: str = "Nguyễn Văn Thử", org: str = "UBND xã Một", rsa: bool = False,
          days: tuple[int, int] = (-1, 730)) -> tuple[Any, Any]:
    """(certificate, private key) of an official, issued by `ca`, valid from now+days[0] to now+days[1]."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric import rsa as rsa_keys

    key = rsa_keys.generate_private_key(65537, 2048) if rsa else ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(C="VN", L="Hưng Yên", O=org, CN=cn))
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now + timedelta(days=days[0])).not_valid_after(now + timedelta(days=days[1]))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return cert, key


def make_token(folder: Path, label: str, objects: list[tuple[Any, Any]], extra_certs: tuple[Any, ...] = (),
               conf: Path | None = None) -> Path:
    """A token `label` holding each (certificate, key) of `objects` (ids 01, 02, …) and `extra_certs` (no key).
    Tokens made with the same `conf` live side by side. Returns the SOFTHSM2_CONF file."""
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    need_softhsm()
    folder.mkdir(parents=True, exist_ok=True)
    if conf is None:
        tokens = folder / "tokens"
        tokens.mkdir()
        conf = folder / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n", encoding="utf-8")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    run = lambda *a: subprocess.run(["softhsm2-util", *a], env=env, check=True, capture_output=True)  # noqa: E731
    run("--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN)
    for i, (_cert, key) in enumerate(objects, start=1):
        pem = folder / f"{label}-{i}.pem"
        pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        run("--import", str(pem), "--token", label, "--label", f"key{i}", "--id", f"{i:02x}", "--pin", PIN)
        pem.unlink()
    saved = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        lib = pkcs11.lib(SOFTHSM)
        lib.reinitialize()
        token = lib.get_token(token_label=label)
        with token.open(rw=True, user_pin=PIN) as session:
            certs = [(c, bytes([i])) for i, (c, _k) in enumerate(objects, start=1)]
            certs += [(c, bytes([0x80 + i])) for i, c in enumerate(extra_certs)]
            for cert, cid in certs:
                from cryptography.hazmat.primitives.serialization import Encoding

                session.create_object({
                    Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True, Attribute.PRIVATE: False, Attribute.ID: cid, Attribute.LABEL: f"cert-{cid.hex()}",
                    Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ISSUER: cert.issuer.public_bytes(),
                    Attribute.SERIAL_NUMBER: cert.serial_number.to_bytes(20, "big").lstrip(b"\0") or b"\0",
                    Attribute.VALUE: cert.public_bytes(Encoding.DER)})
    finally:
        if saved is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = saved
    return conf
