"""Packages encrypted to their receiver (*gói mã hoá*): CMS EnvelopedData (RFC 5652) with ephemeral-static
ECDH key agreement (RFC 5753) and AES-CBC, streamed in both directions. Pure: no store, no passphrase.

What is written (`Sealing`, while the package writer writes the ZIP, whose size is known only once it is
signed: the outer lengths indefinite, BER, as `openssl cms -encrypt -stream` writes them)::

    ContentInfo { id-envelopedData, [0] EnvelopedData {
        version 2,
        recipientInfos { [1] KeyAgreeRecipientInfo {
            version 3, originator [1] the ephemeral P-256 public key,
            keyEncryptionAlgorithm dhSinglePass-stdDH-sha256kdf-scheme (aes256-wrap),
            recipientEncryptedKeys { issuerAndSerialNumber of the receiver's certificate, the wrapped key } } },
        encryptedContentInfo { id-data, aes256-CBC (IV), [0] the ciphertext as OCTET STRING chunks } } }

What is read: the file in place (`Decryption.source`, a `DecryptedSource` any reader of a package can use).

`openssl cms -decrypt -inform DER -in F -inkey key.pem -recip cert.pem -out F.dtipkg` opens it. The reader
takes that and what `openssl cms -encrypt -binary -outform DER -aes256 -recip cert.pem` writes, with or
without `-stream` (indefinite lengths, the ciphertext in chunks), KDF over SHA-1/224/256/384/512, standard
or cofactor ECDH (equal on the curves of certificates here), AES-128/192/256 key wrap and CBC.

The ciphertext is not authenticated (CMS EnvelopedData has no MAC): a change to it yields other plaintext,
which the package's own signature and hashes refuse afterwards. What this module catches itself: a
malformed or cut structure, lengths beyond the file, bytes after its end, a key that does not unwrap (an
altered wrapped key, originator key or key-agreement field), bad padding.
"""

from __future__ import annotations

import bisect
import functools
import os
import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from app.packages.errors import PackageRefused
from app.packages.source import CHUNK, ShortRead, Source

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

ENVELOPED_DATA_OID = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03"
DATA_OID = "1.2.840.113549.1.7.1"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
# RFC 5753 / SEC 1 key-agreement schemes: OID -> (hash name, cofactor)
SCHEMES = {
    "1.3.133.16.840.63.0.2": ("sha1", False),
    "1.3.132.1.11.0": ("sha224", False),
    "1.3.132.1.11.1": ("sha256", False),
    "1.3.132.1.11.2": ("sha384", False),
    "1.3.132.1.11.3": ("sha512", False),
    "1.3.133.16.840.63.0.3": ("sha1", True),
    "1.3.132.1.14.0": ("sha224", True),
    "1.3.132.1.14.1": ("sha256", True),
    "1.3.132.1.14.2": ("sha384", True),
    "1.3.132.1.14.3": ("sha512", True),
}
WRITTEN_SCHEME = "1.3.132.1.11.1"     # dhSinglePass-stdDH-sha256kdf-scheme
WRAPS = {"2.16.840.1.101.3.4.1.5": 16, "2.16.840.1.101.3.4.1.25": 24, "2.16.840.1.101.3.4.1.45": 32}
AES256_WRAP = "2.16.840.1.101.3.4.1.45"
CIPHERS = {"2.16.840.1.101.3.4.1.2": 16, "2.16.840.1.101.3.4.1.22": 24, "2.16.840.1.101.3.4.1.42": 32}
AES256_CBC = "2.16.840.1.101.3.4.1.42"
MAX_SMALL = 1 << 20          # recipient infos, algorithm identifiers: far below this
MAX_CHUNKS = 1024            # chunks of a constructed ciphertext, beyond one per 2 KiB of the file


