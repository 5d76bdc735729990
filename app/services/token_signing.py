"""An export signed with an official's USB token as well (issue 19; DESIGN §5 "Tokens").

`export_with_token(ws, out, passphrase, request)` opens the token (module: the request's, else the
`token-lib` setting, else the usual modules of app.trust.token), logs in with the PIN, chooses the signing
certificate, and runs the ordinary export with it as co-signer: a second signer in manifest.p7s and the
report PDF signed as PAdES. A missing module or token, a wrong or locked PIN, an expired certificate each
refuse before anything is reserved or written. The PIN lives in the request for the call only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.services.workspace import Workspace

TOKEN_LIB = "token-lib"


@dataclass(frozen=True)
class TokenRequest:
    pin: str = field(repr=False)
    module: str | None = None           # --lib; None: the token-lib setting, then the usual modules
    label: str | None = None            # --token-label
    cert: str | None = None             # --cert: serial or part of the common name


def module_for(ws: Workspace | None, explicit: str | None = None) -> str:
    from app.trust.token import find_module

    if not explicit and ws is not None:
        with ws.store.session() as session:
            explicit = ws.setting(session, TOKEN_LIB) or None
    return find_module(explicit)


@contextlib.contextmanager
def token_cosigner(ws: Workspace, request: TokenRequest) -> Iterator[Any]:
    from app.trust.token import open_signer

    with open_signer(module_for(ws, request.module), request.pin, request.label, request.cert, at=ws.clock()) as signer:
        yield signer


def signer_names(cert: Any) -> tuple[str, str]:
    """(common name, organisation) of a certificate's subject."""
    from cryptography.x509.oid import NameOID

    def first(oid: Any) -> str:
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return first(NameOID.COMMON_NAME) or cert.subject.rfc4514_string(), first(NameOID.ORGANIZATION_NAME)


def sign_report_pdf(pdf: bytes, cosigner: Any, when: datetime) -> bytes:
    from app.reports.pdf_sign import sign_report

    who, organisation = signer_names(cosigner.cert)
    return sign_report(pdf, cosigner.pdf_signer(), who, organisation, when)


def export_with_token(ws: Workspace, out: Path, passphrase: str, request: TokenRequest, split_mb: int | None = None,
                      **options: Any):
    """`package_export.export_package` with the token as co-signer (`options`: its other keywords, e.g. encrypt)."""
    from app.services.package_export import export_package

    with token_cosigner(ws, request) as cosigner:
        return export_package(ws, out, passphrase, split_mb, cosigner=cosigner, **options)
