"""Evidence of the own unit (tài liệu kiểm chứng): attach, remove, list, trust roots, and the checks.

Files are inspected before anything is stored, then copied into a content-addressed store
(<data>/evidence/ab/abcdef….pdf: temp file, fsync, rename), one copy however often attached and never
deleted, so a removal can be undone. A command that attaches several files stores all of them or, when one
is refused, none; the desktop application asks for `partial` and is told which files were refused and why.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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


COMPRESS_MAX_BYTES = 200 * 1024 * 1024   # the largest scan "Nén PDF" takes on: qpdf rewrites it in memory
WORTH_REWRITING = 0.95   # a file within the cap is replaced by its rewrite only when that saves 5 % or more


def _worth(before: int, after: int, cap: int) -> bool:
    """Whether a rewrite of `before` bytes into `after` is kept: any saving that brings a file under the cap,
    else a saving worth changing the file's hash for."""
    return after < before and (before > cap or after <= before * WORTH_REWRITING)


@dataclass(frozen=True)
class Refusal:
    """A file not attached: one line naming it and the reason. `compressible`: a PDF refused only for its
    size and not signed, which a rewrite (`optimize`, "Nén PDF" in the GUI) may bring under the cap."""

    name: str
    path: Path
    vi: str
    en: str
    size: int | None = None
    compressible: bool = False

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class IntakeItem:
    """A file attached by one call: what is stored, the file it came from (a photo converted to PDF, a PDF
    rewritten smaller) with its size, and whether it was new to the indicator."""

    item: AttachedEvidence
    source_name: str
    source_size: int
    new: bool
    how: str | None = None     # None | "to_pdf" (a photo stored as PDF) | "optimize" (rewritten smaller)


@dataclass(frozen=True)
class Intake:
    code: str
    attached: tuple[IntakeItem, ...]
    refused: tuple[Refusal, ...]
    cap: int   # bytes


@dataclass(frozen=True)
class Detached:
    """An attachment as it was before it was removed, enough to put it back (`restore_evidence`)."""

    code: str
    sha256: str
    name: str
    added_at: str


@dataclass(frozen=True)
class Compression:
    code: str
    name: str
    before_sha256: str
    after_sha256: str
    before_size: int
    after_size: int

    @property
    def changed(self) -> bool:
        return self.after_sha256 != self.before_sha256


@dataclass(frozen=True)
class _Prepared:
    name: str
    stored_from: Path          # the bytes to store (the original, or a converted/optimized copy)
    inspection: object         # app.evidence.model.Inspection
    original_sha256: str | None
    source_name: str
    source_size: int
    how: str | None            # None | "to_pdf" | "optimize"


class _NotTaken(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.en)
        self.refusal = refusal


def _mb(size: int, vi: bool) -> str:
    text = f"{size / (1024 * 1024):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", ",") if vi else text


def _described(name: str, sha256: str, source_name: str | None = None, original: str | None = None,
               how: str | None = None, lang: str = "vi") -> str:
    """A stored file as the audit log names it: its name and whole SHA-256, and the file it came from."""
    text = f"{name} (SHA-256 {sha256})"
    if original:
        verbs = {"to_pdf": ("chuyển từ ảnh", "converted from"), "optimize": ("nén từ", "compressed from")}
        vi, en = verbs.get(how or "", ("từ", "from"))
        text += f", {vi if lang == 'vi' else en} {source_name} (SHA-256 {original})"
    return text


def _check_code(ws: Workspace, code: str) -> str:
    state = ws.state()
    fw = state.loaded.framework
    code = code.strip()
    if fw.info_field(code) is None:
        if not fw.has_indicator(code) or not fw.indicator(code).applies_to(state.group):
            raise UserError(f"{code}: no indicator with this code for group {state.group} in {fw.id}",
                            f"{code}: không có chỉ tiêu mã này cho nhóm {state.group} trong bộ chỉ số {fw.id}")
        if not fw.indicator(code).is_leaf:
            raise UserError(f"{code}: attach evidence to its sub-indicators", f"{code}: hãy đính kèm ở các chỉ tiêu con")
    return code


