"""What inspecting an evidence file gives: the findings, the signatures, the whole inspection, and the refusal.

Plain frozen dataclasses with no heavy imports, so a store, the CLI and the GUI can hold and show them
without loading pikepdf or pyHanko. `Inspection.to_json()` / `from_json()` give a plain dict that
`json.dumps` writes as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import UserError

KINDS = ("pdf", "jpeg", "png")
EXT_OF_KIND = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


class EvidenceRefused(UserError):
    """A file refused outright: one line naming the file and the reason, in English (`str(e)`) and
    Vietnamese (`e.message_vi`). Nothing of a refused file should be stored."""


@dataclass(frozen=True)
class Finding:
    """A problem found in an accepted file. `code` is stable (see `messages.py`); `vi`/`en` are the lines
    shown to people."""

    code: str
    vi: str
    en: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.vi, "en": self.en}

    @classmethod
    def from_json(cls, data: Any) -> Finding:
        _expect(isinstance(data, dict), "finding must be an object")
        return cls(code=_str(data, "code"), vi=_str(data, "vi"), en=_str(data, "en"))


@dataclass(frozen=True)
class SignatureInfo:
    """One embedded PDF signature as validated offline.

    signer: the subject common name of the signing certificate (NFC), "" when it could not be read.
    signing_time: ISO 8601 UTC ("2024-05-01T08:30:00Z"): the time of a valid timestamp token when there is
        one, else the time the signer's software claims; None when neither is present.
    intact: the digest of the signed byte ranges matches the signed digest.
    valid: intact and the cryptographic signature verifies against the signer's certificate.
    trusted: valid and the certificate chains to one of the installation's trust roots (checked at the
        time of inspection, without revocation data since nothing is fetched).
    covers_whole_file: nothing was changed after signing (see `signatures.covers_whole_file`).
    field: the fully qualified name of the signature field, when known.
    """

    signer: str
    signing_time: str | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    field: str | None

    def to_json(self) -> dict[str, Any]:
        return {"signer": self.signer, "signing_time": self.signing_time, "intact": self.intact,
                "valid": self.valid, "trusted": self.trusted, "covers_whole_file": self.covers_whole_file,
                "field": self.field}

    @classmethod
    def from_json(cls, data: Any) -> SignatureInfo:
        _expect(isinstance(data, dict), "signature must be an object")
        return cls(signer=_str(data, "signer"), signing_time=_opt_str(data, "signing_time"),
                   intact=_bool(data, "intact"), valid=_bool(data, "valid"), trusted=_bool(data, "trusted"),
                   covers_whole_file=_bool(data, "covers_whole_file"), field=_opt_str(data, "field"))


@dataclass(frozen=True)
class Inspection:
    """The result of inspecting one accepted file.

    kind: "pdf" | "jpeg" | "png", from the content (magic bytes), never from the name alone.
    ext: "pdf" | "jpg" | "png", the extension a content-addressed store should give the file.
    size, sha256: of exactly the bytes inspected.
    pages: page count of a PDF; 1 for an image (one scanned page); None if not known.
    encrypted: the PDF is encrypted (it opened without a password, so only an owner password is set).
    problems: findings, in a stable order (document-level first, then per signature).
    signatures: embedded PDF signatures in the order of the file's signature fields.
    """

    kind: str
    ext: str
    size: int
    sha256: str
    pages: int | None
    encrypted: bool
    problems: tuple[Finding, ...] = ()
    signatures: tuple[SignatureInfo, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the problems, for quick tests (`"javascript" in insp.codes`)."""
        return tuple(p.code for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ext": self.ext, "size": self.size, "sha256": self.sha256,
                "pages": self.pages, "encrypted": self.encrypted,
                "problems": [p.to_json() for p in self.problems],
                "signatures": [s.to_json() for s in self.signatures]}

    @classmethod
    def from_json(cls, data: Any) -> Inspection:
        """The inverse of `to_json`; raises ValueError on anything that `to_json` could not have written.
        Unknown keys are ignored, so that a newer writer's extra fields do not break an older reader."""
        _expect(isinstance(data, dict), "inspection must be an object")
        kind = _str(data, "kind")
        _expect(kind in KINDS, f"unknown kind {kind!r}")
        ext = _str(data, "ext")
        _expect(ext == EXT_OF_KIND[kind], f"extension {ext!r} does not match kind {kind!r}")
        size = data.get("size")
        _expect(isinstance(size, int) and not isinstance(size, bool) and size > 0, "size must be a positive integer")
        sha = _str(data, "sha256")
        _expect(len(sha) == 64 and all(c in "0123456789abcdef" for c in sha), "sha256 must be 64 lowercase hex digits")
        pages = data.get("pages")
        _expect(pages is None or (isinstance(pages, int) and not isinstance(pages, bool) and pages >= 0),
                "pages must be null or a non-negative integer")
        problems = data.get("problems", [])
        signatures = data.get("signatures", [])
        _expect(isinstance(problems, list) and isinstance(signatures, list), "problems and signatures must be lists")
        return cls(kind=kind, ext=ext, size=size, sha256=sha, pages=pages, encrypted=_bool(data, "encrypted"),
                   problems=tuple(Finding.from_json(p) for p in problems),
                   signatures=tuple(SignatureInfo.from_json(s) for s in signatures))


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _str(data: dict, key: str) -> str:
    value = data.get(key)
    _expect(isinstance(value, str), f"{key} must be a string")
    return value


def _opt_str(data: dict, key: str) -> str | None:
    value = data.get(key)
    _expect(value is None or isinstance(value, str), f"{key} must be null or a string")
    return value


def _bool(data: dict, key: str) -> bool:
    value = data.get(key)
    _expect(isinstance(value, bool), f"{key} must be true or false")
    return value
