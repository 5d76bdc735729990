"""`dti package verify` and `dti package import` (DESIGN §6), at an aggregator (district or province).

The package library checks structure, signature and entry hashes; this module adds what only the store
knows, in the contract's order: the signer is the unit named in the manifest and belongs to this
authority (enrolled here directly, or by a district enrolled here) → the revision is newer than what is
stored (same revision and bytes: nothing to do; same revision, other bytes: alarm) → content checks →
one transaction commits all, after the verified original is archived read-only.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app.entries.values import decode_checked
from app.errors import UserError
from app.evidence.model import EXT_OF_KIND
from app.models.tables import EvidenceFile, Submission
from app.services import audit, identifiers, package_crypto, received_store
from app.services.incoming import strict_json
from app.services.trust_service import crls, identity
from app.services.workspace import Workspace, stamp
from app.trust import certs

PACKAGE_SUFFIXES = (".dtipkg", ".dtibundle")
MAX_DATA_JSON = 32 * 1024 * 1024
MAX_REPORT = 64 * 1024 * 1024


@dataclass
class Outcome:
    file: str
    status: str                 # imported | unchanged | refused | alarm | verified | would-import
    unit: str | None = None
    revision: int | None = None
    reason_en: str = ""
    reason_vi: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def line(self, lang: str) -> str:
        """What the terminal shows, control characters of a file name from outside escaped (a name must not
        print a line of its own, or recolour one)."""
        return identifiers.printable(self._line(lang), 100_000)

    def _line(self, lang: str) -> str:
        vi = lang == "vi"
        if self.status in ("refused", "alarm"):
            prefix = ("BÁO ĐỘNG: " if vi else "ALARM: ") if self.status == "alarm" else ""
            return f"{prefix}{self.reason_vi if vi else self.reason_en}"
        words = {"imported": ("đã nhập", "imported"), "unchanged": ("đã có, không đổi", "already imported, unchanged"),
                 "verified": ("hợp lệ", "verified"), "would-import": ("hợp lệ, sẽ nhập", "valid, would be imported")}
        word = words[self.status][0 if vi else 1]
        if repaired := len(self.details.get("repaired", ())):
            word += (f"; {repaired} tệp minh chứng bị mất hoặc hỏng trong thư mục dữ liệu đã được ghi lại từ gói" if vi
                     else f"; {repaired} evidence file{'s' if repaired > 1 else ''} lost or damaged in this data "
                          "directory written again from the package")
        if self.details.get("encrypted"):   # opened with this installation's key (app.services.package_crypto)
            word += "; gói được mã hoá cho máy này" if vi else "; it came encrypted for this installation"
        if "token" in self.details:   # the official's token signature (app.services.token_signature)
            from app.services.token_signature import line as token_line

            word += f"; {token_line(self.details['token'], vi)}"
        return f"{self.file}: {self.unit} {'lần' if vi else 'revision'} {self.revision}: {word}"


class Refusal(UserError):
    def __init__(self, file: str, en: str, vi: str, alarm: bool = False):
        super().__init__(f"{file}: {en}", f"{file}: {vi}")
        self.alarm = alarm


# What an import command reads once, not once per package: the trust anchors (two queries and every CRL
# parsed, ~5 ms) and the enrollments (two queries per package otherwise). Nothing an import does changes
# either. Held for the command running in this thread.
@dataclass
class _Command:
    ws: Workspace
    anchors: Any                                   # TrustAnchors, or None when no root is trusted yet
    enrolled: _Enrolled | None = None
    actor: str | None = None                       # who imports, as the audit log names them


@dataclass(frozen=True)
class _Enrolled:
    by_unit: dict[str, Any]                        # unit code -> Enrollment (detached rows)
    by_issuing_serial: dict[str, Any]              # a district's issuing CA serial (hex) -> its Enrollment


_COMMAND: ContextVar[_Command | None] = ContextVar("dti_import_command", default=None)


def _held(ws: Workspace) -> _Command | None:
    held = _COMMAND.get()
    return held if held is not None and held.ws is ws else None


def trust_anchors(ws: Workspace):
    from app.packages import TrustAnchors

    held = _held(ws)
    if held is not None and held.anchors is not None:
        return held.anchors
    ident = identity(ws)
    roots = list(ident.anchors)
    if ident.root is not None and all(certs.fingerprint(r) != certs.fingerprint(ident.root[0]) for r in roots):
        roots.append(ident.root[0])
    if not roots:
        raise UserError("this installation trusts no root yet: run `dti authority init` or `dti enroll accept`",
                        "máy này chưa có chứng thư gốc: chạy `dti authority init` hoặc `dti enroll accept`")
    return TrustAnchors(tuple(roots), tuple(crls(ws)))


def _enrolled(ws: Workspace) -> _Enrolled:
    from app.models.tables import Enrollment

    held = _held(ws)
    if held is not None and held.enrolled is not None:
        return held.enrolled
    with ws.store.session() as session:
        rows = session.scalars(select(Enrollment).order_by(Enrollment.id)).all()
    by_unit: dict[str, Any] = {}
    by_issuing: dict[str, Any] = {}
    for row in rows:   # the first row of a code or serial wins, as a query's .first() did
        by_unit.setdefault(row.unit_code, row)
        if row.issuing_serial:
            by_issuing.setdefault(row.issuing_serial, row)
    enrolled = _Enrolled(by_unit, by_issuing)
    if held is not None:
        held.enrolled = enrolled
    return enrolled


def expand(paths: list[Path]) -> list[list[Path]]:
    """Files and folders → packages, each a list of its volume files (one for an unsplit package).
    Volumes are grouped by the package name their headers carry; the library names a missing one."""
    from app.packages.volumes import read_header

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and (p.suffix in PACKAGE_SUFFIXES
                                                                        or ".dtipkg." in p.name))
        else:
            files.append(path)
    groups: dict[str, list[Path]] = {}
    out: list[list[Path]] = []
    for file in files:
        try:
            header = read_header(file) if file.is_file() else None
        except (OSError, ValueError, UserError):
            header = None
        if header is None:
            out.append([file])
        else:
            if header.name not in groups:
                groups[header.name] = []
                out.append(groups[header.name])
            groups[header.name].append(file)
    return out


def registry_check(ws: Workspace, verified, file: str, defer: bool = False) -> tuple[dict, str | None] | None:
    """The signer is the manifest's unit, enrolled by this authority (or by one of its districts), and the unit's
    name and group are the ones its enrolling authority assigned (docs/trust-and-packages.md, "What a sender
    can make the receiver believe"): the sender's manifest may repeat them, never decide them."""
    manifest = verified.manifest
    unit = manifest.get("unit") or {}
    if not isinstance(unit, dict):
        raise Refusal(file, "the manifest's unit is not an object", "mục unit trong manifest không đúng dạng")
    code = checked(file, identifiers.unit_code, unit.get("code"))
    signer_code = certs.unit_code_of(verified.signer)
    if signer_code != code:
        shown = identifiers.printable(str(signer_code), 60)
        raise Refusal(file, f"signed by unit {shown} but submitted as unit {code}",
                      f"do đơn vị {shown} ký nhưng nộp với mã đơn vị {code}")
    name = checked(file, identifiers.unit_name, unit.get("name"))
    round_id, round_sha = package_round(ws, manifest, file)
    serial = format(verified.signer.serial_number, "x")
    enrolled = _enrolled(ws)
    row = enrolled.by_unit.get(code)
    if row is not None:
        if row.cert_serial != serial:
            raise Refusal(file, f"unit {code} signed with a certificate this authority did not issue to it",
                          f"đơn vị {code} ký bằng chứng thư không do cơ quan này cấp cho đơn vị")
        if row.revoked_at is not None:
            raise Refusal(file, f"the certificate of unit {code} was revoked on {row.revoked_at[:10]}",
                          f"chứng thư của đơn vị {code} đã bị thu hồi ngày {row.revoked_at[:10]}")
        assigned = _round_group(ws, round_id, code)
        if assigned is None:
            raise Refusal(file, f"unit {code} has no group in round {round_id} here: assign it (dti round assign) "
                                "before importing its package",
                          f"đơn vị {code} chưa được xếp nhóm trong đợt {round_id}: hãy xếp nhóm (dti round assign) "
                          "trước khi nhập gói")
        if (unit.get("group"), name) != (assigned, row.unit_name):
            group = identifiers.printable(str(unit.get("group")), 40)
            raise Refusal(file, f"unit {code} is enrolled as '{row.unit_name}' in group {assigned}, not as "
                                f"'{name}' in group {group}",
                          f"đơn vị {code} được cấp tài khoản là '{row.unit_name}' nhóm {assigned}, không phải "
                          f"'{name}' nhóm {group}")
        return {"group": assigned, "framework": (round_id, round_sha), "parent": row.parent_code}, None
    # a commune enrolled by a district that this authority enrolled (its issuing CA is in the chain)
    for cert in verified.chain:
        issuer_serial = format(cert.serial_number, "x")
        district = enrolled.by_issuing_serial.get(issuer_serial)
        if district is not None and verified.signer.issuer == cert.subject:
            if district.revoked_at is not None:
                raise Refusal(file, f"district {district.unit_code} was revoked", f"huyện {district.unit_code} đã bị thu hồi")
            assigned = _round_group(ws, round_id, code)
            if assigned is not None:   # a commune this authority took over from its district (rounds.taken_over)
                group = _taken_over(file, verified.signer, code, name, unit.get("group"), district, assigned)
                return {"group": group, "framework": (round_id, round_sha), "parent": district.unit_code}, None
            group = _district_assigned(ws, file, verified.signer, code, name, unit.get("group"), district,
                                       (round_id, round_sha))
            with ws.store.session() as session:   # not from a snapshot: an import of this command may add it
                other = session.scalars(select(Submission).where(Submission.unit_code == code,
                                                                 Submission.via.is_not(None),
                                                                 Submission.via != district.unit_code)).first()
            if other is not None:
                raise Refusal(file, f"unit code {code} already belongs to district {other.via}",
                              f"mã đơn vị {code} đã thuộc huyện {other.via}")
            return {"group": group, "framework": (round_id, round_sha), "parent": district.unit_code}, district.unit_code
    if defer:  # before the chain is known (the library's hook): a district's commune is decided after
        return None
    raise Refusal(file, f"unit {code} was not enrolled by this authority", f"đơn vị {code} không do cơ quan này cấp tài khoản")


def checked(file: str, check, value):
    """`check(value)`, its BadValue turned into this file's refusal."""
    try:
        return check(value)
    except identifiers.BadValue as e:
        raise Refusal(file, e.en, e.vi) from None


def _round_group(ws: Workspace, round_id: str, unit_code: str) -> str | None:
    from app.services.rounds import group_of

    with ws.store.session() as session:
        return group_of(session, round_id, unit_code)


def _cn_matches(file: str, signer, code: str, name: str, district) -> None:
    cn = certs.common_name(signer)
    if cn not in (certs.common_name_of(name), name[:64]):   # name[:64]: certificates issued before the byte rule
        shown = identifiers.printable(cn, 80)
        raise Refusal(file, f"unit {code} was enrolled by district {district.unit_code} as '{shown}', not as '{name}'",
                      f"đơn vị {code} được huyện {district.unit_code} cấp tài khoản là '{shown}', không phải '{name}'")


def _taken_over(file: str, signer, code: str, name: str, group: object, district, assigned: str) -> str:
    """A district's commune that this authority put in a group of the round itself: that group, and the name its
    district's CA certified."""
    _cn_matches(file, signer, code, name, district)
    if group != assigned:
        shown = identifiers.printable(str(group), 40)
        raise Refusal(file, f"unit {code} is in group {assigned} in this round, not {shown}",
                      f"đơn vị {code} thuộc nhóm {assigned} trong đợt này, không phải nhóm {shown}")
    return assigned


def package_round(ws: Workspace, manifest: dict, file: str) -> tuple[str, str]:
    """(id, framework hash) of the round a package names (its framework), which this authority holds and has not
    finalized: a package for another round, or a closed one, is refused with the reason."""
    from app.models.tables import Round

    ref = manifest.get("framework")
    rid = checked(file, lambda v: identifiers.unit_code(v, "framework id", "mã bộ chỉ số"),
                  ref.get("id") if isinstance(ref, dict) else None)
    with ws.store.session() as session:
        row = session.get(Round, rid)
        known = (", ".join(sorted(session.scalars(select(Round.id)))) or "—") if row is None else ""
    if row is None:
        raise Refusal(file, f"the package is for round {rid}, which is not held here (rounds: {known})",
                      f"gói thuộc đợt đánh giá {rid}, không có ở đây (các đợt: {known})")
    if row.state == "final":
        raise Refusal(file, f"round {rid} is finalized here: reopen it, giving a reason, to take a new package",
                      f"đợt đánh giá {rid} đã chốt kết quả: hãy mở lại (có ghi lý do) để nhận gói mới")
    return rid, row.framework_sha256


def _district_assigned(ws: Workspace, file: str, signer, code: str, name: str, group: object, district,
                       round_ref: tuple[str, str]) -> str:
    """The group of a commune that a district enrolled, which this authority holds no record of.

    What the district assigned is trusted only within the district's rights: its issuing CA signed the
    commune's certificate, whose common name is the name it gave (cut as certs.common_name_of cuts it);
    it may place units only in groups this authority does not enroll itself (a district enrolls communes, not
    districts or departments); and once a unit is stored here its group stays what it was."""
    _cn_matches(file, signer, code, name, district)
    framework = _framework(ws, *round_ref)
    shown_group = identifiers.printable(str(group), 40)
    if not isinstance(group, str) or framework.group(group) is None:
        raise Refusal(file, f"group '{shown_group}' is not a group of {round_ref[0]}",
                      f"nhóm '{shown_group}' không có trong {round_ref[0]}")
    from app.services.rounds import groups_in

    with ws.store.session() as session:
        in_round = groups_in(session, round_ref[0])
    own = {in_round.get(c, row.group_code) for c, row in _enrolled(ws).by_unit.items()}
    if group in own:
        raise Refusal(file, f"a district may not place unit {code} in group {group}: this authority enrolls that "
                            "group itself", f"huyện không được xếp đơn vị {code} vào nhóm {group}: nhóm này do cơ quan "
                            "này trực tiếp cấp tài khoản")
    with ws.store.session() as session:
        earlier = session.scalars(select(Submission.manifest_json).where(Submission.unit_code == code,
                                                                         Submission.framework_id == round_ref[0])
                                  .order_by(Submission.revision.desc())).first()
    if earlier is not None:
        before = (json.loads(earlier).get("unit") or {}).get("group")
        if before != group:
            raise Refusal(file, f"unit {code} is in group {before} here, not {group}",
                          f"đơn vị {code} thuộc nhóm {before} tại đây, không phải nhóm {group}")
    return group


def signed_values(manifest: dict, file: str) -> None:
    """The revision and the creation time of a signed package, checked before they become a file name, a row
    or a date on a screen."""
    checked(file, identifiers.revision, manifest.get("revision"))
    checked(file, identifiers.timestamp, manifest.get("created_at"))


def revision_check(ws: Workspace, code: str, revision: int, manifest_sha: str, file: str, round_id: str) -> bool:
    """True when exactly this package is already stored (nothing to do). An older revision than the
    newest stored in the same round is refused even if it was imported before: it has been superseded."""
    with ws.store.session() as session:
        stored = {rev: sha for rev, sha in session.execute(
            select(Submission.revision, Submission.manifest_sha256).where(Submission.unit_code == code,
                                                                          Submission.framework_id == round_id))}
    latest = max(stored, default=0)
    if revision < latest:
        raise Refusal(file, f"revision {revision} of unit {code} is older than the imported revision {latest}",
                      f"lần nộp {revision} của đơn vị {code} cũ hơn lần đã nhập {latest}")
    if revision in stored:
        if stored[revision] == manifest_sha:
            return True
        raise Refusal(file, f"revision {revision} of unit {code} was already imported with different content: "
                            "two different files carry the same revision",
                      f"lần nộp {revision} của đơn vị {code} đã nhập với nội dung khác: hai tệp khác nhau cùng số lần nộp",
                      alarm=True)
    return False


def check_content(ws: Workspace, verified, registry: dict, file: str) -> dict:
    """Parse and check the data entries against the framework the unit was enrolled on."""
    from app.packages import read_entry

    manifest = verified.manifest
    fw_id, fw_sha = registry["framework"]
    got = manifest.get("framework") if isinstance(manifest.get("framework"), dict) else {}
    if (got.get("id"), got.get("sha256")) != (fw_id, fw_sha):
        shown = identifiers.printable(f"{got.get('id')} {str(got.get('sha256'))[:12]}", 80)
        raise Refusal(file, f"scored against framework {shown}, not the enrolled {fw_id} {fw_sha[:12]}",
                      f"chấm theo bộ chỉ số {shown}, không phải bộ đã cấp {fw_id}")
    unknown = sorted(n for n in verified.entries if n.startswith("data/") and n not in PACKAGE_DATA)
    if unknown:
        raise Refusal(file, f"the package carries an entry no version of this application writes: {unknown[0]}",
                      f"gói có mục không phần mềm nào ghi ra: {unknown[0]}")
    framework = _framework(ws, fw_id, fw_sha)
    group = registry["group"]
    if framework.group(group) is None:
        raise Refusal(file, f"group {group!r} is not a group of {fw_id}", f"nhóm {group!r} không có trong {fw_id}")
    try:
        values = strict_json(read_entry(verified, "data/values.json", MAX_DATA_JSON), "data/values.json")
        evidence = strict_json(read_entry(verified, "data/evidence.json", MAX_DATA_JSON), "data/evidence.json")
        check_values(framework, group, values)
        evidence = evidence_records(framework, evidence, {n for n in verified.entries if n.startswith("evidence/")})
        for name in ("data/score.json", "data/audit.json"):   # not used here, but never binary or hostile
            if name in verified.entries and not isinstance(strict_json(read_entry(verified, name, MAX_DATA_JSON), name),
                                                           dict if name == "data/score.json" else list):
                raise ValueError(f"{name} is not of its kind")
    except identifiers.BadValue as e:
        raise Refusal(file, f"the package data is not valid: {e.en}", f"dữ liệu trong gói không hợp lệ: {e.vi}") from None
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as e:
        raise Refusal(file, f"the package data is not valid: {identifiers.printable(str(e), 200)}",
                      f"dữ liệu trong gói không hợp lệ: {identifiers.printable(str(e), 200)}") from None
    for name in sorted(n for n in verified.entries if n.startswith("report/")):
        _check_report(verified, name, file)
    return {"values": values, "evidence": evidence}


PACKAGE_DATA = ("data/values.json", "data/evidence.json", "data/score.json", "data/audit.json")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def evidence_records(framework, evidence: object, names: set[str]) -> list[dict]:
    """data/evidence.json checked record by record, and reduced to what the receiver keeps from the sender: where a
    file is attached, its name, hash, size, kind and (for a converted scan) the original's hash. Findings, pages
    and signatures are the receiver's own, added by the inspection (`_inspect_staged`)."""
    if not isinstance(evidence, list) or len(evidence) > 100_000:
        raise ValueError("data/evidence.json is not a list of evidence records")
    records, listed = [], set()
    for item in evidence:
        if not isinstance(item, dict) or not {"code", "name", "sha256", "size", "kind"} <= set(item):
            raise ValueError("an evidence record lacks code, name, sha256, size or kind")
        code, sha, size, kind = item["code"], item["sha256"], item["size"], item["kind"]
        if not isinstance(code, str) or not (framework.has_indicator(code) or framework.info_field(code)):
            raise ValueError(f"evidence attached to an unknown code {identifiers.printable(repr(code), 60)}")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha) or kind not in EXT_OF_KIND:
            raise ValueError("an evidence record's sha256 or kind is malformed")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 < size < 1 << 40:
            raise ValueError("an evidence record's size is not a positive whole number")
        original = item.get("original_sha256")
        if original is not None and (not isinstance(original, str) or not _SHA256.fullmatch(original)):
            raise ValueError("an evidence record's original_sha256 is malformed")
        name = identifiers.unit_name(item["name"], "evidence file name", "tên tệp minh chứng", limit=255)
        entry = f"evidence/{sha}.{EXT_OF_KIND[kind]}"
        if entry not in names:
            raise ValueError(f"evidence {name} listed but not in the package")
        listed.add(entry)
        records.append({"code": code, "name": name, "sha256": sha, "size": size, "kind": kind,
                        "original_sha256": original})
    if names - listed:
        raise ValueError(f"evidence {sorted(names - listed)[0]} in the package but not listed")
    return records


_FRAMEWORKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _framework(ws: Workspace, fw_id: str, fw_sha: str):
    """The framework a package was scored on, loaded once per workspace: a version is fixed by its SHA-256,
    and loading and hashing it again for every package of a folder cost ~30 ms each."""
    cache = _FRAMEWORKS.setdefault(ws, {})
    if (fw_id, fw_sha) not in cache:
        cache[(fw_id, fw_sha)] = ws.frameworks.get(f"{fw_id}@{fw_sha}").framework
    return cache[(fw_id, fw_sha)]


def _check_report(verified, name: str, file: str) -> None:
    """A report/*.pdf entry (the unit's self-assessment report) must be a PDF that opens, with pages and
    without active content: appraisers open it in their PDF viewers."""
    import io

    from app.evidence.logs import quiet_libraries
    from app.packages import read_entry

    data = read_entry(verified, name, MAX_REPORT)
    problem = None
    if not data.startswith(b"%PDF-"):
        problem = ("is not a PDF file", "không phải tệp PDF")
    else:
        from app.evidence.model import EvidenceRefused
        from app.evidence.pdf import attempt, open_pdf, page_count, scan_objects

        quiet_libraries()
        try:
            with open_pdf(io.BytesIO(data), name) as pdf:
                page_count(pdf, name)
                unchecked: list[str] = []
                active, _signed = attempt("active_content", lambda: scan_objects(pdf), (set(), False), "", unchecked)
                if unchecked:  # appraisers open this file: unknown is not good enough
                    problem = ("could not be checked for active content", "không kiểm tra được nội dung tự chạy")
                elif active:
                    problem = (f"holds active content ({', '.join(sorted(active))})",
                               f"chứa nội dung tự chạy ({', '.join(sorted(active))})")
        except EvidenceRefused as e:  # "“name”: reason": the reason alone, the name is said below
            problem = (f"cannot be used: {str(e).partition(': ')[2]}",
                       f"không dùng được: {e.message_vi.partition(': ')[2]}")
    if problem is not None:
        raise Refusal(file, f"the report {name} {problem[0]}", f"báo cáo {name} {problem[1]}")


