"""A corpus of hostile packages, each refused with its own PackageRefused.code (DESIGN §1: untrusted input is
hostile; §6: the verification order). Every case leaves nothing behind and prints nothing."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.packages import EntrySource, Limits, PackageRefused, Signer, TrustAnchors, verify_package, write_package
from app.packages.manifest import canonical_bytes
from tests.packages.conftest import VALUES, manifest
from tests.packages.pki import NOW, PKI
from tests.packages.rawzip import LINK, Layout, Raw, build, manifest_for, signed

EVIDENCE = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
EV_NAME = f"evidence/{hashlib.sha256(EVIDENCE).hexdigest()}.pdf"
REPORT = b"%PDF-1.7 report\n%%EOF\n"
ENTRIES = {"data/values.json": VALUES, EV_NAME: EVIDENCE, "report/self-assessment.pdf": REPORT}


@dataclass
class Ctx:
    pki: PKI
    good: bytes                      # a package written by write_package
    infos: dict[str, zipfile.ZipInfo]
    cd_offset: int

    def data_offset(self, name: str) -> int:
        info = self.infos[name]
        return info.header_offset + 30 + len(info.filename.encode())

    def flip(self, offset: int, mask: int = 0x01) -> bytes:
        data = bytearray(self.good)
        data[offset] ^= mask
        return bytes(data)

    def raw(self, entries: dict[str, bytes] | None = None, **kw) -> list[Raw]:
        return signed(self.pki.commune, ENTRIES if entries is None else entries, **kw)


@pytest.fixture(scope="module")
def ctx(pki, tmp_path_factory) -> Ctx:
    d = tmp_path_factory.mktemp("good")
    entries = [EntrySource(n, b) for n, b in ENTRIES.items()]
    [out] = write_package(d / "X1.dtipkg", manifest(), entries, pki.commune)
    good = out.read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        infos = {i.filename: i for i in z.infolist()}
    cd_offset = struct.unpack_from("<I", good, len(good) - 22 + 16)[0]
    return Ctx(pki, good, infos, cd_offset)


def _deflated(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _cd_record(ctx: Ctx, index: int) -> int:
    pos = ctx.cd_offset
    for _ in range(index):
        nlen = struct.unpack_from("<H", ctx.good, pos + 28)[0]
        pos += 46 + nlen
    return pos


def _manifest_with(ctx: Ctx, text_edit) -> bytes:
    """The good manifest text edited, re-signed, as a raw package (the edit must keep it signable)."""
    mbytes = text_edit(canonical_bytes(manifest_for(ENTRIES)))
    return build(ctx.raw(manifest_bytes=mbytes))


def _dup_keys(m: bytes) -> bytes:
    return m.replace(b'"format":"dti-package/1"', b'"format":"dti-package/1","format":"dti-package/2"')


def _revoked_ca(pki: PKI) -> TrustAnchors:
    crl = (x509.CertificateRevocationListBuilder().issuer_name(pki.root.subject).last_update(NOW - timedelta(days=1))
           .next_update(NOW + timedelta(days=1))
           .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(pki.district_ca.serial_number)
                                    .revocation_date(NOW - timedelta(hours=2)).build())
           .sign(pki.root_key, hashes.SHA256()))
    return TrustAnchors(roots=(pki.root,), crls=(crl,))


NFC = unicodedata.normalize("NFC", "data/biên-bản.json")
NFD = unicodedata.normalize("NFD", NFC)

# (id, build(ctx) -> bytes, expected code, extra verify_package kwargs(ctx) or None)
CASES = [
    # --- not a ZIP at all
    ("empty", lambda c: b"", "not_zip", None),
    ("random-bytes", lambda c: random.Random(7).randbytes(5000), "not_zip", None),
    ("text", lambda c: "Báo cáo tự đánh giá".encode(), "not_zip", None),
    ("truncated-half", lambda c: c.good[: len(c.good) // 2], "truncated", None),
    ("truncated-in-end-record", lambda c: c.good[:-5], "truncated", None),
    # --- bytes outside the structures
    ("bytes-after", lambda c: c.good + b"trailing garbage", "bytes_outside", None),
    ("bytes-before", lambda c: b"MZ\x90\x00" * 64 + c.good, "bytes_outside", None),
    ("bytes-before-offsets-adjusted", lambda c: build(c.raw(), Layout(prefix_adjusted=b"#!/bin/sh\n" * 10)), "bytes_outside", None),
    ("bytes-between-entries", lambda c: build(c.raw(), Layout(between=b"hidden payload")), "bytes_outside", None),
    ("archive-comment", lambda c: build(c.raw(), Layout(comment=b"hello")), "bytes_outside", None),
    # --- limits
    ("multi-disk", lambda c: build(c.raw(), Layout(eocd_disk=1)), "zip_limits", None),
    ("zip-bomb-declared-size", lambda c: build([Raw("data/values.json", VALUES, declared_size=0xFFFFFFF0), *c.raw()[1:]]),
     "zip_limits", None),
    ("total-size-limit", lambda c: c.good, "zip_limits", lambda c: {"limits": Limits(max_total_bytes=5000)}),
    ("too-many-entries", lambda c: c.good, "zip_limits", lambda c: {"limits": Limits(max_entries=3)}),
    ("zip64-extra", lambda c: build([Raw("data/values.json", VALUES, extra=struct.pack("<HH", 1, 16) + bytes(16)), *c.raw()[1:]]),
     "zip_limits", None),
    ("zip64-end-record-values", lambda c: c.good[:-22] + c.good[-22:-12] + b"\xff\xff" + c.good[-10:], "zip_limits", None),
    ("package-too-large", lambda c: c.good, "too_large", lambda c: {"limits": Limits(max_package_bytes=1000)}),
    # --- entry kinds and flags
    ("encrypted", lambda c: build([Raw("data/values.json", VALUES, flags=1), *c.raw()[1:]]), "encrypted", None),
    ("deflated", lambda c: build([Raw("data/values.json", VALUES, method=8, payload=_deflated(VALUES)), *c.raw()[1:]]),
     "compressed", None),
    ("symlink", lambda c: build([Raw("data/values.json", b"/etc/passwd", external=LINK), *c.raw()[1:]]), "symlink", None),
    ("directory", lambda c: build([Raw("data/", b"", external=(0o040755 << 16) | 0x10), *c.raw()]), "directory", None),
    ("fifo", lambda c: build([Raw("data/values.json", VALUES, external=0o010644 << 16), *c.raw()[1:]]), "directory", None),
    ("data-descriptor-flag", lambda c: build([Raw("data/values.json", VALUES, flags=8), *c.raw()[1:]]), "zip_structure", None),
    ("extra-field", lambda c: build([Raw("data/values.json", VALUES, extra=b"UT\x05\x00\x01\x00\x00\x00\x00"), *c.raw()[1:]]),
     "zip_structure", None),
    ("overlapping-entries", lambda c: build(c.raw(), Layout(extra_records=[("data/audit.json", 0)])), "zip_structure", None),
    # --- local headers against the central directory
    ("local-name-differs", lambda c: build([Raw("data/values.json", VALUES, local_name=b"data/valuez.json"), *c.raw()[1:]]),
     "local_header", None),
    ("local-crc-differs", lambda c: build([Raw("data/values.json", VALUES, local_crc=12345), *c.raw()[1:]]), "local_header", None),
    ("flip-local-header-crc", lambda c: c.flip(c.infos["data/values.json"].header_offset + 14), "local_header", None),
    ("flip-local-header-name", lambda c: c.flip(c.infos["data/values.json"].header_offset + 32), "local_header", None),
    ("flip-central-directory-crc", lambda c: c.flip(_cd_record(c, 0) + 16), "local_header", None),
    ("flip-central-directory-name", lambda c: c.flip(_cd_record(c, 0) + 46 + 7, 0x02), "local_header", None),
    ("flip-central-directory-size", lambda c: c.flip(_cd_record(c, 0) + 24), "zip_structure", None),
    ("flip-central-directory-offset", lambda c: c.flip(_cd_record(c, 1) + 42), "bytes_outside", None),
    # --- names
    ("dotdot", lambda c: build([Raw("../x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("dotdot-inside", lambda c: build([Raw("data/../../x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("absolute", lambda c: build([Raw("/etc/cron.d/x", b"{}"), *c.raw()]), "entry_path", None),
    ("drive-backslash", lambda c: build([Raw("C:\\Windows\\x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("drive-relative", lambda c: build([Raw("C:x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("unc", lambda c: build([Raw("\\\\server\\share\\x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("backslash", lambda c: build([Raw("data\\x.json", b"{}"), *c.raw()]), "entry_path", None),
    ("control-char", lambda c: build([Raw("data/x\x00.json", b"{}"), *c.raw()]), "entry_path", None),
    ("duplicate", lambda c: build([Raw("data/values.json", b"{}"), *c.raw()]), "duplicate_entry", None),
    ("case-twins", lambda c: build([Raw("DATA/Values.json", b"{}"), *c.raw()]), "duplicate_entry", None),
    ("nfc-nfd-twins", lambda c: build([Raw(NFC, b"{}", flags=0x800), Raw(NFD, b"{}", flags=0x800), *c.raw()]), "duplicate_entry", None),
    ("name-not-allowed", lambda c: build([Raw("data/run.exe", b"MZ"), *c.raw()]), "entry_name", None),
    ("name-nested", lambda c: build([Raw("data/sub/x.json", b"{}"), *c.raw()]), "entry_name", None),
    ("name-top-level", lambda c: build([Raw("readme.txt", b"hi"), *c.raw()]), "entry_name", None),
    ("evidence-upper-hex", lambda c: build([Raw("evidence/" + "AB" * 32 + ".pdf", b"%PDF"), *c.raw()]), "entry_name", None),
    ("name-not-utf8", lambda c: build([Raw(b"data/\xff\xfe.json", b"{}"), *c.raw()]), "entry_name", None),
    # --- manifest
    ("no-manifest", lambda c: build([r for r in c.raw() if r.name != "manifest.json"]), "no_manifest", None),
    ("no-signature", lambda c: build([r for r in c.raw() if r.name != "manifest.p7s"]), "no_manifest", None),
    ("manifest-not-json", lambda c: _manifest_with(c, lambda m: b"this is not JSON"), "manifest_json", None),
    ("manifest-duplicate-keys", lambda c: _manifest_with(c, _dup_keys), "manifest_json", None),
    ("manifest-nan", lambda c: _manifest_with(c, lambda m: m.replace(b'"revision":3', b'"revision":NaN')), "manifest_json", None),
    ("manifest-infinity", lambda c: _manifest_with(c, lambda m: m.replace(b'"revision":3', b'"revision":-Infinity')),
     "manifest_json", None),
    ("manifest-bom", lambda c: _manifest_with(c, lambda m: b"\xef\xbb\xbf" + m), "manifest_json", None),
    ("manifest-latin1", lambda c: _manifest_with(c, lambda m: m.replace("Tân".encode(), "Tân".encode("latin-1", "replace"))),
     "manifest_json", None),
    ("manifest-deep-nesting", lambda c: _manifest_with(c, lambda m: b"[" * 200_000 + b"]" * 200_000), "manifest_json", None),
    ("manifest-huge", lambda c: _manifest_with(c, lambda m: m[:-1] + b',"pad":"' + b"x" * (9 << 20) + b'"}'), "too_large", None),
    ("manifest-not-object", lambda c: _manifest_with(c, lambda m: b"[1,2,3]"), "manifest_schema", None),
    ("manifest-size-as-text", lambda c: _manifest_with(c, lambda m: m.replace(b'"size":' + str(len(VALUES)).encode(),
                                                                             b'"size":"' + str(len(VALUES)).encode() + b'"')),
     "manifest_schema", None),
    ("manifest-no-format", lambda c: build(c.raw(manifest={k: v for k, v in manifest_for(ENTRIES).items() if k != "format"})),
     "manifest_schema", None),
    ("manifest-created-at-number", lambda c: build(c.raw(manifest=manifest_for(ENTRIES, created_at=20240506))), "manifest_schema", None),
    ("manifest-lists-unsafe-name", lambda c: build(c.raw(manifest={**manifest_for(ENTRIES), "entries": [
        {"name": "../x.json", "sha256": "0" * 64, "size": 1}]})), "manifest_schema", None),
    ("evidence-not-named-by-hash", lambda c: build(c.raw({"evidence/" + "0" * 64 + ".pdf": EVIDENCE})), "manifest_schema", None),
    # --- signature and trust
    ("flip-manifest-byte", lambda c: c.flip(c.data_offset("manifest.json") + c.good[c.data_offset("manifest.json"):].index(b"UBND")),
     "signature", None),
    ("flip-signature-value", lambda c: c.flip(c.data_offset("manifest.p7s") + c.infos["manifest.p7s"].file_size - 3),
     "signature", None),
    ("flip-signature-structure", lambda c: c.flip(c.data_offset("manifest.p7s") + 1, 0x40), "signature", None),
    ("signature-garbage", lambda c: build([*c.raw()[:-1], Raw("manifest.p7s", b"garbage")]), "signature", None),
    ("signature-of-other-manifest", lambda c: build([*c.raw()[:-1], signed(c.pki.commune, {"data/x.json": b"{}"})[-1]]),
     "signature", None),
    ("untrusted-root", lambda c: build(signed(c.pki.foreign, ENTRIES)), "untrusted", None),
    ("no-trusted-root-configured", lambda c: c.good, "untrusted", lambda c: {"anchors": TrustAnchors(roots=())}),
    ("revoked", lambda c: build(signed(c.pki.revoked, ENTRIES)), "revoked", None),
    ("revoked-issuing-ca", lambda c: c.good, "revoked", lambda c: {"anchors": _revoked_ca(c.pki)}),
    ("expired", lambda c: build(signed(c.pki.expired, ENTRIES)), "expired", None),
    ("not-yet-valid", lambda c: c.good, "not_yet_valid", lambda c: {"at": NOW - timedelta(days=5000)}),
    ("no-signing-key-usage", lambda c: build(signed(c.pki.no_signing, ENTRIES)), "key_usage", None),
    ("signed-by-a-ca-certificate", lambda c: build(signed(Signer(c.pki.district_ca, c.pki.district_ca_key, (c.pki.root,)), ENTRIES)),
     "key_usage", None),
    # --- entries against the manifest
    ("entry-added", lambda c: build(c.raw(zip_entries={**ENTRIES, "data/extra.json": b"{}"})), "entries_mismatch", None),
    ("entry-removed", lambda c: build(c.raw(zip_entries={k: v for k, v in ENTRIES.items() if k != "report/self-assessment.pdf"})),
     "entries_mismatch", None),
    ("entry-renamed", lambda c: build(c.raw(zip_entries={**{k: v for k, v in ENTRIES.items() if k != "data/values.json"},
                                                         "data/value.json": VALUES})), "entries_mismatch", None),
    ("entry-size-differs", lambda c: build(c.raw(zip_entries={**ENTRIES, "data/values.json": VALUES + b" "})), "entries_mismatch", None),
    ("entry-replaced-same-size", lambda c: build(c.raw(zip_entries={**ENTRIES, "data/values.json": VALUES.replace(b"45", b"60")})),
     "entry_hash", None),
    ("flip-data-entry", lambda c: c.flip(c.data_offset("data/values.json") + 3), "entry_hash", None),
    ("flip-evidence-entry", lambda c: c.flip(c.data_offset(EV_NAME) + 2000), "entry_hash", None),
    ("flip-report-entry", lambda c: c.flip(c.data_offset("report/self-assessment.pdf")), "entry_hash", None),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40 and len({c[0] for c in CASES}) == len(CASES)


def test_the_raw_builder_makes_valid_packages(ctx, tmp_path):
    path = tmp_path / "raw.dtipkg"
    path.write_bytes(build(ctx.raw()))
    verify_package(path, ctx.pki.anchors())
    path.write_bytes(ctx.good)
    verify_package(path, ctx.pki.anchors())


@pytest.mark.parametrize(("case", "make", "code", "extra"), CASES, ids=[c[0] for c in CASES])
def test_hostile_package_is_refused(ctx, tmp_path, capfd, case, make, code, extra):
    path = tmp_path / f"{case}.dtipkg"
    path.write_bytes(make(ctx))
    kwargs = {"anchors": ctx.pki.anchors()}
    kwargs.update(extra(ctx) if extra else {})
    with pytest.raises(PackageRefused) as e:
        verify_package(path, **kwargs)
    assert e.value.code == code, str(e.value)
    assert path.name in str(e.value) and path.name in e.value.message_vi
    assert "\n" not in str(e.value) and "\n" not in e.value.message_vi
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert capfd.readouterr().err == ""


def test_a_missing_file_is_refused(tmp_path, pki):
    with pytest.raises(PackageRefused) as e:
        verify_package(tmp_path / "absent.dtipkg", pki.anchors())
    assert e.value.code == "not_zip"


def test_random_bytes_never_crash_the_reader(ctx, tmp_path):
    """Any corruption of a real package is refused with a code, never another exception."""
    rng = random.Random(2024)
    path = tmp_path / "fuzz.dtipkg"
    for _ in range(150):
        data = bytearray(ctx.good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        try:
            verify_package(path, ctx.pki.anchors())
        except PackageRefused as e:
            assert e.code
        # a flip in a field the reader does not pin (e.g. a timestamp in both headers) may still verify:
        # the signed content is then intact
    Path(path).unlink()


def test_own_packages_are_accepted_without_pyhanko(ctx, tmp_path, monkeypatch):
    """The quick acceptance (app.packages.cms._accept_own_profile) takes every package this software signs;
    pyHanko's full validation is left for what it does not know, and gives every refusal above."""
    from app.packages import cms

    def full_validation(*_args, **_kwargs):
        raise AssertionError("the full validation ran for a package of our own profile")

    monkeypatch.setattr(cms, "_validate", full_validation)
    path = tmp_path / "good.dtipkg"
    for package in (ctx.good, build(ctx.raw())):
        path.write_bytes(package)
        assert verify_package(path, ctx.pki.anchors()).signer == ctx.pki.commune.cert


def test_the_quick_acceptance_accepts_no_hostile_signature(ctx, tmp_path):
    """Every corpus package refused for its signature or certificates is refused by the full validation
    because the quick one declined it, not because it was accepted and something later caught it."""
    from app.packages import cms

    signature_codes = {"signature", "untrusted", "expired", "not_yet_valid", "revoked", "key_usage"}
    checked = 0
    for case, make, code, extra in CASES:
        if code not in signature_codes:
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(make(ctx))) as z:
                data, p7s = z.read("manifest.json"), z.read("manifest.p7s")
        except (zipfile.BadZipFile, KeyError):
            continue
        kwargs = {"anchors": ctx.pki.anchors(), **(extra(ctx) if extra else {})}
        anchors, at = kwargs["anchors"], kwargs.get("at") or datetime.now(UTC)
        assert cms._accept_own_profile(data, p7s, anchors.roots, anchors.crls, at) is None, case
        checked += 1
    assert checked >= 10
