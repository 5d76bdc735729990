"""USB tokens (chữ ký số trên token) through PKCS#11: the only module that imports `pkcs11` (python-pkcs11).

A state body signs with a public-service certificate (Ban Cơ yếu Chính phủ's CA) held on a USB token, used
through the token vendor's PKCS#11 module (Law 20/2023/QH15, Decree 68/2024/NĐ-CP; DOMAIN "Since 2025").
This module opens such a module, lists its slots, tokens and certificates, finds a signing key and its
certificate, and signs with it (ECDSA P-256 or RSA PKCS#1 v1.5, SHA-256, hashed here and signed with the
raw mechanisms CKM_ECDSA / CKM_RSA_PKCS that every token offers).

The PIN is given by the caller for one session and never kept: not stored, not logged, never put in an
exception message. Every failure is a UserError of one line (English and Vietnamese): a wrong, locked or expired
PIN, a token absent or pulled out (at the login or during a signature: an error raised inside `open_signer`'s
block, pyHanko's PAdES signing included, is translated on its way out). A token whose flags say its PIN is
locked is refused without the PIN being sent.

Where no module is named (`--lib`, `dti config set token-lib`), `candidate_modules()` is tried in order:
the modules of the Vietnamese CAs' tokens on Windows (DLL names as publicly documented by the CAs'
installers and signing tools, **to confirm on a real machine**), then SoftHSM2 and OpenSC on Linux.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.errors import UserError

# Windows: the usual PKCS#11 modules of the tokens Vietnamese CAs hand out (System32 unless a full path is given).
# To confirm on a real machine: vendors rename their DLLs between driver versions.
WINDOWS_MODULES: tuple[tuple[str, str], ...] = (
    ("Ban Cơ yếu Chính phủ (GCA), token SafeNet eToken", "eTPKCS11.dll"),
    ("Ban Cơ yếu Chính phủ (GCA), token ePass2003", "eps2003csp11.dll"),
    ("VNPT-CA", "vnpt-ca_csp11.dll"),
    ("VNPT-CA (ePass2003)", "eps2003csp11v2.dll"),
    ("Viettel-CA", "viettel-ca_v6.dll"),
    ("Viettel-CA (ePass3003)", "ShuttleCsp11_3003.dll"),
    ("BKAV-CA", "BkavCA.dll"),
    ("BKAV-CA v2", "BkavCAv2S.dll"),
    ("FPT-CA", "fpt-ca.dll"),
)
LINUX_MODULES: tuple[tuple[str, str], ...] = (
    ("SoftHSM2", "/usr/lib/softhsm/libsofthsm2.so"),
    ("SoftHSM2", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    ("OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"),
)


def candidate_modules() -> list[tuple[str, str]]:
    """(who ships it, path) of the modules tried when none is named, for this platform, in order."""
    if sys.platform == "win32":
        system32 = Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32"
        return [(who, str(system32 / name)) for who, name in WINDOWS_MODULES]
    return list(LINUX_MODULES)


def find_module(explicit: str | None) -> str:
    """The module to open: `explicit` (--lib, or the token-lib setting), else the first candidate present."""
    if explicit:
        if not Path(explicit).is_file():
            raise UserError(f"the PKCS#11 module {explicit} was not found: install the token's driver or give its path "
                            "with --lib (or `dti config set token-lib PATH`)",
                            f"không tìm thấy thư viện PKCS#11 {explicit}: hãy cài trình điều khiển của token hoặc chỉ đường "
                            "dẫn bằng --lib (hoặc `dti config set token-lib ĐƯỜNG-DẪN`)")
        return explicit
    for _who, path in candidate_modules():
        if Path(path).is_file():
            return path
    raise UserError("no PKCS#11 module of a known token was found: install the token's driver or give its path with "
                    "--lib (or `dti config set token-lib PATH`)",
                    "không tìm thấy thư viện PKCS#11 của token nào: hãy cài trình điều khiển của token hoặc chỉ đường dẫn "
                    "bằng --lib (hoặc `dti config set token-lib ĐƯỜNG-DẪN`)")


@dataclass(frozen=True)
class TokenCertificate:
    """A certificate on a token, as `dti token list` shows it."""

    slot: int
    token: str                  # the token's label
    subject: str
    issuer: str
    serial: str                 # hex
    not_before: str             # ISO 8601, UTC
    not_after: str
    key_usage: tuple[str, ...]
    has_key: bool               # a private key with the same CKA_ID is on the token
    der: bytes = field(repr=False, default=b"")

    def to_json(self) -> dict[str, Any]:
        return {"slot": self.slot, "token": self.token, "subject": self.subject, "issuer": self.issuer,
                "serial": self.serial, "not_before": self.not_before, "not_after": self.not_after,
                "key_usage": list(self.key_usage), "has_key": self.has_key}


@dataclass(frozen=True)
class TokenInfo:
    slot: int
    label: str
    manufacturer: str
    model: str
    serial: str
    certificates: tuple[TokenCertificate, ...]

    def to_json(self) -> dict[str, Any]:
        return {"slot": self.slot, "label": self.label, "manufacturer": self.manufacturer, "model": self.model,
                "serial": self.serial, "certificates": [c.to_json() for c in self.certificates]}


def key_usage_names(cert: Any) -> tuple[str, ...]:
    from cryptography import x509

    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return ()
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign")
    shown = {"content_commitment": "non_repudiation"}
    return tuple(shown.get(n, n) for n in names if getattr(ku, n))


def _load_lib(path: str) -> Any:
    import pkcs11

    try:
        lib = pkcs11.lib(path)
        lib.reinitialize()   # see tokens plugged in (or removed) since the module was first loaded in this process
        return lib
    except Exception as e:   # a missing file, a DLL of the wrong architecture, a broken install
        raise UserError(f"the PKCS#11 module {path} cannot be loaded ({type(e).__name__}): reinstall the token's driver",
                        f"không nạp được thư viện PKCS#11 {path} ({type(e).__name__}): hãy cài lại trình điều khiển "
                        "của token") from None


def _translate(e: Exception, label: str = "") -> UserError:
    """One line for a PKCS#11 failure. Never the PIN: no message here carries anything the caller typed."""
    import pkcs11.exceptions as x

    token = f" '{label}'" if label else ""
    if isinstance(e, (x.PinIncorrect, x.PinInvalid, x.PinLenRange)):
        return UserError(f"wrong PIN for token{token}; nothing was signed (the token locks after a few wrong PINs)",
                         f"mã PIN của token{token} không đúng; chưa ký gì (token sẽ khóa nếu nhập sai vài lần)")
    if isinstance(e, x.PinLocked):
        return _locked(label)
    if isinstance(e, x.PinExpired):
        return UserError(f"the PIN of token{token} has expired: change it with the token's tool",
                         f"mã PIN của token{token} đã hết hạn: hãy đổi PIN bằng phần mềm của token")
    if isinstance(e, (x.TokenNotPresent, x.DeviceRemoved, x.TokenNotRecognised, x.SlotIDInvalid, x.SessionClosed,
                      x.SessionHandleInvalid)):
        return UserError(f"token{token} is not plugged in (or was removed): plug it in and try again",
                         f"token{token} chưa được cắm (hoặc đã bị rút ra): hãy cắm token rồi thử lại")
    if isinstance(e, (x.DeviceError, x.DeviceMemory)):   # what some modules answer when the token is pulled out
        return UserError(f"token{token} stopped answering (pulled out, or a problem of its driver): plug it in again "
                         "and try again",
                         f"token{token} không phản hồi (đã bị rút ra, hoặc trình điều khiển gặp lỗi): hãy cắm lại token "
                         "rồi thử lại")
    return UserError(f"the token{token} refused the operation ({type(e).__name__})",
                     f"token{token} từ chối thao tác ({type(e).__name__})")