@dataclass(frozen=True)
class Recipient:
    """Whom a file is encrypted for, as its recipient info names them."""

    issuer_der: bytes | None = None      # the issuer's Name, DER (issuerAndSerialNumber)
    serial: int | None = None
    key_id: bytes | None = None          # subjectKeyIdentifier (rKeyId), when named that way

    def matches(self, cert: x509.Certificate) -> bool:
        from cryptography import x509 as X

        if self.key_id is not None:
            try:
                ski = cert.extensions.get_extension_for_class(X.SubjectKeyIdentifier).value.digest
            except X.ExtensionNotFound:
                return False
            return ski == self.key_id
        return self.issuer_der == cert.issuer.public_bytes() and self.serial == cert.serial_number

    def describe(self) -> str:
        """For a refusal: the issuer's name and the serial (the subject is not in the file)."""
        from asn1crypto import x509 as ax509

        if self.key_id is not None or self.issuer_der is None:
            return f"key id {(self.key_id or b'').hex()}"
        try:
            issuer = ax509.Name.load(self.issuer_der).human_friendly
        except ValueError:
            issuer = "?"
        return f"certificate {self.serial:x} issued by {issuer}"


def refused(file: str, why_en: str, why_vi: str, code: str = "envelope") -> PackageRefused:
    return PackageRefused(code, file, why_en, why_vi)


# ---------------------------------------------------------------- DER helpers
def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _head(tag: int, n: int) -> bytes:
    return bytes([tag]) + _len(n)


def is_enveloped(head: bytes) -> bool:
    """Whether the first bytes of a file (≥ 16) start a ContentInfo of id-envelopedData."""
    if len(head) < 2 or head[0] != 0x30:
        return False
    first = head[1]
    skip = 2 if first <= 0x80 else 2 + (first & 0x7F)
    return head[skip:skip + len(ENVELOPED_DATA_OID)] == ENVELOPED_DATA_OID