def _refusal(path: Path, name: str, error: UserError, cap: int, roots: list[bytes]) -> Refusal:
    """What to tell about a refused file; for a PDF over the cap, whether compressing it is worth offering
    (it would otherwise be accepted and it is not signed) or, when it has a worse problem, that one."""
    from app.evidence.inspect import EvidenceRefused, inspect_file

    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    refusal = Refusal(name, path, error.message_vi, str(error), size)
    if size is None or not cap < size <= max(cap, COMPRESS_MAX_BYTES) or not name.lower().endswith(".pdf"):
        return refusal
    try:
        inspection = inspect_file(path, name, max(cap, COMPRESS_MAX_BYTES), roots)
    except EvidenceRefused as e:
        return Refusal(name, path, e.message_vi, str(e), size)
    if inspection.kind != "pdf" or inspection.signatures:
        return refusal
    return Refusal(name, path, refusal.vi, refusal.en, size, compressible=True)


def _too_large_after(name: str, path: Path, before: int, after: int | None, cap: int) -> _NotTaken:
    if after is None or _mb(after, False) == _mb(before, False):
        vi = (f"“{name}”: tệp {_mb(before, True)} MB, không nén nhỏ hơn được; vẫn vượt giới hạn {_mb(cap, True)} MB. "
              "Hãy quét lại ở độ phân giải thấp hơn (150–200 dpi) hoặc chia thành nhiều tệp.")
        en = (f"“{name}”: the file is {_mb(before, False)} MB and cannot be made smaller; it is still over the "
              f"{_mb(cap, False)} MB limit. Scan it again at a lower resolution (150-200 dpi) or split it.")
    else:
        vi = (f"“{name}”: sau khi nén còn {_mb(after, True)} MB (trước {_mb(before, True)} MB), vẫn vượt giới hạn "
              f"{_mb(cap, True)} MB. Hãy quét lại ở độ phân giải thấp hơn (150–200 dpi) hoặc chia thành nhiều tệp.")
        en = (f"“{name}”: {_mb(after, False)} MB after compression ({_mb(before, False)} MB before), still over the "
              f"{_mb(cap, False)} MB limit. Scan it again at a lower resolution (150-200 dpi) or split it.")
    return _NotTaken(Refusal(name, path, vi, en, before))


def _prepare(path: Path, index: int, scratch: Path, cap: int, roots: list[bytes], to_pdf: bool,
             optimize: bool) -> _Prepared:
    """Inspect one file (and convert or rewrite it when asked); raises _NotTaken with the reason."""
    from app.evidence.inspect import EvidenceRefused, image_to_pdf, inspect_file, optimize_pdf

    name = unicodedata.normalize("NFC", path.name)
    # Asked to compress: a PDF over the cap is read (up to COMPRESS_MAX_BYTES) so that it can be rewritten.
    limit = max(cap, COMPRESS_MAX_BYTES) if optimize and name.lower().endswith(".pdf") else cap
    try:
        inspection = inspect_file(path, name, limit, roots)
    except EvidenceRefused as e:
        raise _NotTaken(_refusal(path, name, e, cap, roots)) from None
    source_size, stored_name, source, original, how = inspection.size, name, path, None, None
    try:
        if to_pdf and inspection.kind in ("jpeg", "png"):
            converted = scratch / f"{index}.pdf"
            converted.write_bytes(image_to_pdf(path))
            original, source, how = inspection.sha256, converted, "to_pdf"
            stored_name = str(Path(name).with_suffix(".pdf"))
            inspection = inspect_file(converted, stored_name, cap, roots)
        elif optimize and inspection.kind == "pdf":
            smaller = optimize_pdf(path)   # refuses a signed PDF: rewriting would break it
            if _worth(inspection.size, len(smaller), cap):
                rewritten = scratch / f"{index}.pdf"
                rewritten.write_bytes(smaller)
                original, source, how = inspection.sha256, rewritten, "optimize"
                inspection = inspect_file(rewritten, name, limit, roots)
    except EvidenceRefused as e:
        raise _NotTaken(Refusal(name, path, e.message_vi, str(e), source_size)) from None
    if inspection.size > cap:
        raise _too_large_after(name, path, source_size, inspection.size if original else None, cap)
    return _Prepared(stored_name, source, inspection, original, name, source_size, how)


