"""manifest.p7s: a detached CMS SignedData (DER) over the exact bytes of manifest.json (DESIGN §6).

Signing builds the SignedData with asn1crypto and signs with cryptography:

- digest SHA-256; signed attributes contentType (id-data) and messageDigest only, in DER order, so that
  ``openssl cms -verify -binary -inform DER -in manifest.p7s -content manifest.json -CAfile root.pem
  -purpose any`` and pyHanko both accept it;
- deterministic signatures: ECDSA per RFC 6979 (``deterministic_signing=True``), RSA PKCS#1 v1.5. No
  signingTime attribute (the manifest carries created_at, which is signed). Hence the same manifest signed
  by the same key gives the same bytes, and so does the whole package. (cryptography's
  PKCS7SignatureBuilder always adds a signingTime and signs ECDSA with a random nonce, which is why it is
  not used.)
- the certificates field carries the signer's certificate, then its chain as given (root optional).

Verification (`verify_signature`) uses pyHanko's detached CMS validation with a ValidationContext that
never fetches (``allow_fetching=False``), trusts only the given roots and validates at the given moment.
The signer certificate must be an end-entity certificate whose key usage includes digitalSignature or
nonRepudiation.

Revocation is checked here, not by pyHanko, and the CRLs are not handed to its ValidationContext:
pyHanko consults CRLs only for certificates that declare a CRL distribution point, and for those it
refuses a CRL past its nextUpdate even in "soft-fail" mode (``TRY_LATER``), which would make every package
of an issuer untrusted as soon as the CRL an offline province imported ages. Instead every certificate of
the validated path (except the root) is checked against each given CRL from its issuer whose signature
verifies with the issuer's key from the same path, whatever the CRL's age: the newest CRL a province has
imported is the best knowledge it has. A certificate revoked at or before the validation moment is
refused with code ``revoked``; without a CRL from an issuer nothing is known about its certificates.

pyHanko logs every validation failure with a traceback; those loggers get a NullHandler and are raised
above CRITICAL for the duration of a validation, so nothing reaches stderr.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import itertools
import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


class SignatureProblem(Exception):
    def __init__(self, code: str, why_en: str, why_vi: str):
        super().__init__(why_en)
        self.code, self.why_en, self.why_vi = code, why_en, why_vi




class _LiveReverseMap(dict):
    """A reverse name map that also finds names added to the forward map later."""

    def __init__(self, forward: dict) -> None:
        super().__init__({v: k for k, v in forward.items()})
        self.forward = forward

    def _refresh(self, name: object) -> None:
        if not dict.__contains__(self, name):
            for key, value in self.forward.items():
                if value == name:
                    dict.__setitem__(self, name, key)

    def __contains__(self, name: object) -> bool:
        self._refresh(name)
        return dict.__contains__(self, name)

    def __getitem__(self, name: object) -> Any:
        self._refresh(name)
        return dict.__getitem__(self, name)


def _forget_attribute_names(fn: Any) -> Any:
    """asn1crypto builds the reverse name map of CMS attribute types once, on first use, and never again;
    pyHanko registers more names (signing_certificate_v2, ...) into the forward map when its CAdES module
    loads, later, on the verify path or when a signed PDF is inspected. If our signing built the reverse map
    first, pyHanko's use of such a name would fail in the same process. A live reverse map that looks up
    late additions keeps both working."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from asn1crypto import cms

        if not isinstance(cms.CMSAttributeType._reverse_map, _LiveReverseMap):
            cms.CMSAttributeType._reverse_map = _LiveReverseMap(cms.CMSAttributeType._map)
        return fn(*args, **kwargs)
    return wrapper


def _der(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return cert.public_bytes(Encoding.DER)


def make_signer_info(signer_cert: Any, signed_attrs: Any, algorithm: str, signature: bytes) -> Any:
    """A SignerInfo (asn1crypto) for a certificate (asn1crypto) named by issuer and serial, SHA-256 over signed
    attributes; the enrolled signer's and a token's (app.packages.cosign) are built alike."""
    from asn1crypto import cms

    return cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": signer_cert.issuer, "serial_number": signer_cert.serial_number})}),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": algorithm},
        "signature": signature,
    })


