"""Evidence of the own unit (tài liệu kiểm chứng): attach, remove, list, trust roots, and the checks.

Files are inspected before anything is stored, then copied into a content-addressed store
(<data>/evidence/ab/abcdef….pdf: temp file, fsync, rename), one copy however often attached. A command
that attaches several files stores all of them or, when one is refused, none.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.atomicfile import atomic_output, make_read_only, make_writable
from app.errors import UserError
from app.evidence.model import EXT_OF_KIND
from app.models.tables import Attachment, EvidenceFile, TrustRoot, Unit
from app.services import audit
from app.services.checks import Finding, find_problems
from app.services.workspace import Workspace, stamp

DEFAULT_MAX_MB = 10
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredProblem:
    code: str
    vi: str
    en: str


@dataclass(frozen=True)
class AttachedEvidence:
    code: str
    name: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    problems: tuple[StoredProblem, ...]
    signatures: tuple[dict, ...]
    original_sha256: str | None = None

    def to_data(self, lang: str) -> dict:
        return {"code": self.code, "name": self.name, "sha256": self.sha256, "size": self.size, "kind": self.kind,
                "pages": self.pages, "original_sha256": self.original_sha256,
                "problems": [{"code": p.code, "message": p.vi if lang == "vi" else p.en} for p in self.problems],
                "signatures": [dict(s) for s in self.signatures]}


def evidence_path(data_dir: Path, sha256: str, ext: str) -> Path:
    return data_dir / "evidence" / sha256[:2] / f"{sha256}.{ext}"


def trust_roots(ws: Workspace) -> list[bytes]:
    with ws.store.session() as session:
        return [row.der for row in session.scalars(select(TrustRoot).order_by(TrustRoot.sha256))]


def _max_bytes(ws: Workspace) -> int:
    with ws.store.session() as session:
        value = ws.setting(session, "evidence_max_mb")
    return int(value or DEFAULT_MAX_MB) * 1024 * 1024


def _copy_into_store(ws: Workspace, source: Path, sha256: str, ext: str) -> None:
    """Copy `source` to its content address, verifying on the way that it is still the inspected file."""
    target = evidence_path(ws.data_dir, sha256, ext)
    if target.is_file():
        return
    digest = hashlib.sha256()
    with open(source, "rb") as src, atomic_output(target) as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
        if digest.hexdigest() != sha256:  # raising inside atomic_output removes the temp file
            raise UserError(f"{source.name} changed while it was being attached; attach it again",
                            f"{source.name} bị thay đổi trong lúc đính kèm; hãy đính kèm lại")
    make_read_only(target)   # content-addressed: it never changes again


def viewing_copy(stored: Path, name: str) -> Path:
    """A read-only copy of a stored evidence file, under the name the unit gave it, for the system's viewer:
    the store's own file is never handed to another program, since a viewer that saves a rotation or an
    annotation in place would alter a file that packages and received skeletons rely on byte for byte.
    Kept in the temporary folder (one folder per stored file, reused while its copy is whole)."""
    import shutil

    if not stored.is_file():
        raise UserError(f"the stored file {stored.name} is missing", f"không tìm thấy tệp đã lưu {stored.name}")
    title = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip(" .") or stored.name
    title = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in title)[:120]
    if not title.lower().endswith(stored.suffix.lower()):
        title += stored.suffix
    folder = Path(tempfile.gettempdir()) / f"dti-view-{_user_tag()}" / stored.stem[:16]
    copy = folder / title
    if copy.is_file() and copy.stat().st_size == stored.stat().st_size:
        return copy
    folder.mkdir(parents=True, exist_ok=True)
    make_writable(copy)
    try:
        shutil.copyfile(stored, copy)
    except OSError as e:
        raise UserError(f"cannot copy {title} for viewing ({e.strerror})",
                        f"không sao chép được {title} để xem ({e.strerror})") from None
    make_read_only(copy)
    return copy


def _user_tag() -> str:
    """Per user, so that two people on one computer do not share (or collide on) the viewing copies."""
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else hashlib.sha256(os.path.expanduser("~").encode()).hexdigest()[:8]


@dataclass(frozen=True)
class _Prepared:
    name: str
    stored_from: Path          # the bytes to store (the original, or a converted/optimized copy)
    inspection: object         # app.evidence.model.Inspection
    original_sha256: str | None


def add_evidence(ws: Workspace, code: str, files: list[Path], *, to_pdf: bool = False,
                 optimize: bool = False) -> list[AttachedEvidence]:
    """Inspect every file, then store them all and attach them to `code` in one transaction."""
    from app.evidence.inspect import EvidenceRefused, image_to_pdf, inspect_file, optimize_pdf

    state = ws.state()
    fw = state.loaded.framework
    code = code.strip()
    if fw.info_field(code) is None:
        if not fw.has_indicator(code) or not fw.indicator(code).applies_to(state.group):
            raise UserError(f"{code}: no indicator with this code for group {state.group} in {fw.id}",
                            f"{code}: không có chỉ tiêu mã này cho nhóm {state.group} trong bộ chỉ số {fw.id}")
        if not fw.indicator(code).is_leaf:
            raise UserError(f"{code}: attach evidence to its sub-indicators", f"{code}: hãy đính kèm ở các chỉ tiêu con")
    roots = trust_roots(ws)
    cap = _max_bytes(ws)
    prepared: list[_Prepared] = []
    refusals: list[UserError] = []
    with tempfile.TemporaryDirectory(prefix="dti-evidence-") as scratch:
        for index, path in enumerate(files):
            path = Path(path)
            name = unicodedata.normalize("NFC", path.name)
            try:
                inspection = inspect_file(path, name, cap, roots)
                original = None
                source = path
                if to_pdf and inspection.kind in ("jpeg", "png"):
                    converted = Path(scratch) / f"{index}.pdf"
                    converted.write_bytes(image_to_pdf(path))
                    original, source = inspection.sha256, converted
                    name = str(Path(name).with_suffix(".pdf"))
                    inspection = inspect_file(converted, name, cap, roots)
                elif optimize and inspection.kind == "pdf":
                    smaller = optimize_pdf(path)   # refuses a signed PDF: rewriting would break it
                    if len(smaller) < inspection.size:
                        rewritten = Path(scratch) / f"{index}.pdf"
                        rewritten.write_bytes(smaller)
                        original, source = inspection.sha256, rewritten
                        inspection = inspect_file(rewritten, name, cap, roots)
                prepared.append(_Prepared(name, source, inspection, original))
            except EvidenceRefused as e:
                refusals.append(e)
        if refusals:
            raise UserError("; ".join(str(e) for e in refusals) + " (nothing attached)",
                            "; ".join(e.message_vi for e in refusals) + " (chưa đính kèm tệp nào)")
        for item in prepared:
            _copy_into_store(ws, item.stored_from, item.inspection.sha256, item.inspection.ext)
    attached_now = []
    with ws.store.session.begin() as session:
        unit = ws.own_unit(session)
        now = stamp(ws.clock())
        actor = ws.actor(session)
        for item in prepared:
            insp = item.inspection
            stored = session.get(EvidenceFile, insp.sha256)
            inspection_json = json.dumps(insp.to_json(), ensure_ascii=False)
            if stored is None:
                session.add(EvidenceFile(sha256=insp.sha256, size=insp.size, ext=insp.ext, kind=insp.kind,
                                         pages=insp.pages, inspection_json=inspection_json,
                                         original_sha256=item.original_sha256, stored_at=now))
                session.flush()
            else:
                stored.inspection_json = inspection_json  # same bytes; trust in its signers may have changed
            exists = session.scalars(select(Attachment).where(Attachment.unit_id == unit.id, Attachment.code == code,
                                                              Attachment.sha256 == insp.sha256)).first()
            if exists is None:
                session.add(Attachment(unit_id=unit.id, code=code, sha256=insp.sha256, name=item.name, added_at=now))
                audit.append(session, at=now, actor=actor, action="evidence.add", unit_code=unit.code, code=code,
                             new=f"{item.name} ({insp.sha256[:12]})")
            attached_now.append(_record(code, item.name, insp, item.original_sha256))
    return attached_now


def _record(code: str, name: str, insp, original: str | None) -> AttachedEvidence:
    data = insp.to_json()
    return AttachedEvidence(code, name, insp.sha256, insp.size, insp.kind, insp.pages,
                            tuple(StoredProblem(p["code"], p["vi"], p["en"]) for p in data["problems"]),
                            tuple(data["signatures"]), original)


def remove_evidence(ws: Workspace, code: str, which: str, reason: str | None = None) -> int:
    """Detach evidence from `code` by file name or by a SHA-256 prefix (at least 6 characters).
    The stored file stays: it is content-addressed and the audit log names it."""
    which_nfc = unicodedata.normalize("NFC", which).strip()
    with ws.store.session.begin() as session:
        unit = ws.own_unit(session)
        rows = session.scalars(select(Attachment).where(Attachment.unit_id == unit.id, Attachment.code == code)).all()
        matches = [r for r in rows if r.name == which_nfc or (len(which_nfc) >= 6 and r.sha256.startswith(which_nfc))]
        if not matches:
            names = ", ".join(r.name for r in rows) or ("none" if ws.lang != "vi" else "không có")
            raise UserError(f"{code}: no attached evidence '{which}' (attached: {names})",
                            f"{code}: không có tài liệu '{which}' (đang đính kèm: {names})")
        now = stamp(ws.clock())
        actor = ws.actor(session)
        for row in matches:
            audit.append(session, at=now, actor=actor, action="evidence.remove", unit_code=unit.code, code=code,
                         old=f"{row.name} ({row.sha256[:12]})", reason=reason)
            session.delete(row)
        return len(matches)


def attached(ws: Workspace) -> list[AttachedEvidence]:
    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if unit is None:
            return []
        rows = session.execute(select(Attachment, EvidenceFile).join(EvidenceFile)
                               .where(Attachment.unit_id == unit.id).order_by(Attachment.code, Attachment.id))
        out = []
        for att, ev in rows:
            inspection = json.loads(ev.inspection_json)
            problems = tuple(StoredProblem(p["code"], p["vi"], p["en"]) for p in inspection.get("problems", []))
            out.append(AttachedEvidence(att.code, att.name, ev.sha256, ev.size, ev.kind, ev.pages, problems,
                                        tuple(inspection.get("signatures", [])), ev.original_sha256))
        return out


def add_trust_root(ws: Workspace, path: Path) -> tuple[str, str, bool]:
    """Trust a CA certificate (PEM or DER) for evidence signatures; (subject, sha256, newly added)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {Path(path).name}: {e.strerror or e}",
                        f"không đọc được {Path(path).name}: {e.strerror or e}") from None
    try:
        cert = x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw[:4096] else x509.load_der_x509_certificate(raw)
    except ValueError:
        raise UserError(f"{Path(path).name} is not an X.509 certificate (PEM or DER)",
                        f"{Path(path).name} không phải chứng thư số X.509 (PEM hoặc DER)") from None
    der = cert.public_bytes(Encoding.DER)
    sha = hashlib.sha256(der).hexdigest()
    subject = unicodedata.normalize("NFC", cert.subject.rfc4514_string())
    with ws.store.session.begin() as session:
        if session.get(TrustRoot, sha) is not None:
            return subject, sha, False
        now = stamp(ws.clock())
        session.add(TrustRoot(sha256=sha, subject=subject, der=der, added_at=now))
        audit.append(session, at=now, actor=ws.actor(session), action="trust.add", new=f"{subject} ({sha[:12]})")
    revalidate_signed(ws)
    return subject, sha, True


