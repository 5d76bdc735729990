"""Rounds (đợt đánh giá): the years an installation holds side by side (DESIGN §6, §7).

A round is one framework opened by an authority; its id is the framework's id. Every row of round data
(entries, attachments, exports, submissions, appraisals, conflicts, work files, the round lock) names its
round, so 2023 stays as it was while 2025 is filled in. Exactly one round is current (the setting
`current_round`); `--round ID` or DTI_ROUND chooses another for one command, `dti round use` changes the
current one.

Where the rounds come from: an authority opens one (`dti round open`, or its first `enroll issue` on a
framework); a unit gets its first from its enrollment (or `unit init`) and each later one from a round file
(app.services.round_file) signed by the authority that enrolled it.

What a round asks (`Asks`): the authority that opens a round may ask for encrypted packages and for a token
signature (`dti round open --ask-encryption yes --ask-token-signature yes`, `dti round ask`). No schema change:
each ask is a row of the settings table, `round-ask-encryption:<round id>` / `round-ask-token:<round id>` = yes
(absent: not asked). The round file carries them; a unit that accepts it stores them under the same keys, so the
same reading (`asks_of`, `asked_encryption`, `asked_token_signature`) answers "what this round asks" at the
authority that asks and at the unit that is asked.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.frameworks.loader import Loaded
from app.models.tables import Enrollment, Round, RoundUnit, Setting, Unit
from app.services import audit, identifiers
from app.services.workspace import Workspace, stamp

CURRENT = "current_round"
DEADLINE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ASK_ENCRYPTION = "round-ask-encryption:"      # + round id -> "yes"; absent: not asked
ASK_TOKEN = "round-ask-token:"                # + round id -> "yes"; absent: not asked
ASK_PREFIX = "round-ask-"
MAX_ASK_ID = 40                               # a round id a round file can carry (identifiers.unit_code)


@dataclass(frozen=True)
class Asks:
    """What a round asks of the units that submit in it."""

    encryption: bool = False          # packages (and a district's bundles) encrypted for the authority
    token_signature: bool = False     # packages also signed with the official's USB token

    def __bool__(self) -> bool:
        return self.encryption or self.token_signature

    def as_json(self) -> dict:
        return {"encryption": self.encryption, "token_signature": self.token_signature}

    def words(self, vi: bool) -> str:
        """"encrypted packages, a token signature" (what is asked, joined), "" when nothing is."""
        out = []
        if self.encryption:
            out.append("mã hoá gói" if vi else "encrypted packages")
        if self.token_signature:
            out.append("chữ ký số token" if vi else "a token signature")
        return ", ".join(out)


NOTHING = Asks()   # a round that asks nothing more than a signed package


@dataclass(frozen=True)
class RoundInfo:
    id: str
    framework_sha256: str
    year: int
    title: str
    deadline: str | None
    state: str          # open | final
    origin: str         # opened | accepted | enrolled | migrated
    issuer: str | None
    opened_at: str
    current: bool
    asks: Asks = NOTHING

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.framework_sha256}"

    @property
    def final(self) -> bool:
        return self.state == "final"

    def as_json(self) -> dict:
        return {"id": self.id, "framework": self.id, "framework_sha256": self.framework_sha256, "year": self.year,
                "title": self.title, "current": self.current, "state": self.state, "deadline": self.deadline,
                "origin": self.origin, "issuer": self.issuer, "asks": self.asks.as_json()}


def _info(ws: Workspace, row: Round, current: str | None, asks: Asks = NOTHING) -> RoundInfo:
    fw = ws.frameworks.get(f"{row.id}@{row.framework_sha256}").framework
    return RoundInfo(row.id, row.framework_sha256, fw.round.year, fw.title, row.deadline, row.state, row.origin,
                     row.issuer, row.opened_at, row.id == current, asks)


def asks_of(session: Session, round_id: str) -> Asks:
    """What round `round_id` asks (at the authority that opened it, or as its round file told this unit)."""
    def asked(prefix: str) -> bool:
        row = session.get(Setting, prefix + round_id)
        return row is not None and row.value == "yes"

    return Asks(asked(ASK_ENCRYPTION), asked(ASK_TOKEN))


def _all_asks(session: Session) -> dict[str, Asks]:
    found: dict[str, dict[str, bool]] = {}
    for row in session.scalars(select(Setting).where(Setting.key.startswith(ASK_PREFIX, autoescape=True))):
        for prefix, name in ((ASK_ENCRYPTION, "encryption"), (ASK_TOKEN, "token_signature")):
            if row.key.startswith(prefix) and row.value == "yes":
                found.setdefault(row.key[len(prefix):], {})[name] = True
    return {rid: Asks(**named) for rid, named in found.items()}


def store_asks(session: Session, ws: Workspace, round_id: str, asks: Asks, *, by: str | None = None) -> bool:
    """Make `asks` what round `round_id` asks here (a row per ask made, none for one not made); audited when it
    changes. True when something changed."""
    old = asks_of(session, round_id)
    if old == asks:
        return False
    for prefix, on in ((ASK_ENCRYPTION, asks.encryption), (ASK_TOKEN, asks.token_signature)):
        row = session.get(Setting, prefix + round_id)
        if on and row is None:
            session.add(Setting(key=prefix + round_id, value="yes"))
        elif on:
            row.value = "yes"
        elif row is not None:
            session.delete(row)
    session.flush()
    audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action="round.ask", code=round_id,
                 old=_ask_text(old), new=_ask_text(asks) + (f" (from {by})" if by else ""))
    return True


def _ask_text(asks: Asks) -> str:
    return " ".join(name for name, on in (("encryption", asks.encryption), ("token-signature", asks.token_signature))
                    if on) or "nothing"


def asked_encryption(ws: Workspace) -> bool:
    """Whether the round in effect asks for encrypted packages: the unit's default for its exports in that round
    (with the setting encrypt-packages, app.services.package_crypto.default_on). False without a round."""
    with ws.store.session() as session:
        rid = chosen_id(ws, session)
        return rid is not None and asks_of(session, rid).encryption


def asked_token_signature(ws: Workspace, round_id: str | None = None) -> bool:
    """Whether round `round_id` (default: the round in effect) asks for a token signature: at a unit, the export
    warns when it signs without the token; at the authority, its import requires one for that round's packages
    (`round_id`: the id a package's manifest names; anything but a text is no round, so nothing asked)."""
    if round_id is not None and not isinstance(round_id, str):
        return False
    with ws.store.session() as session:
        rid = round_id if round_id is not None else chosen_id(ws, session)
        return rid is not None and asks_of(session, rid).token_signature


def yes_no(value: str | bool | None, option: str) -> bool | None:
    """An ask as given on the command line: yes | no (None: not given, leave as it is)."""
    if value is None or isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    if text in ("yes", "no"):
        return text == "yes"
    shown = identifiers.printable(str(value), 40)
    raise UserError(f"{option} is yes or no, not '{shown}'", f"{option} là yes hoặc no, không phải '{shown}'")


def all_rounds(ws: Workspace) -> list[RoundInfo]:
    """Every round here, oldest year first."""
    with ws.store.session() as session:
        current = ws.setting(session, CURRENT)
        rows = session.scalars(select(Round)).all()
        asks = _all_asks(session)
    return sorted((_info(ws, r, current, asks.get(r.id, NOTHING)) for r in rows), key=lambda r: (r.year, r.opened_at, r.id))


def _known(session: Session) -> str:
    return ", ".join(sorted(session.scalars(select(Round.id)))) or "none"


def chosen_id(ws: Workspace, session: Session) -> str | None:
    """The id of the round in effect: the one chosen for this workspace (--round, DTI_ROUND), else the current
    one; None when the installation has no round yet. A chosen round that does not exist is refused."""
    if ws.round_choice:
        if session.get(Round, ws.round_choice) is None:
            known = _known(session)
            raise UserError(f"there is no round '{ws.round_choice}' here (rounds: {known})",
                            f"ở đây không có đợt đánh giá '{ws.round_choice}' (các đợt: "
                            f"{known if known != 'none' else 'chưa có'})")
        return ws.round_choice
    return ws.setting(session, CURRENT)


def in_effect(ws: Workspace) -> RoundInfo | None:
    with ws.store.session() as session:
        rid = chosen_id(ws, session)
        row = session.get(Round, rid) if rid else None
        current = ws.setting(session, CURRENT)
        asks = asks_of(session, rid) if row is not None else NOTHING
    return _info(ws, row, current, asks) if row is not None else None


def require(ws: Workspace) -> RoundInfo:
    got = in_effect(ws)
    if got is None:
        raise UserError("this installation has no assessment round yet: `dti round open FRAMEWORK`, or name the "
                        "framework of a first enrollment (`dti enroll issue --framework ID`)",
                        "máy này chưa có đợt đánh giá nào: `dti round open MÃ-BỘ-CHỈ-SỐ`, hoặc ghi bộ chỉ số khi cấp tài "
                        "khoản lần đầu (`dti enroll issue --framework MÃ`)")
    return got


@contextlib.contextmanager
def working_in(ws: Workspace, round_id: str) -> Iterator[Workspace]:
    """Work in `round_id` for the duration (an import goes to the round its file names, whichever is current)."""
    before = ws.round_choice
    ws.round_choice = round_id
    try:
        yield ws
    finally:
        ws.round_choice = before


def group_of(session: Session, round_id: str, unit_code: str) -> str | None:
    row = session.get(RoundUnit, (round_id, unit_code))
    return row.group_code if row is not None else None


def groups_in(session: Session, round_id: str) -> dict[str, str]:
    """unit code -> group in the round (the units assigned in it)."""
    return dict(session.execute(select(RoundUnit.unit_code, RoundUnit.group_code)
                                .where(RoundUnit.round_id == round_id)).all())


def set_group(session: Session, round_id: str, unit_code: str, group: str) -> None:
    session.merge(RoundUnit(round_id=round_id, unit_code=unit_code, group_code=group))


def add(session: Session, ws: Workspace, loaded: Loaded, *, origin: str, issuer: str | None = None,
        deadline: str | None = None, make_current: bool = False) -> tuple[Round, bool]:
    """The round of `loaded` (created when new; the same framework again is not an error); (row, created).
    A round with this id on another version of the framework is refused: a round's framework never changes
    under its data."""
    fw = loaded.framework
    row = session.get(Round, fw.id)
    created = row is None
    if row is None:
        row = Round(id=fw.id, framework_sha256=loaded.sha256, deadline=deadline, state="open", origin=origin,
                    issuer=issuer, opened_at=stamp(ws.clock()))
        session.add(row)
        session.flush()
        audit.append(session, at=row.opened_at, actor=ws.actor(session), action="round.add", code=fw.id,
                     new=f"{fw.id}@{loaded.sha256[:12]} {origin}" + (f" by {issuer}" if issuer else ""))
    elif row.framework_sha256 != loaded.sha256:
        raise UserError(f"round {fw.id} is already held here with another version of its framework "
                        f"({row.framework_sha256[:12]}, not {loaded.sha256[:12]}): a round's framework does not change; "
                        "give the new version its own id",
                        f"đợt {fw.id} đã có ở đây với phiên bản bộ chỉ số khác ({row.framework_sha256[:12]}, không phải "
                        f"{loaded.sha256[:12]}): bộ chỉ số của một đợt không thay đổi; hãy đặt mã mới cho phiên bản mới")
    elif deadline is not None and row.deadline != deadline:
        row.deadline = deadline
    if make_current or ws.setting(session, CURRENT) is None:
        _make_current(session, ws, fw.id)
    return row, created


def _make_current(session: Session, ws: Workspace, round_id: str) -> None:
    old = ws.setting(session, CURRENT)
    if old == round_id:
        return
    session.merge(Setting(key=CURRENT, value=round_id))
    audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action="round.use", code=round_id,
                 old=old, new=round_id)


