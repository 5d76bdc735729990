"""Round files (`*.dtiround`, format `dti-round/1`, DESIGN §6): how a unit enrolled in an earlier year takes part in
the next one without a new enrollment or new keys.

The authority that opened a round (or a district that accepted it from the province) writes one signed file
with the framework in canonical form, the deadline and the group of each unit it enrolled
(`dti round export`); the unit checks it against the root it already trusts, takes it only from the authority
that enrolled it and only when it is listed, then adds the round and makes it current (`dti round accept`).
A district that accepts a round keeps its communes' groups where the new framework has them, so it can export
the round on to them.

What the round asks (rounds.Asks: encrypted packages, a token signature) travels as the manifest's optional
`asks` {"encryption": bool, "token_signature": bool}, written only when something is asked: a file that asks
nothing is exactly what earlier versions wrote and read. The format stays `dti-round/1` (an added optional
field). Readers before this field check the manifest's keys strictly, so they refuse a file that asks ("unknown
key 'asks'") rather than take the round and silently drop what it asks; a new format name would have been
refused as well, only with a less telling "not a round file". A unit that accepts a file stores its asks (none
when the file has none: a newer file replaces what an older one asked); a district passes them on when it
exports the round to its communes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.frameworks.canonical import canonical_bytes
from app.models.tables import Enrollment, Round, Unit
from app.services import audit, identifiers, rounds
from app.services.identifiers import BadValue
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, keys

ROUND_FORMAT = "dti-round/1"
FRAMEWORK_ENTRY = "data/framework.json"
UNITS_ENTRY = "data/units.json"
ROUND_NAMES = tuple(re.compile(re.escape(n)) for n in ("manifest.json", "manifest.p7s", FRAMEWORK_ENTRY, UNITS_ENTRY))
MAX_FRAMEWORK = 16 << 20
MAX_UNITS_JSON = 8 << 20
MAX_UNITS = 100_000


@dataclass(frozen=True)
class RoundExported:
    path: Path
    round_id: str
    units: int
    unassigned: tuple[str, ...]     # enrolled units left out: no group in this round (dti round assign)
    asks: rounds.Asks = rounds.NOTHING


@dataclass(frozen=True)
class RoundAccepted:
    round_id: str
    group: str
    status: str                      # accepted | unchanged | would-accept
    kept: tuple[tuple[str, str], ...] = ()      # a district: its communes carried over with their groups
    unassigned: tuple[str, ...] = ()
    asks: rounds.Asks = rounds.NOTHING           # what the round asks of this unit (the file's, stored when accepted)


def export_round(ws: Workspace, out: Path, passphrase: str) -> RoundExported:
    """The round in effect as a signed round file for the units this installation enrolled."""
    from app.packages import EntrySource, Signer, write_package
    from app.services.appraisal_merge import sequenced_stamp

    ident = identity(ws)
    if ident.signing is None or (ident.root is None and ident.issuing is None):
        raise UserError("only an authority that enrolls units exports a round file",
                        "chỉ cơ quan cấp tài khoản cho đơn vị mới xuất được tệp đợt đánh giá")
    cert, key_pem = ident.signing
    own_code = certs.unit_code_of(cert)
    key = keys.decrypt_key(key_pem, passphrase, own_code)
    current = rounds.require(ws)
    loaded = ws.frameworks.get(current.ref)
    with ws.store.session() as session:
        enrolled = {e.unit_code: e.unit_name for e in session.scalars(select(Enrollment).where(
            Enrollment.parent_code == own_code, Enrollment.revoked_at.is_(None)))}
        groups = rounds.groups_in(session, current.id)
        for code in sorted(set(groups) - set(enrolled)):   # communes taken over from a district (rounds.taken_over)
            if code != own_code and rounds.taken_over(session, code) is not None:
                enrolled[code] = _received_name(session, code)
        now = sequenced_stamp(session, ws.clock(), "round.export")
    units = [{"code": code, "name": name, "group": groups[code]}
             for code, name in sorted(enrolled.items()) if code in groups]
    unassigned = tuple(sorted(code for code in enrolled if code not in groups))
    if not units:
        raise UserError(f"no unit enrolled here has a group in round {current.id}: nothing to send (dti round assign)",
                        f"chưa đơn vị nào do máy này cấp tài khoản được xếp nhóm trong đợt {current.id}: chưa có gì "
                        "để gửi (dti round assign)")
    manifest = {"format": ROUND_FORMAT, "created_at": now, "from": own_code,
                "round": {"id": current.id, "year": current.year, "deadline": current.deadline},
                "framework": {"id": current.id, "sha256": loaded.sha256}, "units": len(units)}
    if current.asks:   # only then: a file that asks nothing stays readable by every earlier version
        manifest["asks"] = current.asks.as_json()
    entries = [EntrySource(FRAMEWORK_ENTRY, canonical_bytes(loaded.framework)),
               EntrySource(UNITS_ENTRY, json.dumps(units, ensure_ascii=False, sort_keys=True).encode("utf-8"))]
    write_package(out, manifest, entries, Signer(cert, key, tuple(ident.chain_for(cert))), patterns=ROUND_NAMES)
    with ws.store.session.begin() as session:
        audit.append(session, at=now, actor=ws.actor(session), action="round.export", code=current.id,
                     new=f"{len(units)} units" + (f"; without a group: {' '.join(unassigned)}" if unassigned else ""))
    return RoundExported(Path(out), current.id, len(units), unassigned, current.asks)


def _received_name(session, code: str) -> str:
    from app.models.tables import Submission

    manifest = session.scalars(select(Submission.manifest_json).where(Submission.unit_code == code)
                               .order_by(Submission.id.desc())).first()
    return json.loads(manifest)["unit"]["name"]


def _refuse(file: str, e: BadValue) -> UserError:
    return UserError(f"{file}: {e.en}", f"{file}: {e.vi}")


def _asks(value: object) -> rounds.Asks:
    """The manifest's optional `asks`: an object of JSON booleans, no other key."""
    from app.services.incoming import fields

    fields(value, "asks", (), ("encryption", "token_signature"))
    for key, on in value.items():
        if not isinstance(on, bool):
            raise BadValue(f"asks.{key} must be true or false", f"asks.{key} phải là true hoặc false")
    return rounds.Asks(value.get("encryption", False), value.get("token_signature", False))


