"""Appraisal by field (thẩm định theo lĩnh vực, seed 001): the framework's `appraiser` field gives each
indicator to a department (Sở Nội vụ, Sở Tài chính, …). The aggregator sends a department a signed work
file with the units' data and evidence for that department's indicators only; the department's installation
imports it, appraises, and sends back a signed return file that the aggregator merges.

Both files have the package construction (DESIGN §6): format `dti-appraisal-work/1` and
`dti-appraisal-return/1`. A work file names its recipient (`to`): the unit this authority enrolled for the
department (its enrolled name is the department's, or the aggregator said which with `--to`), and it never
carries that unit's own data. A return is accepted only for a work file issued here, for the same department,
signed by that recipient (enrolled, not revoked, with the certificate issued to it), never for the recipient's
own unit, only for the units and indicators the work covered, and only newer than the newest return taken from
that department (docs/appraisal.md). Merging follows app/services/appraisal_merge (disagreements become
conflicts, never silent overwrites). Every JSON entry is checked with app/services/incoming before use, so a
hostile file gets a one-line refusal and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
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
from app.services import audit, identifiers
from app.services.identifiers import BadValue, printable
from app.services.workspace import Workspace, stamp

WORK_FORMAT = "dti-appraisal-work/1"
RETURN_FORMAT = "dti-appraisal-return/1"
WORK_DATA = "data/work.json"
RETURN_DATA = "data/appraisals.json"
MAX_JSON = 32 * 1024 * 1024
MAX_UNITS = 100_000           # units in one work file
MAX_CODES = 5_000             # indicators of one unit given to a department
MAX_ITEMS = 500_000           # appraisals in one return
MAX_DEPARTMENT = 200          # characters of a department's name
_FRAMEWORK_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


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
    status: str = "imported"  # imported | unchanged (this very file was taken before) | would-import (dry run)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def named_like(department: str, unit_name: str) -> bool:
    """Whether an enrolled unit bears the department's name, as `recipient_of` matches them (case, spacing and
    Unicode form aside): the GUI preselects that unit as a work file's recipient."""
    return _fold(department) == _fold(unit_name)


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

def recipient_of(ws: Workspace, department: str, to: str | None = None) -> str:
    """The unit a work file for `department` is issued to, and the only one whose return is taken: `to` when the
    aggregator names it, else the one unit this authority enrolled under the department's name (matched as
    department names are). Enrolled here and not revoked either way: a return is believed because its signer's
    enrolling authority is this one."""
    with ws.store.session() as session:
        rows = session.scalars(select(Enrollment).where(Enrollment.revoked_at.is_(None))
                               .order_by(Enrollment.unit_code)).all()
    if to is not None:
        if not any(r.unit_code == to for r in rows):
            shown = printable(to, 60)
            raise UserError(f"{shown} is not a unit enrolled here (or it was revoked): a work file goes to the "
                            "installation of a department this authority enrolled",
                            f"{shown} không phải đơn vị được cấp tài khoản tại đây (hoặc đã bị thu hồi): tệp giao việc "
                            "chỉ gửi cho máy của cơ quan do cơ quan này cấp tài khoản")
        return to
    named = [r.unit_code for r in rows if _fold(r.unit_name) == _fold(department)]
    if len(named) == 1:
        return named[0]
    if not named:
        raise UserError(f"no unit enrolled here is named '{department}': enroll the department's installation first, "
                        "or say which enrolled unit receives the work with --to UNIT",
                        f"chưa có đơn vị nào tên '{department}' được cấp tài khoản tại đây: hãy cấp tài khoản cho máy "
                        "của cơ quan trước, hoặc ghi đơn vị nhận việc bằng --to MÃ")
    listed = ", ".join(named)
    raise UserError(f"several units enrolled here are named '{department}' ({listed}): say which one receives the "
                    "work with --to UNIT",
                    f"có nhiều đơn vị tên '{department}' ({listed}): hãy ghi đơn vị nhận việc bằng --to MÃ")