def check_values(framework, group: str, values: dict) -> None:
    """Every value must be one the unit's own store would accept: typed, decoded, then read back through
    the same gatekeeper (parse_entry) from its exact text."""
    from app.entries.values import EntryRefused, parse_entry, render  # not the workbook's module: no openpyxl

    if not isinstance(values, dict) or not all(isinstance(values.get(k), dict) for k in ("values", "info", "explanations")):
        raise ValueError("data/values.json must hold the objects values, info and explanations")
    info: dict = {}
    for section in ("info", "values"):
        for code, raw in values[section].items():
            if not (framework.has_indicator(code) or framework.info_field(code)):
                raise ValueError(f"unknown code {code}")
            typed = decode_checked(raw)   # shape and size first: a 1e999999999 would hang render below
            try:
                kind, parsed = parse_entry(framework, group, code, render(typed, "en"), info, style="en")
            except EntryRefused as e:
                raise ValueError(str(e)) from None
            if parsed != typed or (kind == "info") != (section == "info"):
                raise ValueError(f"{code}: the value is not one the unit could have entered")
            if kind == "info":
                info[code] = parsed
    if not all(isinstance(v, str) for v in values["explanations"].values()):
        raise ValueError("explanations must be text")
    for code in values["explanations"]:
        if not (framework.has_indicator(code) or framework.info_field(code)):
            raise ValueError(f"unknown code {code}")


