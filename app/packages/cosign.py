"""A second signer in manifest.p7s: the official's token signature beside the unit's enrolled one (DESIGN §5).

The SignedData keeps the enrolled signer first (`signer_infos[0]`, what `cms.verify_signature` verifies and
what binds the package to the unit) and may carry one more SignerInfo, made on a USB token through PKCS#11
over the same manifest bytes. The token signer's signed attributes are contentType, messageDigest and
signingTime (the manifest's created_at); its certificate and the chain the token holds are added to the
certificates field, so that

    openssl cms -verify -binary -inform DER -in manifest.p7s -content manifest.json -CAfile BOTH_ROOTS.pem -purpose any

verifies both signers. `cms` never looks past the first signer; `second_signer` rebuilds a one-signer
SignedData of the token's signature for its own validation (app.services.token_signature).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cryptography import x509


class CoSigner(Protocol):
    """What makes the second signature: a certificate, the chain above it, and a signing function (the token)."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def algorithm(self) -> str: ...           # asn1crypto name: sha256_ecdsa | sha256_rsa

    def sign(self, data: bytes) -> bytes: ...


def add_signer(p7s: bytes, data: bytes, cosigner: CoSigner, signed_at: datetime) -> bytes:
    """`p7s` (one signer, detached, over `data`) with the co-signer's SignerInfo appended."""
    from asn1crypto import cms
    from asn1crypto import x509 as ax509

    from app.packages.cms import _der, _forget_attribute_names, make_signer_info

    @_forget_attribute_names
    def build() -> bytes:
        info = cms.ContentInfo.load(p7s)
        sd = info["content"]
        cert = ax509.Certificate.load(_der(cosigner.cert))
        attrs = sorted([cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
                        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": signed_at})]}),
                        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]})],
                       key=lambda a: a.dump())
        signed_attrs = cms.CMSAttributes(attrs)
        signature = cosigner.sign(signed_attrs.dump())
        signer_info = make_signer_info(cert, signed_attrs, cosigner.algorithm, signature)
        present = {c.chosen.dump() for c in sd["certificates"]}
        certificates = list(sd["certificates"])
        for c in (cosigner.cert, *cosigner.chain):
            der = _der(c)
            if der not in present:
                present.add(der)
                certificates.append(ax509.Certificate.load(der))
        signed_data = cms.SignedData({
            "version": "v1", "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"}, "certificates": certificates,
            "signer_infos": [*sd["signer_infos"], signer_info]})
        return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()

    return build()


def signer_count(p7s: bytes) -> int:
    from asn1crypto import cms

    try:
        return len(cms.ContentInfo.load(p7s)["content"]["signer_infos"])
    except Exception:
        return 0


def only_signer(p7s: bytes, index: int) -> bytes:
    """A one-signer SignedData of signer `index` of `p7s`, with all of its certificates."""
    from asn1crypto import cms

    sd = cms.ContentInfo.load(p7s)["content"]
    info = sd["signer_infos"][index]
    signed_data = cms.SignedData({
        "version": sd["version"].native, "digest_algorithms": [info["digest_algorithm"]],
        "encap_content_info": sd["encap_content_info"], "certificates": sd["certificates"], "signer_infos": [info]})
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def second_signer(p7s: bytes) -> tuple[bytes, x509.Certificate | None, datetime | None] | None:
    """(one-signer p7s of the second signer, its certificate when carried, its signingTime) or None when the
    signature has a single signer."""
    from asn1crypto import cms
    from cryptography import x509

    if signer_count(p7s) != 2:
        return None
    single = only_signer(p7s, 1)
    sd = cms.ContentInfo.load(single)["content"]
    info = sd["signer_infos"][0]
    signed_at = None
    for attr in info["signed_attrs"]:
        if attr["type"].native == "signing_time":
            signed_at = attr["values"][0].native
    cert = None
    sid = info["sid"].chosen
    if info["sid"].name == "issuer_and_serial_number":
        for choice in sd["certificates"]:
            c = choice.chosen
            if choice.name == "certificate" and c.serial_number == sid["serial_number"].native \
                    and c.issuer.dump() == sid["issuer"].dump():
                cert = x509.load_der_x509_certificate(c.dump())
    return single, cert, signed_at


def certificates(p7s: bytes) -> list[x509.Certificate]:
    from asn1crypto import cms
    from cryptography import x509

    out = []
    for choice in cms.ContentInfo.load(p7s)["content"]["certificates"]:
        if choice.name == "certificate":
            out.append(x509.load_der_x509_certificate(choice.chosen.dump()))
    return out


def check_second(data: bytes, p7s: bytes, verify: Callable[[bytes, bytes, Any], None]) -> None:
    """The writer's read-back of the co-signature: `verify(data, one_signer_p7s, cert)` (cms.check_signature_only)."""
    found = second_signer(p7s)
    if found is None or found[1] is None:
        raise ValueError("the token signature is missing from manifest.p7s")
    verify(data, found[0], found[1])