def export_work(ws: Workspace, department: str, out: Path, passphrase: str, to: str | None = None) -> WorkWritten:
    """A signed work file for one department's indicators, issued to the department's unit (`recipient_of`). That
    unit's own indicators stay out of it: a unit never appraises itself, and this authority appraises them."""
    from app.packages import EntrySource, Signer, write_package
    from app.services.aggregate import authority_framework, latest_submissions
    from app.services.appraisal_merge import sequenced_stamp
    from app.services.evidence_service import evidence_path
    from app.services.trust_service import identity
    from app.trust import certs, keys

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    fw, sha = authority_framework(ws)
    department = department_of(fw, department)
    recipient = recipient_of(ws, department, to)
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase, certs.unit_code_of(cert))
    latest = [r for r in latest_submissions(ws) if (r.framework_id, r.framework_sha256) == (fw.id, sha)
              and r.unit_code != recipient]
    with ws.store.session() as session:
        marks = {(r.unit_code, r.code): {"points": r.points, "comment": r.comment,
                                         "explanation_requested": r.explanation_requested, "appraiser": r.appraiser}
                 for r in session.scalars(select(Appraisal).where(Appraisal.round_id == fw.id))}
        # the evidence list of each unit's latest revision only (what the work's values come from)
        evidence_of = {s.unit_code: json.loads(s.data_json).get("evidence", []) for s in session.scalars(
            select(Submission).where(Submission.framework_id == fw.id, tuple_(Submission.unit_code, Submission.revision).in_(
                [(r.unit_code, r.revision) for r in latest])))}
    units, evidence, scope, groups = [], {}, {}, {}
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
        groups[r.unit_code] = r.group
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
    with ws.store.session() as session:   # after the previous work file: the department refuses an older one
        now = sequenced_stamp(session, ws.clock(), "appraise.work.export")
    own_code = certs.unit_code_of(cert)
    manifest = {"format": WORK_FORMAT, "work_id": work_id, "created_at": now, "from": own_code, "to": recipient,
                "department": department, "framework": {"id": fw.id, "sha256": sha},
                "round": {"year": fw.round.year}, "units": len(units)}
    body = json.dumps({"units": units}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    entries = [EntrySource(WORK_DATA, body)] + [EntrySource(n, p) for n, p in sorted(evidence.items())]
    write_package(out, manifest, entries, Signer(cert, key, tuple(ident.chain_for(cert))))
    indicators = sum(len(c) for c in scope.values())
    with ws.store.session.begin() as session:
        session.add(AppraisalWork(work_id=work_id, role="issued", department=department, framework_id=fw.id,
                                  framework_sha256=sha, counterpart=own_code, created_at=now,
                                  body_json=json.dumps({"units": scope, "groups": groups, "to": recipient},
                                                       ensure_ascii=False, sort_keys=True)))
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.work.export", unit_code=recipient,
                     code=work_id, new=f"{department}: {len(units)} units, {indicators} indicators, "
                                       f"{len(evidence)} evidence files")
    return WorkWritten(work_id, department, len(units), indicators, len(evidence))


# -- either side: what arrives -------------------------------------------------------------------------

def import_file(ws: Workspace, path: Path, dry_run: bool = False) -> Imported:
    """A work file (at a department) or a return file (at the aggregator that issued the work). A dry run makes
    every check of the import, the order against earlier files and the inspection of a work file's evidence
    (from copies outside the data directory) included, and stores nothing."""
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
        return _receive_work(ws, verified, path.name, dry_run)
    return _merge_return(ws, verified, path.name, dry_run)


def _checked(file: str, check, *args, **kwargs):
    """`check(*args, **kwargs)`, its BadValue turned into this file's one-line refusal."""
    from app.services.incoming import refusal

    try:
        return check(*args, **kwargs)
    except BadValue as e:
        raise refusal(file, e) from None


def _work_id(value: Any) -> str:
    """A work file's id: a UUID in its canonical text (it is matched against rows and shown, never a path)."""
    try:
        if isinstance(value, str) and len(value) == 36 and str(uuid.UUID(value)) == value:
            return value
    except ValueError:
        pass
    shown = printable(value if isinstance(value, str) else repr(value), 60)
    raise BadValue(f"the work_id '{shown}' is not the id of a work file", f"work_id '{shown}' không phải mã tệp giao việc")