def verify(ws: Workspace, volumes: list[Path], on_signed=None, fmt: str = "dti-package/1", check_entries: bool = True,
           decryption=None, window: tuple[int, int] | None = None, name: str | None = None):
    """The library's checks; `on_signed(manifest, signer)` runs after the signature and before the entries
    are hashed, where DESIGN §6 puts the unit, authority and revision checks. With `check_entries=False`
    the caller hashes the entries itself (an import: each byte once, see `_import_one`). An encrypted package is
    read through its `decryption` (app.services.package_crypto.decryption_for). A package inside a bundle is its
    `window` of the bundle's bytes, called `name`."""
    from app.packages import BUNDLE_NAMES, PACKAGE_NAMES, PackageRefused, verify_package

    file = name or volumes[0].name

    def check_signed(manifest: dict, signer) -> None:
        if manifest.get("format") != fmt:
            what = ("not a district bundle", "không phải gói tổng hợp của huyện") if fmt == "dti-bundle/1" else (
                "not a submission package", "không phải gói nộp")
            raise Refusal(file, *what)
        if on_signed is not None:
            on_signed(manifest, signer)

    patterns = BUNDLE_NAMES if fmt == "dti-bundle/1" else PACKAGE_NAMES
    try:
        return verify_package(volumes if len(volumes) > 1 else volumes[0], trust_anchors(ws), check_signed=check_signed,
                              patterns=patterns, check_entries=check_entries, decryption=decryption,
                              window=window, name=name)
    except PackageRefused as e:
        raise Refusal(file, str(e).removeprefix(f"{file}: "), e.message_vi.removeprefix(f"{file}: ")) from None