@_forget_attribute_names
def sign_detached(data: bytes, cert: x509.Certificate, key: PrivateKeyTypes, chain: Sequence[x509.Certificate]) -> bytes:
    """DER ContentInfo(SignedData) over `data`, detached, deterministic (module docstring)."""
    from asn1crypto import cms
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = "sha256_ecdsa"
    elif isinstance(key, rsa.RSAPrivateKey):
        algorithm = "sha256_rsa"
    else:
        raise ValueError(f"unsupported signing key type {type(key).__name__}; use ECDSA or RSA")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise ValueError("the private key does not belong to the signer certificate")
    signer_cert = ax509.Certificate.load(_der(cert))
    attrs = sorted([cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
                    cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]})],
                   key=lambda a: a.dump())
    signed_attrs = cms.CMSAttributes(attrs)
    to_sign = signed_attrs.dump()
    if algorithm == "sha256_ecdsa":
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))  # type: ignore[union-attr]
    else:
        signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
    signer_info = make_signer_info(signer_cert, signed_attrs, algorithm, signature)
    certificates = [signer_cert] + [ax509.Certificate.load(_der(c)) for c in chain if c != cert]
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "data"},
        "certificates": certificates,
        "signer_infos": [signer_info],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _signer_count(p7s: bytes) -> int:
    from app.packages.cosign import signer_count

    return signer_count(p7s)


def _parse(p7s: bytes) -> tuple[Any, Any]:
    """(SignedData, SignerInfo) after the structural checks; raises SignatureProblem('signature')."""
    from asn1crypto import cms

    bad = SignatureProblem("signature", "manifest.p7s is not a detached CMS signature",
                           "manifest.p7s không phải chữ ký CMS tách rời")
    try:
        info = cms.ContentInfo.load(p7s, strict=True)
        if info["content_type"].native != "signed_data":
            raise bad
        signed_data = info["content"]
        signed_data.native  # noqa: B018 (parses every lazy field now, inside this try)
        infos = signed_data["signer_infos"]
        if len(infos) not in (1, 2):   # the enrolled signer, and an official's token signature (app.packages.cosign)
            raise SignatureProblem("signature", "manifest.p7s must hold one signer, or two with a token signature",
                                   "manifest.p7s phải có một người ký, hoặc hai khi có chữ ký token")
        if signed_data["encap_content_info"]["content"].native is not None:
            raise bad
        if infos[0]["digest_algorithm"]["algorithm"].native not in ("sha256", "sha384", "sha512"):
            raise SignatureProblem("signature", "the signature uses a weak digest", "chữ ký dùng hàm băm yếu")
        return signed_data, infos[0]
    except SignatureProblem:
        raise
    except Exception:
        raise bad from None


@_forget_attribute_names
def check_signature_only(data: bytes, p7s: bytes, cert: x509.Certificate) -> None:
    """Cryptographic check that `p7s` signs `data` with `cert`'s key, without any trust decision (the
    writer's read-back). Raises SignatureProblem."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    _, info = _parse(p7s)
    try:
        attrs = info["signed_attrs"]
        digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
        if digests != [hashlib.sha256(data).digest()]:
            raise SignatureProblem("signature", "manifest.p7s does not match manifest.json",
                                   "manifest.p7s không khớp với manifest.json")
        signed = b"\x31" + attrs.dump()[1:]
        public = cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(info["signature"].native, signed, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(info["signature"].native, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise SignatureProblem("signature", "unsupported key type", "loại khóa không được hỗ trợ")
    except SignatureProblem:
        raise
    except Exception:
        raise SignatureProblem("signature", "the signature does not verify", "chữ ký không hợp lệ") from None


# ---------------------------------------------------------------------------------------------- verification

_QUIET = ("pyhanko", "pyhanko_certvalidator")
_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_levels: dict[str, int] = {}


@contextlib.contextmanager
def quiet_pyhanko() -> Iterator[None]:
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in _QUIET:
                logger = logging.getLogger(name)
                if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                    logger.addHandler(logging.NullHandler())
                _saved_levels[name] = logger.level
                logger.setLevel(logging.CRITICAL + 1)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name in _QUIET:
                    logging.getLogger(name).setLevel(_saved_levels.pop(name, logging.NOTSET))


def _run(make_coro: Any) -> Any:
    """Run a coroutine to completion from synchronous code, also when called inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coro())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()