def _locked(label: str) -> UserError:
    token = f" '{label}'" if label else ""
    return UserError(f"token{token} is locked after too many wrong PINs: ask the CA to unlock it",
                     f"token{token} đã bị khóa do nhập sai PIN nhiều lần: hãy liên hệ nhà cung cấp chứng thư để mở khóa")


def _tokens(lib: Any) -> list[tuple[Any, Any]]:
    """(slot, token) of every initialised token plugged in (SoftHSM2 always shows one empty slot more)."""
    from pkcs11 import TokenFlag

    out = []
    for slot in lib.get_slots(token_present=True):
        token = slot.get_token()
        if token.flags & TokenFlag.TOKEN_INITIALIZED:
            out.append((slot, token))
    return out


def _no_token(label: str | None) -> UserError:
    if label:
        return UserError(f"no token labelled '{label}' is plugged in", f"không có token nào mang nhãn '{label}' đang được cắm")
    return UserError("no token is plugged in", "chưa cắm token nào")


def _certificates(session: Any, slot: int, label: str) -> list[TokenCertificate]:
    from cryptography import x509
    from pkcs11 import Attribute, ObjectClass

    key_ids = set()
    with contextlib.suppress(Exception):   # without login a token may hide its private keys: then has_key is unknown
        key_ids = {bytes(k[Attribute.ID]) for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
    out = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = bytes(obj[Attribute.VALUE])
            cert = x509.load_der_x509_certificate(der)
            cid = bytes(obj[Attribute.ID])
        except Exception:   # not an X.509 certificate: not ours to show
            continue
        out.append(TokenCertificate(slot=slot, token=label, subject=cert.subject.rfc4514_string(),
                                    issuer=cert.issuer.rfc4514_string(), serial=format(cert.serial_number, "x"),
                                    not_before=cert.not_valid_before_utc.isoformat(),
                                    not_after=cert.not_valid_after_utc.isoformat(), key_usage=key_usage_names(cert),
                                    has_key=cid in key_ids, der=der))
    return out


def list_tokens(module: str) -> list[TokenInfo]:
    """Every token plugged in to `module`'s slots with its certificates (public objects: no PIN needed)."""
    import pkcs11

    lib = _load_lib(module)
    tokens = []
    try:
        for slot, token in _tokens(lib):
            with token.open() as session:
                certs = _certificates(session, slot.slot_id, token.label)
            tokens.append(TokenInfo(slot=slot.slot_id, label=token.label, manufacturer=token.manufacturer_id,
                                    model=token.model, serial=bytes(token.serial).decode("ascii", "replace").strip(),
                                    certificates=tuple(certs)))
    except pkcs11.PKCS11Error as e:
        raise _translate(e) from None
    return tokens


def _matches(cert: TokenCertificate, wanted: str | None) -> bool:
    """--cert C: the serial (hex, any case, with or without colons) or a part of the subject's common name."""
    if not wanted:
        return True
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    if wanted.replace(":", "").lower().lstrip("0") == cert.serial.lstrip("0"):
        return True
    names = x509.load_der_x509_certificate(cert.der).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return any(wanted.casefold() in str(n.value).casefold() for n in names)


class TokenSigner:
    """An open, logged-in session on one token with the chosen certificate and its private key. Use as a context
    manager (`open_signer`); `sign(data)` makes a signature on the token."""

    def __init__(self, session: Any, key: Any, cert: Any, chain: tuple[Any, ...], label: str):
        self.session, self._key, self.cert, self.chain, self.label = session, key, cert, chain, label

    @property
    def algorithm(self) -> str:
        """The CMS signature algorithm name (asn1crypto): sha256_ecdsa or sha256_rsa."""
        from cryptography.hazmat.primitives.asymmetric import ec

        return "sha256_ecdsa" if isinstance(self.cert.public_key(), ec.EllipticCurvePublicKey) else "sha256_rsa"

    def sign(self, data: bytes) -> bytes:
        """The signature of `data` (SHA-256) made by the token: DER ECDSA-Sig-Value, or RSA PKCS#1 v1.5."""
        import pkcs11
        from pkcs11 import Mechanism

        digest = hashlib.sha256(data).digest()
        try:
            if self.algorithm == "sha256_ecdsa":
                from pkcs11.util.ec import encode_ecdsa_signature

                return encode_ecdsa_signature(self._key.sign(digest, mechanism=Mechanism.ECDSA))
            info = bytes.fromhex("3031300d060960864801650304020105000420") + digest   # DigestInfo(SHA-256)
            return bytes(self._key.sign(info, mechanism=Mechanism.RSA_PKCS))
        except pkcs11.PKCS11Error as e:
            raise _translate(e, self.label) from None

    def pdf_signer(self) -> Any:
        """pyHanko's PKCS11Signer over this session, for a PAdES signature of a PDF."""
        from asn1crypto import x509 as ax509
        from cryptography.hazmat.primitives.serialization import Encoding
        from pyhanko.sign.pkcs11 import PKCS11Signer

        def a(c: Any) -> Any:
            return ax509.Certificate.load(c.public_bytes(Encoding.DER))

        from pkcs11 import Attribute

        return PKCS11Signer(self.session, signing_cert=a(self.cert), ca_chain=[a(c) for c in self.chain],
                            key_id=bytes(self._key[Attribute.ID]), use_raw_mechanism=True)


def _dmy(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


@contextlib.contextmanager
def open_signer(module: str, pin: str, label: str | None = None, cert: str | None = None,
                at: datetime | None = None) -> Iterator[TokenSigner]:
    """Log in to the token (`label`, or the only one with a signing certificate) with `pin`, choose the certificate
    (`cert`: serial or part of the common name) that has its private key there and is valid `at` (default now)."""
    import pkcs11
    from cryptography import x509
    from pkcs11 import Attribute, ObjectClass, TokenFlag

    moment = at or datetime.now(UTC)
    lib = _load_lib(module)
    try:
        found: list[tuple[Any, list[TokenCertificate]]] = []
        for slot, token in _tokens(lib):
            if label and token.label != label:
                continue
            with token.open() as s:
                certs = [c for c in _certificates(s, slot.slot_id, token.label) if _matches(c, cert)]
            found.append((token, certs))
    except pkcs11.PKCS11Error as e:
        raise _translate(e, label or "") from None
    if not found:
        raise _no_token(label)
    with_certs = [(t, c) for t, c in found if c]
    if not with_certs:
        which = f" matching '{cert}'" if cert else ""
        which_vi = f" khớp với '{cert}'" if cert else ""
        raise UserError(f"no certificate{which} is on the token", f"token không có chứng thư nào{which_vi}")
    if len(with_certs) > 1:
        names = ", ".join(t.label for t, _ in with_certs)
        raise UserError(f"several tokens are plugged in ({names}): choose one with --token-label",
                        f"đang cắm nhiều token ({names}): hãy chọn một bằng --token-label")
    token, candidates = with_certs[0]
    try:
        if token.flags & TokenFlag.USER_PIN_LOCKED:   # the token says so itself: the PIN is not sent at all
            raise _locked(token.label)
        session = token.open(user_pin=pin)
    except pkcs11.PKCS11Error as e:
        raise _translate(e, token.label) from None
    try:
        all_certs, ids_of = [], {}
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            with contextlib.suppress(Exception):
                der = bytes(obj[Attribute.VALUE])
                all_certs.append(x509.load_der_x509_certificate(der))
                ids_of.setdefault(der, []).append(bytes(obj[Attribute.ID]))
        keys = {bytes(k[Attribute.ID]): k for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
        usable = [(c, keys[i]) for c in candidates for i in ids_of.get(c.der, ()) if i in keys]
        if not usable:
            raise UserError("the token holds no private key for its certificate", "token không có khóa bí mật của chứng thư")
        signing = [(c, k) for c, k in usable if {"digital_signature", "non_repudiation"} & set(c.key_usage)
                   or not c.key_usage]
        if not signing:
            raise UserError("the token's certificate does not allow digital signatures",
                            "chứng thư trên token không cho phép ký số")
        current = [(c, k) for c, k in signing
                   if datetime.fromisoformat(c.not_before) <= moment <= datetime.fromisoformat(c.not_after)]
        if not current:
            c = max(signing, key=lambda ck: ck[0].not_after)[0]
            end = datetime.fromisoformat(c.not_after)
            if end < moment:
                raise UserError(f"the token's certificate expired on {end:%Y-%m-%d}: renew it with the CA",
                                f"chứng thư trên token đã hết hạn ngày {_dmy(end)}: hãy gia hạn với nhà cung cấp")
            start = datetime.fromisoformat(c.not_before)
            raise UserError(f"the token's certificate is valid only from {start:%Y-%m-%d}",
                            f"chứng thư trên token chỉ có hiệu lực từ ngày {_dmy(start)}")
        if len(current) > 1:
            shown = ", ".join(f"{c.serial} ({c.subject[:60]})" for c, _ in current)
            raise UserError(f"the token holds several signing certificates ({shown}): choose one with --cert",
                            f"token có nhiều chứng thư ký ({shown}): hãy chọn một bằng --cert")
        chosen, key = current[0]
        signer_cert = x509.load_der_x509_certificate(chosen.der)
        chain = tuple(_chain_of(signer_cert, all_certs))
        yield TokenSigner(session, key, signer_cert, chain, token.label)
    except pkcs11.PKCS11Error as e:
        raise _translate(e, token.label) from None
    finally:
        with contextlib.suppress(Exception):
            session.close()


def _chain_of(cert: Any, pool: list[Any]) -> list[Any]:
    """The issuers of `cert` found among the token's own certificates, issuer first (at most 8)."""
    chain, current = [], cert
    for _ in range(8):
        if current.issuer == current.subject:
            break
        issuer = next((c for c in pool if c.subject == current.issuer and c not in chain and c != current), None)
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def read_pin(pin_file: Path | None) -> str:
    """The token PIN from --token-pin-file, else DTI_TOKEN_PIN, else a prompt (never echoed). Never stored."""
    if pin_file is not None:
        try:
            lines = Path(pin_file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise UserError(f"cannot read the PIN file {pin_file} ({type(e).__name__})",
                            f"không đọc được tệp PIN {pin_file} ({type(e).__name__})") from None
        return lines[0].strip() if lines else ""
    if os.environ.get("DTI_TOKEN_PIN"):
        return os.environ["DTI_TOKEN_PIN"].strip()
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass("Token PIN / mã PIN của token: ").strip()
    raise UserError("the token's PIN is needed: use --token-pin-file FILE or DTI_TOKEN_PIN",
                    "cần mã PIN của token: dùng --token-pin-file TỆP hoặc biến môi trường DTI_TOKEN_PIN")