def _department(value: Any) -> str:
    from app.services.incoming import text

    return text(value, "the manifest's department", MAX_DEPARTMENT)


def _framework_ref(value: Any) -> tuple[str, str]:
    """(id, sha256) of the manifest's framework, checked before they name a stored framework."""
    from app.services.incoming import fields

    ref = fields(value, "the manifest's framework", ("id", "sha256"), closed=False)
    if not isinstance(ref["id"], str) or not _FRAMEWORK_ID.fullmatch(ref["id"]) \
            or not isinstance(ref["sha256"], str) or not _SHA256.fullmatch(ref["sha256"]):
        raise BadValue("the manifest's framework is not an id and a SHA-256",
                       "bộ chỉ số trong manifest không phải mã và SHA-256")
    return ref["id"], ref["sha256"]


def _only_entries(verified, data: str, what: tuple[str, str], evidence: bool) -> None:
    """The entries a file of this kind has: `data`, and evidence files for a work file. Anything else the manifest
    lists is refused, as no version of this application writes it."""
    unknown = sorted(n for n in verified.entries if n != data and not (evidence and n.startswith("evidence/")))
    if unknown:
        shown = printable(unknown[0], 120)
        raise BadValue(f"the file carries an entry no {what[0]} has: {shown}", f"tệp có mục mà {what[1]} không có: {shown}")
    if data not in verified.entries:
        raise BadValue(f"{data} is missing", f"thiếu {data}")


def _ordered(ws: Workspace, file: str, verified, action: str, sender: str, codes: set[str], what: tuple[str, str]
             ) -> tuple[bool, str]:
    """(True when this very file was imported before, the note for the audit row); an older file than the newest
    taken from `sender` for the same department (`codes`: its work ids) is refused as a replay."""
    from app.services.appraisal_merge import is_repeat, taken_before, taken_note

    created_at = verified.manifest["created_at"]
    sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    with ws.store.session() as session:
        newest, seen = taken_before(session, action, sender, codes)
    return is_repeat(file, what, created_at, sha, newest, seen), taken_note(created_at, sha)


