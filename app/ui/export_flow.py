"""The export dialog's work as plain functions over existing services (no widgets): who this unit hands its
package to, where removable drives are, and an export followed by its read-back verification.

A thin adapter: `app.services.package_export.export_package` writes and signs; the package library
verifies what was written against this installation's own trust anchors, as an aggregator will.
"""

from __future__ import annotations

import ctypes
import getpass
import hashlib
import os
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.errors import UserError
from app.services.checks import Finding
from app.services.evidence_service import check_unit
from app.services.package_export import ExportResult, export_package
from app.services.token_signing import TokenRequest, export_with_token, module_for
from app.services.trust_service import crls, identity
from app.services.workspace import Workspace
from app.trust import certs

DRIVE_REMOVABLE = 2   # GetDriveTypeW


@dataclass(frozen=True)
class ExportTarget:
    """What the dialog shows before exporting."""

    enrolled: bool
    unit_code: str
    unit_name: str
    year: int
    issuer_name: str          # who receives the package: the issuer of the unit's signing certificate
    issuer_code: str


@dataclass(frozen=True)
class Readiness:
    """What is still missing, shown before the passphrase is asked (issue 17): nothing of it blocks the export,
    each travels as a warning in the package, and the officer may prefer to complete it first."""

    missing_values: int          # indicators with no value (0 points)
    missing_evidence: int        # required evidence missing, with no explanation
    missing_info: int            # general information not entered
    to_review: int               # values that cannot be scored, numerators over their denominator, evidence problems
    findings: tuple[Finding, ...]   # exactly the ones counted, for "Xem danh sách"

    @property
    def complete(self) -> bool:
        return not self.findings


_COUNTED = {"missing_value": "missing_values", "evidence_missing": "missing_evidence", "missing_info": "missing_info",
            "invalid_value": "to_review", "over_denominator": "to_review", "evidence_problem": "to_review"}


def readiness(ws: Workspace) -> Readiness:
    """The `dti check` findings an export would carry as warnings, counted by what the officer would do."""
    findings = tuple(f for f in check_unit(ws) if f.kind in _COUNTED)
    counts = {name: 0 for name in set(_COUNTED.values())}
    for finding in findings:
        counts[_COUNTED[finding.kind]] += 1
    return Readiness(counts["missing_values"], counts["missing_evidence"], counts["missing_info"], counts["to_review"],
                     findings)


@dataclass(frozen=True)
class ExportOutcome:
    result: ExportResult
    files: list[tuple[Path, int]]            # path, size in bytes
    fingerprint: str                         # SHA-256 of the manifest, in groups of four
    verified: bool
    verify_message_vi: str                   # the refusal when not verified
    signer_name: str
    entries: int
    kinds: dict[str, int] = field(default_factory=dict)
    verify_message_en: str = ""
    token_signer: str = ""                   # the official whose token also signed the package and the report

    def verify_message(self, lang: str) -> str:
        return self.verify_message_vi if lang == "vi" else self.verify_message_en or self.verify_message_vi


class Cancelled(Exception):
    """The officer cancelled before the writing started."""


@dataclass(frozen=True)
class TokenChoice:
    """A signing certificate on a token plugged in, as the export dialog offers it (issue 19 item 2)."""

    module: str          # the PKCS#11 module it was found through
    label: str           # the token's label
    serial: str          # the certificate's serial (hex): what `--cert` takes
    holder: str          # the subject's common name
    organisation: str

    def request(self, pin: str) -> TokenRequest:
        return TokenRequest(pin, self.module, self.label, self.serial)


_SIGNING_USAGES = {"digital_signature", "non_repudiation"}


def token_choices(ws: Workspace) -> list[TokenChoice]:
    """The signing certificates on the tokens plugged in (the token-lib setting, else the usual modules), read
    without a PIN. Never raises: no module, no token, a broken driver all mean nothing to offer."""
    try:
        from cryptography import x509

        from app.services.token_signing import signer_names
        from app.trust.token import list_tokens

        module = module_for(ws)
        found = []
        for token in list_tokens(module):
            signing = [c for c in token.certificates if "key_cert_sign" not in c.key_usage
                       and (_SIGNING_USAGES & set(c.key_usage) or not c.key_usage)]
            if any(c.has_key for c in signing):    # a token that shows its keys: only certificates with one
                signing = [c for c in signing if c.has_key]
            for c in signing:
                holder, organisation = signer_names(x509.load_der_x509_certificate(c.der))
                found.append(TokenChoice(module, token.label, c.serial, holder, organisation))
        return found
    except Exception:   # detection is a courtesy: whatever fails (no module, no token, a driver), no token offered
        return []