def verify_only(ws: Workspace, paths: list[Path], passphrase: Callable[[], str] | None = None) -> dict:
    """`dti package verify`: exactly the checks of an import (its dry run: one pipeline, two modes), nothing
    stored. A package already imported unchanged verifies; one the import would refuse is refused here too."""
    lines, ok = [], True
    for outcome in import_paths(ws, paths, dry_run=True, passphrase=passphrase):
        if outcome.status in ("refused", "alarm"):
            ok = False
            lines.append(outcome.line("en"))
        else:
            sealed = " (encrypted for this installation)" if outcome.details.get("encrypted") else ""
            lines.append(f"{identifiers.printable(outcome.file)}: {outcome.unit} r{outcome.revision}: OK{sealed}")
            if "token" in outcome.details:
                from app.services.token_signature import line as token_line

                lines.append("  " + identifiers.printable(token_line(outcome.details["token"], False), 400))
    return {"ok": ok, "lines": lines}


def import_paths(ws: Workspace, paths: list[Path], dry_run: bool = False, refresh_scores: bool = True,
                 passphrase: Callable[[], str] | None = None) -> list[Outcome]:
    """Each package all or nothing; a folder is reported per file and the others go on. The stored score
    summaries are brought up to date once at the end (a caller importing file by file passes
    `refresh_scores=False` and calls app.services.score_cache.refresh itself when it is done)."""
    if not dry_run:   # a finalized round is refused per package (package_round): others may go on
        received_store.remove_stale_parts(ws)
        package_crypto.remove_stale(ws)
    try:
        anchors = trust_anchors(ws)
    except UserError:   # no root yet: every package is refused with this reason below
        anchors = None
    token = _COMMAND.set(_Command(ws, anchors))
    try:
        return _import_all(ws, paths, dry_run, refresh_scores, passphrase)
    finally:
        _COMMAND.reset(token)