def _fmt(when: datetime) -> tuple[str, str]:
    return when.strftime("%Y-%m-%d"), when.strftime("%d/%m/%Y")


def _check_signer_usage(cert: x509.Certificate) -> None:
    from cryptography import x509

    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if basic.ca:
            raise SignatureProblem("key_usage", "the signer certificate is a CA certificate, not a signing certificate",
                                   "chứng thư của người ký là chứng thư CA, không phải chứng thư ký")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        allowed = usage.digital_signature or usage.content_commitment
    except x509.ExtensionNotFound:
        allowed = False
    if not allowed:
        raise SignatureProblem("key_usage", "the signer certificate does not allow digital signatures",
                               "chứng thư của người ký không cho phép ký số")


def _who(cert: x509.Certificate) -> str:
    """A certificate as people know it: its common name, and the unit code (serialNumber) when present."""
    from cryptography.x509.oid import NameOID

    def first(oid: Any) -> str:
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    common, code = first(NameOID.COMMON_NAME), first(NameOID.SERIAL_NUMBER)
    shown = common or cert.subject.rfc4514_string()
    return (f"{shown} ({code})" if code and code not in shown else shown)[:100]


def _check_dates(certs: Sequence[x509.Certificate], at: datetime) -> None:
    for c in certs:
        subject = _who(c)
        if at > c.not_valid_after_utc:
            en, vi = _fmt(c.not_valid_after_utc)
            raise SignatureProblem("expired", f"certificate '{subject}' expired on {en}",
                                   f"chứng thư '{subject}' đã hết hạn ngày {vi}")
        if at < c.not_valid_before_utc:
            en, vi = _fmt(c.not_valid_before_utc)
            raise SignatureProblem("not_yet_valid", f"certificate '{subject}' is valid only from {en}",
                                   f"chứng thư '{subject}' chỉ có hiệu lực từ ngày {vi}")


def _check_crls(path: Sequence[x509.Certificate], crls: Sequence[x509.CertificateRevocationList], at: datetime) -> None:
    """`path` from the root down to the signer. Every certificate below the root against its issuer's CRLs."""
    for issuer, cert in itertools.pairwise(path):
        for crl in crls:
            if crl.issuer != cert.issuer:
                continue
            try:
                if not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
                    continue
            except Exception:
                continue
            entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
            if entry is not None and entry.revocation_date_utc <= at:
                subject = _who(cert)
                en, vi = _fmt(entry.revocation_date_utc)
                raise SignatureProblem("revoked", f"certificate '{subject}' was revoked on {en}",
                                       f"chứng thư '{subject}' đã bị thu hồi ngày {vi}")


