"""The credentials an enrollment file carries (`data/credentials.json`), read strictly, and who may have
issued them (DESIGN §5; docs/trust-and-packages.md, "Enrollment is one-way").

Only a root (the province) and a district's issuing CA (CA:TRUE, path length 0, issued by the root) certify
units, and each authority signs its enrollment files with its own signing certificate, which the root issued
directly. A commune's certificate comes from a district's CA: it signs packages, never an enrollment.
`check_authority` holds a file to that. `parse` checks every field's type, size and encoding before anything
is decoded, so that a malformed file is a one-line refusal, never an exception from a decoder.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from app.errors import UserError
from app.trust import certs, kdf
from app.trust.crl import lists

ENTRY = "data/credentials.json"
MAX_BYTES = 1 << 20       # the whole entry; a real one is about 4 KB
MAX_CERT = 16_384         # base64 characters of one certificate (a real one: about 800)
MAX_KEY = 16_384          # characters of one encrypted PEM key (a real one: about 450)
MAX_CRL = 262_144         # base64 characters of one CRL (thousands of revocations)
MAX_CRLS = 4              # the issuer's newest and the root's newest, with room to spare
_KEYS = frozenset({"signing", "issuing", "chain", "crls"})
_PEM_BEGIN, _PEM_END = "-----BEGIN ENCRYPTED PRIVATE KEY-----", "-----END ENCRYPTED PRIVATE KEY-----"
_BROKEN = (ValueError, TypeError, UnsupportedAlgorithm)   # what cryptography raises on a malformed object


@dataclass(frozen=True)
class Credentials:
    signing: x509.Certificate                       # the unit's signing certificate
    signing_key: bytes                              # its key: PKCS#8 PEM, encrypted with the unit's passphrase
    issuing: x509.Certificate | None                # a district's issuing CA (may enroll others)
    issuing_key: bytes | None
    chain: tuple[x509.Certificate, ...]             # the unit certificate's issuer first, the root last
    crls: tuple[x509.CertificateRevocationList, ...]  # the issuer's newest CRLs, carried to prove a revocation

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1]

    @property
    def issuer(self) -> x509.Certificate:
        return self.chain[0]


def _bad(label: str, en: str, vi: str, entry: str = ENTRY) -> UserError:
    return UserError(f"{label}: {entry}: {en}", f"{label}: {entry}: {vi}")


def _shown(text: str) -> str:
    """A key from outside, safe on one line (escapes, not interpretations)."""
    return ascii(text[:40])[1:-1]


class _Duplicate(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_json(raw: bytes, label: str, entry: str) -> Any:
    """Strict JSON: UTF-8 without a byte order mark, no key twice (the reader would keep only one), no NaN or
    infinity, nesting bounded by the parser's recursion limit."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _bad(label, "not JSON (it starts with a byte order mark)", "không phải JSON (bắt đầu bằng dấu BOM)", entry)
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_unique, parse_constant=_no_constant)
    except RecursionError:
        raise _bad(label, "nested too deeply", "lồng nhau quá sâu", entry) from None
    except _Duplicate as e:
        raise _bad(label, f"key '{_shown(e.key)}' appears twice", f"khóa '{_shown(e.key)}' xuất hiện hai lần",
                   entry) from None
    except ValueError as e:   # JSONDecodeError, UnicodeDecodeError, an integer of thousands of digits
        raise _bad(label, f"not JSON ({_shown(str(e))})", "không phải JSON hợp lệ", entry) from None


def check_size(size: int, label: str) -> None:
    if size > MAX_BYTES:
        raise _bad(label, f"more than {MAX_BYTES} bytes", f"lớn hơn {MAX_BYTES} byte")


def parse(raw: bytes, label: str) -> Credentials:
    """The credentials of an enrollment file, every field checked; a UserError naming the field otherwise."""
    check_size(len(raw), label)
    data = read_json(raw, label, ENTRY)
    if not isinstance(data, dict):
        raise _bad(label, "not a JSON object", "không phải đối tượng JSON")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _bad(label, f"unknown key '{_shown(unknown[0])}'", f"khóa lạ '{_shown(unknown[0])}'")
    for key in ("signing", "chain"):
        if key not in data:
            raise _bad(label, f"'{key}' is missing", f"thiếu '{key}'")
    signing, signing_key = _pair(data["signing"], "signing", label)
    issuing, issuing_key = _pair(data["issuing"], "issuing", label) if "issuing" in data else (None, None)
    chain = _list(data["chain"], "chain", 1, 2, ("certificates", "chứng thư"), label)
    crls = _list(data.get("crls", []), "crls", 0, MAX_CRLS, ("CRLs", "danh sách thu hồi"), label)
    return Credentials(signing, signing_key, issuing, issuing_key,
                       tuple(_cert(v, f"chain[{i}]", label) for i, v in enumerate(chain)),
                       tuple(_crl(v, label) for v in crls))