def _import_all(ws: Workspace, paths: list[Path], dry_run: bool, refresh_scores: bool,
                passphrase: Callable[[], str] | None = None) -> list[Outcome]:
    """Each file as it came; an encrypted one (app.services.package_crypto) read in place through this
    installation's key by the same checks (`passphrase` is asked only for those)."""
    outcomes = []
    for volumes in expand(paths):
        file = volumes[0].name
        try:
            decryption = package_crypto.decryption_for(ws, volumes, passphrase)
            name = decryption.envelope.file if decryption is not None else file
            if Path(name).suffix == ".dtibundle":
                from app.services.bundle import import_bundle

                got = import_bundle(ws, volumes, dry_run, decryption)
            else:
                got = [_import_one(ws, volumes, dry_run, decryption)]
            if decryption is not None:
                for outcome in got:
                    outcome.details["encrypted"] = True
            outcomes.extend(got)
        except Refusal as e:
            outcomes.append(Outcome(file, "alarm" if e.alarm else "refused", reason_en=str(e), reason_vi=e.message_vi))
        except UserError as e:
            en, vi = str(e), e.message_vi
            outcomes.append(Outcome(file, "refused", reason_en=en if en.startswith(file) else f"{file}: {en}",
                                    reason_vi=vi if vi.startswith(file) else f"{file}: {vi}"))
    if refresh_scores and not dry_run and any(o.status not in ("refused", "alarm") for o in outcomes):
        from app.services import score_cache

        score_cache.refresh(ws)
    return outcomes


