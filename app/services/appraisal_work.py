"""Appraisal by field (thẩm định theo lĩnh vực, seed 001): the framework's `appraiser` field gives each
indicator to a department (Sở Nội vụ, Sở Tài chính, …). The aggregator sends a department a signed work
file with the units' data and evidence for that department's indicators only; the department's installation
imports it, appraises, and sends back a signed return file that the aggregator merges.

Both files have the package construction (DESIGN §6): format `dti-appraisal-work/1` and
`dti-appraisal-return/1`. A return is accepted only for a work file issued here, for the same department,
signed by a unit this authority enrolled, and only for the units and indicators the work covered; merging
follows app/services/appraisal_merge (disagreements become conflicts, never silent overwrites).
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, tuple_

from app.entries.values import decode_parsed, encode
from app.errors import UserError
from app.evidence.model import EXT_OF_KIND
from app.models.tables import Appraisal, AppraisalWork, Enrollment, Submission
from app.scoring.engine import score_unit
from app.scoring.model import Framework
from app.services import audit
from app.services.workspace import Workspace, stamp

WORK_FORMAT = "dti-appraisal-work/1"
RETURN_FORMAT = "dti-appraisal-return/1"
MAX_JSON = 32 * 1024 * 1024


@dataclass(frozen=True)
class WorkWritten:
    work_id: str
    department: str
    units: int
    indicators: int
    evidence: int


@dataclass(frozen=True)
class ReturnWritten:
    work_id: str
    department: str
    appraisals: int


@dataclass(frozen=True)
class Imported:
    kind: str                 # work | return
    work_id: str
    department: str
    units: int
    counts: dict[str, int]    # return: new / updated / same / conflict; work: indicators / evidence


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def departments(fw: Framework) -> list[str]:
    """Every department named as appraiser of an indicator with points, in framework order."""
    seen: dict[str, str] = {}
    for node in fw.leaves():
        who = fw.appraiser_of(node.code)
        if who and _fold(who) not in seen:
            seen[_fold(who)] = who
    return list(seen.values())


def department_of(fw: Framework, wanted: str) -> str:
    """The framework's spelling of a department (matching ignores case, spacing and Unicode form)."""
    known = departments(fw)
    for name in known:
        if _fold(name) == _fold(wanted):
            return name
    if not known:
        raise UserError(f"framework {fw.id} gives no indicator to a department (no `appraiser` field): "
                        "appraise here with `dti appraise set`",
                        f"bộ chỉ số {fw.id} không giao chỉ tiêu nào cho cơ quan thẩm định theo lĩnh vực (không có "
                        "trường `appraiser`): hãy thẩm định tại đây bằng `dti appraise set`")
    listed = "; ".join(known)
    raise UserError(f"no indicator of {fw.id} is appraised by '{wanted}' (departments: {listed})",
                    f"không có chỉ tiêu nào của {fw.id} do '{wanted}' thẩm định (các cơ quan: {listed})")


def department_codes(fw: Framework, group: str, department: str) -> list[str]:
    """The leaves with points of one group that the department appraises, in framework order."""
    return [n.code for n in fw.leaves(group) if _fold(fw.appraiser_of(n.code) or "") == _fold(department)]


# -- at the aggregator: issue a work file --------------------------------------------------------------

