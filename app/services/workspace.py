"""The unit workstation: an installation's own unit, its entries, explanations and settings.

One object per open data directory, shared by the CLI and the GUI. Every change is written at once, in
one transaction with its audit row; a refused value changes nothing.
"""

from __future__ import annotations

import getpass
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.entries.values import decode, display, encode, parse_entry
from app.errors import UserError
from app.frameworks.loader import Loaded
from app.models.db import Store, open_store
from app.models.tables import Entry, Setting, Unit
from app.scoring.engine import UnitScore, score_unit
from app.services import audit, identifiers
from app.services.framework_store import FrameworkStore

UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}\Z")   # \Z: `$` would let "X1\n" through
SETTINGS = {"officer": "the officer's (or appraiser's) name written in the audit log (default: the OS user)",
            "department": "the appraiser's department, recorded with each appraisal (default: this installation's unit)",
            "evidence_max_mb": "the largest evidence file accepted, in MB (default 10)",
            "number_format": "how typed numbers are read: vi (default: 4.200 is four thousand two hundred, 1,5 one "
                             "and a half) or en (4,200 and 1.5)",
            "token-lib": "the PKCS#11 module of the official's USB token (default: the usual modules, see "
                         "docs/trust-and-packages.md)",
            "require-token-signature": "yes: refuse packages without a valid token signature chaining to a root of "
                                       "`dti trust` (default no)",
            "encrypt-packages": "yes: packages and bundles are exported encrypted for the authority that enrolled this "
                                "unit unless --no-encrypt is given (default no)"}


def unit_identity(fw, code: str, name: str, group: str) -> tuple[str, str]:
    """A unit's code and name as stored (trimmed, NFC), or a refusal: used by `unit init` and `enroll issue`."""
    code = code.strip()
    name = unicodedata.normalize("NFC", name).strip()
    if not UNIT_CODE.match(code):
        raise UserError(f"unit code '{code}' must be letters, digits, '.', '-' or '_' (at most 40)",
                        f"mã đơn vị '{code}' chỉ gồm chữ, số, '.', '-', '_' (tối đa 40 ký tự)")
    if not name:
        raise UserError("the unit name is empty", "tên đơn vị đang trống")
    try:   # the same rule as every other side reading a unit name: 1–200 printable characters
        name = identifiers.unit_name(name)
    except identifiers.BadValue as e:
        raise UserError(e.en, e.vi) from None
    if fw.group(group) is None:
        known = ", ".join(g.code for g in fw.groups)
        raise UserError(f"framework {fw.id} has no group '{group}' (groups: {known})",
                        f"bộ chỉ số {fw.id} không có nhóm '{group}' (các nhóm: {known})")
    return code, name


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class UnitState:
    """What the engine and the views need of the own unit, as plain data (no ORM objects)."""

    code: str
    name: str
    group: str
    loaded: Loaded
    values: dict[str, Any]
    info: dict[str, Any]
    explanations: dict[str, str]
    round_id: str = ""