def _import_one(ws: Workspace, volumes: list[Path], dry_run: bool, decryption=None) -> Outcome:
    file = volumes[0].name

    def on_signed(manifest: dict, signer) -> None:
        from types import SimpleNamespace

        registry_check(ws, SimpleNamespace(manifest=manifest, signer=signer, chain=()), file, defer=True)
        signed_values(manifest, file)

    from app.packages import check_entries

    verified = verify(ws, volumes, on_signed, check_entries=False, decryption=decryption)
    manifest = verified.manifest
    registry, via = registry_check(ws, verified, file)   # again with the chain, for a district's communes
    token = _token_check(ws, verified, file)   # the official's token signature: reported, and enforced where required
    signed = {"token": token} if token is not None else {}
    code = manifest["unit"]["code"]
    revision = manifest["revision"]
    manifest_sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    # Every entry is hashed once: the evidence this store lacks while it is copied in, everything else here,
    # before the content checks (as verify_package would have).
    if revision_check(ws, code, revision, manifest_sha, file, registry["framework"][0]):
        # already here: the store's copies of its evidence are read and checked, and any that was lost or
        # altered is written again from the package (how `received_package`'s advice repairs a store)
        damaged = received_store.evidence_to_store(ws, verified, deep=True)
        check_entries(verified, [n for n in verified.entries if n not in damaged])
        if dry_run:
            check_entries(verified, sorted(damaged))
            return Outcome(file, "unchanged", code, revision, details=signed)
        received_store.restore(verified, damaged)
        received_store.repair_archive(ws, verified, code, revision)
        return Outcome(file, "unchanged", code, revision, details={"repaired": sorted(damaged), **signed})
    to_copy = set(received_store.evidence_to_store(ws, verified))
    check_entries(verified, [n for n in verified.entries if n not in to_copy])
    if dry_run:  # every check of an import, the evidence inspected from copies outside the data directory
        import tempfile

        content = check_content(ws, verified, registry, file)
        with tempfile.TemporaryDirectory(prefix="dti-dry-run-") as scratch:
            inspect_evidence(ws, verified, content, Path(scratch), file)
        return Outcome(file, "would-import", code, revision, details=signed)
    content, archived = _storechecked(ws, verified, registry, to_copy, file, code, revision, manifest_sha)
    if token is not None:
        content["token_signature"] = token   # stored with the submission (data_json)
    with ws.store.session.begin() as session:
        record_submission(ws, session, verified, registry, via, content, archived)
    received_store.publish_archive(ws, archived[0])
    return Outcome(file, "imported", code, revision, details=signed)


def _token_check(ws: Workspace, verified, file: str) -> dict | None:
    """The token signature's finding (app.services.token_signature); a refusal where one is required and missing."""
    from app.services import token_signature

    found, reason = token_signature.check(ws, verified)
    if reason is not None:
        raise Refusal(file, *reason)
    return found


def _storechecked(ws: Workspace, verified, registry: dict, to_copy: set[str], file: str, code: str, revision: int,
                   manifest_sha: str) -> tuple[dict, tuple[str, str]]:
    """DESIGN §6's order: the new evidence streamed through SHA-256 into the store, then the content checks and
    the inspection, then (in the caller) one transaction. The checks run on the staged copies while their
    fsyncs do (the fsyncs are most of a small package's import on a laptop disk), and the skeleton is staged
    in a thread meanwhile (reading and hashing the package, neither holds the GIL). A refused package leaves
    nothing behind: no evidence file is renamed into place before every check has passed."""
    import concurrent.futures

    from app.packages import staged_entries

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        staging = pool.submit(received_store.archive, ws, verified, code, revision, manifest_sha)
        try:
            with staged_entries(verified, {name: received_store.stored_path(ws, name) for name in to_copy}) as temps:
                content = check_content(ws, verified, registry, file)
                _inspect_staged(ws, content, temps, file)
        except BaseException:
            concurrent.futures.wait([staging])
            received_store.discard_staged(ws, code, revision, manifest_sha)
            raise
        return content, staging.result()


def store_evidence(ws: Workspace, verified, content: dict, file: str = "") -> None:
    """The evidence of a checked package (a bundle's commune) this store lacks, streamed through SHA-256 into
    the content-addressed store and inspected before it takes its place there."""
    from app.packages import staged_entries

    wanted = received_store.evidence_to_store(ws, verified)
    with staged_entries(verified, wanted) as temps:
        _inspect_staged(ws, content, temps, file or verified.path.name)


def inspect_evidence(ws: Workspace, verified, content: dict, folder: Path, file: str) -> None:
    """The inspection of an import for a dry run: the evidence this store lacks copied into `folder` (outside
    the data directory) and inspected there, nothing stored."""
    from app.packages import staged_entries

    wanted = received_store.evidence_to_store(ws, verified)
    with staged_entries(verified, {name: folder / Path(name).name for name in wanted}) as temps:
        _inspect_staged(ws, content, temps, file)