def export_work(ws: Workspace, department: str, out: Path, passphrase: str) -> WorkWritten:
    from app.packages import EntrySource, Signer, write_package
    from app.services.aggregate import authority_framework, latest_submissions
    from app.services.evidence_service import evidence_path
    from app.services.trust_service import identity
    from app.trust import certs, keys

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    fw, sha = authority_framework(ws)
    department = department_of(fw, department)
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase)
    latest = [r for r in latest_submissions(ws) if (r.framework_id, r.framework_sha256) == (fw.id, sha)]
    with ws.store.session() as session:
        marks = {(r.unit_code, r.code): {"points": r.points, "comment": r.comment,
                                         "explanation_requested": r.explanation_requested, "appraiser": r.appraiser}
                 for r in session.scalars(select(Appraisal))}
        # the evidence list of each unit's latest revision only (what the work's values come from)
        evidence_of = {s.unit_code: json.loads(s.data_json).get("evidence", []) for s in session.scalars(
            select(Submission).where(tuple_(Submission.unit_code, Submission.revision).in_(
                [(r.unit_code, r.revision) for r in latest])))}
    units, evidence, scope = [], {}, {}
    for r in latest:
        codes = department_codes(fw, r.group, department)
        if not codes:
            continue
        score = score_unit(fw, r.group, r.values, r.info)
        nodes = {n.code: n for n in score.nodes}
        items = [e for e in evidence_of.get(r.unit_code, []) if e["code"] in codes]
        for e in items:
            evidence[f"evidence/{e['sha256']}.{EXT_OF_KIND[e['kind']]}"] = evidence_path(
                ws.data_dir, e["sha256"], EXT_OF_KIND[e["kind"]])
        scope[r.unit_code] = codes
        units.append({
            "code": r.unit_code, "name": r.unit_name, "group": r.group, "revision": r.revision,
            "codes": codes,
            "values": {c: json.loads(encode(r.values[c])) for c in codes if c in r.values},
            "info": {c: json.loads(encode(v)) for c, v in sorted(r.info.items())},
            "explanations": {c: r.explanations[c] for c in codes if c in r.explanations},
            "self": {c: str(nodes[c].self_points) for c in codes if c in nodes},
            "appraisals": {c: marks[(r.unit_code, c)] for c in codes if (r.unit_code, c) in marks},
            "evidence": items,
        })
    if not units:
        raise UserError(f"no imported submission has an indicator appraised by {department}",
                        f"chưa có gói nộp nào có chỉ tiêu do {department} thẩm định")
    missing = [name for name, path in evidence.items() if not path.is_file()]
    if missing:
        raise UserError(f"evidence missing from the store: {missing[0]} (re-import the unit's package)",
                        f"thiếu tài liệu kiểm chứng trong kho: {missing[0]} (hãy nhập lại gói của đơn vị)")
    work_id = str(uuid.UUID(bytes=uuid.uuid4().bytes))
    now = stamp(ws.clock())
    own_code = certs.unit_code_of(cert)
    manifest = {"format": WORK_FORMAT, "work_id": work_id, "created_at": now, "from": own_code,
                "department": department, "framework": {"id": fw.id, "sha256": sha},
                "round": {"year": fw.round.year}, "units": len(units)}
    body = json.dumps({"units": units}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    entries = [EntrySource("data/work.json", body)] + [EntrySource(n, p) for n, p in sorted(evidence.items())]
    write_package(out, manifest, entries, Signer(cert, key, tuple(ident.chain_for(cert))))
    indicators = sum(len(c) for c in scope.values())
    with ws.store.session.begin() as session:
        session.add(AppraisalWork(work_id=work_id, role="issued", department=department, framework_id=fw.id,
                                  framework_sha256=sha, counterpart=own_code, created_at=now,
                                  body_json=json.dumps({"units": scope}, ensure_ascii=False, sort_keys=True)))
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.work.export", code=work_id,
                     new=f"{department}: {len(units)} units, {indicators} indicators, {len(evidence)} evidence files")
    return WorkWritten(work_id, department, len(units), indicators, len(evidence))


# -- at the department: receive work, send the return --------------------------------------------------

def import_file(ws: Workspace, path: Path) -> Imported:
    """A work file (at a department) or a return file (at the aggregator that issued the work)."""
    from app.packages import PackageRefused, verify_package
    from app.services.package_import import trust_anchors

    path = Path(path)
    formats = (WORK_FORMAT, RETURN_FORMAT)

    def check_signed(manifest: dict, signer) -> None:
        if manifest.get("format") not in formats:
            raise UserError(f"{path.name} is not an appraisal work or return file",
                            f"{path.name} không phải tệp giao việc hoặc tệp trả kết quả thẩm định")

    try:
        verified = verify_package(path, trust_anchors(ws), check_signed=check_signed)
    except PackageRefused as e:
        raise UserError(str(e), e.message_vi) from None
    if verified.manifest["format"] == WORK_FORMAT:
        return _receive_work(ws, verified, path.name)
    return _merge_return(ws, verified, path.name)


