"""`make bench`: every budget of DESIGN §9, each measured beside its baseline in the same run.

    .venv/bin/python benchmarks/run.py [--quick] [--runs N] [--work DIR] [--no-gui]

Synthetic data is generated on the fly (benchmarks/world.py): a province enrolls 10 districts and 30
departments, the districts enroll 161 communes; every unit is filled in on hy-2023, gets evidence PDFs
shaped like scans (100 kB–4 MB) and exports a signed package; one department carries 200 MB (50 × 4 MB).
Each package figure is a whole `dti` process (its wall time, peak RSS from wait4), run several times on a
fresh copy of the aggregator's data directory; the table gives the median and the baseline measured in the
same run (`zip -0` + `sha256sum`, `sha256sum` + `cp`); the last row builds the PyInstaller bundle
(`make bundle`, ~1–2 minutes) and gives its size. The row before it, not a budget, times evidence inspection
per page on real-world PDFs (tests/evidence/realworld.py: downloaded once into the user's cache; `--quick`
uses a cached corpus only, and says so when there is none). Budgets are checked by reading this output, never by
timing assertions in the test suite. `--quick` runs a small world once (< 30 s), to keep the harness alive.
`--work DIR` keeps the generated world in DIR and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.world import MB, PASSPHRASE, build, rank_store, total_bytes  # noqa: E402

DTI = [str(ROOT / ".venv" / "bin" / "dti")]
TREE: Path | None = None        # --tree DIR: run the dti of another checkout's app/ (a before/after comparison)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def _gnu_time() -> str | None:
    """GNU time, if installed: it reports the peak RSS of the process it starts, measured from its own small
    process. Linux carries a parent's peak RSS into a child it forks (the high-water mark survives exec), so
    wait4 from this harness, which holds the generated world in memory, would report the harness's size
    for every process it starts."""
    if not Path("/usr/bin/time").is_file():
        return None
    try:
        ok = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", os.devnull, "true"], capture_output=True).returncode == 0
    except OSError:
        return None
    return "/usr/bin/time" if ok else None


GNU_TIME = _gnu_time()


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, stdout=subprocess.DEVNULL) -> Run:
    """One whole process: wall time and its own peak RSS (through GNU time where installed, else wait4's
    rusage, which on Linux can include this harness's own peak: see _gnu_time)."""
    cwd = cwd or TREE      # `python -m app.cli.main` finds app/ in its working directory first
    with tempfile.NamedTemporaryFile(prefix="dti-bench-rss-", delete=False) as handle:
        rss_file = Path(handle.name)
    try:
        wrapped = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:6])}… exited {proc.returncode}: {err.strip()[-500:]}")
        peak_kb = usage.ru_maxrss
        if GNU_TIME:
            lines = rss_file.read_text(encoding="ascii", errors="replace").split()
            peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else peak_kb
        return Run(seconds, peak_kb / 1024)
    finally:
        rss_file.unlink(missing_ok=True)


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def dti_env(**extra: str) -> dict:
    env = dict(os.environ, DTI_PASSPHRASE=PASSPHRASE, **extra)
    env.pop("DTI_DATA_DIR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # an installed application starts from compiled bytecode
    if TREE is not None:
        env["PYTHONPATH"] = str(TREE)
    return env


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def spread(values: list[float], unit: str = "s") -> str:
    if len(values) < 2:
        return ""
    return f" [{min(values):.2f}–{max(values):.2f} {unit}]"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, bool | None]] = []

    def add(self, work: str, figure: str, baseline: str, budget: str, ok: bool | None) -> None:
        self.rows.append((work, figure, baseline, budget, ok))
        print(f"  {work}: {figure} | {baseline} | {budget} | {self.verdict(ok)}", flush=True)

    @staticmethod
    def verdict(ok: bool | None) -> str:
        return "-" if ok is None else "met" if ok else "NOT MET"

    def print(self) -> None:
        heads = ("work", "figure", "baseline", "budget", "verdict")
        rows = [heads] + [(w, f, b, g, self.verdict(ok)) for w, f, b, g, ok in self.rows]
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        for n, r in enumerate(rows):
            print(" | ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
            if n == 0:
                print("-+-".join("-" * w for w in widths))


def cli_start(table: Table, runs: int) -> None:
    start = [run([*DTI, "--version"], env=dti_env()).seconds for _ in range(runs)]
    base = [run([sys.executable, "-c", "pass"]).seconds for _ in range(runs)]
    s, b = statistics.median(start), statistics.median(base)
    table.add("dti --version (CLI start)", f"{s * 1000:.0f} ms", f"python -c pass {b * 1000:.0f} ms", "≤ 300 ms", s <= 0.3)


def synthetic_framework(leaves: int = 300):
    """A framework of `leaves` leaves under 8 main indices, every rule type in turn."""
    from app.frameworks.schema import build as build_framework

    rules = [{"type": "points"}, {"type": "yes_no"}, {"type": "ratio", "denominator": "TT.1"},
             {"type": "tiers", "on": "count", "tiers": [{"min": 4, "fraction": 1}, {"min": 2, "fraction": 0.5}]},
             {"type": "choice", "options": [{"code": "a", "label": "A", "fraction": 1},
                                            {"code": "b", "label": "B", "fraction": 0.5}]},
             {"type": "parts", "parts": [{"code": "a", "label": "A", "fraction": 0.5},
                                         {"code": "b", "label": "B", "fraction": 0.5}]},
             {"type": "count", "per_item": 1, "cap": 5}, {"type": "ratio", "target": 0.8}]
    per_index = leaves // 8
    indicators = []
    n = 0
    for i in range(1, 9):
        children = []
        for j in range(1, per_index + 1):
            n += 1
            children.append({"code": f"{i}.{j}", "title": f"Tiêu chí {i}.{j}", "max": 5,
                             "rule": rules[n % len(rules)], "evidence": "required"})
        indicators.append({"code": str(i), "title": f"Chỉ số {i}", "max": 5 * per_index, "children": children})
    data = {"format": "dti-framework/1", "id": "bench", "title": "Bench", "round": {"year": 2024},
            "groups": [{"code": "g", "title": "Nhóm"}], "grades": [{"label": "A", "min": 0}],
            "info": [{"code": "TT.1", "title": "Số công chức", "type": "integer"}], "indicators": indicators}
    return build_framework(data)[0]


def scoring(table: Table, quick: bool) -> None:
    """In-process (the language's own harness): the engine alone, no process start."""
    from app.scoring.engine import score_unit
    from app.scoring.ranking import rank_scores
    from app.services.demo import illustrative_units

    fw = synthetic_framework(300)
    unit = illustrative_units(fw, per_group=1)[0]
    samples = []
    for _ in range(50 if quick else 300):
        t = time.perf_counter()
        score_unit(fw, "g", unit.values, unit.info)
        samples.append(time.perf_counter() - t)
    rescore = statistics.median(samples)
    leaves = sum(1 for _ in fw.leaves())
    table.add(f"re-score after one edit ({leaves} leaves, in process)", f"{rescore * 1000:.2f} ms", "-", "≤ 5 ms",
              rescore <= 0.005)
    count = 1_000 if quick else 10_000
    units = illustrative_units(fw, per_group=100, seed=7)
    scored = [(u.unit_code, u.unit_name, score_unit(fw, "g", u.values, u.info)) for u in units]
    many = [(f"U{i:05d}", f"Đơn vị {i}", scored[i % len(scored)][2]) for i in range(count)]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        rank_scores(fw.groups[0], fw.max_total("g"), many)
        times.append(time.perf_counter() - t)
    r = statistics.median(times)
    table.add(f"rank {count:,} scored units (total and every main index, in process)", f"{r:.2f} s", "-", "≤ 2 s",
              r <= 2)


def rank_process(table: Table, work: Path, units: int, runs: int) -> None:
    store = work / "rank-store"
    if not (store / ".bench-ready").exists():
        shutil.rmtree(store, ignore_errors=True)
        made = rank_store(store, units)
        (store / ".bench-ready").write_text(str(made))
    else:   # kept from an earlier run: its summaries as this version's last import would leave them
        refresh_summaries(store)
    made = int((store / ".bench-ready").read_text())
    results = [run([*DTI, "--data-dir", str(store), "rank", "--json"], env=dti_env()) for _ in range(runs)]
    m = median_run(results)
    table.add(f"dti rank --json, {made:,} units (hy-2023, 4 groups, stored score summaries)",
              f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{spread([r.seconds for r in results])}",
              f"{m.seconds / made * 1000:.2f} ms per unit", "≤ 2 s", m.seconds <= 2)
    # the same store without its summaries (a store just upgraded to schema 0005): every unit scored from its
    # entries. Not a budget of DESIGN §9; shown so that the cost the summaries save stays visible.
    cold = fresh_copy(store, work / "rank-store-cold")
    con = sqlite3.connect(cold / "dti.sqlite3")
    try:
        con.execute("DELETE FROM score_cache")
        con.commit()
    finally:
        con.close()
    c = run([*DTI, "--data-dir", str(cold), "rank", "--json"], env=dti_env())
    table.add("  the same without stored summaries (scored from entries; one run)", f"{c.seconds:.2f} s, {c.peak_mb:.0f} MB",
              f"{c.seconds / made * 1000:.2f} ms per unit", "-", None)
    shutil.rmtree(cold, ignore_errors=True)


def province_rows(table: Table, work: Path, runs: int) -> None:
    """Issue 18: 100–200 units directly under the province is the normal size since July 2025. What an appraiser
    waits for at that size: the status list, the ranking, the published reports, and the aggregator window's
    snapshot (every screen's data, computed once on the database worker). No budget of DESIGN §9; shown so that
    it stays usable."""
    from benchmarks.world import province_store

    store = work / "province-170"
    shutil.rmtree(store, ignore_errors=True)
    made = province_store(store, 170)
    for label, args in (("dti status --json", ["status", "--json"]), ("dti rank --json", ["rank", "--json"]),
                        ("dti report ranking --out x.xlsx", ["report", "ranking", "--out", str(work / "p170.xlsx")]),
                        ("dti report ranking --out x.pdf", ["report", "ranking", "--out", str(work / "p170.pdf")])):
        results = [run([*DTI, "--data-dir", str(store), *args], env=dti_env()) for _ in range(runs)]
        m = median_run(results)
        table.add(f"{label}, {made} units directly under the province (two-tier round)",
                  f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{spread([r.seconds for r in results])}", "-", "-", None)
    code = ("import sys, time; from pathlib import Path; t = time.perf_counter(); "
            "from app.services.workspace import Workspace; from app.services import aggregator_view; "
            "ws = Workspace(Path(sys.argv[1]), write=False); aggregator_view.load(ws); ws.close(); "
            "print(time.perf_counter() - t)")
    times = []
    for _ in range(runs):
        got = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True,
                             env=dti_env(), cwd=TREE or ROOT, check=True)
        times.append(float(got.stdout.strip().splitlines()[-1]))
    table.add(f"aggregator window data (aggregator_view.load), {made} units", f"{statistics.median(times):.2f} s"
              f"{spread(times)}", "-", "-", None)


def evidence_files(unit_dir: Path) -> list[Path]:
    return sorted((unit_dir / "evidence").rglob("*.pdf"))


def package_rows(table: Table, world, work: Path, runs: int) -> None:
    big = world.unit_dir("S-BIG")
    files = evidence_files(big)
    size_mb = total_bytes(files) / MB
    out_dir = work / "exported"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir()
    scratch = work / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()

    # export: N new revisions of S-BIG, beside zip -0 + sha256sum of the same evidence files; each run also
    # exports encrypted right after the plain one (issue 19), so that both meet the same disk and page cache
    exports, zips, shas, sealed = [], [], [], []
    for i in range(runs):
        (scratch / "baseline.zip").unlink(missing_ok=True)
        zips.append(run(["zip", "-q", "-0", str(scratch / "baseline.zip"), *map(str, files)]).seconds)
        shas.append(run(["sha256sum", *map(str, files)]).seconds)
        target = out_dir / f"S-BIG-{i}.dtipkg"
        exports.append(run([*DTI, "--data-dir", str(big), "package", "export", "--out", str(target)], env=dti_env()))
        target = out_dir / f"S-BIG-enc-{i}.dtipkg"
        sealed.append(run([*DTI, "--data-dir", str(big), "package", "export", "--encrypt", "--out", str(target)],
                          env=dti_env()))
    m = median_run(exports)
    z, s = statistics.median(zips), statistics.median(shas)
    budget = 1.3 * (z + s) + 0.7
    table.add(f"export a package with {size_mb:.0f} MB of evidence ({len(files)} scans)",
              f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{spread([r.seconds for r in exports])}",
              f"zip -0 {z:.2f} s + sha256sum {s:.2f} s",
              f"≤ {budget:.2f} s, ≤ 150 MB", m.seconds <= budget and m.peak_mb <= 150)
    plain_export = m

    # the same export encrypted for the province, beside the unencrypted export of the same runs
    m = median_run(sealed)
    ratio = m.seconds / plain_export.seconds
    table.add(f"export {size_mb:.0f} MB encrypted", f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB, {ratio:.2f}× "
              f"unencrypted{spread([r.seconds for r in sealed])}", f"unencrypted export {plain_export.seconds:.2f} s",
              "≤ 1.3×, ≤ 100 MB", ratio <= 1.3 and m.peak_mb <= 100)

    # verify + import that package into the province (fresh copy each run), beside sha256sum + cp
    package = out_dir / "S-BIG-0.dtipkg"
    encrypted = out_dir / "S-BIG-enc-0.dtipkg"
    imports, shas, cps, opened = [], [], [], []
    for _ in range(runs):   # each run imports the plain package, then the encrypted one, from the same state
        shas.append(run(["sha256sum", str(package)]).seconds)
        cps.append(run(["cp", str(package), str(scratch / "copy.dtipkg")]).seconds)
        (scratch / "copy.dtipkg").unlink()
        province = fresh_copy(world.province, work / "province-run")
        imports.append(run([*DTI, "--data-dir", str(province), "package", "import", str(package)], env=dti_env()))
        run(["sha256sum", str(encrypted)])   # read once before, as the plain package's baseline read it
        province = fresh_copy(world.province, work / "province-run")
        opened.append(run([*DTI, "--data-dir", str(province), "package", "import", str(encrypted)], env=dti_env()))
    m = median_run(imports)
    s, c = statistics.median(shas), statistics.median(cps)
    budget = 1.3 * (s + c) + 0.7
    table.add(f"verify and import that package ({package.stat().st_size / MB:.0f} MB)",
              f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{spread([r.seconds for r in imports])}",
              f"sha256sum {s:.2f} s + cp {c:.2f} s", f"≤ {budget:.2f} s", m.seconds <= budget)
    plain_import = m

    m = median_run(opened)
    ratio = m.seconds / plain_import.seconds
    table.add(f"verify and import {encrypted.stat().st_size / MB:.0f} MB encrypted",
              f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB, {ratio:.2f}× unencrypted{spread([r.seconds for r in opened])}",
              f"unencrypted import {plain_import.seconds:.2f} s", "≤ 1.3×, ≤ 100 MB", ratio <= 1.3 and m.peak_mb <= 100)

    # 161 commune packages in one command, beside sha256sum + cp over all their bytes
    communes = sorted((world.files / "communes").glob("*.dtipkg"))
    n, all_mb = len(communes), total_bytes(communes) / MB
    imports, shas, cps = [], [], []
    for _ in range(runs):
        shas.append(run(["sha256sum", *map(str, communes)]).seconds)
        copies = scratch / "copies"
        copies.mkdir(exist_ok=True)
        cps.append(run(["cp", *map(str, communes), str(copies)]).seconds)
        shutil.rmtree(copies)
        province = fresh_copy(world.province, work / "province-run")
        imports.append(run([*DTI, "--data-dir", str(province), "package", "import", str(world.files / "communes")],
                           env=dti_env()))
    m = median_run(imports)
    s, c = statistics.median(shas), statistics.median(cps)
    budget = 1.3 * (s + c) + 0.02 * n
    table.add(f"verify and import {n} commune packages ({all_mb:.0f} MB) in one command",
              f"{m.seconds:.2f} s, {m.peak_mb:.0f} MB{spread([r.seconds for r in imports])}",
              f"sha256sum {s:.2f} s + cp {c:.2f} s", f"≤ {budget:.2f} s", m.seconds <= budget)
    shutil.rmtree(work / "province-run", ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(out_dir, ignore_errors=True)


def gui_start(table: Table, work: Path, runs: int) -> None:
    """`dti gui --screenshot` on a practice commune (offscreen). The figure is start to *usable*: from
    `time.time()` just before the process starts to the time the application writes to DTI_STARTUP_TRACE
    when its main window is shown with its data loaded and the event loop has processed the pending
    events once (app.ui.startup_trace; just before the PNG is grabbed). Median of the runs [min–max];
    the whole process (that plus grabbing and writing the PNG and exiting) and its peak RSS beside it."""
    from app.services import first_run
    from app.services.workspace import Workspace

    data = work / "gui-unit"
    if not data.exists():
        first_run.start_practice(data, "hy-2023", "xa", "UBND xã Thử")
        with Workspace(data) as ws:
            for code, value in {"TT.9": "9", "1.2": "5", "2.2": "7/9", "3.1": "20"}.items():
                ws.set_entry(code, value)
    trace = work / "gui-start-trace.txt"
    env = dti_env(QT_QPA_PLATFORM="offscreen", DTI_STARTUP_TRACE=str(trace))
    results, usable = [], []
    for _ in range(runs):
        trace.unlink(missing_ok=True)
        started = time.time()
        results.append(run([*DTI, "--data-dir", str(data), "gui", "--screenshot", str(work / "shot.png")], env=env))
        lines = trace.read_text(encoding="ascii").split() if trace.exists() else []
        if lines:   # a tree measured with --tree may predate the trace: then only the whole process is known
            usable.append(float(lines[0]) - started)
    base = [run([sys.executable, "-c", "pass"]).seconds for _ in range(runs)]
    m = median_run(results)
    whole = f"whole process {m.seconds:.2f} s{spread([r.seconds for r in results])}, {m.peak_mb:.0f} MB"
    if len(usable) == len(results):
        u = statistics.median(usable)
        figure, ok = f"{u:.2f} s{spread(usable)}; {whole}", u <= 1.5
    else:
        figure, ok = f"no start-up trace; {whole}", None
    table.add("GUI start to usable main window (hy-2023 commune, offscreen)", figure,
              f"python -c pass {statistics.median(base) * 1000:.0f} ms", "≤ 1.5 s", ok)


def evidence_corpus(table: Table, runs: int, quick: bool) -> None:
    """Evidence inspection per page on real-world PDFs (tests/evidence/realworld.py: the sample PDFs of the
    pikepdf, pypdf and pyHanko sdists, downloaded once into the user's cache), in process like the scoring
    rows. Not a budget of DESIGN §9: it shows what `inspect_file` costs on files from many producers,
    where the synthetic world has only one. A first pass finds the files accepted (and warms imports and
    the page cache); each run then inspects all of them, and the figure is the median total over their
    pages. Baseline in the same runs, interleaved: pikepdf open + page count of the same files, the least
    any reader does. `--quick` takes every 10th file of a corpus already cached, and never downloads."""
    work = "evidence inspection per page (real-world corpus, in process)"
    if TREE is not None:
        work += " — this checkout's app/, not --tree"
    from tests.evidence import realworld

    try:
        corpus = realworld.load(download=not quick)
    except Exception as e:  # a hash mismatch: the pins are wrong, not the inspection
        table.add(work, f"not measured: {e}", "-", "-", None)
        return
    if not corpus.files:
        why = next(iter(corpus.missing.values()), "no PDF in the corpus")  # the first reason stands for all
        table.add(work, f"not measured: {why}" + ("; --quick never downloads it, a full run does" if quick else ""),
                  "-", "-", None)
        return
    import pikepdf

    from app.evidence import EvidenceRefused, inspect_file

    files = corpus.files[::10] if quick else corpus.files
    accepted: list[tuple[Path, str]] = []
    pages = refused = errors = 0
    for f in files:
        try:
            result = inspect_file(f.path, f.display_name, 200 * MB)
        except EvidenceRefused:
            refused += 1
            continue
        except Exception:  # an internal error (tests/evidence/test_real_corpus.py names the file)
            errors += 1
            continue
        accepted.append((f.path, f.display_name))
        pages += result.pages or 0
    if not pages:
        table.add(work, f"not measured: no accepted page among {len(files)} files", "-", "-", None)
        return
    times, base = [], []
    for _ in range(runs):
        started = time.perf_counter()
        for path, name in accepted:
            inspect_file(path, name, 200 * MB)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for path, _ in accepted:
            with pikepdf.open(path) as pdf:
                len(pdf.pages)
        base.append(time.perf_counter() - started)
    t, b = statistics.median(times), statistics.median(base)
    left_out = f", {refused} refused" + (f", {errors} internal errors" if errors else "")
    if corpus.missing:
        left_out += f"; not available: {', '.join(corpus.missing)}"
    table.add(f"{work}{', every 10th file' if quick else ''}",
              f"{t / pages * 1000:.2f} ms per page ({len(accepted)} files{left_out}; {pages} pages in "
              f"{t:.2f} s{spread(times)})",
              f"pikepdf open + page count {b / pages * 1000:.2f} ms per page", "-", None)


def bundle_size(table: Table) -> None:
    """`make bundle` as a user runs it (installer/build.py: PyInstaller on installer/dti.spec), then the bytes
    of the one-folder application dist/dti/ (files under it, links not followed: what a download or a copy
    carries). The budget is read in decimal megabytes (10^6 bytes), the stricter reading; du's MiB beside it."""
    import importlib.util

    if importlib.util.find_spec("PyInstaller") is None:
        table.add("PyInstaller one-folder bundle (dist/dti)", "not built: PyInstaller is not installed "
                  "(`make bench` installs the bundle extra)", "-", "≤ 150 MB", None)
        return
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "installer" / "build.py")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    spec = importlib.util.spec_from_file_location("dti_installer_build", ROOT / "installer" / "build.py")
    assert spec is not None and spec.loader is not None
    build_script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_script)
    size = build_script.folder_bytes(ROOT / "dist" / "dti")
    table.add("PyInstaller one-folder bundle (dist/dti)", f"{size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)",
              f"built in {seconds:.0f} s", "≤ 150 MB", size / 1e6 <= 150)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{os.cpu_count()} CPUs ({model}), load average {load}, Python {sys.version.split()[0]}"