def _manifest(manifest: dict) -> tuple[str, str, int, str | None, str, str, rounds.Asks]:
    """(round id, framework sha256, year, deadline, created_at, from, asks) of a round file's manifest, each
    checked."""
    from app.services.incoming import fields

    fields(manifest, "manifest", ("format", "created_at", "from", "round", "framework", "units", "entries"), ("asks",))
    asks = _asks(manifest["asks"]) if "asks" in manifest else rounds.NOTHING
    identifiers.timestamp(manifest["created_at"])
    created_at = manifest["created_at"]
    sender = identifiers.unit_code(manifest["from"], "from", "from")
    r, f = manifest["round"], manifest["framework"]
    fields(r, "round", ("id", "year", "deadline"))
    fields(f, "framework", ("id", "sha256"))
    rid = identifiers.unit_code(r["id"], "round id", "mã đợt")
    if f["id"] != rid:
        raise BadValue("the round and its framework have different ids", "mã đợt và mã bộ chỉ số khác nhau")
    sha = f["sha256"]
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise BadValue("framework.sha256 is not a SHA-256", "framework.sha256 không phải SHA-256")
    year = r["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise BadValue("round.year is not a year", "round.year không phải năm")
    deadline = r["deadline"]
    if deadline is not None:
        try:
            deadline = rounds.checked_deadline(deadline if isinstance(deadline, str) else "?")
        except UserError as e:
            raise BadValue(str(e), e.message_vi) from None
    return rid, sha, year, deadline, created_at, sender, asks


def _units(raw: bytes) -> dict[str, str]:
    """data/units.json: unit code -> group, every value checked."""
    from app.services.incoming import fields, listed, strict_json

    out: dict[str, str] = {}
    for n, item in enumerate(listed(strict_json(raw, UNITS_ENTRY), UNITS_ENTRY, MAX_UNITS), start=1):
        fields(item, f"{UNITS_ENTRY}: unit {n}", ("code", "name", "group"))
        code = identifiers.unit_code(item["code"])
        identifiers.unit_name(item["name"])
        if code in out:
            raise BadValue(f"unit {code} is listed twice", f"đơn vị {code} được liệt kê hai lần")
        out[code] = identifiers.unit_code(item["group"], "group", "nhóm")
    return out


def accept_round(ws: Workspace, path: Path, dry_run: bool = False) -> RoundAccepted:
    """Verify a round file and add its round here, made current. The same file again changes nothing."""
    from app.frameworks.loader import load_bytes
    from app.frameworks.schema import FrameworkInvalid
    from app.packages import PackageRefused, TrustAnchors, read_entry, verify_package
    from app.services.appraisal_merge import is_repeat, taken_before, taken_note
    from app.services.trust_service import crls

    path = Path(path)
    file = path.name
    ident = identity(ws)
    if not ident.anchors or ident.signing is None:
        raise UserError("this installation is not enrolled: a round file is accepted by an enrolled unit",
                        "máy này chưa được cấp tài khoản: tệp đợt đánh giá chỉ dành cho đơn vị đã được cấp tài khoản")

    def check_signed(manifest: dict, signer) -> None:
        if manifest.get("format") != ROUND_FORMAT:
            raise UserError(f"{file} is not a round file", f"{file} không phải tệp đợt đánh giá")

    try:
        verified = verify_package(path, TrustAnchors(tuple(ident.anchors), tuple(crls(ws))), patterns=ROUND_NAMES,
                                  check_signed=check_signed)
    except PackageRefused as e:
        raise UserError(str(e), e.message_vi) from None
    own_code = certs.unit_code_of(ident.signing[0])
    try:
        rid, sha, year, deadline, created_at, sender, asks = _manifest(verified.manifest)
        missing = sorted({FRAMEWORK_ENTRY, UNITS_ENTRY} - set(verified.entries))
        if missing:
            raise BadValue(f"{missing[0]} is missing", f"thiếu {missing[0]}")
        units = _units(read_entry(verified, UNITS_ENTRY, MAX_UNITS_JSON))
        raw = read_entry(verified, FRAMEWORK_ENTRY, MAX_FRAMEWORK)
    except BadValue as e:
        raise _refuse(file, e) from None
    signer = certs.unit_code_of(verified.signer)
    if signer not in ident.authorities_above() or sender != signer:
        shown = identifiers.printable(str(signer), 60)
        raise UserError(f"{file} was signed by {shown}, not by the authority that enrolled this unit",
                        f"{file} do {shown} ký, không phải cơ quan đã cấp tài khoản cho đơn vị")
    if hashlib.sha256(raw).hexdigest() != sha:
        raise UserError(f"{file}: {FRAMEWORK_ENTRY} is not the framework the manifest names",
                        f"{file}: {FRAMEWORK_ENTRY} không phải bộ chỉ số ghi trong manifest")
    try:
        loaded = load_bytes(raw, f"{file}:{FRAMEWORK_ENTRY}")
    except FrameworkInvalid as e:
        raise UserError(f"{file}: invalid framework: {e}", f"{file}: bộ chỉ số không hợp lệ: {e.message_vi}") from None
    fw = loaded.framework
    if (fw.id, loaded.sha256, fw.round.year) != (rid, sha, year):
        raise UserError(f"{file}: the framework inside does not match the manifest",
                        f"{file}: bộ chỉ số trong tệp không khớp với manifest")
    group = units.get(own_code)
    if group is None:
        raise UserError(f"{file}: round {rid} does not list this unit ({own_code}): ask {sender} to assign it a group",
                        f"{file}: đợt {rid} không có đơn vị này ({own_code}): hãy đề nghị {sender} xếp nhóm cho đơn vị")
    bad = sorted(code for code, g in units.items() if fw.group(g) is None)
    if bad:
        raise UserError(f"{file}: unit {bad[0]} is put in group '{units[bad[0]]}', which {rid} does not have",
                        f"{file}: đơn vị {bad[0]} được xếp vào nhóm '{units[bad[0]]}' mà {rid} không có")
    manifest_sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    with ws.store.session() as session:
        held = session.get(Round, rid)
        if held is not None and held.framework_sha256 != sha:
            raise UserError(f"{file}: round {rid} is held here with another version of its framework",
                            f"{file}: đợt {rid} đã có ở đây với phiên bản bộ chỉ số khác")
        newest, seen = taken_before(session, "round.accept", sender, codes={rid})
    if is_repeat(file, ("round file", "tệp đợt đánh giá"), created_at, manifest_sha, newest, seen):
        return RoundAccepted(rid, group, "unchanged", asks=asks)
    if dry_run:
        return RoundAccepted(rid, group, "would-accept", asks=asks)
    ws.frameworks.import_bytes(raw, f"{file}:{FRAMEWORK_ENTRY}")
    kept: list[tuple[str, str]] = []
    unassigned: list[str] = []
    with ws.store.session.begin() as session:
        rounds.add(session, ws, loaded, origin="accepted", issuer=sender, deadline=deadline, make_current=True)
        row = session.get(Round, rid)
        row.deadline = deadline
        row.issuer = sender   # who collects this round's packages: whom an encrypted export is for (package_crypto)
        rounds.set_group(session, rid, own_code, group)
        rounds.store_asks(session, ws, rid, asks, by=sender)   # the newest file's asks (none: nothing asked)
        if ident.issuing is not None:   # a district: its communes keep their groups where the framework has them
            assigned = rounds.groups_in(session, rid)
            for code, before in sorted(rounds.previous_groups(session, rid).items()):
                if code in assigned or code == own_code:
                    continue
                if fw.group(before) is not None:
                    rounds.set_group(session, rid, code, before)
                    kept.append((code, before))
                else:
                    unassigned.append(code)
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action="round.accept",
                     unit_code=sender, code=rid, new=f"{own.code if own else own_code} in group {group}",
                     reason=taken_note(created_at, manifest_sha))
    return RoundAccepted(rid, group, "accepted", tuple(kept), tuple(unassigned), asks)