def _invalid(file: str, what: object) -> UserError:
    return UserError(f"{file}: the appraisal data is not valid: {what}", f"{file}: dữ liệu thẩm định không hợp lệ: {what}")


def _receive_work(ws: Workspace, verified, file: str) -> Imported:
    from app.packages import read_entry
    from app.services.feedback import _parent_code
    from app.services.package_import import store_evidence
    from app.services.trust_service import identity
    from app.trust import certs

    manifest = verified.manifest
    sender = certs.unit_code_of(verified.signer)
    if sender == identity(ws).code:
        raise UserError(f"{file} was issued by this installation: give it to the department's installation",
                        f"{file} do chính máy này lập: hãy chuyển cho máy của cơ quan được giao thẩm định")
    if sender != _parent_code(ws) or manifest.get("from") != sender:
        raise UserError(f"{file} was signed by {sender}, not by the authority that enrolled this installation",
                        f"{file} do {sender} ký, không phải cơ quan đã cấp tài khoản cho máy này")
    try:
        fw_ref = manifest["framework"]
        loaded = ws.frameworks.get(f"{fw_ref['id']}@{fw_ref['sha256']}")
    except (KeyError, TypeError):
        raise _invalid(file, "no framework") from None
    except UserError:
        raise UserError(f"{file}: framework {manifest['framework'].get('id')} is not known here: import it first",
                        f"{file}: máy này chưa có bộ chỉ số {manifest['framework'].get('id')}: hãy nhập trước") from None
    fw = loaded.framework
    try:
        department = department_of(fw, str(manifest["department"]))
        work_id = str(uuid.UUID(str(manifest["work_id"])))
        body = json.loads(read_entry(verified, "data/work.json", MAX_JSON))
        units = body["units"]
        evidence = []
        for unit in units:
            allowed = set(department_codes(fw, unit["group"], department))
            if not isinstance(unit["codes"], list) or not set(unit["codes"]) <= allowed:
                raise ValueError(f"unit {unit['code']}: indicators outside {department}'s field")
            for code, raw in unit["values"].items():
                if code not in unit["codes"]:
                    raise ValueError(f"unit {unit['code']}: a value for {code}, outside the work")
                decode_parsed(raw)
            for item in unit["evidence"]:
                if item["code"] not in unit["codes"] or item["kind"] not in EXT_OF_KIND:
                    raise ValueError(f"unit {unit['code']}: evidence outside the work")
                evidence.append(item)
    except (ValueError, KeyError, TypeError) as e:
        raise _invalid(file, e) from None
    with ws.store.session() as session:
        if session.scalars(select(AppraisalWork).where(AppraisalWork.work_id == work_id,
                                                       AppraisalWork.role == "received")).first() is not None:
            return Imported("work", work_id, department, len(units), {"indicators": 0, "evidence": 0})
    store_evidence(ws, verified, {"evidence": evidence}, file)
    now = stamp(ws.clock())
    with ws.store.session.begin() as session:
        ws.frameworks.keep(loaded)
        session.add(AppraisalWork(work_id=work_id, role="received", department=department, framework_id=fw.id,
                                  framework_sha256=loaded.sha256, counterpart=sender, created_at=now,
                                  body_json=json.dumps(body, ensure_ascii=False, sort_keys=True)))
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.work.import", code=work_id,
                     new=f"{department} from {sender}: {len(units)} units")
    return Imported("work", work_id, department, len(units),
                    {"indicators": sum(len(u["codes"]) for u in units), "evidence": len(evidence)})