@_forget_attribute_names
def verify_signature(data: bytes, p7s: bytes, roots: Sequence[x509.Certificate],
                     crls: Sequence[x509.CertificateRevocationList], at: datetime | None
                     ) -> tuple[x509.Certificate, tuple[x509.Certificate, ...]]:
    """(signer certificate, chain above it up to and including the root) when `p7s` is a trusted signature
    over `data` at `at` (default now); raises SignatureProblem otherwise (module docstring)."""
    from cryptography import x509

    moment = at or datetime.now(UTC)
    if moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    if _signer_count(p7s) == 2:   # the first signer is the enrolled one; a token's second is validated on its own
        from app.packages.cosign import only_signer

        _parse(p7s)
        p7s = only_signer(p7s, 0)
    accepted = _accept_own_profile(data, p7s, roots, crls, moment) if roots else None
    if accepted is not None:
        return accepted
    signed_data, _ = _parse(p7s)
    if not roots:
        raise SignatureProblem("untrusted", "no trusted root is configured", "chưa có chứng thư gốc tin cậy nào")
    with quiet_pyhanko():
        status = _run(lambda: _validate(data, signed_data, roots, moment))
    try:
        signer = x509.load_der_x509_certificate(status.signing_cert.dump())
        if not (status.intact and status.valid):
            raise SignatureProblem("signature", "the signature does not match manifest.json",
                                   "chữ ký không khớp với manifest.json")
        _check_signer_usage(signer)
        if status.validation_path is None:
            _raise_untrusted(status)
        path = [x509.load_der_x509_certificate(c.dump()) for c in status.validation_path.iter_certs(include_root=True)]
        _check_dates(list(reversed(path)), moment)
        _check_crls(path, crls, moment)  # also when pyHanko's verdict is negative: "revoked" says more than "untrusted"
        if not status.trusted:
            _raise_untrusted(status)
    except SignatureProblem:
        raise
    except Exception:  # asn1crypto parses leniently what cryptography refuses (a damaged certificate)
        raise SignatureProblem("signature", "a certificate in manifest.p7s is malformed",
                               "manifest.p7s chứa chứng thư bị hỏng") from None
    return signer, tuple(reversed(path[:-1]))


# What `sign_detached` writes, and all that the quick acceptance below knows: anything else takes pyHanko's path.
_OWN_SIGNATURES = {"sha256_ecdsa": "ec", "sha256_rsa": "rsa"}
_DATA = "data"


def _accept_own_profile(data: bytes, p7s: bytes, roots: Sequence[x509.Certificate],
                        crls: Sequence[x509.CertificateRevocationList], moment: datetime
                        ) -> tuple[x509.Certificate, tuple[x509.Certificate, ...]] | None:
    """The common case without pyHanko: a signature exactly as `sign_detached` writes it (one signer,
    detached, SHA-256, only the contentType and messageDigest attributes, ECDSA or RSA PKCS#1 v1.5, no CRLs or
    unsigned attributes in the CMS), a chain that cryptography's RFC 5280 path validation builds to a given
    root at `moment`, and the same signer-usage, date and CRL checks as the full path.

    It only ever accepts: on anything unusual or failing it returns None, and the caller runs the full
    validation (pyHanko), whose verdicts and reasons are the product's (the hostile corpus checks both
    together). Importing pyHanko costs ~0.9 s per process and validating with it ~20 ms per package; this
    takes under a millisecond, which is what lets a district import 161 packages within the budget (DESIGN §9).
    """
    try:
        from asn1crypto import cms, core
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

        info = cms.ContentInfo.load(p7s, strict=True)
        if info["content_type"].native != "signed_data":
            return None
        sd = info["content"]
        if (sd["version"].native != "v1" or not isinstance(sd["crls"], core.Void)
                or [a["algorithm"].native for a in sd["digest_algorithms"]] != ["sha256"]
                or sd["encap_content_info"]["content_type"].native != _DATA
                or sd["encap_content_info"]["content"].native is not None or len(sd["signer_infos"]) != 1):
            return None
        si = sd["signer_infos"][0]
        if (si["version"].native != "v1" or si["sid"].name != "issuer_and_serial_number"
                or si["digest_algorithm"]["algorithm"].native != "sha256"
                or not isinstance(si["unsigned_attrs"], core.Void)):
            return None
        kind = _OWN_SIGNATURES.get(si["signature_algorithm"]["algorithm"].native)
        attrs = si["signed_attrs"]
        found = {a["type"].native: a["values"] for a in attrs}
        if kind is None or len(attrs) != 2 or set(found) != {"content_type", "message_digest"} \
                or any(len(v) != 1 for v in found.values()):
            return None
        if found["content_type"][0].native != _DATA or found["message_digest"][0].native != hashlib.sha256(data).digest():
            return None
        certs = []
        for choice in sd["certificates"]:
            if choice.name != "certificate":
                return None
            certs.append(x509.load_der_x509_certificate(choice.chosen.dump()))
        sid = si["sid"].chosen
        issuer_der, serial = sid["issuer"].dump(), sid["serial_number"].native
        signers = [c for c in certs if c.serial_number == serial and c.issuer.public_bytes() == issuer_der]
        if len(signers) != 1:
            return None
        signer = signers[0]
        key = signer.public_key()
        signed = b"\x31" + attrs.dump()[1:]   # the attributes as signed: a SET OF, not [0] IMPLICIT
        signature = si["signature"].native
        if kind == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(hashes.SHA256()))
        elif kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            return None
        chain = _path_verifier(roots, moment).verify(signer, [c for c in certs if c is not signer]).chain
        if chain[0] != signer:
            return None
        _check_signer_usage(signer)
        _check_dates(chain, moment)
        _check_crls(list(reversed(chain)), crls, moment)
        return signer, tuple(chain[1:])
    except Exception:   # SignatureProblem included: the full path gives the verdict and its reason
        return None