def export_target(ws: Workspace) -> ExportTarget:
    state = ws.state()
    ident = identity(ws)
    issuer_name = issuer_code = ""
    if ident.signing is not None:
        chain = ident.chain_for(ident.signing[0])
        if chain:
            issuer_name = certs.common_name(chain[0])
            issuer_code = certs.unit_code_of(chain[0]) or ""
    return ExportTarget(ident.signing is not None, state.code, state.name, state.loaded.framework.round.year,
                        issuer_name, issuer_code)


def package_name(target: ExportTarget, now: datetime) -> str:
    """A file name an officer recognises and that never collides with an earlier export."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in target.unit_code)
    return f"{safe}_DTI{target.year}_{now:%Y%m%d-%H%M%S}.dtipkg"


def export_and_verify(ws: Workspace, out: Path, passphrase: str, split_mb: int | None,
                      may_start: Callable[[], bool] = lambda: True, encrypt: bool = False,
                      token: TokenChoice | None = None, pin: str = "") -> ExportOutcome:
    """Export (a new revision), then read the written files back through the full verification. An encrypted
    package only its receiver can open: the writer read it back itself (every byte against what was written, the
    structure decrypted in place; app.packages.writer.write_sealed_package). With `token`, the
    official's token (logged in with `pin`, kept for this call only) co-signs the package and its report; a wrong
    PIN, a removed or locked token refuse before anything is written."""
    from app.packages import PackageRefused, TrustAnchors, read_manifest_bytes, verify_package

    if not may_start():
        raise Cancelled()
    if token is not None:
        result = export_with_token(ws, out, passphrase, token.request(pin), split_mb, encrypt=encrypt)
    else:
        result = export_package(ws, out, passphrase, split_mb, encrypt=encrypt)
    holder = token.holder if token is not None else ""
    files = [(p, p.stat().st_size) for p in result.paths]
    if result.encrypted_for:
        signing = identity(ws).signing
        return ExportOutcome(result, files, certs.grouped(result.manifest_sha256), True, "",
                             certs.common_name(signing[0]) if signing else "", 0, dict(result.warning_kinds),
                             token_signer=holder)
    source = result.paths if len(result.paths) > 1 else result.paths[0]
    fingerprint = certs.grouped(hashlib.sha256(read_manifest_bytes(source)).hexdigest())
    ident = identity(ws)
    try:
        verified = verify_package(source, TrustAnchors(tuple(ident.anchors), tuple(crls(ws))))
        ok, message, message_en = True, "", ""
        signer, entries = certs.common_name(verified.signer), len(verified.manifest["entries"])
    except (PackageRefused, UserError) as e:
        ok, message, message_en, signer, entries = False, e.message_vi, str(e), "", 0
    return ExportOutcome(result, files, fingerprint, ok, message, signer, entries, dict(result.warning_kinds),
                         message_en, holder)


# -- destinations ----------------------------------------------------------------------------------------
def removable_drives() -> list[Path]:
    """Mounted removable drives (USB sticks), offered first as destinations."""
    if sys.platform == "win32":
        return _windows_removable()
    user = os.environ.get("USER") or _user()
    found: list[Path] = []
    for base in (Path("/media") / user, Path("/run/media") / user):
        try:
            found += sorted(p for p in base.iterdir() if p.is_dir() and os.access(p, os.W_OK))
        except OSError:
            continue
    return found


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _windows_removable() -> list[Path]:
    kernel32 = ctypes.windll.kernel32   # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    out = []
    for i, letter in enumerate(string.ascii_uppercase):
        root = f"{letter}:\\"
        if mask & (1 << i) and kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == DRIVE_REMOVABLE:
            out.append(Path(root))
    return out


def documents_folder() -> Path:
    from PySide6.QtCore import QStandardPaths  # imported here: the rest of the module needs no Qt

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()