def _list(value: Any, name: str, low: int, high: int, what: tuple[str, str], label: str) -> list:
    if not isinstance(value, list) or not low <= len(value) <= high:
        word = "or" if high == low + 1 else "to"
        raise _bad(label, f"'{name}' must be a list of {low} {word} {high} {what[0]}",
                   f"'{name}' phải là danh sách {low}{' hoặc ' if word == 'or' else '–'}{high} {what[1]}")
    return value


def _pair(value: Any, name: str, label: str) -> tuple[x509.Certificate, bytes]:
    if not isinstance(value, dict) or set(value) != {"cert", "key"}:
        raise _bad(label, f"'{name}' must be an object of cert and key", f"'{name}' phải là đối tượng gồm cert và key")
    return _cert(value["cert"], f"{name}.cert", label), _key(value["key"], f"{name}.key", label)


def _text(value: Any, what: str, limit: int, label: str) -> str:
    if not isinstance(value, str):
        raise _bad(label, f"'{what}' must be text", f"'{what}' phải là chuỗi ký tự")
    if len(value) > limit:
        raise _bad(label, f"'{what}' is longer than {limit} characters", f"'{what}' dài hơn {limit} ký tự")
    return value


def _base64(value: Any, what: str, limit: int, label: str) -> bytes:
    text = _text(value, what, limit, label)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(label, f"'{what}' is not base64", f"'{what}' không phải base64") from None


def _cert(value: Any, what: str, label: str) -> x509.Certificate:
    """A DER certificate whose every part this code reads parses now (cryptography parses some lazily)."""
    der = _base64(value, what, MAX_CERT, label)
    try:
        cert = x509.load_der_x509_certificate(der)
        _ = (cert.subject, cert.issuer, cert.extensions, cert.not_valid_after_utc, cert.public_key())
    except _BROKEN:
        raise _bad(label, f"'{what}' is not a certificate", f"'{what}' không phải chứng thư") from None
    return cert


def _key(value: Any, what: str, label: str) -> bytes:
    text = _text(value, what, MAX_KEY, label)
    if not text.isascii() or not text.startswith(_PEM_BEGIN) or not text.rstrip().endswith(_PEM_END):
        raise _bad(label, f"'{what}' is not an encrypted private key (PEM)",
                   f"'{what}' không phải khóa bí mật đã mã hóa (PEM)")
    pem = text.encode("ascii")
    try:   # a key asking for billions of key-derivation rounds would hang whoever types the passphrase
        kdf.check(pem)
    except kdf.KeyRefused as e:
        raise _bad(label, f"'{what}': {e}", f"'{what}': {e.message_vi}") from None
    return pem


def _crl(value: Any, label: str) -> x509.CertificateRevocationList:
    der = _base64(value, "crls", MAX_CRL, label)
    try:
        crl = x509.load_der_x509_crl(der)
        _ = (crl.issuer, crl.extensions, list(crl))
    except _BROKEN:
        raise _bad(label, "'crls' holds something that is not a CRL",
                   "'crls' có mục không phải danh sách thu hồi") from None
    return crl


# -- who may have enrolled the unit ------------------------------------------------------------------------------


def _extension(cert: x509.Certificate, kind: type) -> Any:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except (x509.ExtensionNotFound, ValueError):
        return None


