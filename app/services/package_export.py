"""`dti package export`: the own unit's submission as one signed package (DESIGN §6).

Every export is a new revision. The revision number is reserved in the store before the file is
written, so a crash can leave a gap (allowed) but never two different files with the same revision.
Missing values or evidence never block an export: they travel as warnings in the manifest and in the
self-assessment report (`report/self-assessment.pdf`), which is made from the same data read once
(`gather`) and lists the SHA-256 of the data entries and evidence files beside it.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import __version__
from app.entries.values import encode
from app.errors import UserError
from app.evidence.model import EXT_OF_KIND
from app.models.tables import AuditEntry, Export
from app.reports.unit_data import UnitReport
from app.scoring.engine import UnitScore
from app.services import audit
from app.services.checks import Finding, find_problems
from app.services.evidence_service import AttachedEvidence, attached, evidence_path
from app.services.report_unit import draw_report, package_report
from app.services.score_view import score_data
from app.services.trust_service import identity
from app.services.workspace import UnitState, Workspace, stamp
from app.trust import certs, keys

PACKAGE_FORMAT = "dti-package/1"
REPORT_ENTRY = "report/self-assessment.pdf"


@dataclass(frozen=True)
class ExportResult:
    paths: list[Path]
    revision: int
    warnings: list[str]
    warning_kinds: dict[str, int]      # finding kind -> count, for a one-line summary
    manifest_sha256: str = ""          # of the manifest written
    encrypted_for: str = ""            # the common name of the authority it was encrypted for, when encrypted


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _audit_rows(ws: Workspace, unit_code: str) -> list[dict]:
    with ws.store.session() as session:
        rows = session.scalars(select(AuditEntry).where((AuditEntry.unit_code == unit_code)
                                                        | (AuditEntry.unit_code.is_(None))).order_by(AuditEntry.id))
        return [{"at": r.at, "actor": r.actor, "action": r.action, "code": r.code, "old": r.old, "new": r.new,
                 "reason": r.reason, "hash": r.hash} for r in rows]


@dataclass(frozen=True)
class Gathered:
    """The own unit's data read once for an export: the package's data entries and its report are both
    made from this, so they cannot disagree."""

    state: UnitState
    score: UnitScore
    findings: list[Finding]
    evidence: list[AttachedEvidence]


def gather(ws: Workspace) -> Gathered:
    state = ws.state()
    score = ws.score(state)
    evidence = attached(ws)
    by_code: dict[str, list[AttachedEvidence]] = {}
    for item in evidence:
        by_code.setdefault(item.code, []).append(item)
    return Gathered(state, score, find_problems(state, score, by_code), evidence)


def build_contents(ws: Workspace, gathered: Gathered | None = None
                   ) -> tuple[dict, list[tuple[str, Any]], tuple[list[str], dict[str, int]]]:
    """(manifest fields without revision, entries (name, bytes or Path), (warnings, count per kind)),
    without the report (it needs the package id and revision: `export_package` adds it)."""
    g = gathered or gather(ws)
    state, score, findings = g.state, g.score, g.findings
    fw = state.loaded.framework
    serious = [f for f in findings if f.severity != "info"]
    warnings = [f"{f.code}: {f.en}" for f in serious]
    kinds: dict[str, int] = {}
    for f in serious:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    evidence = g.evidence
    entries: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for item in evidence:
        ext = EXT_OF_KIND[item.kind]
        name = f"evidence/{item.sha256}.{ext}"
        if name not in seen:
            seen.add(name)
            entries.append((name, evidence_path(ws.data_dir, item.sha256, ext)))
    values = {
        "values": {code: json.loads(encode(v)) for code, v in sorted(state.values.items())},
        "info": {code: json.loads(encode(v)) for code, v in sorted(state.info.items())},
        "explanations": dict(sorted(state.explanations.items())),
    }
    evidence_list = [{"code": i.code, "name": i.name, "sha256": i.sha256, "size": i.size, "kind": i.kind,
                      "pages": i.pages, "original_sha256": i.original_sha256,
                      "problems": [{"code": p.code, "vi": p.vi, "en": p.en} for p in i.problems],
                      "signatures": list(i.signatures)} for i in evidence]
    summary = score_data(state.code, state.name, score, "vi")
    entries += [("data/values.json", _json(values)), ("data/evidence.json", _json(evidence_list)),
                ("data/score.json", _json(json.loads(json.dumps(summary, default=str)))),
                ("data/audit.json", _json(_audit_rows(ws, state.code)))]
    manifest = {
        "format": PACKAGE_FORMAT,
        "unit": {"code": state.code, "name": state.name, "group": state.group},
        "framework": {"id": fw.id, "sha256": state.loaded.sha256},
        "round": {"year": fw.round.year},
        "app_version": __version__,
        "score": {"total": str(score.total), "self_total": str(score.self_total), "max": str(score.max),
                  "share": str(score.share), "grade": score.grade,
                  "indices": {k: str(v) for k, v in score.indices.items()}},
        "evidence_names": {i.sha256: i.name for i in evidence},
        "warnings": warnings,
    }
    return manifest, entries, (warnings, kinds)


def export_package(ws: Workspace, out: Path, passphrase: str, split_mb: int | None = None, *,
                   encrypt: bool = False, cosigner: Any = None) -> ExportResult:
    """Write the next revision to `out` (or its volumes); with `encrypt`, encrypted for the authority that
    enrolled this unit (app.services.package_crypto)."""
    from app.packages import EntrySource, Signer, read_manifest_bytes, write_package, write_sealed_package

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation is not enrolled yet, so it cannot sign: run `dti enroll accept FILE`",
                        "máy này chưa được cấp tài khoản nên chưa ký được: hãy chạy `dti enroll accept TỆP`")
    cert, key_pem = ident.signing
    # a wrong passphrase is refused here, before anything is written (the refusal names this unit)
    key = keys.decrypt_key(key_pem, passphrase, certs.unit_code_of(cert))
    if split_mb is not None and split_mb < 1:
        raise UserError("--split-mb must be at least 1", "--split-mb phải từ 1 trở lên")
    receiver = None
    if encrypt:   # no receiver to encrypt for: refused before a revision is reserved
        from app.services import package_crypto

        receiver = package_crypto.recipient(ws)
    gathered = gather(ws)
    manifest, entries, (warnings, kinds) = build_contents(ws, gathered)
    unit_code = manifest["unit"]["code"]
    if certs.unit_code_of(cert) != unit_code:
        raise UserError(f"the signing certificate is for unit {certs.unit_code_of(cert)}, not {unit_code}",
                        f"chứng thư ký số của đơn vị {certs.unit_code_of(cert)}, không phải {unit_code}")
    year = manifest["round"]["year"]
    moment = ws.clock()
    now = stamp(moment)
    round_id = manifest["framework"]["id"]   # revisions count per round: 2025 starts again at 1
    with ws.store.session.begin() as session:      # reserve the revision first: gaps are allowed, reuse is not
        last = session.scalar(select(func.max(Export.revision)).where(Export.unit_code == unit_code,
                                                                      Export.round_id == round_id)) or 0
        previous = session.scalars(select(Export).where(Export.unit_code == unit_code, Export.round_id == round_id,
                                                        Export.manifest_sha256 != "").order_by(Export.revision.desc())
                                   ).first()
        revision = last + 1
        reserved = Export(unit_code=unit_code, round_id=round_id, round_year=year, revision=revision,
                          manifest_sha256="", file_name=out.name, created_at=now)
        session.add(reserved)
        session.flush()
        reserved_id = reserved.id
    try:   # from here to the written file, a failure takes the reservation back (below)
        manifest.update({"package_id": str(uuid.uuid4()), "revision": revision, "created_at": now,
                         "supersedes": previous.manifest_sha256 if previous else None})
        signer = Signer(cert, key, tuple(ident.chain_for(cert)), cosigner)   # cosigner: a token (app.services.token_signing)
        report_pdf = _report_bytes(package_report(ws, gathered, manifest, entries, moment))
        if cosigner is not None:   # the report signed by the official as PAdES, so that it stands alone
            from app.services.token_signing import sign_report_pdf

            report_pdf = sign_report_pdf(report_pdf, cosigner, moment)
        entries.append((REPORT_ENTRY, report_pdf))

        sources = [EntrySource(n, s) for n, s in entries]
        # the written manifest's hash (the writer added the entries and already read the file back)
        if receiver is not None:
            paths, written = write_sealed_package(out, manifest, sources, signer, receiver,
                                                  split_mb=split_mb)
        else:
            paths, written = write_package(out, manifest, sources, signer, split_mb=split_mb), b""
    except Exception:
        # nothing was written (the writer removed its temp files): the reservation goes too, so that a token pulled
        # out while it signs the report or the package, or a full USB stick, changes nothing. A process killed
        # here keeps it: a gap, never the reuse of a number that reached a file.
        with ws.store.session.begin() as session:
            session.delete(session.get(Export, reserved_id))
        raise
    written = written or read_manifest_bytes(paths if len(paths) > 1 else paths[0])
    with ws.store.session.begin() as session:
        row = session.get(Export, reserved_id)
        row.manifest_sha256 = hashlib.sha256(written).hexdigest()
        audit.append(session, at=now, actor=ws.actor(session), action="package.export", unit_code=unit_code,
                     new=f"revision {revision}: {', '.join(p.name for p in paths)}")
    return ExportResult(paths, revision, warnings, kinds, hashlib.sha256(written).hexdigest(),
                        certs.common_name(receiver) if receiver is not None else "")


def _report_bytes(report: UnitReport) -> bytes:
    """The PDF of the package's report. Drawn before the package is written rather than beside it: a worker
    thread gained nothing measurable, the writer's many short GIL-free calls waiting on the drawing."""
    with tempfile.TemporaryDirectory(prefix="dti-report-") as scratch:
        return draw_report(Path(scratch) / "self-assessment.pdf", report).read_bytes()