@dataclass(frozen=True)
class WorkItem:
    """One indicator of one unit in a received work file, with what the department has set so far."""

    work_id: str
    department: str
    unit_code: str
    unit_name: str
    group: str
    code: str
    title: str
    max: str
    value: Any
    self_points: str | None
    explanation: str | None
    evidence: list[dict]
    appraised: str | None
    comment: str | None


def has_received(ws: Workspace, department: str | None = None) -> bool:
    """Whether this installation holds a work file received for appraisal (of `department`)."""
    return bool(_received(ws, department))


def _received(ws: Workspace, department: str | None = None) -> list[AppraisalWork]:
    with ws.store.session() as session:
        rows = session.scalars(select(AppraisalWork).where(AppraisalWork.role == "received")
                               .order_by(AppraisalWork.id)).all()
        session.expunge_all()
    if department is not None:
        rows = [r for r in rows if _fold(r.department) == _fold(department)]
    return rows


def received_unit(ws: Workspace, unit_code: str) -> tuple[Framework, str, set[str]] | None:
    """A unit known here only through received work: its framework, group and the indicators given."""
    for row in reversed(_received(ws)):
        for unit in json.loads(row.body_json)["units"]:
            if unit["code"] == unit_code:
                fw = ws.frameworks.get(f"{row.framework_id}@{row.framework_sha256}").framework
                return fw, unit["group"], set(unit["codes"])
    return None


def work_items(ws: Workspace, department: str | None = None) -> list[WorkItem]:
    """The department's worklist: every indicator of every received work file (latest work per unit)."""
    rows = _received(ws, department)
    with ws.store.session() as session:
        marks = {(r.unit_code, r.code): (r.points, r.comment) for r in session.scalars(select(Appraisal))}
    latest: dict[str, tuple[AppraisalWork, dict]] = {}
    for row in rows:
        for unit in json.loads(row.body_json)["units"]:
            latest[(row.department, unit["code"])] = (row, unit)
    out = []
    for (_dept, _code), (row, unit) in sorted(latest.items(), key=lambda kv: kv[0]):
        fw = ws.frameworks.get(f"{row.framework_id}@{row.framework_sha256}").framework
        for code in unit["codes"]:
            node = fw.indicator(code)
            raw = unit["values"].get(code)
            points, comment = marks.get((unit["code"], code), (None, None))
            out.append(WorkItem(row.work_id, row.department, unit["code"], unit["name"], unit["group"], code, node.title,
                                str(node.max[unit["group"]]), None if raw is None else decode_parsed(raw),
                                unit["self"].get(code), unit["explanations"].get(code),
                                [e for e in unit["evidence"] if e["code"] == code], points, comment))
    return out


def export_return(ws: Workspace, out: Path, passphrase: str, department: str | None = None) -> ReturnWritten:
    """The department's appraisals for the latest received work file (of `department`), signed."""
    from app.packages import EntrySource, Signer, write_package
    from app.services.trust_service import identity
    from app.trust import certs, keys

    rows = _received(ws, department)
    if not rows:
        raise UserError("no appraisal work file was imported here" + (f" for {department}" if department else ""),
                        "chưa nhập tệp giao việc thẩm định nào" + (f" của {department}" if department else ""))
    work = rows[-1]
    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate: accept its enrollment first",
                        "máy này chưa có chứng thư ký số: hãy nhận tệp cấp tài khoản trước")
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase)
    scope = {u["code"]: set(u["codes"]) for u in json.loads(work.body_json)["units"]}
    with ws.store.session() as session:
        items = [{"unit": r.unit_code, "code": r.code, "points": r.points, "comment": r.comment,
                  "explanation_requested": r.explanation_requested, "appraiser": r.appraiser, "set_at": r.set_at}
                 for r in session.scalars(select(Appraisal).order_by(Appraisal.unit_code, Appraisal.code))
                 if r.code in scope.get(r.unit_code, ())]
    now = stamp(ws.clock())
    manifest = {"format": RETURN_FORMAT, "work_id": work.work_id, "created_at": now, "from": certs.unit_code_of(cert),
                "to": work.counterpart, "department": work.department,
                "framework": {"id": work.framework_id, "sha256": work.framework_sha256}}
    body = json.dumps({"appraisals": items}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_package(out, manifest, [EntrySource("data/appraisals.json", body)],
                  Signer(cert, key, tuple(ident.chain_for(cert))))
    with ws.store.session.begin() as session:
        row = session.get(AppraisalWork, work.id)
        row.returned_at = now
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.return.export", code=work.work_id,
                     new=f"{work.department}: {len(items)} appraisals to {work.counterpart}")
    return ReturnWritten(work.work_id, work.department, len(items))


