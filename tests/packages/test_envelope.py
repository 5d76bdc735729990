"""app.packages.envelope: CMS EnvelopedData (ECDH, RFC 5753; AES-256-CBC), streamed. Round trips of any content
(Hypothesis), openssl both ways, and hostile inputs: each refused as PackageRefused, never another exception."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.packages import PackageRefused, envelope
from app.packages.source import Source

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl not installed")


def seal(data: bytes, cert, folder: Path, name: str = "p.dtipkg") -> Path:
    out = folder / name
    with open(out, "wb") as dest:
        sealing = envelope.Sealing(dest, cert)
        sealing.write(data)
        written = sealing.finish()
    assert written == out.stat().st_size
    return out


def unseal(path: Path, key, name: str = "p") -> bytes:
    with Source.of_file(path) as src:
        env = envelope.open_envelope(src, name)
        with envelope.Decryption(env, envelope.unwrap_key(env, 0, key)).source(src) as plain:
            return plain.read_at(0, plain.size)


@pytest.fixture(scope="module")
def pems(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pem")
    key, cert = folder / "key.pem", folder / "cert.pem"
    key.write_bytes(pki.district_ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    cert.write_bytes(pki.district_ca.public_bytes(serialization.Encoding.PEM))
    return key, cert


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=5000) | st.sampled_from([b"", b"x" * 15, b"y" * 16, b"z" * 17, bytes(range(256)) * 9]))
def test_any_content_round_trips(pki, tmp_path, data):
    path = seal(data, pki.district_ca, tmp_path)
    assert envelope.is_enveloped(path.read_bytes()[:32])
    assert unseal(path, pki.district_ca_key) == data


def test_a_large_file_streams_in_many_chunks(pki, tmp_path):
    data = bytes(range(256)) * (3 * 4096 + 7)
    assert unseal(seal(data, pki.district_ca, tmp_path), pki.district_ca_key) == data


def test_the_recipient_is_named_by_issuer_and_serial(pki, tmp_path):
    path = seal(b"abc", pki.district_ca, tmp_path)
    with Source.of_file(path) as src:
        env = envelope.open_envelope(src, "p")
    recipient = env.recipients[0][0]
    assert recipient.matches(pki.district_ca) and not recipient.matches(pki.root)
    assert "issued by" in recipient.describe()


def test_another_key_does_not_unwrap(pki, tmp_path):
    path = seal(b"secret", pki.district_ca, tmp_path)
    with Source.of_file(path) as src, pytest.raises(PackageRefused, match="does not unwrap"):
        envelope.unwrap_key(envelope.open_envelope(src, "p"), 0, pki.root_key)


def test_an_rsa_recipient_is_refused_before_writing(pki):
    from tests.packages.pki import _cert, _key, _name

    key = _key("rsa")
    cert = _cert(_name("RSA"), key, _name("RSA"), key, ca=True, path_length=0)
    out = io.BytesIO()
    with pytest.raises(ValueError, match="no EC key"):
        envelope.Sealing(out, cert)
    assert out.getvalue() == b""


@needs_openssl
@pytest.mark.parametrize("size", [0, 1, 16, 1000, 1 << 20 | 5])
def test_openssl_decrypts_what_we_write(pki, pems, tmp_path, size):
    data = bytes((i * 7) & 0xFF for i in range(size))
    path = seal(data, pki.district_ca, tmp_path)
    key, cert = pems
    out = tmp_path / "out.bin"
    subprocess.run([OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", path, "-inkey", key, "-recip", cert, "-out", out],
                   check=True, capture_output=True)
    assert out.read_bytes() == data


@needs_openssl
@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("cipher", ["-aes256", "-aes128"])
@pytest.mark.parametrize("size", [0, 5, 4096, 70001])
def test_we_decrypt_what_openssl_writes(pki, pems, tmp_path, stream, cipher, size):
    data = bytes((i * 13) & 0xFF for i in range(size))
    plain = tmp_path / "in.bin"
    plain.write_bytes(data)
    out = tmp_path / "openssl.der"
    _, cert = pems
    subprocess.run([OPENSSL, "cms", "-encrypt", "-binary", "-outform", "DER", cipher, *(["-stream"] if stream else []),
                    "-recip", cert, "-in", plain, "-out", out], check=True, capture_output=True)
    assert unseal(out, pki.district_ca_key) == data


@needs_openssl
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_openssl_round_trip_of_any_content(pki, pems, tmp_path, data):
    path = seal(data, pki.district_ca, tmp_path)
    key, cert = pems
    out = subprocess.run([OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", path, "-inkey", key, "-recip", cert],
                         check=True, capture_output=True).stdout
    assert out == data


# ---------------------------------------------------------------- hostile
@pytest.fixture(scope="module")
def sample(pki, tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("sample")
    return seal(bytes(range(256)) * 40, pki.district_ca, folder).read_bytes()


def _refused(pki, data: bytes, tmp_path: Path) -> PackageRefused:
    path = tmp_path / "bad.dtipkg"
    path.write_bytes(data)
    try:
        unseal(path, pki.district_ca_key, "bad.dtipkg")
    except PackageRefused as e:
        assert "\n" not in str(e) and str(e).startswith("bad.dtipkg: ")
        return e
    raise AssertionError("not refused")


def test_truncated_at_every_point_is_refused(pki, sample, tmp_path):
    cuts = sorted({*range(0, 400), *range(len(sample) - 40, len(sample)), *range(400, len(sample), 97)})
    for cut in cuts:
        _refused(pki, sample[:cut], tmp_path)


def test_every_byte_of_the_header_altered_is_refused_or_harmless(pki, sample, tmp_path):
    """A flipped header byte is refused, or (a byte of the IV, of a length's leading zero...) yields other
    plaintext that the package's own signature refuses later: never an exception of another kind."""
    header_end = sample.find(bytes.fromhex("060960864801650304012a")) + 40
    for at in range(header_end):
        data = bytearray(sample)
        data[at] ^= 0x01
        path = tmp_path / "bad.dtipkg"
        path.write_bytes(bytes(data))
        with contextlib.suppress(PackageRefused):
            unseal(path, pki.district_ca_key, "bad.dtipkg")


@pytest.mark.parametrize("change", ["garbage", "huge-length", "wrong-oid", "empty", "zip"])
def test_structural_changes_are_refused(pki, sample, tmp_path, change):
    data = {"garbage": sample + b"\x00\x00",
            "huge-length": sample[:1] + b"\x88\x7f\xff\xff\xff\xff\xff\xff\xff" + sample[2 + (sample[1] & 0x7F):],
            "wrong-oid": sample.replace(bytes.fromhex("2a864886f70d010703"), bytes.fromhex("2a864886f70d010702"), 1),
            "empty": b"",
            "zip": b"PK\x03\x04" + b"\x00" * 100}[change]
    _refused(pki, data, tmp_path)


def test_a_last_block_altered_is_caught_by_the_padding(pki, sample, tmp_path):
    data = bytearray(sample)
    data[-17] ^= 0x55      # the previous block's last byte: XORed into the padding byte (0x10 here), deterministic
    assert _refused(pki, bytes(data), tmp_path).code == "decrypt"