def _inspect_staged(ws: Workspace, content: dict, temps: dict[str, Path], file: str) -> None:
    """Each new evidence file inspected here as at the unit, from its staged copy, and the receiver's own findings
    and signature validation put in `content` in place of the sender's (DESIGN §6: the unit's own inspection is
    not believed, not even for display). Evidence already in this store keeps the findings recorded when it
    was first inspected here. Refused, or of another kind than the unit recorded, refuses the package."""
    from app.evidence.inspect import EvidenceRefused, inspect_file
    from app.services.evidence_service import trust_roots

    roots = trust_roots(ws)

    def inspected(item: dict, path: Path) -> dict:
        try:
            inspection = inspect_file(path, item["name"], max(item["size"], 1), roots, known_sha256=item["sha256"])
            problem = None
            if inspection.kind != item["kind"]:
                problem = (f"{item['name']}: the content is {inspection.kind}, not {item['kind']}",
                           f"{item['name']}: nội dung là {inspection.kind}, không phải {item['kind']}")
        except EvidenceRefused as e:
            problem = (str(e), e.message_vi)
        if problem is not None:
            raise Refusal(file, f"evidence refused: {problem[0]}", f"tài liệu kiểm chứng bị từ chối: {problem[1]}")
        return {"pages": inspection.pages, **_own_findings(inspection.to_json())}

    found: dict[str, dict] = {}
    for item in content["evidence"]:
        name = f"evidence/{item['sha256']}.{EXT_OF_KIND[item['kind']]}"
        if name in temps and item["sha256"] not in found:
            found[item["sha256"]] = inspected(item, temps[name])
    found.update(_stored_findings(ws, {item["sha256"] for item in content["evidence"]} - set(found)))
    for item in content["evidence"]:
        if item["sha256"] not in found:   # in the store without a record of ours: inspected now, never believed
            name = f"evidence/{item['sha256']}.{EXT_OF_KIND[item['kind']]}"
            found[item["sha256"]] = inspected(item, received_store.stored_path(ws, name))
        item.update(found[item["sha256"]])


def _own_findings(inspection: dict) -> dict:
    return {"problems": list(inspection.get("problems", [])), "signatures": list(inspection.get("signatures", []))}


def _stored_findings(ws: Workspace, shas: set[str]) -> dict[str, dict]:
    """What this store recorded for evidence it already holds (its own inspection when it first took the file)."""
    out: dict[str, dict] = {}
    listed = sorted(shas)
    with ws.store.session() as session:
        for start in range(0, len(listed), 500):   # SQLite's bound-parameter limit
            for row in session.scalars(select(EvidenceFile).where(EvidenceFile.sha256.in_(listed[start:start + 500]))):
                try:
                    recorded = json.loads(row.inspection_json or "{}")
                except ValueError:
                    recorded = {}
                out[row.sha256] = {"pages": row.pages, **_own_findings(recorded if isinstance(recorded, dict) else {})}
    return out


def record_submission(ws: Workspace, session, verified, registry: dict, via: str | None, content: dict,
            archived: tuple[str, str]) -> None:
    """The submission and its audit row, in the caller's transaction."""
    manifest = verified.manifest
    code, revision = manifest["unit"]["code"], manifest["revision"]
    manifest_sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    now = stamp(ws.clock())
    held = _held(ws)
    if held is not None and held.actor is None:
        held.actor = ws.actor(session)
    actor = held.actor if held is not None else ws.actor(session)
    listed = sorted({item["sha256"] for item in content["evidence"]})
    known: set[str] = set()
    for start in range(0, len(listed), 500):   # SQLite's bound-parameter limit
        known.update(session.scalars(select(EvidenceFile.sha256).where(EvidenceFile.sha256.in_(listed[start:start + 500]))))
    rows = []
    for item in content["evidence"]:
        if item["sha256"] not in known:
            known.add(item["sha256"])
            rows.append(dict(sha256=item["sha256"], size=item["size"], ext=EXT_OF_KIND[item["kind"]], kind=item["kind"],
                             pages=item.get("pages"), inspection_json=json.dumps(
                                 {"problems": item.get("problems", []), "signatures": item.get("signatures", [])},
                                 ensure_ascii=False), original_sha256=item.get("original_sha256"), stored_at=now))
    # plain INSERTs (one executemany for the evidence): no ORM objects to track and flush, ~3 ms a package
    if rows:
        session.execute(insert(EvidenceFile), rows)
    session.execute(insert(Submission), [dict(
        unit_code=code, revision=revision, manifest_sha256=manifest_sha, package_sha256=archived[1],
        archived_name=archived[0], framework_id=registry["framework"][0], framework_sha256=registry["framework"][1],
        manifest_json=verified.manifest_bytes.decode("utf-8"), data_json=json.dumps(content, ensure_ascii=False),
        via=via, imported_at=now)])
    audit.append(session, at=now, actor=actor, action="package.import", unit_code=code, code=registry["framework"][0],
                 new=f"revision {revision} ({manifest_sha[:12]})" + (f" via {via}" if via else ""))

