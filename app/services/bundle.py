"""District bundles (`*.dtibundle`, DESIGN §6): a district forwards its communes' latest packages byte for
byte, with its appraisals and its ranking of them, signed by the district. The province verifies the
district's signature and every commune's own, that each commune was enrolled by that district, and stores
the communes under their district with the district's appraisals. All or nothing per bundle."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Appraisal, Enrollment, Submission
from app.services import audit, identifiers
from app.services.aggregate import rank_summary, ranking_data
from app.services.appraisal_merge import merge
from app.services.incoming import strict_json
from app.services.package_import import (
    Outcome,
    Refusal,
    check_content,
    checked,
    inspect_evidence,
    record_submission,
    registry_check,
    revision_check,
    signed_values,
    store_evidence,
    verify,
)
from app.services.received_store import (
    archive,
    discard_staged,
    evidence_to_store,
    publish_archive,
    received_package,
    restore,
)
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, keys

BUNDLE_FORMAT = "dti-bundle/1"
MAX_JSON = 16 * 1024 * 1024


def _entry_name(code: str, revision: int) -> str:
    return f"packages/{re.sub(r'[^a-z0-9._-]', '-', code.lower())}-r{revision}.dtipkg"


def export_bundle(ws: Workspace, out: Path, passphrase: str, *, encrypt: bool = False) -> int:
    from app.packages import BUNDLE_NAMES, EntrySource, Signer, write_package, write_sealed_package

    ident = identity(ws)
    if ident.signing is None or ident.issuing is None:
        raise UserError("only a district that enrolls its communes can export a bundle",
                        "chỉ cấp huyện có cấp tài khoản cho xã mới xuất được gói tổng hợp")
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase, certs.unit_code_of(cert))
    own_code = certs.unit_code_of(cert)
    receiver = None
    if encrypt:   # for the province that enrolled this district (app.services.package_crypto); refused before any work
        from app.services import package_crypto

        receiver = package_crypto.recipient(ws)
    from app.services.rounds import groups_in, require

    rid = require(ws).id   # the round in effect: a bundle carries one round
    with ws.store.session() as session:
        mine = {e.unit_code: e for e in session.scalars(select(Enrollment).where(Enrollment.parent_code == own_code))}
        groups = groups_in(session, rid)
        subs = session.scalars(select(Submission).where(Submission.framework_id == rid)
                               .order_by(Submission.unit_code, Submission.revision)).all()
        latest = {}
        for s in subs:
            if s.unit_code in mine:
                latest[s.unit_code] = s
        marks = {}
        for row in session.scalars(select(Appraisal).where(Appraisal.round_id == rid,
                                                           Appraisal.unit_code.in_(list(latest)))):
            marks.setdefault(row.unit_code, []).append(
                {"code": row.code, "points": row.points, "comment": row.comment,
                 "explanation_requested": row.explanation_requested, "appraiser": row.appraiser, "set_at": row.set_at})
    if not latest:
        raise UserError("no commune package has been imported yet: nothing to bundle",
                        "chưa nhập gói nào của xã: chưa có gì để tổng hợp")
    entries, units = [], []
    for code, sub in sorted(latest.items()):
        name = _entry_name(code, sub.revision)
        entries.append(EntrySource(name, received_package(ws, sub)))
        # the name and group this district assigned when it enrolled the commune (what the province checks)
        units.append({"code": code, "revision": sub.revision, "manifest_sha256": sub.manifest_sha256, "entry": name,
                      "name": mine[code].unit_name, "group": groups.get(code, mine[code].group_code)})
    fw, rankings = rank_summary(ws)
    ranking = json.loads(json.dumps(ranking_data(fw, rankings), default=str))
    now = stamp(ws.clock())
    entries += [EntrySource("data/units.json", json.dumps(units, sort_keys=True).encode("utf-8")),
                EntrySource("data/appraisals.json", json.dumps(marks, ensure_ascii=False, sort_keys=True).encode("utf-8")),
                EntrySource("data/ranking.json", json.dumps(ranking, ensure_ascii=False, sort_keys=True).encode("utf-8"))]
    state = ws.state()
    manifest = {"format": BUNDLE_FORMAT, "created_at": now,
                "unit": {"code": own_code, "name": state.name, "group": state.group},
                "framework": {"id": fw.id}, "communes": len(units)}
    signer = Signer(cert, key, tuple(ident.chain_for(cert)))
    if receiver is not None:
        write_sealed_package(out, manifest, entries, signer, receiver, patterns=BUNDLE_NAMES)
    else:
        write_package(out, manifest, entries, signer, patterns=BUNDLE_NAMES)
    with ws.store.session.begin() as session:
        audit.append(session, at=now, actor=ws.actor(session), action="bundle.export", unit_code=own_code,
                     new=f"{len(units)} communes: " + ", ".join(f"{u['code']} r{u['revision']}" for u in units))
    return len(units)


def import_bundle(ws: Workspace, volumes: list[Path], dry_run: bool, decryption=None) -> list[Outcome]:
    """Verify the bundle and every commune package inside it, and check every appraisal it carries; then store
    all of them, or none. A dry run runs every one of these checks (the evidence inspected from copies outside
    the data directory) and stores nothing. An encrypted bundle is read through its `decryption`
    (app.packages.envelope.Decryption)."""
    from app.packages import check_entries, read_entry

    file = volumes[0].name

    def district_check(manifest: dict, signer) -> None:
        from types import SimpleNamespace

        registry_check(ws, SimpleNamespace(manifest=manifest, signer=signer, chain=()), file)
        checked(file, identifiers.timestamp, manifest.get("created_at"))

    bundle = verify(ws, volumes, district_check, fmt=BUNDLE_FORMAT, decryption=decryption)
    district = bundle.manifest["unit"]["code"]
    unknown = sorted(n for n in bundle.entries if n.startswith("data/") and n not in BUNDLE_DATA)
    if unknown:
        raise Refusal(file, f"the bundle carries an entry no version of this application writes: {unknown[0]}",
                      f"gói tổng hợp có mục không phần mềm nào ghi ra: {unknown[0]}")
    try:
        listed = _listed_units(read_entry(bundle, "data/units.json", MAX_JSON))
        marks = _marks(read_entry(bundle, "data/appraisals.json", MAX_JSON), {u["code"] for u in listed.values()})
    except identifiers.BadValue as e:
        raise Refusal(file, f"the bundle data is not valid: {e.en}", f"dữ liệu gói tổng hợp không hợp lệ: {e.vi}") from None
    inside = {n for n in bundle.entries if n.startswith("packages/")}
    if set(listed) != inside:
        raise Refusal(file, "the list of communes does not match the packages inside",
                      "danh sách xã không khớp với các gói bên trong")
    from app.services import token_signature

    prepared, tokens = [], {}   # tokens: (commune, revision) -> its token signature finding
    with tempfile.TemporaryDirectory(prefix="dti-bundle-", dir=None if dry_run else ws.data_dir) as scratch:
        for name in sorted(inside):
            label = f"{file}:{name}"
            # read in place, as the bundle's bytes (no copy: an encrypted bundle's communes stay off the disk);
            # hashed first against the bundle's signed manifest
            check_entries(bundle, [name])
            info = bundle.entries[name]
            verified = verify(ws, volumes, decryption=decryption, window=(info.offset, info.size),
                              name=Path(name).name)
            manifest = verified.manifest
            signed_values(manifest, label)
            registry, via = registry_check(ws, verified, label)
            code = manifest["unit"]["code"]
            if via != district:
                raise Refusal(file, f"commune {code} was not enrolled by district {district}",
                              f"xã {code} không do huyện {district} cấp tài khoản")
            entry = listed[name]
            if entry["code"] != code or entry["revision"] != manifest["revision"]:
                raise Refusal(file, f"{name} is not the package the bundle lists", f"{name} không phải gói được liệt kê")
            if "group" in entry and (entry["group"], entry["name"]) != (registry["group"], manifest["unit"]["name"]):
                raise Refusal(file, f"district {district} lists {code} as '{entry['name']}' in group {entry['group']}, "
                                    "not as its package says", f"huyện {district} liệt kê {code} là '{entry['name']}' "
                                    f"nhóm {entry['group']}, khác với gói của xã")
            # the commune official's token signature, as for a package imported alone (package_import._import_one):
            # reported, stored with the submission, and enforced where required (the whole bundle refused)
            found, refused = token_signature.check(ws, verified)
            if refused is not None:
                raise Refusal(file, f"commune {code}: {refused[0]}", f"xã {code}: {refused[1]}")
            framework = ws.frameworks.get("@".join(registry["framework"])).framework
            incoming = [_incoming(registry["framework"][0], code, item, district, framework, registry["group"], file)
                        for item in marks.get(code, [])]
            sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
            content = None
            if not revision_check(ws, code, manifest["revision"], sha, label, registry["framework"][0]):
                content = check_content(ws, verified, registry, label)
                if dry_run:
                    inspect_evidence(ws, verified, content, Path(scratch) / "evidence", label)
                if found is not None:
                    content["token_signature"] = found   # stored with the submission (data_json)
            prepared.append((verified, registry, via, content, incoming))
            if found is not None:
                tokens[(code, manifest["revision"])] = found
        if dry_run:
            outcomes = [Outcome(file, "would-import", v.manifest["unit"]["code"], v.manifest["revision"])
                        for v, *_ in prepared]
        else:
            outcomes = _store_bundle(ws, file, district, prepared)
        for outcome in outcomes:   # on each commune's line, as for a package imported alone
            if (outcome.unit, outcome.revision) in tokens:
                outcome.details["token"] = tokens[(outcome.unit, outcome.revision)]
        return outcomes


def _store_bundle(ws: Workspace, file: str, district: str, prepared: list) -> list[Outcome]:
    """Everything checked: the evidence and skeletons written, then one transaction; a failure on the way removes
    the staged skeletons, so a refused bundle leaves nothing behind."""
    archived: dict[str, tuple[str, str]] = {}
    outcomes = []
    try:
        for verified, _registry, _via, content, _incoming in prepared:
            if content is None:   # already here: evidence the store lost (or holds cut short) written again
                restore(verified, evidence_to_store(ws, verified))
            else:
                code, revision = verified.manifest["unit"]["code"], verified.manifest["revision"]
                store_evidence(ws, verified, content, file)
                archived[code] = archive(ws, verified, code, revision, hashlib.sha256(verified.manifest_bytes).hexdigest())
        now = stamp(ws.clock())
        with ws.store.session.begin() as session:
            actor = ws.actor(session)
            for verified, registry, via, content, incoming in prepared:
                code, revision = verified.manifest["unit"]["code"], verified.manifest["revision"]
                if content is not None:
                    record_submission(ws, session, verified, registry, via, content, archived[code])
                    outcomes.append(Outcome(file, "imported", code, revision))
                else:
                    outcomes.append(Outcome(file, "unchanged", code, revision))
                for item in incoming:
                    merge(session, replace(item, set_at=item.set_at or now), at=now, actor=actor)
            audit.append(session, at=now, actor=actor, action="bundle.import", unit_code=district,
                         new=f"{len(prepared)} communes")
    except BaseException:
        for verified, *_ in prepared:
            manifest = verified.manifest
            discard_staged(ws, manifest["unit"]["code"], manifest["revision"],
                           hashlib.sha256(verified.manifest_bytes).hexdigest())
        raise
    for name, _sha in archived.values():   # final names only once the rows are committed
        publish_archive(ws, name)
    return outcomes


BUNDLE_DATA = ("data/units.json", "data/appraisals.json", "data/ranking.json")


def _listed_units(raw: bytes) -> dict[str, dict]:
    """data/units.json: entry name -> {code, revision, manifest_sha256, entry[, name, group]}, every value checked."""
    units = strict_json(raw, "data/units.json")
    if not isinstance(units, list) or len(units) > 100_000:
        raise identifiers.BadValue("data/units.json is not a list", "data/units.json không phải danh sách")
    out: dict[str, dict] = {}
    for unit in units:
        if not isinstance(unit, dict) or not {"code", "revision", "manifest_sha256", "entry"} <= set(unit):
            raise identifiers.BadValue("a commune of data/units.json lacks code, revision, manifest_sha256 or entry",
                                       "một xã trong data/units.json thiếu code, revision, manifest_sha256 hoặc entry")
        entry = {"code": identifiers.unit_code(unit["code"]), "revision": identifiers.revision(unit["revision"])}
        if "group" in unit or "name" in unit:
            entry["group"] = identifiers.unit_code(unit.get("group"), "group", "nhóm")
            entry["name"] = identifiers.unit_name(unit.get("name"))
        if not isinstance(unit["entry"], str) or unit["entry"] in out:
            raise identifiers.BadValue("a package of data/units.json is listed twice or not named",
                                       "một gói trong data/units.json được liệt kê hai lần hoặc không có tên")
        out[unit["entry"]] = entry
    return out


def _marks(raw: bytes, codes: set[str]) -> dict[str, list[dict]]:
    """data/appraisals.json: commune code -> its appraisal items (objects), for communes the bundle carries."""
    marks = strict_json(raw, "data/appraisals.json")
    if not isinstance(marks, dict) or not all(isinstance(v, list) and all(isinstance(i, dict) for i in v)
                                              for v in marks.values()):
        raise identifiers.BadValue("data/appraisals.json is not an object of lists of appraisals",
                                   "data/appraisals.json không đúng dạng")
    stray = sorted(set(marks) - codes)
    if stray:
        shown = identifiers.printable(stray[0], 60)
        raise identifiers.BadValue(f"data/appraisals.json appraises {shown}, which the bundle does not carry",
                                   f"data/appraisals.json có thẩm định cho {shown}, không có trong gói tổng hợp")
    return marks


def _incoming(round_id: str, code: str, item: dict, district: str, framework, group: str, file: str):
    """The district's appraisal of a commune, checked (merged later: one set here that disagrees is a conflict)."""
    from app.services.appraisal_merge import Incoming, checked_points

    ind = item.get("code")
    if not isinstance(ind, str) or not framework.has_indicator(ind):
        shown = identifiers.printable(repr(ind), 60)
        raise Refusal(file, f"an appraisal names an unknown indicator {shown}", f"có thẩm định cho chỉ tiêu không có {shown}")
    if group not in framework.indicator(ind).max:
        raise Refusal(file, f"appraisal {code} {ind}: the indicator does not apply to group {group}",
                      f"thẩm định {code} {ind}: chỉ tiêu không áp dụng cho nhóm {group}")
    try:
        points = checked_points(item.get("points"), framework.indicator(ind).max[group])
    except (ValueError, ArithmeticError, TypeError) as e:
        raise Refusal(file, f"appraisal {code} {ind}: {e}", f"thẩm định {code} {ind}: điểm không hợp lệ ({e})") from None
    comment, appraiser, set_at = item.get("comment"), item.get("appraiser"), item.get("set_at")
    if comment is not None and (not isinstance(comment, str) or len(comment) > 10_000):
        raise Refusal(file, f"appraisal {code} {ind}: the comment is not text",
                      f"thẩm định {code} {ind}: nhận xét không phải văn bản")
    try:
        appraiser = identifiers.unit_name(appraiser, "appraiser", "người thẩm định") if appraiser else district
        if set_at:
            identifiers.timestamp(set_at, "set_at")
        else:
            set_at = ""
    except identifiers.BadValue as e:
        raise Refusal(file, f"appraisal {code} {ind}: {e.en}", f"thẩm định {code} {ind}: {e.vi}") from None
    return Incoming(round_id, code, ind, points, comment, bool(item.get("explanation_requested")), appraiser,
                    f"bundle:{district}", set_at)
