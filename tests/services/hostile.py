"""What the hostile-file tests of feedback, returns and packages share: the whole state of a data directory, one
refused or taken import through the real CLI, and Hypothesis mutations of a signed file's JSON."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import strategies as st


def state(data: Path) -> dict[str, Any]:
    """Everything an import could change: every row of every table and every file (names and SHA-256), the
    lock, the SQLite files (their content is the rows) and logs/ aside."""
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()
    files = {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(data.rglob("*")) if p.is_file() and not p.name.startswith("dti.sqlite3")
             and p.name != "dti.lock" and p.relative_to(data).parts[0] != "logs"}
    return {"rows": rows, "files": files}


def refused_line(run, data: Path, command: tuple[str, ...], file: Path, mode: str, capsys, *reasons: str) -> str:
    """`command [--dry-run] file` at `data`: non-zero, one line on stderr naming the file and every reason (never
    an internal error), nothing on stdout, the data directory exactly as before."""
    before = state(data)
    capsys.readouterr()
    rc = run(data, *command, *(("--dry-run",) if mode == "dry-run" else ()), file)
    out, err = capsys.readouterr()
    assert rc != 0, out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("dti: ") and file.name in line and "internal error" not in line, line
    for reason in reasons:
        assert reason in line, line
    assert out == ""
    assert state(data) == before
    return line


def taken(run, data: Path, command: tuple[str, ...], file: Path, capsys, *args: str) -> str:
    capsys.readouterr()
    rc = run(data, *command, *args, file)
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out



# -- any change of a valid file ---------------------------------------------------------------------------------

JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                      st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                      st.sampled_from(["1.1", "1.2", "2.1", "1", "X1", "xa", "40", "60,5", "1e9", "",
                                       "2024-05-01T08:00:00Z", "2099-01-01T00:00:00+07:00"]))
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=12), inner, max_size=3)),
                          max_leaves=8)


def paths_of(value: Any, at: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree (the root too)."""
    out = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, (*at, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, document: Any, keep: tuple[str, ...] = ()) -> Any:
    """`document` with one to three changes: a value replaced, a key or an item removed, a key added, an item
    repeated. Keys in `keep` stay (the manifest's format and entries: without them the library refuses)."""
    doc = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = [p for p in paths_of(doc) if not (p and p[0] in keep)]
        place = draw(st.sampled_from(places))
        how = draw(st.sampled_from(["replace", "remove", "add", "repeat"]))
        if not place:
            if how == "replace" and not keep:
                doc = draw(JSON_VALUE)
            continue
        parent = doc
        for step in place[:-1]:
            parent = parent[step]
        last = place[-1]
        if how == "replace":
            parent[last] = draw(JSON_VALUE)
        elif how == "remove":
            del parent[last]
        elif how == "add" and isinstance(parent[last], dict):
            parent[last][draw(st.text(max_size=12))] = draw(JSON_VALUE)
        elif how == "repeat" and isinstance(parent[last], list) and parent[last]:
            parent[last].append(parent[last][0])
    return doc


def mutation_holds(run, data: Path, pristine: Path, command: tuple[str, ...], file: Path) -> None:
    """Import `file` at `data`: either it is taken, or it is refused with one line and nothing changed; an
    internal error fails. A taken file's store is put back from `pristine` for the next example."""
    import contextlib
    import io

    before = state(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = run(data, *command, file)
    line = err.getvalue()
    assert "internal error" not in line, line
    if rc != 0:
        assert len(line.strip().splitlines()) == 1, line
        assert state(data) == before
    else:
        shutil.rmtree(data)
        shutil.copytree(pristine, data, ignore=shutil.ignore_patterns("dti.lock"))


def resigned_mutation(data, source: Path, entry: str, signer, out: Path) -> Path | None:
    """`source` with its `entry` (a data entry) or, one time in three, its manifest changed by `mutated`, signed
    again with `signer` as `out`; None when the change is one the writer itself refuses to sign."""
    from app.errors import UserError
    from tests.services.chainkit import canon, read_package, repack

    manifest, entries = read_package(source)
    if data.draw(st.sampled_from(["body", "body", "manifest"])) == "body":
        body = data.draw(mutated(json.loads(entries[entry])))
        return repack(source, out, signer, entries={entry: canon(body)})
    changed = data.draw(mutated(manifest, keep=("format",)))
    if not isinstance(changed, dict):
        return None

    def put(m: dict) -> None:
        m.clear()
        m.update(changed)

    try:
        return repack(source, out, signer, manifest=put)
    except (ValueError, UserError):   # a manifest the writer will not sign (no created_at text, ...)
        return None