# -- back at the aggregator: merge the return ----------------------------------------------------------

def _merge_return(ws: Workspace, verified, file: str) -> Imported:
    from app.packages import read_entry
    from app.services.appraisal_merge import Incoming, checked_points, merge
    from app.services.round import ensure_open
    from app.trust import certs

    ensure_open(ws)
    manifest = verified.manifest
    signer = certs.unit_code_of(verified.signer)
    with ws.store.session() as session:
        work = session.scalars(select(AppraisalWork).where(AppraisalWork.work_id == str(manifest.get("work_id")),
                                                           AppraisalWork.role == "issued")).first()
        enrolled = session.scalars(select(Enrollment).where(Enrollment.unit_code == signer)).first() is not None
        if work is not None:
            session.expunge(work)
    if work is None:
        raise UserError(f"{file} answers a work file that was not issued here",
                        f"{file} trả lời một tệp giao việc không do máy này lập")
    if _fold(str(manifest.get("department"))) != _fold(work.department):
        raise UserError(f"{file} is for {manifest.get('department')}, but the work went to {work.department}",
                        f"{file} ghi cơ quan {manifest.get('department')}, nhưng việc đã giao cho {work.department}")
    if not enrolled or manifest.get("from") != signer:
        raise UserError(f"{file} was signed by {signer}, which this authority did not enroll",
                        f"{file} do {signer} ký, không phải đơn vị được cơ quan này cấp tài khoản")
    fw = ws.frameworks.get(f"{work.framework_id}@{work.framework_sha256}").framework
    scope = {code: set(codes) for code, codes in json.loads(work.body_json)["units"].items()}
    groups = {}
    from app.services.aggregate import latest_submissions

    for r in latest_submissions(ws):
        groups[r.unit_code] = r.group
    incoming = []
    now = stamp(ws.clock())
    try:
        items = json.loads(read_entry(verified, "data/appraisals.json", MAX_JSON))["appraisals"]
        for item in items:
            unit, code = item["unit"], item["code"]
            if code not in scope.get(unit, ()):
                raise ValueError(f"{unit} {code} was not in the work given to {work.department}")
            points = checked_points(item["points"], fw.indicator(code).max[groups[unit]])
            comment = item.get("comment")
            if comment is not None and not isinstance(comment, str):
                raise ValueError(f"{unit} {code}: the comment is not text")
            incoming.append(Incoming(unit, code, points, unicodedata.normalize("NFC", comment) if comment else None,
                                     bool(item.get("explanation_requested")),
                                     str(item.get("appraiser") or work.department)[:200], f"dept:{signer}",
                                     str(item.get("set_at") or now)[:32]))
    except (ValueError, KeyError, TypeError) as e:
        raise _invalid(file, e) from None
    counts = {"new": 0, "updated": 0, "same": 0, "conflict": 0}
    with ws.store.session.begin() as session:
        actor = ws.actor(session)
        for item in incoming:
            counts[merge(session, item, at=now, actor=actor)] += 1
        audit.append(session, at=now, actor=actor, action="appraise.return.import", code=work.work_id,
                     new=f"{work.department} ({signer}): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    from app.services import score_cache

    score_cache.refresh(ws)
    return Imported("return", work.work_id, work.department, len(scope), counts)
