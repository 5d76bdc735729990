"""Every example of docs/framework-format.md loads, and every worked result in it is what the engine computes.

Conventions of the document (explained in its "About the examples" paragraph):

- a ```yaml block starting with `format: dti-framework/1` is a complete framework file: it must load;
- a ```yaml block starting with `- code:` is an indicator snippet: it fits under `indicators:` of the first
  complete file of the page (same groups and info fields); it is loaded in that file in place of its
  indicators, plus a one-point filler index so that every group keeps an indicator;
- a ```yaml block starting with `# rejected: NAME` is a file that must be refused, with exactly the message
  of the ```text block that follows it;
- inside a block, `# warning: TEXT` lines are the exact warnings the file gives (none when there is none);
  `# entry: VALUE [; key: VALUE]...  -> points: N [(status)]` and `# values: {CODE: VALUE} ...` lines are
  worked examples checked with `score_unit`; `# appraiser: CODE = NAME` lines are checked with
  `Framework.appraiser_of`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.frameworks.canonical import canonical_bytes
from app.frameworks.loader import Loaded, load_bytes
from app.frameworks.schema import FrameworkInvalid
from app.scoring.engine import score_unit
from app.scoring.numbers import q2, q4
from app.scoring.ranking import competition_ranks
from app.scoring.rules import RULE_TYPES, Ratio

DOC = Path(__file__).resolve().parent.parent / "docs" / "framework-format.md"
COMPLETE = "format: dti-framework/1"
SNIPPET = "- code:"
REJECTED = "# rejected:"
FILLER = '  - {code: ZZ, title: "Filler", max: 1}'


@dataclass(frozen=True)
class Block:
    tag: str
    text: str
    line: int      # line of the opening fence in the document
    section: str   # the nearest "## " heading above it

    @property
    def name(self) -> str:
        return f"line{self.line}"


def _blocks() -> list[Block]:
    out: list[Block] = []
    section = ""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = line[3:].strip()
        if line.startswith("```"):
            tag, start, body = line[3:].strip(), i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            out.append(Block(tag, "\n".join(body) + "\n", start, section))
        i += 1
    return out


BLOCKS = _blocks()
YAML = [b for b in BLOCKS if b.tag == "yaml"]
COMPLETES = [b for b in YAML if b.text.startswith(COMPLETE)]
SNIPPETS = [b for b in YAML if b.text.startswith(SNIPPET)]
REJECTS = [b for b in YAML if b.text.startswith(REJECTED)]


def _base() -> str:
    """The first complete file of the page up to its `indicators:` line (its last top-level key)."""
    text = COMPLETES[0].text
    match = re.search(r"^indicators:.*$", text, re.MULTILINE)
    assert match, "the first complete example must have its indicators last"
    return text[: match.start()]


def _wrap(snippet: str) -> str:
    body = "\n".join(("  " + line) if line.strip() else "" for line in snippet.rstrip("\n").splitlines())
    return f"{_base()}indicators:\n{body}\n{FILLER}\n"


# -- values written in the worked examples -----------------------------------------------------------

def _dec(value: Any) -> Any:
    """Numbers of an example as the engine receives them: Decimal (bools stay bools)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, Decimal, Ratio)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _dec(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {_dec(v) for v in value}
    if isinstance(value, (list, tuple)):
        return type(value)(_dec(v) for v in value)
    raise TypeError(f"unexpected value {value!r}")


def _ratio(a: Any, b: Any = None) -> Ratio:
    return Ratio(_dec(a), _dec(b))


def _value(expr: str) -> Any:
    """A Python literal, or Ratio(a, b), or set(); nothing else is evaluated."""
    tree = ast.parse(expr.strip(), mode="eval").body
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
        args = [ast.literal_eval(a) for a in tree.args]
        if tree.func.id == "Ratio":
            return _ratio(*args)
        if tree.func.id == "set" and not args:
            return set()
        raise ValueError(f"unknown call in example: {expr}")
    return _dec(ast.literal_eval(tree))


WORKED = re.compile(r"^\s*#\s*(entry|values):\s*(?P<left>.*?)\s*->\s*points:\s*(?P<points>-?[0-9.]+)"
                    r"(?:\s*\((?P<status>ok|pending|missing|invalid)\))?")


@dataclass(frozen=True)
class Worked:
    kind: str
    value: Any
    options: dict[str, str]
    points: Decimal
    status: str | None
    source: str


def _worked(text: str) -> list[Worked]:
    out = []
    for line in text.splitlines():
        m = WORKED.match(line)
        if not m:
            assert not re.match(r"^\s*#\s*(entry|values)\b", line), f"unreadable worked example: {line}"
            continue
        first, *rest = m.group("left").split(";")
        options = {}
        for item in rest:
            key, sep, raw = item.partition(":")
            assert sep, f"expected 'key: value' after ';' in {line}"
            options[key.strip()] = raw.strip()
        assert set(options) <= {"info", "group", "best", "appraised", "code"}, line
        out.append(Worked(m.group(1), _value(first), options, Decimal(m.group("points")), m.group("status"),
                          line.strip()))
    return out


def _comment_values(text: str, key: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"^\s*#\s*{key}:\s*(.+)$", text, re.MULTILINE)]