def revalidate_signed(ws: Workspace) -> int:
    """Inspect the stored signed files again against the current trust roots; returns how many changed."""
    from app.evidence.inspect import EvidenceRefused, inspect_file

    roots = trust_roots(ws)
    changed = 0
    with ws.store.session.begin() as session:
        for row in session.scalars(select(EvidenceFile).where(EvidenceFile.kind == "pdf")):
            if not json.loads(row.inspection_json).get("signatures"):
                continue
            path = evidence_path(ws.data_dir, row.sha256, row.ext)
            try:
                fresh = inspect_file(path, path.name, max(row.size, 1), roots)
            except (EvidenceRefused, OSError):
                continue
            text = json.dumps(fresh.to_json(), ensure_ascii=False)
            if fresh.sha256 == row.sha256 and text != row.inspection_json:
                row.inspection_json = text
                changed += 1
    return changed


def check_unit(ws: Workspace) -> list[Finding]:
    state = ws.state()
    by_code: dict[str, list[AttachedEvidence]] = {}
    for item in attached(ws):
        by_code.setdefault(item.code, []).append(item)
    return find_problems(state, ws.score(state), by_code)


def stored_file_ok(ws: Workspace, item: AttachedEvidence) -> bool:
    """The stored copy still has the content its name promises (for packaging and audits)."""
    path = evidence_path(ws.data_dir, item.sha256, EXT_OF_KIND[item.kind])
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == item.sha256 and os.path.getsize(path) == item.size