def _receive_work(ws: Workspace, verified, file: str, dry_run: bool) -> Imported:
    from app.packages import read_entry
    from app.services.feedback import _parent_code
    from app.services.incoming import fields, strict_json
    from app.services.package_import import inspect_evidence, store_evidence
    from app.services.trust_service import identity
    from app.trust import certs

    manifest = verified.manifest
    sender = certs.unit_code_of(verified.signer)
    own = identity(ws).code
    if sender == own:
        raise UserError(f"{file} was issued by this installation: give it to the department's installation",
                        f"{file} do chính máy này lập: hãy chuyển cho máy của cơ quan được giao thẩm định")
    if sender != _parent_code(ws) or manifest.get("from") != sender:
        shown = printable(str(sender), 60)
        raise UserError(f"{file} was signed by {shown}, not by the authority that enrolled this installation",
                        f"{file} do {shown} ký, không phải cơ quan đã cấp tài khoản cho máy này")
    _checked(file, fields, manifest, "manifest.json", ("work_id", "created_at", "department", "framework"), (),
             closed=False)
    work_id = _checked(file, _work_id, manifest["work_id"])
    _checked(file, identifiers.timestamp, manifest["created_at"])
    to = manifest.get("to")
    if to is not None and to != own:   # a work file written before recipients were named has no `to`
        shown = printable(to if isinstance(to, str) else repr(to), 60)
        raise UserError(f"{file}: the work file was issued to {shown}, not to this installation ({own})",
                        f"{file}: tệp giao việc gửi cho {shown}, không phải máy này ({own})")
    fw_id, fw_sha = _checked(file, _framework_ref, manifest["framework"])
    from app.models.tables import Round

    with ws.store.session() as session:
        held = session.get(Round, fw_id)
    if held is None or held.framework_sha256 != fw_sha:   # the appraisals made here are kept in that round
        raise UserError(f"{file}: the work is for round {fw_id}, which this installation does not hold: accept that "
                        "round's file first (dti round accept)",
                        f"{file}: việc thẩm định thuộc đợt {fw_id} mà máy này chưa có: hãy nhận tệp đợt đánh giá "
                        "đó trước (dti round accept)")
    try:
        loaded = ws.frameworks.get(f"{fw_id}@{fw_sha}")
    except UserError:
        raise UserError(f"{file}: framework {fw_id} is not known here: import it first",
                        f"{file}: máy này chưa có bộ chỉ số {fw_id}: hãy nhập trước") from None
    fw = loaded.framework
    named = _checked(file, _department, manifest["department"])
    try:
        department = department_of(fw, named)
    except UserError as e:
        raise UserError(f"{file}: {e}", f"{file}: {e.message_vi}") from None
    _checked(file, _only_entries, verified, WORK_DATA, ("work file", "tệp giao việc"), True)
    raw = read_entry(verified, WORK_DATA, MAX_JSON)
    body = _checked(file, lambda: _work_body(strict_json(raw, WORK_DATA), fw, department, own,
                                             {n for n in verified.entries if n.startswith("evidence/")}))
    units, evidence = body["units"], [e for u in body["units"] for e in u["evidence"]]
    with ws.store.session() as session:
        same_department = {r.work_id for r in session.scalars(select(AppraisalWork).where(
            AppraisalWork.role == "received")) if _fold(r.department) == _fold(department)}
    repeat, note = _ordered(ws, file, verified, "appraise.work.import", sender, same_department,
                            ("work file", "tệp giao việc"))
    counts = {"indicators": sum(len(u["codes"]) for u in units), "evidence": len(evidence)}
    if repeat or work_id in same_department:   # the same work again (or from a version that kept no note)
        return Imported("work", work_id, department, len(units), counts, "unchanged")
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="dti-dry-run-") as scratch:
            inspect_evidence(ws, verified, {"evidence": evidence}, Path(scratch), file)
        return Imported("work", work_id, department, len(units), counts, "would-import")
    store_evidence(ws, verified, {"evidence": evidence}, file)   # inspected here: the records take our findings
    now = stamp(ws.clock())
    with ws.store.session.begin() as session:
        ws.frameworks.keep(loaded)
        session.add(AppraisalWork(work_id=work_id, role="received", department=department, framework_id=fw.id,
                                  framework_sha256=loaded.sha256, counterpart=sender, created_at=now,
                                  body_json=json.dumps(body, ensure_ascii=False, sort_keys=True)))
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.work.import", unit_code=sender,
                     code=work_id, new=f"{department} from {sender}: {len(units)} units", reason=note)
    return Imported("work", work_id, department, len(units), counts)