def _root_code(snippet: str) -> str:
    m = re.match(r'- code:\s*"?([^",}\s]+)"?', snippet)
    assert m, "a snippet starts with its code"
    return m.group(1)


# -- checks shared by complete files and snippets ------------------------------------------------------

def _check_warnings(block: Block, loaded: Loaded) -> None:
    documented = sorted(_comment_values(block.text, "warning"))
    actual = sorted(str(w) for w in loaded.warnings)
    assert actual == documented, f"warnings of the example at {block.name}"


def _check_worked(block: Block, loaded: Loaded, default_code: str | None) -> int:
    fw = loaded.framework
    checked = 0
    for w in _worked(block.text):
        code = w.options.get("code", default_code)
        assert code, f"{w.source}: say which indicator with '; code: ...'"
        node = fw.indicator(code)
        group = w.options.get("group") or next(g.code for g in fw.groups if node.applies_to(g.code))
        leaves = [n.code for n in node.walk() if n.is_leaf]
        if w.kind == "entry":
            assert len(leaves) == 1, f"{w.source}: 'entry' needs a single leaf, use 'values'"
            values = {leaves[0]: w.value} if w.value is not None else {}
        else:
            assert isinstance(w.value, dict), w.source
            values = dict(w.value)
        info = _value(w.options["info"]) if "info" in w.options else {}
        best = {leaves[0]: _value(w.options["best"])} if "best" in w.options else None
        appraisals = {}
        if "appraised" in w.options:
            appraised = _value(w.options["appraised"])
            appraisals = appraised if isinstance(appraised, dict) else {leaves[0]: appraised}
        score = score_unit(fw, group, values, info, appraisals, best)
        result = score.node(code)
        assert q2(result.points) == q2(w.points), f"{block.name}: {w.source}: engine gives {result.points}"
        if w.status is not None:
            assert result.status == w.status, f"{block.name}: {w.source}: status {result.status}"
        checked += 1
    for line in _comment_values(block.text, "appraiser"):
        code, _, name = line.partition("=")
        assert fw.appraiser_of(code.strip()) == name.strip(), f"{block.name}: appraiser of {code.strip()}"
    return checked


# -- the tests ----------------------------------------------------------------------------------------

def test_the_document_has_examples_of_every_kind():
    assert COMPLETES and COMPLETES[0].line < 30, "a complete example file comes first"
    assert len(SNIPPETS) >= 10
    assert len(REJECTS) >= 3
    unclassified = [b.name for b in YAML if b not in COMPLETES + SNIPPETS + REJECTS]
    assert not unclassified, "every yaml block is a complete file, a snippet or a rejected file"


def test_every_rule_type_has_a_worked_example():
    covered = set()
    for block in SNIPPETS:
        types = re.findall(r"type:\s*([a-z_]+)", block.text)
        if _worked(block.text):
            covered.update(types)
    assert set(RULE_TYPES) <= covered, f"rule types without a worked example: {set(RULE_TYPES) - covered}"


@pytest.mark.parametrize("block", COMPLETES, ids=lambda b: b.name)
def test_complete_example_loads(block: Block):
    loaded = load_bytes(block.text.encode("utf-8"), "example.dti.yaml")
    _check_warnings(block, loaded)
    _check_worked(block, loaded, None)


@pytest.mark.parametrize("block", SNIPPETS, ids=lambda b: b.name)
def test_indicator_snippet_loads_and_scores_as_documented(block: Block):
    loaded = load_bytes(_wrap(block.text).encode("utf-8"), "snippet.dti.yaml")
    _check_warnings(block, loaded)
    _check_worked(block, loaded, _root_code(block.text))


