"""Framework refusals in Vietnamese (lỗi bộ chỉ số bằng tiếng Việt): every problem, from a YAML file or a
workbook, has a Vietnamese reason beside the unchanged English one, and `dti --lang vi` shows it."""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.cli.main import main
from app.frameworks.excel import INDICATORS
from app.frameworks.loader import load_bytes, load_file
from app.frameworks.schema import FrameworkInvalid, Problem, build
from tests.conftest import SMALL, indicator_framework
from tests.frameworks.test_excel import EDITS, RAW, _coordinate, _edit, _sample, _set, _workbook_bytes
from tests.frameworks.test_schema import HOSTILE_BYTES, MALFORMED, UNEVALUABLE_RULES, rule_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "app" / "frameworks"
VI_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
# English words of our messages that must not be left in a Vietnamese line (quoted values aside)
ENGLISH = re.compile(r"\b(?:must|unknown|duplicate|expected|sheet|cell|cannot|needs|than|known|allowed|"
                     r"broken|line|row|column|problems?|more|indicator|group|empty|missing|file)\b")


def vietnamese(line: str) -> bool:
    return any(c in VI_LETTERS for c in line.lower())


# reasons that end with a library's own (English) words: what openpyxl or the JSON parser said
PASSED_THROUGH = re.compile(r"(?:không đọc được tệp(?: Excel)?(?: \(\.xlsx\))?|JSON bị lỗi): .*$")


def unquoted(line: str) -> str:
    """The line without its quoted values (codes, keys, headings, what the file held) nor a library's words."""
    return PASSED_THROUGH.sub("", re.sub(r"'[^']*'|\"[^\"]*\"", "''", line))


def check(problem: Problem) -> None:
    assert problem.reason_vi.strip(), problem
    assert problem.reason_vi != problem.reason and problem.vi != str(problem), problem
    assert vietnamese(problem.reason_vi), problem
    for part in (problem.reason_vi, problem.where_vi):
        assert unicodedata.is_normalized("NFC", part), problem
    assert "\n" not in problem.vi
    leftover = ENGLISH.search(unquoted(problem.vi))
    assert leftover is None, (leftover, problem.vi)


# -- representative refusals: the Vietnamese line names the same place, the English line is unchanged --

@pytest.fixture(scope="module")
def sample_workbook() -> bytes:
    return _workbook_bytes(_sample())