class Workspace:
    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime] = utc_now, lang: str = "vi",
                 write: bool = True, round_id: str | None = None):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.lang = lang
        # the round this workspace works in (--round, DTI_ROUND); None: the installation's current round
        self.round_choice = unicodedata.normalize("NFC", round_id).strip() if round_id else None
        self.frameworks = FrameworkStore(self.data_dir)
        self.store: Store = open_store(self.data_dir, write=write)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings and identity ------------------------------------------------------------------------
    def setting(self, session: Session, key: str) -> str | None:
        row = session.get(Setting, key)
        return row.value if row else None

    def actor(self, session: Session) -> str:
        officer = self.setting(session, "officer")
        if officer:
            return officer
        try:
            return getpass.getuser()
        except (OSError, KeyError):  # no login name (a service account, a container)
            return "unknown"

    def appraiser(self, session: Session) -> str:
        """Who appraises, as written on an appraisal and in the audit log: "name (department)"; the
        department defaults to this installation's own unit (or the authority it acts for)."""
        department = self.setting(session, "department")
        if not department:
            unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
            department = unit.name if unit is not None else self._authority_name(session)
        name = self.actor(session)
        return f"{name} ({department})" if department else name

    def _authority_name(self, session: Session) -> str | None:
        """An authority without an own unit row (the province): the name in its signing certificate."""
        from app.models.tables import Credential
        from app.trust import certs

        row = session.scalars(select(Credential).where(Credential.role == "signing")).first()
        return certs.common_name(certs.load(row.cert_der)) if row is not None else None

    def set_setting(self, key: str, value: str) -> None:
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise UserError(f"unknown setting '{key}' (known: {known})", f"không có thiết lập '{key}' (có: {known})")
        value = unicodedata.normalize("NFC", value).strip()
        if key == "evidence_max_mb" and not (value.isdigit() and 1 <= int(value) <= 500):
            raise UserError("evidence_max_mb must be a whole number of MB from 1 to 500",
                            "evidence_max_mb phải là số MB nguyên từ 1 đến 500")
        if key == "number_format" and value not in ("vi", "en"):
            raise UserError("number_format is vi or en", "number_format là vi hoặc en")
        if key == "encrypt-packages" and value not in ("yes", "no"):
            raise UserError("encrypt-packages is yes or no", "encrypt-packages là yes hoặc no")
        if key == "require-token-signature" and value not in ("yes", "no"):
            raise UserError("require-token-signature is yes or no", "require-token-signature là yes hoặc no")
        if key == "token-lib" and value and not Path(value).is_file():
            raise UserError(f"token-lib: {value} is not a file (the token's PKCS#11 module, e.g. a .dll or .so)",
                            f"token-lib: {value} không phải là tệp (thư viện PKCS#11 của token, ví dụ .dll hoặc .so)")
        if key in ("officer", "department") and not value:
            raise UserError(f"the {key} is empty", "tên cán bộ đang trống" if key == "officer" else "tên cơ quan đang trống")
        with self.store.session.begin() as session:
            old = self.setting(session, key)
            session.merge(Setting(key=key, value=value))
            audit.append(session, at=stamp(self.clock()), actor=self.actor(session) if key != "officer" else value,
                         action="config.set", code=key, old=old, new=value)

    # -- the own unit -------------------------------------------------------------------------------------
    def own_unit(self, session: Session) -> Unit:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if unit is None:
            raise UserError("this installation has no unit yet: run `dti unit init` or `dti enroll accept`",
                            "máy này chưa có đơn vị: hãy chạy `dti unit init` hoặc `dti enroll accept`")
        return unit

    def unit_init(self, framework_ref: str, code: str, name: str, group: str) -> tuple[Unit, bool]:
        """Create the own unit; (unit, created). The same identity again is not an error."""
        loaded = self.frameworks.get(framework_ref)
        fw = loaded.framework
        code, name = unit_identity(fw, code, name, group)
        with self.store.session.begin() as session:
            existing = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
            if existing is not None:
                if (existing.code, existing.framework_id, existing.group_code) == (code, fw.id, group):
                    return existing, False
                raise UserError(f"this installation already holds unit {existing.code} ({existing.name}, "
                                f"{existing.framework_id}, {existing.group_code})",
                                f"máy này đã có đơn vị {existing.code} ({existing.name}, {existing.framework_id}, "
                                f"{existing.group_code})")
            self.frameworks.keep(loaded)
            unit = Unit(code=code, name=name, group_code=group, framework_id=fw.id, framework_sha256=loaded.sha256,
                        own=True, created_at=stamp(self.clock()))
            session.add(unit)
            from app.services import rounds

            rounds.add(session, self, loaded, origin="enrolled")
            rounds.set_group(session, fw.id, code, group)
            audit.append(session, at=unit.created_at, actor=self.actor(session), action="unit.init",
                         unit_code=code, new=f"{name} | {fw.id}@{loaded.sha256[:12]} | {group}")
            return unit, True

    def round_of_unit(self, session: Session, unit: Unit) -> tuple[str, str, str]:
        """(round id, framework ref, the own unit's group) of the round in effect."""
        from app.models.tables import Round
        from app.services import rounds

        rid = rounds.chosen_id(self, session) or unit.framework_id
        row = session.get(Round, rid)
        if row is None:   # a store without rounds cannot be opened (0006 made them); kept for a clear line
            raise UserError(f"there is no round '{rid}' here", f"ở đây không có đợt đánh giá '{rid}'")
        group = rounds.group_of(session, rid, unit.code)
        if group is None:
            raise UserError(f"unit {unit.code} has no group in round {rid}: accept the round file your authority sent "
                            "(`dti round accept`)",
                            f"đơn vị {unit.code} chưa có nhóm trong đợt {rid}: hãy nhận tệp đợt đánh giá do cơ quan "
                            "cấp tài khoản gửi (`dti round accept`)")
        return rid, f"{rid}@{row.framework_sha256}", group

    def state(self) -> UnitState:
        with self.store.session() as session:
            unit = self.own_unit(session)
            rid, ref, group = self.round_of_unit(session, unit)
            loaded = self.frameworks.get(ref)
            values: dict[str, Any] = {}
            info: dict[str, Any] = {}
            explanations: dict[str, str] = {}
            for row in session.scalars(select(Entry).where(Entry.unit_id == unit.id, Entry.round_id == rid)):
                if row.value_json is not None:
                    target = info if loaded.framework.info_field(row.code) is not None else values
                    target[row.code] = decode(row.value_json)
                if row.explanation:
                    explanations[row.code] = row.explanation
            return UnitState(unit.code, unit.name, group, loaded, values, info, explanations, rid)

    # -- entries ------------------------------------------------------------------------------------------
    def set_entry(self, code: str, raw: Any, reason: str | None = None) -> Any:
        """Validate and store one value; returns the typed value."""
        state = self.state()
        _kind, value = parse_entry(state.loaded.framework, state.group, code, raw, state.info, self.number_style())
        self._write_values({code.strip(): value}, reason, action="entry.set")
        return value

    def number_style(self) -> str:
        """How this installation reads typed numbers (app.entries.numbers): "vi" unless set to "en"."""
        with self.store.session() as session:
            return "en" if self.setting(session, "number_format") == "en" else "vi"

    def set_entries(self, typed: dict[str, Any], explanations: dict[str, str], reason: str | None,
                    action: str) -> int:
        """Store already validated values and explanations in one transaction (bulk import)."""
        return self._write_values(typed, reason, action, explanations)

    def _write_values(self, typed: dict[str, Any], reason: str | None, action: str,
                      explanations: dict[str, str] | None = None) -> int:
        explanations = explanations or {}
        changed = 0
        with self.store.session.begin() as session:
            unit = self.own_unit(session)
            rid, _ref, _group = self.round_of_unit(session, unit)
            now = stamp(self.clock())
            actor = self.actor(session)
            for code in sorted(set(typed) | set(explanations)):
                row = session.scalars(select(Entry).where(Entry.unit_id == unit.id, Entry.round_id == rid,
                                                          Entry.code == code)).first()
                if row is None:
                    row = Entry(unit_id=unit.id, round_id=rid, code=code, value_json=None, explanation=None,
                                updated_at=now)
                    session.add(row)
                if code in typed:
                    new_json = encode(typed[code])
                    if row.value_json != new_json:
                        old = display(decode(row.value_json), self.lang) if row.value_json else None
                        row.value_json = new_json
                        row.updated_at = now
                        audit.append(session, at=now, actor=actor, action=action, unit_code=unit.code, code=code,
                                     old=old, new=display(typed[code], self.lang), reason=reason)
                        changed += 1
                if code in explanations:
                    text = unicodedata.normalize("NFC", explanations[code]).strip() or None
                    if row.explanation != text:
                        audit.append(session, at=now, actor=actor, action="entry.explain", unit_code=unit.code,
                                     code=code, old=row.explanation, new=text, reason=reason)
                        row.explanation = text
                        row.updated_at = now
                        changed += 1
        return changed

    def clear_entry(self, code: str, reason: str | None = None) -> bool:
        with self.store.session.begin() as session:
            unit = self.own_unit(session)
            rid, _ref, _group = self.round_of_unit(session, unit)
            row = session.scalars(select(Entry).where(Entry.unit_id == unit.id, Entry.round_id == rid,
                                                      Entry.code == code)).first()
            if row is None or row.value_json is None:
                return False
            now = stamp(self.clock())
            audit.append(session, at=now, actor=self.actor(session), action="entry.clear", unit_code=unit.code,
                         code=code, old=display(decode(row.value_json), self.lang), new=None, reason=reason)
            row.value_json = None
            row.updated_at = now
            return True

    def set_explanation(self, code: str, text: str, reason: str | None = None) -> bool:
        state = self.state()
        fw = state.loaded.framework
        if not (fw.has_indicator(code) or fw.info_field(code)):
            raise UserError(f"{code}: no indicator with this code in {fw.id}",
                            f"{code}: không có chỉ tiêu mã này trong bộ chỉ số {fw.id}")
        return self._write_values({}, reason, "entry.explain", {code: text}) > 0

    # -- results ------------------------------------------------------------------------------------------
    def score(self, state: UnitState | None = None) -> UnitScore:
        """The provisional score; appraised points received in feedback count where they exist."""
        from decimal import Decimal

        from app.models.tables import Appraisal

        state = state or self.state()
        with self.store.session() as session:
            marks = {row.code: Decimal(row.points) for row in session.scalars(
                select(Appraisal).where(Appraisal.unit_code == state.code, Appraisal.round_id == state.round_id,
                                        Appraisal.points.is_not(None)))}
        return score_unit(state.loaded.framework, state.group, state.values, state.info, marks)

    def audit_check(self) -> audit.ChainCheck:
        with self.store.session() as session:
            return audit.verify(session)