def refresh_summaries(store: Path) -> None:
    """Stored score summaries written by an earlier version may carry another engine revision or key; an
    installation refreshes them at its next import or appraisal, and `dti rank` alone never does."""
    from app.services import score_cache
    from app.services.workspace import Workspace

    with Workspace(store) as ws:
        score_cache.refresh(ws)


def bring_up_to_date(world_dir: Path) -> None:
    """A world kept with --work by an earlier version: its stores migrated once now, as an installation's are
    after an upgrade, so that no measured run pays for a migration (and its backup)."""
    from app.models.db import HEAD, opened, stored_revision

    for db_file in sorted(world_dir.rglob("dti.sqlite3")):
        if db_file.parent.name != "backups" and stored_revision(db_file) not in (None, HEAD):
            with opened(db_file.parent):
                pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small world, one run each (< 30 s)")
    parser.add_argument("--runs", type=int, default=None, help="runs of each whole-process figure (default 3)")
    parser.add_argument("--work", type=Path, default=None, help="keep the generated world here and reuse it")
    parser.add_argument("--no-gui", action="store_true", help="leave out the GUI start")
    parser.add_argument("--tree", type=Path, default=None,
                        help="measure the app/ of another checkout (e.g. `git archive HEAD app resources` unpacked)")
    parser.add_argument("--only", default=None,
                        help="comma-separated: cli,scoring,packages,rank,province,gui,evidence,bundle")
    args = parser.parse_args(argv)
    global DTI, TREE
    if args.tree is not None:
        TREE = args.tree.resolve()
        DTI = [sys.executable, "-m", "app.cli.main"]
    only = (set(args.only.split(",")) if args.only
            else {"cli", "scoring", "packages", "rank", "province", "gui", "evidence", "bundle"})
    runs = args.runs or (1 if args.quick else 3)
    print(f"machine: {machine()}" + (f"; measuring {TREE}" if TREE else ""), flush=True)
    temp = None
    if args.work is None:
        temp = tempfile.TemporaryDirectory(prefix="dti-bench-")
        work = Path(temp.name)
    else:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    try:
        # bytecode for the measured tree, as an installation has it (a shell with PYTHONDONTWRITEBYTECODE=1
        # would otherwise have every run compile the modules whose .pyc is missing: ~0.6 s per process)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str((TREE or ROOT) / "app")], check=False,
                       stdout=subprocess.DEVNULL, env=dti_env())
        table = Table()
        if "cli" in only:
            cli_start(table, 5 if args.quick else 15)
        if "scoring" in only:
            scoring(table, args.quick)
        shape = (dict(districts=1, communes=3, departments=2, big_scans=3, big_scan_bytes=300_000) if args.quick
                 else dict(districts=10, communes=161, departments=30, big_scans=50, big_scan_bytes=4 * MB))
        world_dir = work / ("world-quick" if args.quick else "world")
        ready = world_dir / ".bench-ready"
        if not ready.exists():
            shutil.rmtree(world_dir, ignore_errors=True)
            print(f"generating the synthetic world: {shape}", flush=True)
            t = time.perf_counter()
            world = build(world_dir, log=print, **shape)
            ready.write_text("ok")
            print(f"  … {time.perf_counter() - t:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in world.timings.items())})",
                  flush=True)
        else:
            from benchmarks.world import World

            world = World(world_dir)
            bring_up_to_date(world_dir)
        if "packages" in only:
            package_rows(table, world, work, runs)
        if "rank" in only:
            rank_process(table, work, 300 if args.quick else 10_000, runs)
        if "province" in only:
            province_rows(table, work, runs)
        if "gui" in only and not (args.no_gui or args.quick):
            gui_start(table, work, runs)
        if "evidence" in only:   # after the process rows: it loads pikepdf into this process
            evidence_corpus(table, runs, args.quick)
        if "bundle" in only and not args.quick and TREE is None:   # --tree measures another app/: no bundle of it
            bundle_size(table)
        print(f"\nmachine: {machine()}")
        table.print()
        print("\nFigures are medians of the runs [min–max]; memory is the peak RSS of the process.")
    finally:
        if temp is not None:
            temp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