@functools.cache
def _asn1():
    from asn1crypto import core

    class WrapAlgorithm(core.Sequence):
        _fields = [("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True})]  # noqa: RUF012

    class SharedInfo(core.Sequence):      # ECC-CMS-SharedInfo, RFC 5753 §7.2
        _fields = [("key_info", WrapAlgorithm),  # noqa: RUF012
                   ("entity_u_info", core.OctetString, {"explicit": 0, "optional": True}),
                   ("supp_pub_info", core.OctetString, {"explicit": 2})]

    return WrapAlgorithm, SharedInfo


def _kek(shared: bytes, hash_name: str, wrap_oid: str, ukm: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

    wrap_alg, shared_info = _asn1()
    size = WRAPS[wrap_oid]
    info = shared_info({"key_info": wrap_alg({"algorithm": wrap_oid}), "entity_u_info": ukm,
                        "supp_pub_info": struct.pack(">I", size * 8)}).dump()
    algorithm = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
                 "sha512": hashes.SHA512}[hash_name]()
    return X963KDF(algorithm=algorithm, length=size, sharedinfo=info).derive(shared)


# ---------------------------------------------------------------- writing
def _recipient_infos(recipient: x509.Certificate) -> tuple[bytes, bytes]:
    """RecipientInfos (DER) for one EC recipient, and the fresh content-encryption key they wrap."""
    from asn1crypto import cms, keys
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap

    public = recipient.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise ValueError("the recipient's certificate has no EC key")
    ephemeral = ec.generate_private_key(public.curve)
    kek = _kek(ephemeral.exchange(ec.ECDH(), public), "sha256", AES256_WRAP, None)
    cek = os.urandom(32)
    wrap_alg, _ = _asn1()
    point = ephemeral.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    cert = ax509.Certificate.load(recipient.public_bytes(serialization.Encoding.DER))
    kari = cms.KeyAgreeRecipientInfo({
        "version": "v3",
        "originator": cms.OriginatorIdentifierOrKey(name="originator_key", value=keys.PublicKeyInfo({
            "algorithm": {"algorithm": "ec"}, "public_key": point})),
        "key_encryption_algorithm": {"algorithm": WRITTEN_SCHEME, "parameters": wrap_alg({"algorithm": AES256_WRAP})},
        "recipient_encrypted_keys": [{
            "rid": cms.KeyAgreementRecipientIdentifier(name="issuer_and_serial_number", value={
                "issuer": cert.issuer, "serial_number": cert.serial_number}),
            "encrypted_key": aes_key_wrap(kek, cek)}],
    })
    recipients = cms.RecipientInfos([cms.RecipientInfo(name="kari", value=kari)]).dump()
    return recipients, cek


class Sealing:
    """A write-only file that encrypts what is written to it for `recipient`, for a writer that does not know its
    size in advance (the package writer encrypting while it writes the ZIP). The lengths of the outer structures
    are indefinite (BER, what `openssl cms -encrypt -stream` writes) and the ciphertext goes out as OCTET STRING
    chunks of about `HANDOFF` bytes; `finish()` pads, closes the structures and returns the bytes written.
    `decryption` then reads the file back in place (`Decryption.source`), with the key kept only in this object.

    The encryption and the writing run in a thread of their own, fed through a queue of reused buffers: AES-CBC
    encrypts serially (~1 GB/s here), and in that thread it overlaps with the writer's reading, SHA-256 and CRC-32
    of the next entry on a second core instead of adding to them. A failure in that thread (a full disk) is raised
    by the next `write` or by `finish`; `abort` stops it (the caller's own failure)."""

    HANDOFF = 256 << 10   # what goes to the thread at a time, in buffers that go round (no allocation a chunk)
    # Enough buffers for a whole scan (4 MiB, writer.WHOLE) to wait while the next one is read and hashed: AES in
    # pyca/cryptography holds the GIL, so it overlaps only with the GIL-free reading, SHA-256 and CRC-32 of the
    # next entry. With 3 buffers the writer measured 1.70× a plain write; with 18, 1.38× (+4.5 MiB).
    BUFFERS = 18

    def __init__(self, out: BinaryIO, recipient: x509.Certificate):
        import queue
        import threading

        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        recipients, self._cek = _recipient_infos(recipient)
        self._iv = os.urandom(16)
        algorithm = _head(0x30, len(_oid(AES256_CBC)) + 18) + _oid(AES256_CBC) + b"\x04\x10" + self._iv
        self.header = (b"\x30\x80" + ENVELOPED_DATA_OID + b"\xa0\x80" + b"\x30\x80" + b"\x02\x01\x02" + recipients
                       + b"\x30\x80" + _oid(DATA_OID) + algorithm + b"\xa0\x80")
        self._out = out
        self._encryptor = Cipher(algorithms.AES(self._cek), modes.CBC(self._iv)).encryptor()
        self._plain_size = 0
        self.written = 0
        self._emit(self.header)
        # Buffers go round: the caller fills one (`_fill`), hands it to the thread, which encrypts it into its own
        # output buffer and gives it back. Fresh 256 KiB objects per chunk cost a page fault every 4 KiB.
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(self.BUFFERS):
            self._free.put(bytearray(self.HANDOFF))
        self._full: queue.Queue[tuple[bytearray, int] | None] = queue.Queue()
        self._fill: bytearray | None = None
        self._filled = 0
        self._ciphertext = bytearray(self.HANDOFF + 16)   # the thread's
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._encrypt_all, name="dti-sealing", daemon=True)
        self._thread.start()

    # -- the caller's side
    def write(self, data: bytes | bytearray | memoryview) -> int:
        with memoryview(data) as view:
            n, at = len(view), 0
            while at < n:
                if self._fill is None:
                    if self._failure is not None:
                        raise self._failure
                    self._fill, self._filled = self._free.get(), 0
                take = min(n - at, self.HANDOFF - self._filled)
                self._fill[self._filled:self._filled + take] = view[at:at + take]
                self._filled += take
                at += take
                if self._filled == self.HANDOFF:
                    self._hand_off()
        self._plain_size += n
        return n

    def _hand_off(self) -> None:
        assert self._fill is not None
        self._full.put((self._fill, self._filled))
        self._fill = None

    def finish(self) -> int:
        if self._fill is not None and self._filled:
            self._hand_off()
        self._full.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        pad = 16 - self._plain_size % 16
        self._chunk(self._encryptor.update(bytes([pad]) * pad) + self._encryptor.finalize())
        self._emit(b"\x00\x00" * 5)   # [0] content, EncryptedContentInfo, EnvelopedData, [0], ContentInfo
        return self.written

    def abort(self) -> None:
        """Stop the thread after the caller failed (what it wrote is the caller's to discard)."""
        if self._thread.is_alive():
            self._full.put(None)
            self._thread.join()

    # -- the thread's side
    def _encrypt_all(self) -> None:
        out = memoryview(self._ciphertext)
        while (item := self._full.get()) is not None:
            buffer, n = item
            try:
                if self._failure is None:
                    with memoryview(buffer) as plain:
                        got = self._encryptor.update_into(plain[:n], self._ciphertext)
                    if got:   # nothing while less than a block has come
                        self._chunk(out[:got])
            except BaseException as e:   # raised again on the caller's side; the buffers keep going round
                self._failure = e
            finally:
                self._free.put(buffer)

    def _emit(self, data: bytes | bytearray | memoryview) -> None:
        self._out.write(data)
        self.written += len(data)

    def _chunk(self, data: bytes | bytearray | memoryview) -> None:
        self._emit(_head(0x04, len(data)))
        self._emit(data)

    def decryption(self, src: Source, file: str) -> Decryption:
        """How to read what was written (now in `src`) in place; `src` must begin with the header written."""
        if src.read_at(0, len(self.header)) != self.header:
            raise refused(file, "the encrypted file's header differs from the one written",
                          "phần đầu tệp mã hoá khác với phần đã ghi")
        return Decryption(open_envelope(src, file), self._cek)


def _oid(dotted: str) -> bytes:
    from asn1crypto import core

    return core.ObjectIdentifier(dotted).dump()


# ---------------------------------------------------------------- reading
class _Cursor:
    """Sequential reads over a Source with BER headers; every refusal names the file."""

    def __init__(self, src: Source, file: str):
        self.src, self.file, self.pos = src, file, 0

    def bad(self, en: str, vi: str) -> PackageRefused:
        return refused(self.file, f"not a readable encrypted package ({en})", f"gói mã hoá không đọc được ({vi})")

    def read(self, n: int) -> bytes:
        if n > self.src.size - self.pos:
            raise self.bad("cut short", "tệp bị cắt cụt")
        try:
            data = self.src.read_at(self.pos, n)
        except ShortRead:
            raise self.bad("cut short", "tệp bị cắt cụt") from None
        self.pos += n
        return data

    def header(self) -> tuple[int, int | None, bytes]:
        """(tag, length or None when indefinite, the header's bytes)."""
        raw = self.read(2)
        tag, first = raw[0], raw[1]
        if tag & 0x1F == 0x1F:
            raise self.bad("unexpected tag", "thẻ không mong đợi")
        if first < 0x80:
            return tag, first, raw
        if first == 0x80:
            if not tag & 0x20:
                raise self.bad("indefinite length of a primitive value", "độ dài không xác định")
            return tag, None, raw
        count = first & 0x7F
        if count > 8:
            raise self.bad("length too large", "độ dài quá lớn")
        more = self.read(count)
        length = int.from_bytes(more, "big")
        if length > self.src.size - self.pos:
            raise self.bad("cut short: a declared length goes beyond the end of the file",
                           "tệp bị cắt cụt: độ dài khai báo vượt quá cuối tệp")
        return tag, length, raw + more

    def expect(self, tag: int, what: str) -> int | None:
        got, length, _ = self.header()
        if got != tag:
            raise self.bad(f"{what} expected", f"thiếu {what}")
        return length

    def element(self, tag: int, what: str, limit: int = MAX_SMALL) -> bytes:
        """A whole definite-length element, header included."""
        got, length, raw = self.header()
        if got != tag:
            raise self.bad(f"{what} expected", f"thiếu {what}")
        if length is None or length > limit:
            raise self.bad(f"{what} of an unexpected size", f"{what} có kích thước bất thường")
        return raw + self.read(length)

    def peek_tag(self) -> int | None:
        return None if self.pos >= self.src.size else self.src.read_at(self.pos, 1)[0]

    def end_of(self, length: int | None, start: int, what: str) -> None:
        """Close a container opened at `start` (after its header) with `length` (None: indefinite)."""
        if length is None:
            if self.read(2) != b"\x00\x00":
                raise self.bad(f"{what} is not closed", f"{what} không được đóng")
        elif self.pos != start + length:
            raise self.bad(f"{what} has another length than declared", f"{what} có độ dài khác khai báo")


class Pieces:
    """Where the ciphertext lies in the file: (offset, size) of each chunk, in two compact arrays (16 bytes a chunk;
    openssl's `-stream` writes 4 KiB chunks, this program 1 MiB ones), and the map from a ciphertext offset to the
    file."""

    def __init__(self) -> None:
        self._at = array("q")      # offset of each chunk in the source
        self._ends = array("q")    # cumulative ciphertext size at the end of each chunk
        self.size = 0

    def add(self, offset: int, size: int) -> None:
        if size:
            self._at.append(offset)
            self.size += size
            self._ends.append(self.size)

    def __len__(self) -> int:
        return len(self._at)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        start = 0
        for at, end in zip(self._at, self._ends, strict=True):
            yield at, end - start
            start = end

    def readinto_at(self, src: Source, offset: int, view: memoryview) -> None:
        """Fill `view` with the ciphertext bytes at `offset` (in the ciphertext), read from `src`."""
        i = bisect.bisect_right(self._ends, offset)
        done, n = 0, len(view)
        while done < n:
            start = self._ends[i - 1] if i else 0
            take = min(n - done, self._ends[i] - offset)
            src.readinto_at(self._at[i] + offset - start, view[done:done + take])
            done += take
            offset += take
            i += 1


@dataclass(frozen=True)
class Envelope:
    """An encrypted file's header, read: who it is for, and where its ciphertext lies."""

    file: str
    recipients: tuple[tuple[Recipient, object], ...]   # (recipient, its asn1crypto KeyAgreeRecipientInfo and key)
    cipher_oid: str
    iv: bytes
    pieces: Pieces                                      # where the ciphertext lies in the source
    size: int                                           # total ciphertext bytes


def open_envelope(src: Source, file: str) -> Envelope:
    """Read and check the structure of the whole file (headers only, no decryption)."""
    from asn1crypto import algos, cms

    cur = _Cursor(src, file)
    outer = cur.expect(0x30, "ContentInfo")
    start_outer = cur.pos
    if cur.read(len(ENVELOPED_DATA_OID)) != ENVELOPED_DATA_OID:
        raise cur.bad("not EnvelopedData", "không phải EnvelopedData")
    explicit = cur.expect(0xA0, "[0]")
    start_explicit = cur.pos
    env = cur.expect(0x30, "EnvelopedData")
    start_env = cur.pos
    if cur.element(0x02, "version", 4) not in (b"\x02\x01\x00", b"\x02\x01\x02"):
        raise cur.bad("unknown version", "phiên bản không rõ")
    if cur.peek_tag() == 0xA0:    # originatorInfo: certificates the receiver does not need
        cur.element(0xA0, "originatorInfo")
    try:
        infos = cms.RecipientInfos.load(cur.element(0x31, "recipientInfos"), strict=True)
        recipients = []
        for info in infos:
            if info.name != "kari":
                continue
            kari = info.chosen
            for rek in kari["recipient_encrypted_keys"]:
                rid = rek["rid"]
                if rid.name == "issuer_and_serial_number":
                    ias = rid.chosen
                    recipient = Recipient(ias["issuer"].dump(), ias["serial_number"].native)
                else:
                    recipient = Recipient(key_id=bytes(rid.chosen["subject_key_identifier"].native))
                recipients.append((recipient, (kari, bytes(rek["encrypted_key"].native))))
    except (ValueError, TypeError, KeyError) as e:
        raise cur.bad(f"unreadable recipient information: {type(e).__name__}", "thông tin người nhận không đọc được") \
            from None
    eci = cur.expect(0x30, "EncryptedContentInfo")
    start_eci = cur.pos
    if cur.element(0x06, "contentType", 64) != _oid(DATA_OID):
        raise cur.bad("the content is not data", "nội dung không phải dữ liệu")
    try:
        alg = algos.EncryptionAlgorithm.load(cur.element(0x30, "contentEncryptionAlgorithm", 4096), strict=True)
        cipher_oid = alg["algorithm"].dotted
        iv = bytes(alg["parameters"].native) if cipher_oid in CIPHERS else b""
    except (ValueError, TypeError, KeyError) as e:
        raise cur.bad(f"unreadable cipher: {type(e).__name__}", "thuật toán mã hoá không đọc được") from None
    if cipher_oid not in CIPHERS or len(iv) != 16:
        raise refused(file, f"a cipher this program does not read ({cipher_oid})",
                      f"thuật toán mã hoá phần mềm không đọc được ({cipher_oid})")
    pieces = _ciphertext(cur)
    total = pieces.size
    if total == 0 or total % 16:
        raise cur.bad("the ciphertext is not whole blocks", "bản mã không đủ khối")
    if cur.peek_tag() == 0xA1:    # unprotectedAttrs
        cur.element(0xA1, "unprotectedAttrs")
    cur.end_of(eci, start_eci, "EncryptedContentInfo")
    cur.end_of(env, start_env, "EnvelopedData")
    cur.end_of(explicit, start_explicit, "[0]")
    cur.end_of(outer, start_outer, "ContentInfo")
    if cur.pos != src.size:
        raise cur.bad(f"{src.size - cur.pos} bytes after the end", f"có {src.size - cur.pos} byte sau phần cuối")
    if not recipients:
        raise refused(file, "no key-agreement recipient (only EC recipients are read)",
                      "không có người nhận theo thoả thuận khoá (chỉ đọc khoá EC)")
    return Envelope(file, tuple(recipients), cipher_oid, iv, pieces, total)


def _ciphertext(cur: _Cursor) -> Pieces:
    """The ciphertext's chunks. At most one per 2 KiB of the file (and 1,024 more): a file of tiny chunks would
    otherwise hold the reader's memory with their map."""
    pieces = Pieces()
    tag, length, _ = cur.header()
    if tag == 0x80:                      # [0] IMPLICIT OCTET STRING, primitive
        assert length is not None
        pieces.add(cur.pos, length)
        cur.pos += length
        return pieces
    if tag != 0xA0:
        raise cur.bad("no encrypted content", "không có nội dung mã hoá")
    start = cur.pos
    for _ in range(MAX_CHUNKS + cur.src.size // 2048):
        if length is None and cur.peek_tag() == 0x00:
            cur.end_of(None, start, "encryptedContent")
            return pieces
        if length is not None and cur.pos >= start + length:
            cur.end_of(length, start, "encryptedContent")
            return pieces
        got, n, _ = cur.header()
        if got != 0x04 or n is None:
            raise cur.bad("a ciphertext chunk is not an OCTET STRING", "một đoạn bản mã không phải OCTET STRING")
        pieces.add(cur.pos, n)
        cur.pos += n
    raise cur.bad("too many ciphertext chunks", "quá nhiều đoạn bản mã")


def unwrap_key(envelope: Envelope, index: int, key: ec.EllipticCurvePrivateKey) -> bytes:
    """The content-encryption key of recipient `index`, with the receiver's private key; a refusal when it does
    not unwrap (the file was altered, or the key is not this recipient's)."""
    from asn1crypto import core
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

    file = envelope.file
    kari, wrapped = envelope.recipients[index][1]
    tampered = refused(file, "the encrypted package was altered or damaged (its key does not unwrap)",
                       "gói mã hoá đã bị sửa hoặc hỏng (không mở được khoá)", "decrypt")
    try:
        scheme = kari["key_encryption_algorithm"]["algorithm"].dotted
        if scheme not in SCHEMES:
            raise refused(file, f"a key agreement this program does not read ({scheme})",
                          f"cách thoả thuận khoá phần mềm không đọc được ({scheme})")
        wrap_alg, _ = _asn1()
        params = kari["key_encryption_algorithm"]["parameters"]
        wrap_oid = wrap_alg.load(params.dump(), strict=True)["algorithm"].dotted
        if wrap_oid not in WRAPS:
            raise refused(file, f"a key wrap this program does not read ({wrap_oid})",
                          f"cách bọc khoá phần mềm không đọc được ({wrap_oid})")
        originator = kari["originator"]
        if originator.name != "originator_key" or originator.chosen["algorithm"]["algorithm"].dotted != EC_PUBLIC_KEY:
            raise tampered
        point = bytes(originator.chosen["public_key"].native)
        ukm = kari["ukm"].native if isinstance(kari["ukm"], core.OctetString) else None
        peer = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, point)
        kek = _kek(key.exchange(ec.ECDH(), peer), SCHEMES[scheme][0], wrap_oid, ukm)
        cek = aes_key_unwrap(kek, wrapped)
    except PackageRefused:
        raise
    except (InvalidUnwrap, ValueError, TypeError, KeyError):
        raise tampered from None
    if len(cek) != CIPHERS[envelope.cipher_oid]:
        raise tampered
    return cek


# ---------------------------------------------------------------- reading in place
@dataclass(frozen=True)
class Decryption:
    """An encrypted package opened with its key: what a reader needs to read its plaintext in place, without a
    decrypted copy anywhere (`source`)."""

    envelope: Envelope
    cek: bytes

    def source(self, src: Source, owns: bool = False) -> DecryptedSource:
        """The plaintext of the file read through `src` (its segments, as `envelope` was read from; closed with the
        result when `owns`); a refusal when the last block's padding is wrong (an altered or cut ciphertext)."""
        return DecryptedSource(src, self.envelope.pieces, self.cek, self.envelope.iv, self.envelope.file, owns)


class DecryptedSource(Source):
    """The plaintext of a CBC ciphertext, read at any offset: P_i = D(C_i) XOR C_(i-1), so a read decrypts only the
    blocks it covers and the one before. Memory stays at two buffers of a read's size."""

    def __init__(self, src: Source, pieces: Pieces, cek: bytes, iv: bytes, file: str, owns: bool = False):
        from cryptography.hazmat.primitives.ciphers import algorithms

        self._src, self._pieces, self._iv, self._owns = src, pieces, iv, owns
        self._algorithm = algorithms.AES(cek)
        self.segments = src.segments
        self.label = file
        self._in = bytearray(CHUNK + 64)      # a chunk's read spans at most two more blocks
        self._out = bytearray(CHUNK + 80)
        total = pieces.size
        if total < 16 or total % 16:
            raise refused(file, "not a readable encrypted package (the ciphertext is not whole blocks)",
                          "gói mã hoá không đọc được (bản mã không đủ khối)")
        try:
            last = self._blocks(total // 16 - 1, total // 16 - 1)
        except ShortRead:
            raise refused(file, "not a readable encrypted package (cut short)",
                          "gói mã hoá không đọc được (tệp bị cắt cụt)") from None
        pad = last[-1]
        if not 1 <= pad <= 16 or bytes(last[16 - pad:]) != bytes([pad]) * pad:
            raise refused(file, "the encrypted package was altered or damaged (bad padding)",
                          "gói mã hoá đã bị sửa hoặc hỏng (phần đệm sai)", "decrypt")
        self.size = total - pad

    def close(self) -> None:
        if self._owns:
            self._src.close()

    def _blocks(self, first: int, last: int) -> memoryview:
        """The plaintext of blocks first..last (a view into a reused buffer, valid until the next call)."""
        from cryptography.hazmat.primitives.ciphers import Cipher, modes

        n = (last - first + 1) * 16
        start = first * 16 - 16 if first else 0
        m = n + (16 if first else 0)
        if m + 16 > len(self._in):
            self._in = bytearray(m + 16)
            self._out = bytearray(m + 32)
        raw = memoryview(self._in)[:m]
        self._pieces.readinto_at(self._src, start, raw)
        iv = bytes(raw[:16]) if first else self._iv
        decryptor = Cipher(self._algorithm, modes.CBC(iv)).decryptor()
        got = decryptor.update_into(raw[16:] if first else raw, self._out)
        return memoryview(self._out)[:got]

    def readinto_at(self, offset: int, view: memoryview) -> None:
        n = len(view)
        if offset < 0 or offset + n > self.size:
            raise ShortRead(f"read of {n} bytes at {offset} beyond the end ({self.size})")
        if n == 0:
            return
        first = offset // 16
        plain = self._blocks(first, (offset + n - 1) // 16)
        skip = offset - first * 16
        view[:] = plain[skip:skip + n]