@pytest.mark.parametrize("block", REJECTS, ids=lambda b: b.name)
def test_rejected_example_gives_the_documented_message(block: Block):
    source = block.text.splitlines()[0][len(REJECTED):].strip()
    following = BLOCKS[BLOCKS.index(block) + 1]
    assert following.tag == "text", f"the message of the rejected example at {block.name} follows it"
    with pytest.raises(FrameworkInvalid) as caught:
        load_bytes(block.text.encode("utf-8"), source)
    assert str(caught.value) == following.text.strip()


def test_identity_section():
    section = [b for b in BLOCKS if b.section.startswith("7.")]
    files = [b for b in section if b.tag == "yaml" and b.text.startswith(COMPLETE)]
    assert len(files) >= 2
    loaded = [load_bytes(b.text.encode("utf-8"), "x.dti.yaml") for b in files]
    assert len({x.sha256 for x in loaded}) == 1, "the equivalent files of section 7 have one hash"
    assert loaded[0].framework == loaded[1].framework
    canonical = next(b for b in section if b.tag == "json").text.strip()
    assert canonical_bytes(loaded[0].framework).decode("utf-8") == canonical
    identity = next(b for b in section if b.tag == "text").text.split()
    assert identity == [loaded[0].framework.id, "sha256", loaded[0].sha256]
    again = load_bytes(canonical.encode("utf-8"), "x.dti.json")
    assert again.sha256 == loaded[0].sha256 and again.framework == loaded[0].framework


def test_reordering_keys_of_the_first_example_keeps_its_hash():
    import yaml

    from app.frameworks.yamlio import parse_yaml

    original = load_bytes(COMPLETES[0].text.encode("utf-8"), "a.dti.yaml")
    data = parse_yaml(COMPLETES[0].text.encode("utf-8"), "a.dti.yaml")

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reverse(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    text = yaml.safe_dump(reverse(data), allow_unicode=True, sort_keys=False)
    assert not text.startswith(COMPLETE)
    assert load_bytes(text.encode("utf-8"), "b.dti.yaml").sha256 == original.sha256


def test_worked_unit_example_of_section_5():
    """The district of section 5, scored with the first example file, then appraised."""
    fw = load_bytes(COMPLETES[0].text.encode("utf-8"), "vd-2024.dti.yaml").framework
    d = Decimal
    values = {"1.1": "cap-pho", "1.2": d(3), "2.1": d(47), "2.2": True, "3.1": d("97.5"),
              "3.2": Ratio(d(1234), d(1750))}
    info = {"TT.1": d(70)}
    claimed = score_unit(fw, "huyen", values, info)
    assert (claimed.total, claimed.max, claimed.share, claimed.grade) == (d("298.30"), d(400), d("0.7458"), "Khá")
    assert claimed.indices == {"1": d("50.00"), "2": d("80.29"), "3": d("168.01")}
    assert q4(claimed.total / claimed.max) == d("0.7458") and claimed.total / claimed.max == d("0.74575")
    appraised = score_unit(fw, "huyen", values, info, {"2.2": d(0), "3.1": d(95)})
    assert (appraised.total, appraised.self_total, appraised.share, appraised.grade) == (
        d("255.80"), d("298.30"), d("0.6395"), "Trung bình")
    assert appraised.indices == {"1": d("50.00"), "2": d("40.29"), "3": d("165.51")}
    assert [fw.max_total(g) for g in ("so", "huyen", "xa")] == [d(400), d(400), d(150)]
    assert {c: fw.appraiser_of(c) for c in ("1.1", "1.2", "2.1", "2.2", "3.1", "3.2")} == {
        "1.1": "Sở Thông tin và Truyền thông", "1.2": "Sở Thông tin và Truyền thông", "2.1": "Sở Nội vụ",
        "2.2": "Sở Nội vụ", "3.1": "Văn phòng UBND tỉnh", "3.2": "Sở Thông tin và Truyền thông"}
    text = DOC.read_text(encoding="utf-8")
    for figure in ("298.30", "0.7458", "255.80", "0.6395", "80.29", "168.01", "165.51", "40.29"):
        assert figure in text
    assert competition_ranks([d("298.30"), d("255.80"), d("255.80"), d("240.15")]) == [1, 2, 2, 4]