def attach_files(ws: Workspace, code: str, files: list[Path], *, to_pdf: bool = False, optimize: bool = False,
                 partial: bool = False) -> Intake:
    """Inspect every file, store the accepted ones and attach them to `code` in one transaction.

    to_pdf: JPEG/PNG scans are stored as one-page PDFs (the photo's SHA-256 is kept as the original).
    optimize: unsigned PDFs are rewritten smaller, and one over the size cap is accepted when the rewrite
    brings it under. partial: the accepted files are attached and the refused ones listed in the result;
    without it (the command line) one refused file refuses the whole call and nothing is stored."""
    code = _check_code(ws, code)
    roots = trust_roots(ws)
    cap = _max_bytes(ws)
    prepared: list[_Prepared] = []
    refused: list[Refusal] = []
    with tempfile.TemporaryDirectory(prefix="dti-evidence-") as scratch:
        for index, path in enumerate(files):
            try:
                prepared.append(_prepare(Path(path), index, Path(scratch), cap, roots, to_pdf, optimize))
            except _NotTaken as e:
                refused.append(e.refusal)
        if refused and not partial:
            hint_en = " --optimize may bring it under the limit." if any(r.compressible for r in refused) else ""
            hint_vi = " Có thể thử --optimize để nén xuống dưới giới hạn." if hint_en else ""
            raise UserError("; ".join(r.en for r in refused) + " (nothing attached)" + hint_en,
                            "; ".join(r.vi for r in refused) + " (chưa đính kèm tệp nào)" + hint_vi)
        storable = []
        for item in prepared:
            try:
                _copy_into_store(ws, item.stored_from, item.inspection.sha256, item.inspection.ext)
            except UserError as e:
                if not partial:
                    raise
                refused.append(Refusal(item.source_name, item.stored_from, e.message_vi, str(e), item.source_size))
            else:
                storable.append(item)
    if not storable:
        return Intake(code, (), tuple(refused), cap)
    done = []
    with ws.store.session.begin() as session:
        unit = ws.own_unit(session)
        rid = ws.round_of_unit(session, unit)[0]
        now = stamp(ws.clock())
        actor = ws.actor(session)
        for item in storable:
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
            exists = session.scalars(select(Attachment).where(
                Attachment.unit_id == unit.id, Attachment.round_id == rid, Attachment.code == code,
                Attachment.sha256 == insp.sha256)).first()
            if exists is None:
                session.add(Attachment(
                    unit_id=unit.id, round_id=rid, code=code, sha256=insp.sha256, name=item.name, added_at=now))
                audit.append(session, at=now, actor=actor, action="evidence.add", unit_code=unit.code, code=code,
                             new=_described(item.name, insp.sha256, item.source_name, item.original_sha256, item.how,
                                            ws.lang))
            done.append(IntakeItem(_record(code, item.name, insp, item.original_sha256), item.source_name,
                                   item.source_size, exists is None, item.how))
    return Intake(code, tuple(done), tuple(refused), cap)


def add_evidence(ws: Workspace, code: str, files: list[Path], *, to_pdf: bool = False,
                 optimize: bool = False) -> list[AttachedEvidence]:
    """All or nothing (`dti evidence add`): every file is attached, or a UserError lists the refused ones
    and nothing is stored."""
    return [i.item for i in attach_files(ws, code, files, to_pdf=to_pdf, optimize=optimize).attached]


