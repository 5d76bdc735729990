"""Enrollment management (quản lý cấp tài khoản) for the aggregator's window, as plain data: the units this
installation enrolled with their certificates, the frameworks and groups it can enroll on, issuing one unit
or a list read from Excel (one outcome per row, each refusal with its reason), and the revocation list.

Runs on the GUI's database worker; ORM objects and certificates never leave it."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Enrollment, RevocationList, Unit
from app.services.first_run import FrameworkChoice
from app.services.workspace import Workspace

# Columns of the Excel list: Mã đơn vị | Tên đơn vị | Nhóm [| Cấp huyện (x)]
LIST_HEADERS = ("mã đơn vị", "tên đơn vị", "nhóm", "cấp huyện")
MAX_LIST_ROWS = 2000


@dataclass(frozen=True)
class EnrollmentRow:
    unit_code: str
    unit_name: str
    group: str
    group_title: str
    parent: str
    framework_id: str
    can_issue: bool
    issued_at: datetime               # aware, UTC
    revoked_at: datetime | None
    valid_until: datetime | None
    fingerprint: str                  # SHA-256 of the signing certificate, hex
    serial: str


@dataclass(frozen=True)
class EnrollmentDesk:
    """What the enrollment page shows and offers."""

    can_enroll: bool                  # holds a root (province) or an issuing CA (district)
    can_issue_others: bool            # a province: may enroll districts that enroll their communes
    frameworks: tuple[FrameworkChoice, ...]   # the default first
    rows: tuple[EnrollmentRow, ...]
    crl_count: int                    # CRLs this installation issued (0: nothing revoked yet)


@dataclass(frozen=True)
class IssueOutcome:
    line: int | None
    unit_code: str
    unit_name: str
    ok: bool
    reason_vi: str = ""
    reason_en: str = ""
    out: Path | None = None
    sheet: Path | None = None
    passphrase: str = ""
    fingerprint: str = ""

    def reason(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _framework_options(ws: Workspace, ident) -> list[FrameworkChoice]:
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        own_ref = (own.framework_id, own.framework_sha256) if own else None
        used = Counter((e.framework_id, e.framework_sha256) for e in session.scalars(select(Enrollment)))
    refs: list[str] = []
    if ident.root is None and own_ref is not None:   # a district enrolls its communes on its own framework
        refs = [f"{own_ref[0]}@{own_ref[1]}"]
    else:
        # those already enrolled on, then those imported here; the bundled ones only when there is none
        # (parsing every bundled framework takes seconds, and this runs at every refresh)
        refs = [f"{fid}@{sha}" for (fid, sha), _n in used.most_common()]
        for fid in ws.frameworks.imported_ids():
            if not any(r.startswith(fid + "@") for r in refs):
                refs.append(fid)
        if not refs:
            refs = [f"{entry.id}@{entry.sha256}" for entry in ws.frameworks.list()]
    out = []
    for ref in refs:
        try:
            loaded = ws.frameworks.get(ref)
        except UserError:
            continue
        out.append(FrameworkChoice.of(loaded))
    return out


def load(ws: Workspace) -> EnrollmentDesk:
    from app.services.trust_service import identity
    from app.trust import certs

    ident = identity(ws)
    can_enroll = ident.root is not None or ident.issuing is not None
    frameworks = _framework_options(ws, ident) if can_enroll else []
    titles = {g.code: g.title for f in frameworks for g in f.groups}
    rows = []
    with ws.store.session() as session:
        for e in session.scalars(select(Enrollment).order_by(Enrollment.unit_code)):
            cert = x509.load_der_x509_certificate(e.cert_der)
            rows.append(EnrollmentRow(e.unit_code, e.unit_name, e.group_code, titles.get(e.group_code, e.group_code),
                                      e.parent_code, e.framework_id, bool(e.can_issue), _when(e.issued_at) or
                                      datetime.now(UTC), _when(e.revoked_at), cert.not_valid_after_utc,
                                      certs.fingerprint(cert), e.cert_serial))
        issuer = ident.issuer()[0] if can_enroll else None
        crl_count = 0 if issuer is None else len(session.scalars(select(RevocationList.id).where(
            RevocationList.issuer_sha256 == certs.fingerprint(issuer))).all())
    return EnrollmentDesk(can_enroll, ident.root is not None, tuple(frameworks), tuple(rows), crl_count)


def resolve_group(option: FrameworkChoice, typed: str) -> str | None:
    """A group code from what a list says: the code itself or the group's title, any case and spacing."""
    wanted = _fold(typed)
    for g in option.groups:
        if wanted in (_fold(g.code), _fold(g.title)):
            return g.code
    return None


def issue_one(ws: Workspace, option: FrameworkChoice, *, unit_code: str, unit_name: str, group: str, can_issue: bool,
              folder: Path, passphrase: str, line: int | None = None) -> IssueOutcome:
    """Issue one enrollment file (and its sheet) into `folder` as `<code>.dtienroll`; a refusal is an outcome
    with the reason, never an exception (so that a list goes on)."""
    from app.services.enrollment import issue

    code = unit_code.strip()
    try:
        if not code:
            raise UserError("the unit code is empty", "mã đơn vị đang trống")
        group_code = resolve_group(option, group)
        if group_code is None:
            known = ", ".join(g.code for g in option.groups)
            raise UserError(f"framework {option.id} has no group '{group}' (groups: {known})",
                            f"bộ chỉ số {option.id} không có nhóm '{group}' (các nhóm: {known})")
        out = Path(folder) / f"{code}.dtienroll"
        if out.exists():
            raise UserError(f"{out.name} already exists in the chosen folder", f"tệp {out.name} đã có trong thư mục đã chọn")
        result = issue(ws, framework_ref=option.ref, unit_code=code, unit_name=unit_name, group=group_code, out=out,
                       can_issue=can_issue, passphrase=passphrase, unit_passphrase=None)
    except UserError as e:
        return IssueOutcome(line, code, unit_name.strip(), False, e.message_vi, str(e))
    return IssueOutcome(line, code, unit_name.strip(), True, out=result.out, sheet=result.sheet,
                        passphrase=result.passphrase, fingerprint=result.fingerprint)


def write_crl(ws: Workspace, out: Path) -> Path:
    """The newest revocation list this installation issued, written to `out` (atomically)."""
    from app.atomicfile import write_bytes
    from app.services.trust_service import identity
    from app.trust import certs

    issuer = identity(ws).issuer()[0]
    with ws.store.session() as session:
        row = session.scalars(select(RevocationList).where(RevocationList.issuer_sha256 == certs.fingerprint(issuer))
                              .order_by(RevocationList.number.desc())).first()
        der = row.der if row is not None else None
    if der is None:
        raise UserError("no unit has been revoked here yet: there is no revocation list to export",
                        "chưa thu hồi đơn vị nào: chưa có danh sách thu hồi để xuất")
    write_bytes(Path(out), der)
    return Path(out)
