"""District bundles (`*.dtibundle`, DESIGN §6): a district forwards its communes' latest packages byte for
byte, with its appraisals and its ranking of them, signed by the district. The province verifies the
district's signature and every commune's own, that each commune was enrolled by that district, and stores
the communes under their district with the district's appraisals. All or nothing per bundle."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Appraisal, Enrollment, Submission
from app.services import audit
from app.services.aggregate import rank_summary, ranking_data
from app.services.package_import import (
    Outcome,
    Refusal,
    check_content,
    record_submission,
    registry_check,
    revision_check,
    store_evidence,
    verify,
)
from app.services.received_store import archive, evidence_to_store, publish_archive, received_package, restore
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, keys

BUNDLE_FORMAT = "dti-bundle/1"
MAX_JSON = 16 * 1024 * 1024


def _entry_name(code: str, revision: int) -> str:
    return f"packages/{re.sub(r'[^a-z0-9._-]', '-', code.lower())}-r{revision}.dtipkg"


def export_bundle(ws: Workspace, out: Path, passphrase: str) -> int:
    from app.packages import BUNDLE_NAMES, EntrySource, Signer, write_package

    ident = identity(ws)
    if ident.signing is None or ident.issuing is None:
        raise UserError("only a district that enrolls its communes can export a bundle",
                        "chỉ cấp huyện có cấp tài khoản cho xã mới xuất được gói tổng hợp")
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase)
    own_code = certs.unit_code_of(cert)
    with ws.store.session() as session:
        mine = {e.unit_code for e in session.scalars(select(Enrollment).where(Enrollment.parent_code == own_code))}
        subs = session.scalars(select(Submission).order_by(Submission.unit_code, Submission.revision)).all()
        latest = {}
        for s in subs:
            if s.unit_code in mine:
                latest[s.unit_code] = s
        marks = {}
        for row in session.scalars(select(Appraisal).where(Appraisal.unit_code.in_(list(latest)))):
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
        units.append({"code": code, "revision": sub.revision, "manifest_sha256": sub.manifest_sha256, "entry": name})
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
    write_package(out, manifest, entries, Signer(cert, key, tuple(ident.chain_for(cert))), patterns=BUNDLE_NAMES)
    with ws.store.session.begin() as session:
        audit.append(session, at=now, actor=ws.actor(session), action="bundle.export", unit_code=own_code,
                     new=f"{len(units)} communes: " + ", ".join(f"{u['code']} r{u['revision']}" for u in units))
    return len(units)


def import_bundle(ws: Workspace, volumes: list[Path], dry_run: bool) -> list[Outcome]:
    """Verify the bundle and every commune package inside it; then store all of them, or none."""
    from app.packages import copy_entry, read_entry

    file = volumes[0].name

    def district_check(manifest: dict, signer) -> None:
        from types import SimpleNamespace

        registry_check(ws, SimpleNamespace(manifest=manifest, signer=signer, chain=()), file)

    bundle = verify(ws, volumes, district_check, fmt=BUNDLE_FORMAT)
    district = bundle.manifest["unit"]["code"]
    try:
        units = json.loads(read_entry(bundle, "data/units.json", MAX_JSON))
        marks = json.loads(read_entry(bundle, "data/appraisals.json", MAX_JSON))
        listed = {u["entry"]: u for u in units}
    except (ValueError, KeyError, TypeError) as e:
        raise Refusal(file, f"the bundle data is not valid: {e}", f"dữ liệu gói tổng hợp không hợp lệ: {e}") from None
    inside = {n for n in bundle.entries if n.startswith("packages/")}
    if set(listed) != inside:
        raise Refusal(file, "the list of communes does not match the packages inside",
                      "danh sách xã không khớp với các gói bên trong")
    prepared = []
    with tempfile.TemporaryDirectory(prefix="dti-bundle-", dir=ws.data_dir) as scratch:
        for name in sorted(inside):
            label = f"{file}:{name}"
            path = Path(scratch) / Path(name).name
            copy_entry(bundle, name, path)              # streamed through SHA-256 against the bundle's manifest
            verified = verify(ws, [path])
            manifest = verified.manifest
            registry, via = registry_check(ws, verified, label)
            code = manifest["unit"]["code"]
            if via != district:
                raise Refusal(file, f"commune {code} was not enrolled by district {district}",
                              f"xã {code} không do huyện {district} cấp tài khoản")
            if listed[name].get("code") != code or listed[name].get("revision") != manifest["revision"]:
                raise Refusal(file, f"{name} is not the package the bundle lists", f"{name} không phải gói được liệt kê")
            sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
            if revision_check(ws, code, manifest["revision"], sha, label):
                prepared.append((verified, path, registry, via, None))
                continue
            prepared.append((verified, path, registry, via, check_content(ws, verified, registry, label)))
        outcomes = []
        if dry_run:
            return [Outcome(file, "would-import", v.manifest["unit"]["code"], v.manifest["revision"])
                    for v, *_ in prepared]
        archived = {}
        for verified, _path, _registry, _via, content in prepared:
            if content is None:   # already here: evidence the store lost (or holds cut short) written again
                restore(verified, evidence_to_store(ws, verified))
            else:
                code, revision = verified.manifest["unit"]["code"], verified.manifest["revision"]
                store_evidence(ws, verified, content, file)
                archived[code] = archive(ws, verified, code, revision, hashlib.sha256(verified.manifest_bytes).hexdigest())
        now = stamp(ws.clock())
        with ws.store.session.begin() as session:
            for verified, _path, registry, via, content in prepared:
                code, revision = verified.manifest["unit"]["code"], verified.manifest["revision"]
                if content is not None:
                    record_submission(ws, session, verified, registry, via, content, archived[code])
                    outcomes.append(Outcome(file, "imported", code, revision))
                else:
                    outcomes.append(Outcome(file, "unchanged", code, revision))
                fw_id, fw_sha = registry["framework"]
                framework = ws.frameworks.get(f"{fw_id}@{fw_sha}").framework
                actor = ws.actor(session)
                for item in marks.get(code, []):
                    _merge_appraisal(session, code, item, district, framework, registry["group"], now, file, actor)
            audit.append(session, at=now, actor=ws.actor(session), action="bundle.import", unit_code=district,
                         new=f"{len(prepared)} communes")
        for name, _sha in archived.values():   # final names only once the rows are committed
            publish_archive(ws, name)
    return outcomes


def _merge_appraisal(session, code: str, item: dict, district: str, framework, group: str, now: str,
                     file: str, actor: str) -> None:
    """The district's appraisal of a commune, merged: an appraisal set here that disagrees is a conflict."""
    from app.services.appraisal_merge import Incoming, checked_points, merge

    ind = item.get("code")
    if not isinstance(ind, str) or not framework.has_indicator(ind):
        raise Refusal(file, f"an appraisal names an unknown indicator {ind!r}", f"có thẩm định cho chỉ tiêu không có {ind!r}")
    try:
        points = checked_points(item.get("points"), framework.indicator(ind).max[group])
    except ValueError as e:
        raise Refusal(file, f"appraisal {code} {ind}: {e}", f"thẩm định {code} {ind}: điểm không hợp lệ ({e})") from None
    comment = item.get("comment")
    merge(session, Incoming(code, ind, points, comment if isinstance(comment, str) else None,
                            bool(item.get("explanation_requested")), str(item.get("appraiser") or district),
                            f"bundle:{district}", str(item.get("set_at") or now)), at=now, actor=actor)