def _record(code: str, name: str, insp, original: str | None) -> AttachedEvidence:
    data = insp.to_json()
    return AttachedEvidence(code, name, insp.sha256, insp.size, insp.kind, insp.pages,
                            tuple(StoredProblem(p["code"], p["vi"], p["en"]) for p in data["problems"]),
                            tuple(data["signatures"]), original)


def detach_evidence(ws: Workspace, code: str, which: str, reason: str | None = None) -> tuple[Detached, ...]:
    """Detach evidence from `code` by file name or by a SHA-256 prefix (at least 6 characters); returns what
    was detached, so that it can be put back. The stored file stays: it is content-addressed and the audit
    log names it."""
    which_nfc = unicodedata.normalize("NFC", which).strip()
    with ws.store.session.begin() as session:
        unit = ws.own_unit(session)
        rid = ws.round_of_unit(session, unit)[0]
        rows = session.scalars(select(Attachment).where(
                Attachment.unit_id == unit.id, Attachment.round_id == rid, Attachment.code == code)).all()
        matches = [r for r in rows if r.name == which_nfc or (len(which_nfc) >= 6 and r.sha256.startswith(which_nfc))]
        if not matches:
            names = ", ".join(r.name for r in rows) or ("none" if ws.lang != "vi" else "không có")
            raise UserError(f"{code}: no attached evidence '{which}' (attached: {names})",
                            f"{code}: không có tài liệu '{which}' (đang đính kèm: {names})")
        now = stamp(ws.clock())
        actor = ws.actor(session)
        gone = []
        for row in matches:
            audit.append(session, at=now, actor=actor, action="evidence.remove", unit_code=unit.code, code=code,
                         old=_described(row.name, row.sha256), reason=reason)
            gone.append(Detached(code, row.sha256, row.name, row.added_at))
            session.delete(row)
        return tuple(gone)


def remove_evidence(ws: Workspace, code: str, which: str, reason: str | None = None) -> int:
    """`dti evidence remove`: how many attachments were detached."""
    return len(detach_evidence(ws, code, which, reason))


def restore_evidence(ws: Workspace, records: tuple[Detached, ...] | list[Detached], reason: str = "undo") -> int:
    """Put detached attachments back under their names and first dates (an undo); one already attached again
    is left as it is. Returns how many were put back."""
    with ws.store.session.begin() as session:
        unit = ws.own_unit(session)
        rid = ws.round_of_unit(session, unit)[0]
        now = stamp(ws.clock())
        actor = ws.actor(session)
        count = 0
        for record in records:
            stored = session.get(EvidenceFile, record.sha256)
            if stored is None or not evidence_path(ws.data_dir, stored.sha256, stored.ext).is_file():
                raise UserError(f"the stored file of {record.name} is missing", f"không tìm thấy tệp đã lưu {record.name}")
            if session.scalars(select(Attachment).where(
                Attachment.unit_id == unit.id, Attachment.round_id == rid, Attachment.code == record.code,
                Attachment.sha256 == record.sha256)).first() is not None:
                continue
            session.add(Attachment(
                    unit_id=unit.id, round_id=rid, code=record.code, sha256=record.sha256, name=record.name,
                                   added_at=record.added_at))
            session.flush()
            audit.append(session, at=now, actor=actor, action="evidence.add", unit_code=unit.code, code=record.code,
                         new=_described(record.name, record.sha256), reason=reason)
            count += 1
        return count


