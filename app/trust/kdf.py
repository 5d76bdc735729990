"""The work an encrypted private key asks of whoever opens it, read before it is decrypted.

An encrypted PKCS#8 key (`-----BEGIN ENCRYPTED PRIVATE KEY-----`) names its own key-derivation function and
work factor: a PBKDF2 iteration count, scrypt's N, r and p, or the iterations of the older PBES1 and PKCS#12
schemes. A key from outside (an enrollment file) could ask for billions of iterations and hang the program
at the passphrase; `check` refuses more than `MAX_ITERATIONS` (this program writes 2048) or a scrypt cost
above `MAX_SCRYPT_COST`, and any scheme it does not know, before the passphrase is tried. The structure is
read with a strict DER reader of its own (a few elements; nothing here is decoded by a library first).
"""

from __future__ import annotations

import base64
import binascii

from app.errors import UserError

MAX_ITERATIONS = 1_000_000       # PBKDF2 / PBES1 / PKCS#12: ~0.1 s here, about a second on a slow office PC
MAX_SCRYPT_COST = 1 << 20        # N·r·p: N = 2^17, r = 8, p = 1 is 128 MiB and under half a second
_PEM_BEGIN, _PEM_END = "-----BEGIN ENCRYPTED PRIVATE KEY-----", "-----END ENCRYPTED PRIVATE KEY-----"
_SEQUENCE, _OID, _INTEGER = 0x30, 0x06, 0x02


def _oid(dotted: str) -> bytes:
    """The DER content of an object identifier."""
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for value in parts[2:]:
        chunk = [value & 0x7F]
        while value > 0x7F:
            value >>= 7
            chunk.append(0x80 | (value & 0x7F))
        out += bytes(reversed(chunk))
    return bytes(out)


_PBES2, _PBKDF2, _SCRYPT = _oid("1.2.840.113549.1.5.13"), _oid("1.2.840.113549.1.5.12"), _oid("1.3.6.1.4.1.11591.4.11")
# PBES1 (PKCS#5 v1.5) and the PKCS#12 password-based schemes: SEQUENCE {salt, iterations}
_ITERATED = {_oid(f"1.2.840.113549.1.5.{n}") for n in (1, 3, 4, 6, 10, 11)} | {
    _oid(f"1.2.840.113549.1.12.1.{n}") for n in range(1, 7)}


class KeyRefused(UserError):
    """An encrypted private key this program will not try a passphrase on."""


class _Malformed(ValueError):
    pass


def _element(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """(tag, content, position after) of the DER element at `pos`: definite lengths only."""
    if pos + 2 > len(data):
        raise _Malformed
    tag, first, pos = data[pos], data[pos + 1], pos + 2
    if tag & 0x1F == 0x1F:          # high tag numbers: none in these structures
        raise _Malformed
    if first & 0x80:
        count = first & 0x7F
        if not 1 <= count <= 4 or pos + count > len(data):
            raise _Malformed
        length, pos = int.from_bytes(data[pos:pos + count], "big"), pos + count
    else:
        length = first
    if pos + length > len(data):
        raise _Malformed
    return tag, data[pos:pos + length], pos + length


def _children(content: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos < len(content):
        tag, value, pos = _element(content, pos)
        out.append((tag, value))
    return out


def _sequence(tag_content: tuple[int, bytes], least: int) -> list[tuple[int, bytes]]:
    tag, content = tag_content
    if tag != _SEQUENCE:
        raise _Malformed
    items = _children(content)
    if len(items) < least:
        raise _Malformed
    return items


def _algorithm(item: tuple[int, bytes]) -> tuple[bytes, tuple[int, bytes] | None]:
    """(OID content, parameters) of an AlgorithmIdentifier."""
    items = _sequence(item, 1)
    if items[0][0] != _OID or len(items) > 2:
        raise _Malformed
    return items[0][1], (items[1] if len(items) == 2 else None)


def _integer(item: tuple[int, bytes]) -> int:
    tag, content = item
    if tag != _INTEGER or not content:
        raise _Malformed
    return int.from_bytes(content, "big", signed=True)


def _armored(pem: bytes) -> bytes | None:
    """The DER of an `ENCRYPTED PRIVATE KEY` PEM block; None for another kind of PEM (whose cost is fixed)."""
    try:
        text = pem.decode("ascii")
    except UnicodeDecodeError:
        raise KeyRefused("the private key is not PEM text", "khóa bí mật không phải văn bản PEM") from None
    start = text.find(_PEM_BEGIN)
    if start < 0:
        return None
    end = text.find(_PEM_END, start)
    if end < 0:
        raise KeyRefused("the private key is cut short", "khóa bí mật bị cắt cụt")
    body = "".join(text[start + len(_PEM_BEGIN):end].split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise KeyRefused("the private key is not valid PEM", "khóa bí mật không phải PEM hợp lệ") from None


def _too_much(what_en: str, what_vi: str, value: int, limit: int) -> KeyRefused:
    big = value >= 10**12   # str() of an integer of thousands of digits raises: say its size instead
    en = f"a {value.bit_length()}-bit number" if big else str(value)
    vi = f"số {value.bit_length()} bit" if big else str(value)
    return KeyRefused(f"the private key asks for {what_en} of {en} (at most {limit} is accepted): refused before "
                      "trying the passphrase",
                      f"khóa bí mật đòi {what_vi} là {vi} (tối đa {limit}): từ chối trước khi thử mật khẩu")


def _check_iterations(count: int) -> None:
    if count < 1:
        raise _Malformed
    if count > MAX_ITERATIONS:
        raise _too_much("a key-derivation iteration count", "số vòng lặp dẫn xuất khóa", count, MAX_ITERATIONS)


def check(pem: bytes) -> None:
    """Refuse (KeyRefused, one line) an encrypted PKCS#8 key whose key derivation would take too long, uses a
    scheme not known here, or cannot be read. Other PEM kinds pass: their derivation cost is fixed."""
    der = _armored(pem)
    if der is None:
        return
    try:
        tag, content, end = _element(der, 0)
        if end != len(der):
            raise _Malformed
        outer = _sequence((tag, content), 2)
        scheme, params = _algorithm(outer[0])
        if scheme == _PBES2:
            if params is None:
                raise _Malformed
            kdf, kdf_params = _algorithm(_sequence(params, 2)[0])
            if kdf_params is None:
                raise _Malformed
            if kdf == _PBKDF2:
                _check_iterations(_integer(_sequence(kdf_params, 2)[1]))
            elif kdf == _SCRYPT:
                n, r, p = (_integer(v) for v in _sequence(kdf_params, 4)[1:4])
                if min(n, r, p) < 1:
                    raise _Malformed
                if n * r * p > MAX_SCRYPT_COST:
                    raise _too_much("a scrypt cost N·r·p", "chi phí scrypt N·r·p", n * r * p, MAX_SCRYPT_COST)
            else:
                raise KeyRefused("the private key uses a key derivation this program does not read",
                                 "khóa bí mật dùng cách dẫn xuất khóa mà chương trình không đọc")
        elif scheme in _ITERATED:
            if params is None:
                raise _Malformed
            _check_iterations(_integer(_sequence(params, 2)[1]))
        else:
            raise KeyRefused("the private key is encrypted in a way this program does not read",
                             "khóa bí mật được mã hóa theo cách chương trình không đọc")
    except _Malformed:
        raise KeyRefused("the encrypted private key is malformed", "khóa bí mật đã mã hóa bị hỏng cấu trúc") from None