def checked_deadline(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    try:
        if not DEADLINE.match(text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise UserError(f"deadline '{text}' is not a date YYYY-MM-DD", f"hạn nộp '{text}' không phải ngày YYYY-MM-DD") from None
    return text


@dataclass(frozen=True)
class Opened:
    round: RoundInfo
    kept: tuple[tuple[str, str], ...]        # (unit, group) carried over from the units' previous round
    unassigned: tuple[str, ...]              # units whose group the new framework does not have


def previous_groups(session: Session, exclude: str) -> dict[str, str]:
    """Each enrolled unit's group in its latest round before this one (the enrollment's group otherwise)."""
    groups = {e.unit_code: e.group_code for e in session.scalars(select(Enrollment).where(Enrollment.revoked_at.is_(None)))}
    order = {r.id: (r.opened_at, r.id) for r in session.scalars(select(Round))}
    latest: dict[str, tuple] = {}
    for ru in session.scalars(select(RoundUnit).where(RoundUnit.round_id != exclude)):
        if ru.unit_code in groups and (ru.unit_code not in latest or order[ru.round_id] > latest[ru.unit_code]):
            latest[ru.unit_code] = order[ru.round_id]
            groups[ru.unit_code] = ru.group_code
    return groups


def open_round(ws: Workspace, framework_ref: str, deadline: str | None = None, *,
               ask_encryption: bool | str | None = None, ask_token_signature: bool | str | None = None) -> Opened:
    """An authority opens a round on a framework it holds; it becomes the current round. Each unit this
    authority enrolled keeps its group where the new framework has it; the others are listed for
    `dti round assign`. `ask_*` (yes/no, or a bool; None leaves a held round's ask as it is): what the round
    asks of the units (`Asks`), carried by its round file."""
    from app.services.trust_service import identity

    deadline = checked_deadline(deadline)
    encryption = yes_no(ask_encryption, "--ask-encryption")
    token = yes_no(ask_token_signature, "--ask-token-signature")
    ident = identity(ws)
    if ident.root is None and ident.issuing is None:
        raise UserError("only an authority opens a round (`dti authority init`, or a district enrolled with "
                        "--can-issue); a unit accepts the round file its authority sends (`dti round accept`)",
                        "chỉ cơ quan tổng hợp mới mở đợt đánh giá; đơn vị nhận tệp đợt đánh giá do cơ quan cấp tài "
                        "khoản gửi (`dti round accept`)")
    loaded = ws.frameworks.get(framework_ref)
    fw = loaded.framework
    kept, unassigned = [], []
    with ws.store.session.begin() as session:
        row, _created = add(session, ws, loaded, origin="opened", issuer=ident.code, deadline=deadline,
                            make_current=True)
        if row.origin not in ("opened", "migrated", "enrolled"):
            raise UserError(f"round {fw.id} came in a round file from {row.issuer}: it is not opened here",
                            f"đợt {fw.id} do {row.issuer} gửi bằng tệp đợt đánh giá: không mở lại ở đây")
        _set_asks(session, ws, fw.id, encryption, token)
        assigned = groups_in(session, fw.id)
        for unit, group in sorted(previous_groups(session, fw.id).items()):
            if unit in assigned:
                continue
            if fw.group(group) is not None:
                set_group(session, fw.id, unit, group)
                kept.append((unit, group))
            else:
                unassigned.append(unit)
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is not None and group_of(session, fw.id, own.code) is None and fw.group(own.group_code) is not None:
            set_group(session, fw.id, own.code, own.group_code)
    return Opened(require_id(ws, fw.id), tuple(kept), tuple(unassigned))


def _set_asks(session: Session, ws: Workspace, round_id: str, encryption: bool | None, token: bool | None) -> None:
    """The asks given (None: as they are) made what round `round_id` asks here."""
    if encryption is None and token is None:
        return
    old = asks_of(session, round_id)
    new = Asks(old.encryption if encryption is None else encryption, old.token_signature if token is None else token)
    if new and len(round_id) > MAX_ASK_ID:
        raise UserError(f"round {round_id}: an id longer than {MAX_ASK_ID} characters cannot travel in a round file, "
                        "so the round cannot ask anything of the units",
                        f"đợt {round_id}: mã dài quá {MAX_ASK_ID} ký tự không gửi được bằng tệp đợt đánh giá nên đợt "
                        "này không yêu cầu gì được ở đơn vị")
    store_asks(session, ws, round_id, new)


def ask(ws: Workspace, encryption: bool | str | None = None, token_signature: bool | str | None = None) -> RoundInfo:
    """At the authority that opened the round in effect: what it asks of the units (`dti round ask`); None leaves an
    ask as it is. A round that came in a round file asks what its sender asked: its file says so, not this
    installation."""
    from app.services.trust_service import identity

    encryption = yes_no(encryption, "--encryption")
    token_signature = yes_no(token_signature, "--token-signature")
    r = require(ws)
    if encryption is None and token_signature is None:
        return r
    ident = identity(ws)
    if ident.root is None and ident.issuing is None:
        raise UserError("only the authority that opened a round says what it asks; a unit learns it from the round "
                        "file (`dti round accept`)",
                        "chỉ cơ quan mở đợt đánh giá mới đặt yêu cầu của đợt; đơn vị biết yêu cầu qua tệp đợt đánh giá "
                        "(`dti round accept`)")
    with ws.store.session.begin() as session:
        row = session.get(Round, r.id)
        if row.origin == "accepted":
            raise UserError(f"round {r.id} came in a round file from {row.issuer}: what it asks is {row.issuer}'s "
                            "and travels with its round file",
                            f"đợt {r.id} do {row.issuer} gửi bằng tệp đợt đánh giá: yêu cầu của đợt là của "
                            f"{row.issuer}, đi kèm tệp đợt đánh giá")
        _set_asks(session, ws, r.id, encryption, token_signature)
    return require_id(ws, r.id)


def require_id(ws: Workspace, round_id: str) -> RoundInfo:
    with ws.store.session() as session:
        row = session.get(Round, round_id)
        current = ws.setting(session, CURRENT)
        if row is None:
            known = _known(session)
            raise UserError(f"there is no round '{round_id}' here (rounds: {known})",
                            f"ở đây không có đợt đánh giá '{round_id}' (các đợt: {known})")
        asks = asks_of(session, round_id)
    return _info(ws, row, current, asks)


def assign(ws: Workspace, unit_code: str, group: str) -> RoundInfo:
    """Put an enrolled unit in a group of the round in effect (a unit whose group the new framework lacks)."""
    r = require(ws)
    fw = ws.frameworks.get(r.ref).framework
    group = group.strip()
    if fw.group(group) is None:
        known = ", ".join(g.code for g in fw.groups)
        raise UserError(f"framework {fw.id} has no group '{group}' (groups: {known})",
                        f"bộ chỉ số {fw.id} không có nhóm '{group}' (các nhóm: {known})")
    with ws.store.session.begin() as session:
        enrolled = session.scalars(select(Enrollment).where(Enrollment.unit_code == unit_code)).first()
        if enrolled is None and taken_over(session, unit_code) is None:
            raise UserError(f"unit {unit_code} was not enrolled here, nor by a district enrolled here",
                            f"đơn vị {unit_code} không do máy này hay một huyện do máy này cấp tài khoản")
        if enrolled is not None and enrolled.revoked_at is not None:
            raise UserError(f"unit {unit_code} is revoked", f"đơn vị {unit_code} đã bị thu hồi")
        old = group_of(session, r.id, unit_code)
        if old == group:
            return r
        set_group(session, r.id, unit_code, group)
        audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action="round.assign",
                     unit_code=unit_code, code=r.id, old=old, new=group)
    return r


def taken_over(session: Session, unit_code: str) -> str | None:
    """The district through which a unit this authority did not enroll itself reached it (a commune whose
    packages came in a district's bundle), or None. Since July 2025 there are no districts: the province assigns
    such a commune a group in its new round (`dti round assign`) and takes its packages and its round files
    directly; the commune keeps its enrollment and keys (its certificate still chains to this root)."""
    from app.models.tables import Submission

    via = session.scalars(select(Submission.via).where(Submission.unit_code == unit_code, Submission.via.is_not(None))
                          .order_by(Submission.id.desc())).first()
    if via is None:
        return None
    district = session.scalars(select(Enrollment).where(Enrollment.unit_code == via)).first()
    return via if district is not None and district.can_issue else None


def use(ws: Workspace, round_id: str) -> RoundInfo:
    round_id = unicodedata.normalize("NFC", round_id).strip()
    require_id(ws, round_id)
    with ws.store.session.begin() as session:
        _make_current(session, ws, round_id)
    return require_id(ws, round_id)