def compress_attached(ws: Workspace, code: str, sha256: str) -> Compression:
    """Rewrite an attached unsigned PDF smaller ("Nén PDF") and attach the smaller copy in its place, under
    the same name; the original stays in the store and its SHA-256 is kept as the copy's original. When the
    rewrite is not smaller, nothing changes (`Compression.changed` is False)."""
    from app.evidence.inspect import inspect_file, optimize_pdf

    with ws.store.session() as session:
        unit = ws.own_unit(session)
        rid = ws.round_of_unit(session, unit)[0]
        row = session.scalars(select(Attachment).where(
                Attachment.unit_id == unit.id, Attachment.round_id == rid, Attachment.code == code,
                Attachment.sha256 == sha256)).first()
        stored = session.get(EvidenceFile, sha256)
        if row is None or stored is None:
            raise UserError(f"{code}: no attached evidence {sha256[:12]}", f"{code}: không có tài liệu {sha256[:12]}")
        name, size, ext, kind = row.name, stored.size, stored.ext, stored.kind
    if kind != "pdf":
        raise UserError(f"“{name}”: only PDF files can be compressed", f"“{name}”: chỉ nén được tệp PDF")
    with tempfile.TemporaryDirectory(prefix="dti-evidence-") as scratch:
        # Rewritten from a copy under the name the officer knows, so that a refusal names that file.
        safe = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name)[:120] or "evidence.pdf"
        copy = Path(scratch) / "in" / safe
        copy.parent.mkdir()
        shutil.copyfile(evidence_path(ws.data_dir, sha256, ext), copy)
        smaller = optimize_pdf(copy)   # refuses a signed PDF
        if not _worth(size, len(smaller), size):
            return Compression(code, name, sha256, sha256, size, size)
        rewritten = Path(scratch) / "out.pdf"
        rewritten.write_bytes(smaller)
        insp = inspect_file(rewritten, name, max(size, _max_bytes(ws)), trust_roots(ws))
        _copy_into_store(ws, rewritten, insp.sha256, insp.ext)
    with ws.store.session.begin() as session:
        now = stamp(ws.clock())
        if session.get(EvidenceFile, insp.sha256) is None:
            session.add(EvidenceFile(sha256=insp.sha256, size=insp.size, ext=insp.ext, kind=insp.kind, pages=insp.pages,
                                     inspection_json=json.dumps(insp.to_json(), ensure_ascii=False),
                                     original_sha256=sha256, stored_at=now))
            session.flush()
        _replace(ws, session, code, sha256, insp.sha256, "evidence.optimize", None)
    return Compression(code, name, sha256, insp.sha256, size, insp.size)


def replace_attachment(ws: Workspace, code: str, from_sha256: str, to_sha256: str, reason: str | None = None) -> bool:
    """Attach the stored file `to_sha256` in place of `from_sha256` under the same name (undo and redo of a
    compression); False when `from_sha256` is no longer attached to `code`."""
    with ws.store.session.begin() as session:
        stored = session.get(EvidenceFile, to_sha256)
        if stored is None or not evidence_path(ws.data_dir, stored.sha256, stored.ext).is_file():
            raise UserError(f"the stored file {to_sha256[:12]} is missing", f"không tìm thấy tệp đã lưu {to_sha256[:12]}")
        return _replace(ws, session, code, from_sha256, to_sha256, "evidence.replace", reason)


def _replace(ws: Workspace, session, code: str, from_sha256: str, to_sha256: str, action: str,
             reason: str | None) -> bool:
    unit = ws.own_unit(session)
    rid = ws.round_of_unit(session, unit)[0]
    rows = {r.sha256: r for r in session.scalars(select(Attachment).where(
        Attachment.unit_id == unit.id, Attachment.round_id == rid, Attachment.code == code,
        Attachment.sha256.in_([from_sha256, to_sha256])))}
    row = rows.get(from_sha256)
    if row is None:
        return False
    audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action=action, unit_code=unit.code,
                 code=code, old=_described(row.name, from_sha256), new=_described(row.name, to_sha256), reason=reason)
    if to_sha256 in rows:   # the other file is attached already: only this one goes
        session.delete(row)
    else:
        row.sha256 = to_sha256
    return True


def attached(ws: Workspace) -> list[AttachedEvidence]:
    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if unit is None:
            return []
        rid = ws.round_of_unit(session, unit)[0]
        rows = session.execute(select(Attachment, EvidenceFile).join(EvidenceFile)
                               .where(Attachment.unit_id == unit.id, Attachment.round_id == rid)
                               .order_by(Attachment.code, Attachment.id))
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
