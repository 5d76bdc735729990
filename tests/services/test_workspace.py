"""The unit workstation: unit init, typed entries, explanations, audit chain, bulk import, checks."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.entries.values import EntryRefused
from app.errors import UserError
from app.scoring.rules import Ratio
from app.services.entry_import import import_entries
from app.services.evidence_service import check_unit
from app.services.workspace import Workspace
from tests.conftest import indicator_framework

RULES_FW = indicator_framework("""
- {code: "1.1", title: "Điểm", max: 10, rule: {type: points}, evidence: required}
- {code: "1.2", title: "Có/không", max: 10, rule: {type: yes_no}, evidence: none}
- {code: "1.3", title: "Tỷ lệ a/b", max: 10, rule: {type: ratio}}
- {code: "1.4", title: "Tỷ lệ theo TT.1", max: 10, rule: {type: ratio, denominator: TT.1}}
- {code: "1.5", title: "Số cuộc họp", max: 10, rule: {type: tiers, on: count, tiers: [{min: 4, points: 10}, {min: 2, points: 5}]}}
- {code: "1.6", title: "Tỷ lệ mức", max: 10, rule: {type: tiers, on: share, tiers: [{min: 0.9, fraction: 1}, {min: 0.5, fraction: 0.5}]}}
- {code: "1.7", title: "Trưởng ban", max: 10, rule: {type: choice, options: [{code: chu-tich, label: "Chủ tịch", fraction: 1}, {code: pho, label: "Phó Chủ tịch", fraction: 0.5}, {code: khong, label: "Không có", fraction: 0}]}}
- {code: "1.8", title: "Hai nội dung", max: 10, rule: {type: parts, parts: [{code: a, label: "Kế hoạch", fraction: 0.5}, {code: b, label: "Báo cáo", fraction: 0.5}]}}
- {code: "1.9", title: "Số tin bài", max: 10, rule: {type: count, per_item: 2, cap: 5}}
- {code: "1.10", title: "Chuẩn hóa", max: 10, rule: {type: best_in_group}}
- {code: "1.11", title: "Thẩm định", max: 10, rule: {type: appraiser_only}}
""", max_points=110)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path):
    fw = tmp_path / "rules.dti.yaml"
    fw.write_text(RULES_FW, encoding="utf-8")
    data = tmp_path / "data"
    ticks = iter(range(10_000))
    workspace = Workspace(data, clock=lambda: T0.replace(minute=next(ticks) % 60), lang="en")
    workspace.frameworks.import_file(fw)
    workspace.unit_init("rule-test", "X1", "UBND xã Thử", "g")
    yield workspace
    workspace.close()


ACCEPTED = [
    ("1.1", "7,5", D("7.5")), ("1.1", "10", D(10)), ("1.1", " 0 ", D(0)),
    ("1.2", "có", True), ("1.2", "Không", False), ("1.2", "yes", True), ("1.2", "x", True),
    ("1.3", "3/4", Ratio(D(3), D(4))), ("1.3", "3,5/7", Ratio(D("3.5"), D(7))),
    ("1.4", "5", D(5)),
    ("1.5", "3", D(3)),
    ("1.6", "85%", D("0.85")), ("1.6", "0,85", D("0.85")), ("1.6", "85 %", D("0.85")),
    ("1.7", "pho", "pho"), ("1.7", "Phó Chủ tịch", "pho"), ("1.7", "2", "pho"), ("1.7", "CHỦ TỊCH", "chu-tich"),
    ("1.8", "a", frozenset({"a"})), ("1.8", "Kế hoạch; Báo cáo", frozenset({"a", "b"})), ("1.8", "-", frozenset()),
    ("1.9", "7", D(7)),
    ("1.10", "12,5", D("12.5")), ("1.10", "4.200,5", D("4200.5")), ("1.10", "1 234 567", D(1234567)),
    ("1.5", "2.150", D(2150)), ("TT.1", "4.200", D(4200)),
    ("TT.1", "40", D(40)),
    ("TT.2", "Nguyễn Văn An", "Nguyễn Văn An"),
]

REFUSED = [
    ("1.1", "11", "over the maximum"), ("1.1", "-1", "negative"), ("1.1", "abc", "not a number"), ("1.1", "", "empty"),
    ("1.2", "maybe", "có/không"),
    ("1.3", "5/4", "more than 4"), ("1.3", "3", "a/b"), ("1.3", "1/0", "0"),
    ("1.4", "3/4", "enter only a"),
    ("1.5", "2,5", "not a whole number"), ("1.5", "-2", "negative"),
    ("1.6", "85", "not a share"), ("1.6", "120%", "not a share"),
    ("1.7", "thư ký", "not one of"),
    ("1.8", "c", "not one of the parts"),
    ("1.9", "1,5", "not a whole number"), ("1.9", "1.5", "can be read two ways"),
    ("1.11", "5", "scored by the appraiser"),
    ("9.9", "1", "no indicator"), ("1", "5", "sub-indicators"),
    ("TT.1", "12,5", "not a whole number"),
]


@pytest.mark.parametrize("code,raw,expected", ACCEPTED)
def test_entries_accepted_per_rule(ws, code, raw, expected):
    assert ws.set_entry(code, raw) == expected
    state = ws.state()
    assert (state.info if code.startswith("TT") else state.values)[code] == expected


@pytest.mark.parametrize("code,raw,reason", REFUSED)
def test_entries_refused_change_nothing(ws, code, raw, reason):
    ws.set_entry("1.1", "5")
    before = ws.state()
    rows_before = ws.audit_check().rows
    with pytest.raises(EntryRefused) as info:
        ws.set_entry(code, raw)
    assert reason in str(info.value) and info.value.message_vi
    assert ws.state() == before
    assert ws.audit_check().rows == rows_before


def test_ratio_with_an_info_denominator_is_checked_against_it(ws):
    ws.set_entry("TT.1", "40")
    with pytest.raises(EntryRefused, match="more than 40"):
        ws.set_entry("1.4", "41")
    ws.set_entry("1.4", "30")
    assert ws.score().node("1.4").points == D("7.5")


def test_every_change_is_audited_with_who_old_new_and_why(ws):
    ws.set_setting("officer", "Nguyễn Thị Hoa")
    ws.set_entry("1.1", "5")
    ws.set_entry("1.1", "6,5", reason="Sửa theo biên bản")
    ws.set_entry("1.1", "6,5")          # unchanged: nothing recorded
    ws.set_explanation("1.1", "Biên bản họp số 3")
    with ws.store.session() as session:
        from sqlalchemy import select

        from app.models.tables import AuditEntry

        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [(r.action, r.code, r.old, r.new, r.reason, r.actor) for r in rows]
    assert actions[-3:] == [
        ("entry.set", "1.1", None, "5", None, "Nguyễn Thị Hoa"),
        ("entry.set", "1.1", "5", "6.50", "Sửa theo biên bản", "Nguyễn Thị Hoa"),
        ("entry.explain", "1.1", None, "Biên bản họp số 3", None, "Nguyễn Thị Hoa"),
    ]
    assert all(r.at.endswith("Z") for r in rows)
    assert ws.audit_check().broken_at is None


def _tamper(ws: Workspace, sql: str) -> None:
    con = sqlite3.connect(ws.data_dir / "dti.sqlite3")
    con.execute("DROP TRIGGER audit_no_update")
    con.execute("DROP TRIGGER audit_no_delete")
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql", [
    "UPDATE audit SET new = '10' WHERE action = 'entry.set' AND new = '5'",        # rewrite a value
    "UPDATE audit SET actor = 'someone else' WHERE id = 2",                         # rewrite who
    "DELETE FROM audit WHERE id = 2",                                               # remove a row
])
def test_rewriting_history_is_detected(ws, sql):
    ws.set_entry("1.1", "5")
    ws.set_entry("1.1", "6")
    ws.set_entry("1.2", "có")
    assert ws.audit_check().broken_at is None
    _tamper(ws, sql)
    check = ws.audit_check()
    assert check.broken_at is not None and check.reason


def test_the_application_cannot_rewrite_the_audit_log(ws):
    ws.set_entry("1.1", "5")
    con = sqlite3.connect(ws.data_dir / "dti.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET new = '9'")
    con.close()


def test_json_import_is_all_or_nothing_and_lists_every_bad_entry(ws, tmp_path):
    ws.set_entry("1.1", "5")
    before = ws.state()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"1.1": 9, "1.2": "có", "1.3": "5/4", "1.5": 2.5, "7.7": 1}), encoding="utf-8")
    with pytest.raises(UserError) as info:
        import_entries(ws, bad)
    message = str(info.value)
    assert "3 bad entries, nothing saved" in message
    assert "1.3:" in message and "1.5:" in message and "7.7:" in message and "\n" not in message
    assert ws.state() == before
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"values": {"TT.1": 40, "1.4": 30, "1.1": 9.5, "1.8": ["a", "b"]},
                                "explanations": {"1.1": "Biên bản số 2"}}), encoding="utf-8")
    assert import_entries(ws, good) == 5
    state = ws.state()
    assert state.values["1.1"] == D("9.5") and state.values["1.8"] == frozenset({"a", "b"})
    assert state.explanations == {"1.1": "Biên bản số 2"}


@pytest.mark.parametrize("content", [b"", b"[1, 2]", b"\xff\xfe", b"{\"1.1\": ", b"not json at all"])
def test_hostile_json_is_refused(ws, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(UserError):
        import_entries(ws, path)


def test_unit_init_twice_and_conflicting_identity(ws):
    _unit, created = ws.unit_init("rule-test", "X1", "UBND xã Thử", "g")
    assert not created
    with pytest.raises(UserError, match="already holds unit X1"):
        ws.unit_init("rule-test", "X2", "UBND xã Khác", "g")


@pytest.mark.parametrize("args,reason", [
    (("rule-test", "bad code!", "Tên", "g"), "unit code"),
    (("rule-test", "X9", "  ", "g"), "name is empty"),
    (("rule-test", "X9", "Tên", "xa"), "no group 'xa'"),
    (("nope", "X9", "Tên", "g"), "unknown framework"),
])
def test_unit_init_refusals(tmp_path, args, reason):
    with Workspace(tmp_path / "fresh", lang="en") as fresh:
        fresh.frameworks.import_bytes(RULES_FW.encode(), "rules.yaml")
        with pytest.raises(UserError, match=reason):
            fresh.unit_init(*args)


def test_commands_before_unit_init_say_what_to_do(tmp_path):
    with Workspace(tmp_path / "empty", lang="en") as fresh, pytest.raises(UserError, match="dti unit init"):
        fresh.state()


def test_check_lists_missing_values_info_and_evidence(ws):
    ws.set_entry("1.4", "30")
    codes = {(f.code, f.kind) for f in check_unit(ws)}
    assert ("TT.1", "missing_info") in codes            # the denominator of 1.4
    assert ("1.2", "missing_value") in codes
    assert ("1.1", "evidence_missing") in codes          # required, none attached, no explanation
    assert ("1.11", "pending") in codes
    ws.set_explanation("1.1", "Chưa có văn bản, đơn vị chịu trách nhiệm")
    assert ("1.1", "evidence_missing") not in {(f.code, f.kind) for f in check_unit(ws)}


def test_settings(ws):
    with pytest.raises(UserError, match="unknown setting"):
        ws.set_setting("colour", "blue")
    with pytest.raises(UserError, match="1 to 500"):
        ws.set_setting("evidence_max_mb", "0")
    ws.set_setting("evidence_max_mb", "25")


def test_english_number_style_only_when_set(ws):
    """`dti config set number_format en`: 1.5 is one and a half, 4,200 four thousand two hundred."""
    with pytest.raises(EntryRefused, match="can be read two ways"):
        ws.set_entry("1.10", "1.5")
    ws.set_setting("number_format", "en")
    assert ws.set_entry("1.10", "1.5") == D("1.5") and ws.set_entry("1.5", "4,200") == D(4200)
    with pytest.raises(EntryRefused, match="can be read two ways"):
        ws.set_entry("1.10", "1,5")