def is_ca(cert: x509.Certificate) -> bool:
    basic = _extension(cert, x509.BasicConstraints)
    return bool(basic is not None and basic.ca)


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer`'s key signed `cert` (and the names agree)."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (*_BROKEN, InvalidSignature):
        return False
    return True


def _is_root(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and issued_by(cert, cert) and is_ca(cert)


def _is_issuing_ca(ca: x509.Certificate, root: x509.Certificate) -> bool:
    """A district's CA as `certs.issue_issuing_ca` makes it: CA, path length 0, may sign certificates."""
    basic, usage = _extension(ca, x509.BasicConstraints), _extension(ca, x509.KeyUsage)
    return (issued_by(ca, root) and basic is not None and basic.ca and basic.path_length == 0
            and usage is not None and usage.key_cert_sign)


def _refuse(label: str, en: str, vi: str) -> UserError:
    return UserError(f"{label}: {en}", f"{label}: {vi}")


def check_authority(signer: x509.Certificate, signer_chain: Sequence[x509.Certificate], creds: Credentials,
                    can_issue: bool, label: str) -> str:
    """The code of the authority (root or district) that enrolled the unit, or a refusal: the file is signed
    by a signing certificate the root issued directly, the unit's certificate by the root or by an issuing CA
    of that root, and signer and issuer are the same unit. Only the root enrolls a unit that enrolls others.
    Unit codes in the certificates are checked by the caller before."""
    root, issuer = creds.root, creds.issuer
    signer_code, authority = certs.unit_code_of(signer), certs.unit_code_of(issuer)
    directly = len(signer_chain) == 1 and certs.fingerprint(signer_chain[0]) == certs.fingerprint(root)
    if not directly or is_ca(signer):
        raise _refuse(label, f"signed by {signer_code}, which has no right to enroll units (only the province and "
                             "a district holding an issuing CA enroll)",
                      f"{signer_code} ký tệp nhưng không có quyền cấp tài khoản (chỉ cấp tỉnh và cấp huyện có "
                      "chứng thư CA cấp tài khoản)")
    if not _is_root(root):
        raise _bad(label, "the last certificate of 'chain' is not a root", "chứng thư cuối của 'chain' không phải gốc")
    if len(creds.chain) == 2 and not _is_issuing_ca(issuer, root):
        raise _bad(label, f"'chain[0]' ({authority}) is not an issuing CA of the root",
                   f"'chain[0]' ({authority}) không phải CA cấp tài khoản của chứng thư gốc")
    if is_ca(creds.signing) or not issued_by(creds.signing, issuer):
        raise _refuse(label, f"the unit's certificate is not issued by {authority}, the first of the chain",
                      f"chứng thư của đơn vị không do {authority} (đầu chuỗi chứng thư) cấp")
    if signer_code != authority:
        raise _refuse(label, f"signed by {signer_code} but the certificate was issued by {authority}",
                      f"{signer_code} ký tệp nhưng chứng thư do {authority} cấp")
    _check_issuing(creds, can_issue, label)
    return str(authority)


def _check_issuing(creds: Credentials, can_issue: bool, label: str) -> None:
    if not can_issue:
        if creds.issuing is not None:
            raise _bad(label, "'issuing' is given but the unit may not enroll others",
                       "có 'issuing' nhưng đơn vị không có quyền cấp tài khoản")
        return
    if len(creds.chain) != 1:
        raise _refuse(label, "only the root can enroll a unit that enrolls others",
                      "chỉ chứng thư gốc mới cấp được tài khoản có quyền cấp tiếp")
    if creds.issuing is None:
        raise _bad(label, "'issuing' is missing for a unit that enrolls others",
                   "thiếu 'issuing' cho đơn vị có quyền cấp tài khoản")
    if not _is_issuing_ca(creds.issuing, creds.root) \
            or certs.unit_code_of(creds.issuing) != certs.unit_code_of(creds.signing):
        raise _bad(label, "'issuing' is not an issuing CA of the root for this unit",
                   "'issuing' không phải CA cấp tài khoản của chứng thư gốc cho đơn vị này")


# -- a certificate's place in its chain, and its revocation -------------------------------------------------------


def issuer_in(cert: x509.Certificate, pool: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The certificate of `pool` whose key signed `cert` (its name alone proves nothing: a district enrolled again
    has a new CA under the same name). Were two to hold the same key, the one valid when `cert` began is
    preferred, then the newer."""
    signers = [c for c in pool if c.subject == cert.issuer and issued_by(cert, c)]
    if not signers:
        return None
    start = cert.not_valid_before_utc
    return max(signers, key=lambda c: (c.not_valid_before_utc <= start <= c.not_valid_after_utc, c.not_valid_before_utc))


def path_of(cert: x509.Certificate, pool: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """`cert`, then its issuers found in `pool` by signature (`issuer_in`), up to a self-signed root when it is
    there."""
    known = list(pool)
    out = [cert]
    while len(out) < 5 and out[-1].issuer != out[-1].subject:
        parent = issuer_in(out[-1], known)
        if parent is None:
            break
        out.append(parent)
    return out


def revoked_on_path(path: Sequence[x509.Certificate],
                    crls: Sequence[x509.CertificateRevocationList]) -> x509.Certificate | None:
    """The first certificate of `path` (a certificate, then its issuers) that a CRL of its own issuer lists:
    a revoked district CA ends its communes' certificates too."""
    for cert, issuer in itertools.pairwise(path):
        if lists(cert, issuer, crls):
            return cert
    return None