CASES = {
    "unquoted code": (
        SMALL.replace('code: "1.2"', "code: 1.20"),
        "fw.dti.yaml: indicator 1.2: code 1.2 must be quoted text, e.g. code: \"1.10\"",
        ["fw.dti.yaml: chỉ số ở vị trí 1.2: ", "mã 1.2 phải viết dạng văn bản trong dấu ngoặc kép"],
    ),
    "unknown field": (
        SMALL.replace("evidence: optional", "evidance: optional"),
        "fw.dti.yaml: 1.1: unknown field 'evidance' (allowed: code, title, max, children, rule, evidence, "
        "appraiser, guide)",
        ["fw.dti.yaml: 1.1: ", "trường 'evidance' không hợp lệ", "(các trường được phép: code, title, max"],
    ),
    "missing max": (
        SMALL.replace('{code: "1.1", title: "Điểm họp ban chỉ đạo", max: 60, ',
                      '{code: "1.1", title: "Điểm họp ban chỉ đạo", '),
        "fw.dti.yaml: 1.1: 'max' is required",
        ["fw.dti.yaml: 1.1: ", "thiếu điểm tối đa 'max'"],
    ),
    "bad rule": (
        SMALL.replace("rule: {type: points}, evidence: none}", "rule: {type: magic}, evidence: none}", 1),
        "fw.dti.yaml: 1.2: unknown rule type 'magic' (known: points, yes_no, ratio, tiers, choice, parts, "
        "count, best_in_group, appraiser_only)",
        ["fw.dti.yaml: 1.2: ", "loại quy tắc 'magic' không hợp lệ", "(các loại hợp lệ: points, yes_no"],
    ),
    "tiers upside down, several problems": (
        rule_framework("{type: tiers, on: count, tiers: [{min: 1, points: 5}, {min: 3, points: 15}]}")
        .replace('title: "Thử quy tắc"', 'title: "Thử quy tắc"\nauthor: "Sở TT&TT"'),
        "fw.dti.yaml: unknown field 'author' (allowed: format, id, title, decision, round, groups, grades, "
        "info, indicators, default_appraiser, notice, reconstructed) (and 1 more problem)",
        ["fw.dti.yaml: trường 'author' không hợp lệ", " (và 1 lỗi khác)"],
    ),
    "duplicate key": (
        SMALL.replace("id: small-2024\n", "id: small-2024\nid: other\n"),
        "fw.dti.yaml: line 3, column 1: broken YAML: duplicate key 'id'",
        ["fw.dti.yaml: dòng 3, cột 1: ", "YAML bị lỗi: khóa 'id' bị lặp lại"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_yaml_refusal_in_vietnamese(case: str) -> None:
    text, english, fragments = CASES[case]
    with pytest.raises(FrameworkInvalid) as caught:
        load_bytes(text.encode("utf-8"), "fw.dti.yaml")
    assert str(caught.value) == english
    message = caught.value.message_vi
    assert vietnamese(message) and "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    for problem in caught.value.problems:
        check(problem)


@pytest.mark.parametrize(("heading", "value", "english", "fragments"), [
    ("Tối đa: huyen", "hai mươi", "the maximum for 'huyen' must be a number, not 'hai mươi'",
     ["điểm tối đa của nhóm 'huyen' phải là một số, không phải 'hai mươi'"]),
    ("Tên chỉ số", "=1+1", "a formula is not allowed: type the value itself",
     ["không được dùng công thức: hãy nhập trực tiếp giá trị"]),
    ("Loại quy tắc", "magic", "unknown rule type 'magic' (known: points, yes_no, ratio, tiers, choice, parts, "
     "count, best_in_group, appraiser_only)", ["loại quy tắc 'magic' không hợp lệ"]),
])
def test_workbook_refusal_in_vietnamese_names_the_cell(sample_workbook: bytes, heading: str, value: object,
                                                       english: str, fragments: list[str]) -> None:
    raw = _edit(sample_workbook, _set(INDICATORS, "2.4", heading, value))
    cell = _coordinate(raw, INDICATORS, "2.4", heading)
    with pytest.raises(FrameworkInvalid) as caught:
        load_bytes(raw, "bad.xlsx")
    assert str(caught.value) == f"bad.xlsx: sheet 'Chỉ số', cell {cell}: {english}"
    message = caught.value.message_vi
    assert message.startswith(f"bad.xlsx: trang tính 'Chỉ số', ô {cell}: "), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    check(caught.value.problems[0])


def test_a_row_without_maximum_is_named_in_vietnamese(sample_workbook: bytes) -> None:
    def clear(wb: openpyxl.Workbook) -> None:
        EDITS["no maximum"][0](wb)
    with pytest.raises(FrameworkInvalid) as caught:
        load_bytes(_edit(sample_workbook, clear), "bad.xlsx")
    assert re.match(r"bad\.xlsx: trang tính 'Chỉ số', dòng \d+: không có điểm tối đa", caught.value.message_vi)


def test_no_problem_at_all_still_reads_in_both_languages() -> None:
    empty = FrameworkInvalid("x.yaml", [])
    assert str(empty) == "x.yaml: invalid framework"
    assert empty.message_vi == "x.yaml: bộ chỉ số không hợp lệ"


def test_several_problems_are_counted_in_vietnamese() -> None:
    problems = [Problem("1", "a", "một"), Problem("2", "b", "hai"), Problem("3", "c", "ba")]
    invalid = FrameworkInvalid("x.yaml", problems)
    assert str(invalid) == "x.yaml: 1: a (and 2 more problems)"
    assert invalid.message_vi == "x.yaml: 1: một (và 2 lỗi khác)"
    assert FrameworkInvalid("", problems[:1]).message_vi == "1: một"


# -- every problem of a corpus of broken files ---------------------------------------------------------

# Breakages beyond those of test_schema, so that every kind of refusal of the schema is met at least once.
EXTRA_YAML = [
    SMALL.replace("round: {year: 2024, start: 2024-01-01, end: 2024-12-31}", "round: {year: 24, start: 2024-01-01}"),
    SMALL.replace("round: {year: 2024, start: 2024-01-01, end: 2024-12-31}",
                  "round: {year: 2024, start: hôm qua, end: 2024-12-31, month: 5}"),
    SMALL.replace("round: {year: 2024, start: 2024-01-01, end: 2024-12-31}", "round: 2024"),
    SMALL.replace("  - {code: huyen, title: \"UBND huyện\"}",
                  "  - {code: Huyen, title: \"UBND huyện\", ranked: có}\n  - {code: xa, title: \"Xã\"}\n  - 7"),
    SMALL.replace("groups:\n  - {code: huyen, title: \"UBND huyện\"}\n  - {code: xa, title: \"UBND xã\"}",
                  "groups: []"),
    SMALL.replace("groups:\n", "groups: {a: 1}\nx_groups:\n"),
    SMALL.replace('  - {label: "Khá", min: 0.7}', '  - {label: "Tốt", min: 0.7}\n  - "Khá"'),
    SMALL.replace("grades:\n", "grades: []\nx_grades:\n"),
    SMALL.replace('  - {label: "Yếu", min: 0}', ""),   # a warning: no band starts at 0
    SMALL.replace("type: integer, unit: người}",
                  "type: money, unit: người, groups: [tinh]}\n  - {code: TT.1, title: \"Lặp\", groups: []}\n"
                  "  - {code: \"T T\", title: \"Dấu cách\"}\n  - {code: 5, title: \"Số\"}\n  - [1]"),
    SMALL.replace('code: "1.2"', 'code: "1 2"').replace('"2.1"', '"2.1", title2: x'),
    SMALL.replace("max: {huyen: 200, xa: 100}\n", "max: {huyen: 200, tinh: 5}\n"),
    SMALL.replace("max: 60, rule", "max: 50, rule"),   # a warning: children do not add up
    SMALL.replace("    max: 100\n", "    max: 100\n    evidence: required\n"),
    SMALL.replace("indicators:\n", "indicators: []\nx_indicators:\n"),
    SMALL.replace("  - code: \"2\"", "  - 42\n  - code: \"2\""),
    SMALL.replace("  - code: \"2\"\n    title: \"Hoạt động chính quyền số\"\n    max: {huyen: 200, xa: 100}",
                  "  - code: \"2\"\n    title: \"Hoạt động chính quyền số\"\n    max: {xa: 100}")
         .replace("max: {huyen: 200, xa: 100}, rule", "max: {xa: 100}, rule").replace("    max: 100\n",
                                                                                     "    max: {xa: 100}\n"),
    SMALL.replace("title: \"Bộ chỉ số thử\"", "title: [\"Bộ chỉ số thử\"]\nreconstructed: có lẽ"),
    "format: dti-framework/1\n",
    "{}",
    "[1, 2]",
    '{"format": "dti-framework/1", "id": 1,}',
    '{"a": 1, "a": 2}',
    "title: \"abc\n",
    "a: b: c\n",
    "a:\n\tb: 1\n",
    "a: [1, 2\nb: 3\n",
    "- a\nb: 1\n",
]

EXTRA_RULES = [
    "{type: ratio, denominator: TT.1, target: 2}",
    "{type: tiers, on: share, tiers: [{min: 0.5}]}",
    "{type: tiers, on: share, tiers: [{min: 0.5, fraction: 2}]}",
    "{type: tiers, on: count, tiers: [{min: 1, points: many}]}",
    "{type: tiers, on: count, tiers: [5]}",
    "{type: tiers, on: count, tiers: {a: 1}}",
    "{type: tiers, on: count, tiers: []}",
    "{type: choice, options: [{code: A, label: A, fraction: 1}, {code: b, label: B, fraction: 0}]}",
    "{type: choice, options: [x, y]}",
    "{type: choice, options: [{code: a, fraction: 1}, {code: b, label: B, fraction: 0}]}",
    "{type: parts, parts: [{code: a, label: A, points: 30}]}",
    "{type: parts, parts: [{code: A, label: A, points: 3}]}",
    "{type: parts, parts: [{code: a, label: A, points: 3}, {code: a, label: B, points: 3}]}",
    "{type: parts, parts: [{code: a, label: A, points: 15}, {code: b, label: B, points: 15}]}",  # a warning
    "{type: parts, parts: [7]}",
    "{type: count, per_item: 2, cap: 1.5}",
    "{type: count, per_item: -1}",
    "{type: best_in_group, denominator: TT.2}",
    "{type: yes_no, options: 1}",
    "{}",
]


def _yaml_corpus() -> Iterator[tuple[str, bytes]]:
    for i, (change, _) in enumerate(MALFORMED):
        yield f"malformed {i}", change(SMALL).encode("utf-8")
    for i, (raw, _) in enumerate(HOSTILE_BYTES):
        yield f"hostile {i}", raw
    for rule, _ in UNEVALUABLE_RULES:
        yield rule, rule_framework(rule).encode("utf-8")
    for rule in EXTRA_RULES:
        yield rule, rule_framework(rule).encode("utf-8")
    yield "rule on a parent", indicator_framework('{code: "1.1", title: t, max: 5, children: '
                                                  '[{code: "1.1.1", title: u, max: 5}], rule: {type: points}}',
                                                  5).encode("utf-8")
    for i, text in enumerate(EXTRA_YAML):
        yield f"extra {i}", text.encode("utf-8")


def _problems_of(load) -> list[Problem]:  # type: ignore[no-untyped-def]
    try:
        return list(load().warnings)
    except FrameworkInvalid as e:
        return list(e.problems)


def test_every_problem_of_broken_yaml_has_a_vietnamese_reason() -> None:
    seen: set[str] = set()
    for name, raw in _yaml_corpus():
        problems = _problems_of(lambda raw=raw: load_bytes(raw, "corpus.dti.yaml"))
        for problem in problems:
            check(problem)
        seen.update(p.reason for p in problems)
        assert problems or name.startswith("extra"), name  # each case of the other modules is refused
    assert len(seen) >= 80  # the corpus really meets many different reasons


def test_every_problem_of_broken_data_has_a_vietnamese_reason() -> None:
    """Data that no YAML file gives (the Excel reader hands `build` plain data too)."""
    for data in ({"format": "dti-framework/1", "round": {"year": True}, "groups": "xa", "grades": None},
                 {"indicators": None, "groups": [{"code": "xa", "title": "Xã"}], "info": {"a": 1}}):
        for problem in _problems_of(lambda data=data: build(data, "data")):
            check(problem)


def test_every_problem_of_damaged_workbooks_has_a_vietnamese_reason(sample_workbook: bytes) -> None:
    for case, (change, _, _) in EDITS.items():
        problems = _problems_of(lambda change=change: load_bytes(_edit(sample_workbook, change), "d.xlsx"))
        assert problems, case
        for problem in problems:
            check(problem)
    for case, (make, _) in RAW.items():
        problems = _problems_of(lambda make=make: load_bytes(make(sample_workbook), "h.xlsx"))
        assert problems, case
        for problem in problems:
            check(problem)


def _extra_workbook_edits(wb: openpyxl.Workbook) -> None:
    meta, groups, info, indicators = wb["Thông tin"], wb["Nhóm"], wb["Thông tin chung"], wb[INDICATORS]
    meta.cell(row=2, column=1, value="id")                  # a field given twice
    meta.cell(row=20, column=2, value="lạc")               # a value without a field name
    meta.cell(row=6, column=2, value="năm ngoái")          # a year that is not one
    groups.cell(row=2, column=1, value=True)               # a code that is TRUE
    info.cell(row=2, column=5, value=" , ")                # groups without codes
    indicators.cell(row=4, column=3, value=openpyxl.utils.datetime.from_excel(45000))  # a date as a title
    indicators.cell(row=1, column=indicators.max_column + 1, value=5)                 # a heading not text
    indicators.cell(row=5, column=indicators.max_column + 3, value="lạc")  # a value under no heading
    indicators.cell(row=1, column=indicators.max_column + 1, value="Tối đa: huyen")  # a heading twice
    groups.cell(row=1, column=4, value="Mã nhóm")                            # a heading twice
    wb["Xếp loại"].cell(row=2, column=2).value = None                       # an empty minimum


def _headings_removed(wb: openpyxl.Workbook) -> None:
    info = wb["Thông tin chung"]
    info.delete_rows(1, info.max_row)                                        # a sheet without headings


@pytest.mark.parametrize("change", [_extra_workbook_edits, _headings_removed])
def test_more_workbook_problems_in_vietnamese(sample_workbook: bytes, change) -> None:  # type: ignore[no-untyped-def]
    raw = _edit(sample_workbook, change)
    problems = _problems_of(lambda: load_bytes(raw, "more.xlsx"))
    assert problems
    for problem in problems:
        check(problem)


def test_an_unreadable_file_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(FrameworkInvalid) as caught:
        load_file(tmp_path / "missing.dti.yaml")
    assert caught.value.message_vi.startswith("missing.dti.yaml: không đọc được tệp: ")
    check(caught.value.problems[0])


def test_parameters_in_a_workbook_in_vietnamese(sample_workbook: bytes) -> None:
    for params in ("{tiers: [", "{a: 1, a: 2}", "[1, 2]", "{type: count}", 5):
        raw = _edit(sample_workbook, _set(INDICATORS, "2.4", "Tham số quy tắc", params))
        for problem in _problems_of(lambda raw=raw: load_bytes(raw, "p.xlsx")):
            check(problem)


def test_every_place_a_problem_is_made_passes_vietnamese() -> None:
    """Static: each call that records a problem in app/frameworks is given Vietnamese text as well."""
    makers = {"err", "warn", "fail", "Problem"}
    calls = 0
    for path in sorted(FRAMEWORKS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in makers or (name == "fail" and not isinstance(node.func, ast.Attribute)):
                continue
            calls += 1
            assert any(_is_vietnamese_arg(a) for a in node.args), f"{path.name}:{node.lineno}: {name}() without Vietnamese"
    assert calls >= 120


def _is_vietnamese_arg(arg: ast.expr) -> bool:
    if isinstance(arg, ast.Starred):  # fail(*_refusal(...)): the pairs are checked by the corpus
        return True
    if isinstance(arg, ast.Name):
        return arg.id.lower().endswith("_vi")
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return vietnamese(arg.value)
    if isinstance(arg, ast.JoinedStr):
        return any(_is_vietnamese_arg(v) for v in arg.values if isinstance(v, ast.Constant))
    if isinstance(arg, ast.BinOp):
        return _is_vietnamese_arg(arg.left) or _is_vietnamese_arg(arg.right)
    return False


# -- the command line ----------------------------------------------------------------------------------

def test_cli_prints_the_vietnamese_reason_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.dti.yaml"
    bad.write_text(SMALL.replace("evidence: optional", "evidance: optional").replace('code: "1.2"', "code: 1.20"),
                   encoding="utf-8")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "--lang", "vi", "framework", "import", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("dti: Bộ chỉ số không hợp lệ: bad.dti.yaml: 1.1: trường 'evidance' không hợp lệ")
    assert lines[0].endswith(" (và 1 lỗi khác)")
    assert not ENGLISH.search(unquoted(lines[0])), lines[0]

    assert main(["--data-dir", str(data), "--lang", "en", "framework", "import", str(bad)]) == 1
    english = capsys.readouterr().err.strip()
    assert english == ("dti: invalid framework: bad.dti.yaml: 1.1: unknown field 'evidance' (allowed: code, title, "
                       "max, children, rule, evidence, appraiser, guide) (and 1 more problem)")


def test_cli_prints_warnings_in_the_chosen_language_with_a_decimal_comma(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    warned = tmp_path / "warned.dti.yaml"
    warned.write_text(SMALL.replace('{label: "Yếu", min: 0}', '{label: "Yếu", min: 0.05}'), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "vi"), "--lang", "vi", "framework", "import", str(warned)]) == 0
    assert ("cảnh báo: warned.dti.yaml: grades: không có mức xếp loại nào bắt đầu từ 0: tỷ lệ dưới 5,00 % sẽ không "
            "được xếp loại") in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "en"), "--lang", "en", "framework", "import", str(warned)]) == 0
    assert "warning: warned.dti.yaml: grades: no band starts at 0: shares below 0.05 get no grade" in capsys.readouterr().err


def test_cli_vietnamese_for_a_workbook(tmp_path: Path, sample_workbook: bytes,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_edit(sample_workbook, _set(INDICATORS, "2.4", "Tối đa: huyen", "hai mươi")))
    cell = _coordinate(bad.read_bytes(), INDICATORS, "2.4", "Tối đa: huyen")
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "vi", "framework", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == (f"dti: Bộ chỉ số không hợp lệ: bad.xlsx: trang tính 'Chỉ số', ô {cell}: điểm tối đa của nhóm "
                   "'huyen' phải là một số, không phải 'hai mươi'\n")