def _work_body(body: Any, fw: Framework, department: str, own: str | None, evidence_names: set[str]) -> dict:
    """data/work.json checked unit by unit, as it is stored: every key the writer writes and no other, codes and
    names as identifiers allows them, only the department's indicators of the unit's group, values that the
    unit's own store would accept, and the evidence records that match the evidence entries exactly. A unit may
    not be this installation's own: a unit never appraises itself."""
    from app.services.appraisal_merge import MAX_COMMENT, points_text
    from app.services.incoming import fields, flag, listed, text
    from app.services.package_import import check_values, evidence_records

    fields(body, WORK_DATA, ("units",))
    units, seen, records = [], set(), []
    for n, unit in enumerate(listed(body["units"], f"{WORK_DATA}: units", MAX_UNITS), start=1):
        fields(unit, f"unit {n}", ("code", "name", "group", "revision", "codes", "values", "info", "explanations",
                                   "self", "appraisals", "evidence"))
        code = identifiers.unit_code(unit["code"])
        if code in seen:
            raise BadValue(f"unit {code} is listed twice", f"đơn vị {code} được liệt kê hai lần")
        seen.add(code)
        if code == own:
            raise BadValue(f"the work asks this installation to appraise its own unit {code}",
                           f"tệp giao việc yêu cầu máy này tự thẩm định đơn vị {code} của chính mình")
        where = f"unit {code}"
        group = unit["group"]
        if not isinstance(group, str) or fw.group(group) is None:
            shown = printable(group if isinstance(group, str) else repr(group), 40)
            raise BadValue(f"{where}: group '{shown}' is not a group of {fw.id}",
                           f"{where}: nhóm '{shown}' không có trong {fw.id}")
        allowed = set(department_codes(fw, group, department))
        codes = listed(unit["codes"], f"{where}: codes", MAX_CODES)
        if not all(isinstance(c, str) for c in codes) or len(set(codes)) != len(codes) or not set(codes) <= allowed:
            raise BadValue(f"{where}: indicators outside {department}'s field",
                           f"{where}: có chỉ tiêu ngoài lĩnh vực của {department}")
        sections = {}
        for key in ("values", "info", "explanations", "self", "appraisals"):
            sections[key] = unit[key]
            if not isinstance(unit[key], dict):
                raise BadValue(f"{where}: {key} must be an object", f"{where}: {key} phải là một đối tượng JSON")
            if key != "info":
                outside = sorted(c for c in unit[key] if c not in codes)
                if outside:
                    shown = printable(outside[0], 40)
                    raise BadValue(f"{where}: a value for {shown}, outside the work" if key == "values" else
                                   f"{where}: {key} of {shown}, outside the work",
                                   f"{where}: có {key} cho {shown}, ngoài phạm vi giao việc")
        for key in ("values", "info"):
            for c, raw in unit[key].items():
                _typed(raw, f"{where}: {key} of {printable(c, 40)}")
        try:   # the gatekeeper of package import: each value read back as `dti entry set` would read it
            check_values(fw, group, {k: unit[k] for k in ("values", "info", "explanations")})
        except BadValue:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as e:
            shown = printable(str(e), 200)
            raise BadValue(f"{where}: values: {shown}", f"{where}: số liệu không hợp lệ: {shown}") from None
        for c, value in unit["explanations"].items():
            text(value, f"{where}: explanation of {c}", MAX_JSON)
        for c, value in unit["self"].items():
            points_text(value, f"{where}: self points of {c}", fw.indicator(c).max[group])
        for c, mark in unit["appraisals"].items():
            mark_where = f"{where}: appraisal of {c}"
            fields(mark, mark_where, ("points", "comment", "explanation_requested", "appraiser"))
            points_text(mark["points"], f"{mark_where}: points", fw.indicator(c).max[group])
            text(mark["comment"], f"{mark_where}: comment", MAX_COMMENT, optional=True)
            flag(mark["explanation_requested"], f"{mark_where}: explanation_requested")
            text(mark["appraiser"], f"{mark_where}: appraiser", MAX_JSON)   # kept, never shown here
        evidence = listed(unit["evidence"], f"{where}: evidence", MAX_CODES * 100)
        records.append(evidence)
        units.append({"code": code, "name": identifiers.unit_name(unit["name"]), "group": group,
                      "revision": identifiers.revision(unit["revision"]), "codes": codes, **sections})
    try:   # one list for the whole file: every evidence entry listed by some unit, every listed one present
        checked = evidence_records(fw, [e for ev in records for e in ev], evidence_names)
    except BadValue:
        raise
    except ValueError as e:
        shown = printable(str(e), 200)
        raise BadValue(f"evidence: {shown}", f"tài liệu kiểm chứng: {shown}") from None
    at = 0
    for unit, given in zip(units, records, strict=True):
        unit["evidence"] = checked[at:at + len(given)]
        at += len(given)
        if any(e["code"] not in unit["codes"] for e in unit["evidence"]):
            raise BadValue(f"unit {unit['code']}: evidence outside the work",
                           f"đơn vị {unit['code']}: có tài liệu kiểm chứng ngoài phạm vi giao việc")
    return {"units": units}