def _path_verifier(roots: Sequence[x509.Certificate], moment: datetime) -> Any:
    """cryptography's path validation (RFC 5280, the Web PKI profile's checks of CA certificates, key sizes and
    algorithms) for our end-entity certificates: they carry no subjectAltName and their extended key usage is
    not TLS's, so those two are allowed as they come; key usage is checked by `_check_signer_usage`."""
    from cryptography import x509
    from cryptography.x509 import verification as v

    ee = (v.ExtensionPolicy.webpki_defaults_ee()
          .may_be_present(x509.ExtendedKeyUsage, v.Criticality.AGNOSTIC, None)
          .may_be_present(x509.SubjectAlternativeName, v.Criticality.AGNOSTIC, None))
    return (v.PolicyBuilder().store(v.Store(list(roots))).time(moment)
            .extension_policies(ca_policy=v.ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee)
            .build_client_verifier())


async def _validate(data: bytes, signed_data: Any, roots: Sequence[x509.Certificate], moment: datetime) -> Any:
    from asn1crypto import x509 as ax509
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    # No CRLs here, on purpose: see the module docstring; _check_crls does revocation.
    context = ValidationContext(trust_roots=[ax509.Certificate.load(_der(r)) for r in roots], moment=moment,
                                allow_fetching=False, revocation_mode="soft-fail")
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    try:
        return await async_validate_detached_cms(data, signed_data, signer_validation_context=context, key_usage_settings=usage)
    except Exception as e:  # malformed attributes, unknown algorithms, missing certificate ...
        raise SignatureProblem("signature", f"the signature cannot be validated ({type(e).__name__})",
                               "không kiểm tra được chữ ký") from None


def _raise_untrusted(status: Any) -> None:
    from pyhanko.sign.ades.report import AdESIndeterminate as Ind

    problem = status.trust_problem_indic
    if problem in (Ind.REVOKED_NO_POE, Ind.REVOKED_CA_NO_POE):
        raise SignatureProblem("revoked", "the signer certificate (or one above it) is revoked",
                               "chứng thư của người ký (hoặc chứng thư cấp trên) đã bị thu hồi")
    if problem == Ind.CHAIN_CONSTRAINTS_FAILURE:
        raise SignatureProblem("key_usage", "the signer certificate may not sign documents",
                               "chứng thư của người ký không được phép ký tài liệu")
    if problem == Ind.NO_CERTIFICATE_CHAIN_FOUND:
        raise SignatureProblem("untrusted", "the signer is not certified by a trusted authority",
                               "người ký không được cơ quan tin cậy nào chứng thực")
    raise SignatureProblem("untrusted", f"the signer's certificate chain is not valid ({getattr(problem, 'name', problem)})",
                           f"chuỗi chứng thư của người ký không hợp lệ ({getattr(problem, 'name', problem)})")