def _typed(raw: Any, where: str) -> None:
    """A value as app/entries/values.encode writes it, checked before it is decoded (values.decode_checked)."""
    from app.entries.values import decode_checked

    try:
        decode_checked(raw)
    except ValueError as e:
        shown = printable(str(e), 80)
        raise BadValue(f"{where}: {shown}", f"{where}: giá trị không hợp lệ ({shown})") from None


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
        marks = {(r.round_id, r.unit_code, r.code): (r.points, r.comment) for r in session.scalars(select(Appraisal))}
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
            points, comment = marks.get((row.framework_id, unit["code"], code), (None, None))
            out.append(WorkItem(row.work_id, row.department, unit["code"], unit["name"], unit["group"], code, node.title,
                                str(node.max[unit["group"]]), None if raw is None else decode_parsed(raw),
                                unit["self"].get(code), unit["explanations"].get(code),
                                [e for e in unit["evidence"] if e["code"] == code], points, comment))
    return out


def export_return(ws: Workspace, out: Path, passphrase: str, department: str | None = None) -> ReturnWritten:
    """The department's appraisals for the latest received work file (of `department`), signed. Its created_at is
    after the previous return's (`sequenced_stamp`): the aggregator refuses a return older than one it took."""
    from app.packages import EntrySource, Signer, write_package
    from app.services.appraisal_merge import sequenced_stamp
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
    key = keys.decrypt_key(key_pem, passphrase, certs.unit_code_of(cert))
    own_code = certs.unit_code_of(cert)
    # never this installation's own unit, which a work file from an earlier version may still list
    scope = {u["code"]: set(u["codes"]) for u in json.loads(work.body_json)["units"] if u["code"] != own_code}
    with ws.store.session() as session:
        items = [{"unit": r.unit_code, "code": r.code, "points": r.points, "comment": r.comment,
                  "explanation_requested": r.explanation_requested, "appraiser": r.appraiser, "set_at": r.set_at}
                 for r in session.scalars(select(Appraisal).where(Appraisal.round_id == work.framework_id)
                                          .order_by(Appraisal.unit_code, Appraisal.code))
                 if r.code in scope.get(r.unit_code, ())]
        now = sequenced_stamp(session, ws.clock(), "appraise.return.export")
    manifest = {"format": RETURN_FORMAT, "work_id": work.work_id, "created_at": now, "from": own_code,
                "to": work.counterpart, "department": work.department,
                "framework": {"id": work.framework_id, "sha256": work.framework_sha256}}
    body = json.dumps({"appraisals": items}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_package(out, manifest, [EntrySource(RETURN_DATA, body)],
                  Signer(cert, key, tuple(ident.chain_for(cert))))
    with ws.store.session.begin() as session:
        row = session.get(AppraisalWork, work.id)
        row.returned_at = now
        audit.append(session, at=now, actor=ws.actor(session), action="appraise.return.export", code=work.work_id,
                     new=f"{work.department}: {len(items)} appraisals to {work.counterpart}")
    return ReturnWritten(work.work_id, work.department, len(items))


# -- back at the aggregator: merge the return ----------------------------------------------------------

def _merge_return(ws: Workspace, verified, file: str, dry_run: bool) -> Imported:
    """DESIGN §6's order for a return: the work it answers issued here for its department, its signer the unit the
    work was issued to, the return for this authority and on the work's framework, exactly its one data entry,
    every appraisal checked, then the order against the department's earlier returns, then one transaction."""
    from app.packages import read_entry
    from app.services.appraisal_merge import merge
    from app.services.incoming import fields, strict_json
    from app.services.round_lock import ensure_open
    from app.services.trust_service import identity
    from app.trust import certs

    ensure_open(ws)
    manifest = verified.manifest
    signer = certs.unit_code_of(verified.signer)
    _checked(file, fields, manifest, "manifest.json", ("work_id", "created_at", "from", "to", "department",
                                                       "framework"), (), closed=False)
    work_id = _checked(file, _work_id, manifest["work_id"])
    _checked(file, identifiers.timestamp, manifest["created_at"])
    named = _checked(file, _department, manifest["department"])
    with ws.store.session() as session:
        work = session.scalars(select(AppraisalWork).where(AppraisalWork.work_id == work_id,
                                                           AppraisalWork.role == "issued")).first()
        if work is not None:
            session.expunge(work)
    if work is None:
        raise UserError(f"{file} answers a work file that was not issued here",
                        f"{file} trả lời một tệp giao việc không do máy này lập")
    if _fold(named) != _fold(work.department):
        shown = printable(named, 80)
        raise UserError(f"{file} is for {shown}, but the work went to {work.department}",
                        f"{file} ghi cơ quan {shown}, nhưng việc đã giao cho {work.department}")
    issued = json.loads(work.body_json)
    _check_signer(ws, verified, file, signer, work, issued.get("to"))
    own = identity(ws).code
    if manifest["to"] != own:
        shown = printable(manifest["to"] if isinstance(manifest["to"], str) else repr(manifest["to"]), 60)
        raise UserError(f"{file} is addressed to {shown}, not to this authority ({own})",
                        f"{file} gửi cho {shown}, không phải cơ quan này ({own})")
    if _checked(file, _framework_ref, manifest["framework"]) != (work.framework_id, work.framework_sha256):
        raise UserError(f"{file}: the return is on another framework than the work {work_id} "
                        f"({work.framework_id} {work.framework_sha256[:12]})",
                        f"{file}: tệp trả kết quả theo bộ chỉ số khác với tệp giao việc {work_id} "
                        f"({work.framework_id} {work.framework_sha256[:12]})")
    _checked(file, _only_entries, verified, RETURN_DATA, ("return file", "tệp trả kết quả"), False)
    fw = ws.frameworks.get(f"{work.framework_id}@{work.framework_sha256}").framework
    scope = {code: set(codes) for code, codes in issued["units"].items()}
    groups = issued.get("groups")
    if groups is None:   # a work issued before the groups were kept: the units' latest submissions
        from app.services.aggregate import latest_submissions

        groups = {r.unit_code: r.group for r in latest_submissions(ws)}
    now = stamp(ws.clock())
    raw = read_entry(verified, RETURN_DATA, MAX_JSON)
    incoming = _checked(file, lambda: _return_items(strict_json(raw, RETURN_DATA), fw, scope, groups, signer, work,
                                                    now))
    with ws.store.session() as session:
        same_department = {r.work_id for r in session.scalars(select(AppraisalWork).where(
            AppraisalWork.role == "issued")) if _fold(r.department) == _fold(work.department)}
    repeat, note = _ordered(ws, file, verified, "appraise.return.import", signer, same_department,
                            ("return", "tệp trả kết quả"))
    if repeat:
        return Imported("return", work_id, work.department, len(scope),
                        {"new": 0, "updated": 0, "same": len(incoming), "conflict": 0}, "unchanged")
    if dry_run:
        return Imported("return", work_id, work.department, len(scope), {"appraisals": len(incoming)}, "would-import")
    counts = {"new": 0, "updated": 0, "same": 0, "conflict": 0}
    with ws.store.session.begin() as session:
        actor = ws.actor(session)
        for item in incoming:
            counts[merge(session, item, at=now, actor=actor)] += 1
        audit.append(session, at=now, actor=actor, action="appraise.return.import", unit_code=signer, code=work_id,
                     new=f"{work.department} ({signer}): " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                     reason=note)
    from app.services import score_cache

    score_cache.refresh(ws)
    return Imported("return", work_id, work.department, len(scope), counts)


def _check_signer(ws: Workspace, verified, file: str, signer: str, work: AppraisalWork, recipient: str | None) -> None:
    """The return's signer is the unit the work was issued to (a work issued before recipients were recorded: the
    one unit enrolled here under the department's name), enrolled here with the certificate that signed, and
    not revoked; the manifest's `from` says the same."""
    with ws.store.session() as session:
        rows = session.scalars(select(Enrollment)).all()
        session.expunge_all()
    if recipient is None:
        named = [r.unit_code for r in rows if r.revoked_at is None and _fold(r.unit_name) == _fold(work.department)]
        recipient = named[0] if len(named) == 1 else None
    shown = printable(str(signer), 60)
    if signer != recipient:
        to = recipient or f"the unit enrolled as {work.department}"
        to_vi = recipient or f"đơn vị được cấp tài khoản với tên {work.department}"
        raise UserError(f"{file} was signed by {shown}, but the work was issued to {to}: only that department "
                        "returns its appraisals", f"{file} do {shown} ký, nhưng việc đã giao cho {to_vi}: chỉ cơ quan "
                        "đó được trả kết quả thẩm định")
    row = next((r for r in rows if r.unit_code == signer), None)
    if row is None:
        raise UserError(f"{file} was signed by {shown}, which this authority did not enroll",
                        f"{file} do {shown} ký, không phải đơn vị được cơ quan này cấp tài khoản")
    if row.revoked_at is not None:
        raise UserError(f"{file}: the certificate of unit {signer} was revoked on {row.revoked_at[:10]}",
                        f"{file}: chứng thư của đơn vị {signer} đã bị thu hồi ngày {row.revoked_at[:10]}")
    if row.cert_serial != format(verified.signer.serial_number, "x"):
        raise UserError(f"{file}: unit {signer} signed with a certificate this authority did not issue to it",
                        f"{file}: đơn vị {signer} ký bằng chứng thư không do cơ quan này cấp cho đơn vị")
    if verified.manifest.get("from") != signer:
        raise UserError(f"{file} was signed by {shown} but says it is from someone else",
                        f"{file} do {shown} ký nhưng ghi là của đơn vị khác")


def _return_items(body: Any, fw: Framework, scope: dict[str, set[str]], groups: dict[str, str], signer: str,
                  work: AppraisalWork, now: str) -> list:
    """data/appraisals.json as the appraisals to merge: every item an object with the writer's keys, of a unit and
    indicator the work gave the department, never the signer's own unit, each once, points within the maximum."""
    from app.services.appraisal_merge import MAX_APPRAISER, MAX_COMMENT, Incoming, points_text
    from app.services.incoming import fields, flag, listed, text

    fields(body, RETURN_DATA, ("appraisals",))
    out, seen = [], set()
    for n, item in enumerate(listed(body["appraisals"], f"{RETURN_DATA}: appraisals", MAX_ITEMS), start=1):
        where = f"appraisal {n}"
        fields(item, where, ("unit", "code", "points", "comment", "explanation_requested"), ("appraiser", "set_at"))
        unit, code = identifiers.unit_code(item["unit"]), item["code"]
        if not isinstance(code, str):
            raise BadValue(f"{where}: {printable(repr(code), 40)} is not an indicator with points",
                           f"{where}: {printable(repr(code), 40)} không phải chỉ tiêu chấm điểm")
        if unit == signer:
            raise BadValue(f"{signer} may not appraise its own unit", f"{signer} không được tự thẩm định đơn vị mình")
        if code not in scope.get(unit, ()):
            shown = printable(code, 40)
            raise BadValue(f"{unit} {shown} was not in the work given to {work.department}",
                           f"{unit} {shown} không có trong việc đã giao cho {work.department}")
        if (unit, code) in seen:
            raise BadValue(f"{unit} {code} is appraised twice", f"{unit} {code} được thẩm định hai lần")
        seen.add((unit, code))
        group = groups.get(unit)
        maximum = fw.indicator(code).max.get(group) if group is not None else None
        if maximum is None:
            raise BadValue(f"{unit} {code}: the unit's group is not known here", f"{unit} {code}: không rõ nhóm của đơn vị")
        where = f"{where} ({unit} {code})"
        comment = text(item["comment"], f"{where}: comment", MAX_COMMENT, optional=True)
        appraiser, set_at = item.get("appraiser"), item.get("set_at")
        if set_at is not None:
            identifiers.timestamp(set_at, "set_at")
        out.append(Incoming(
            work.framework_id, unit, code, points_text(item["points"], f"{where}: points", maximum),
            unicodedata.normalize("NFC", comment) if comment else None,
            flag(item["explanation_requested"], f"{where}: explanation_requested"),
            work.department if appraiser is None else identifiers.unit_name(appraiser, "appraiser", "người thẩm định",
                                                                             limit=MAX_APPRAISER),
            f"dept:{signer}", set_at or now))
    return out
