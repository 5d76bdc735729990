"""Scale figures beyond the budgets (issue 10, deliverable 2): how time and peak memory grow with size.

    nice -n 19 .venv/bin/python benchmarks/scale.py --work /tmp/scale [--runs N] [--only rank,import,big]
                                                    [--keep-big] [--reference /tmp/bw/world] [--quick]

Not run by the test suite, and it makes no assertions about the figures. It builds what it needs with
benchmarks/world.py and measures whole `dti` processes exactly as benchmarks/run.py does (`run`: wall time
and the process's own peak RSS (GNU time, else wait4); `dti_env`; `fresh_copy`; median of the runs [min–max]):

- rank: `dti rank --json` over 1,000 / 3,000 / 10,000 units (`world.rank_store`), warm (stored score
  summaries refreshed) and cold (a copy of the same store after `DELETE FROM score_cache` through sqlite3;
  `dti rank` opens the store read-only, so it stays cold). The warm and cold outputs are compared.
- import: N commune packages imported into one aggregator in one command, N = 1 (the fixed cost), 161 and
  1,000, all taken from one 1,000-commune world (the 161 evenly spaced across its 10 districts), each run
  into a fresh copy of the province; beside `sha256sum` + `cp` of the same bytes. With --reference, also
  the 161 packages of the world `make bench` uses, as a cross-check.
- big: one unit package with 20 MB (5 × 4 MB scans, the fixed cost), 200 MB (50 × 4 MB) and ~2 GB
  (500 × 4 MB) of evidence, each in its own world of the same shape: export, and
  verify + import into a fresh copy of the province; beside `zip -0` + `sha256sum` of the evidence files
  and `sha256sum` + `cp` of the package. The 2 GB world is deleted at the end unless --keep-big.

Sizes of one kind are measured interleaved (run 1 of every size, then run 2, ...) so that a change in the
machine's load falls on all sizes alike; the growth column compares consecutive sizes of one series:
the ratio of the per-unit cost, the exponent k of time ∝ size^k (start-up included), the marginal cost per
added unit and the ratio of peak memory. The verdict (linear / sub-linear / super-linear) compares the
marginal costs of consecutive segments (×0.8–1.25: linear), which cancels the fixed start-up; for the first
segment only k is available (< 0.9 sub-linear, 0.9–1.1 linear, > 1.1 super-linear). The 1-minute load
average is sampled before every run and shown per figure.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import DTI, Run, dti_env, fresh_copy, median_run, run  # noqa: E402
from benchmarks.world import KB, MB, World, build, rank_store, total_bytes  # noqa: E402

GB = 1000 * MB
READY = ".scale-ready"


def load1() -> float:
    return os.getloadavg()[0]


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Row:
    series: str             # rows of one series are compared with each other (growth)
    work: str
    size: str
    n: float                # units, packages or MB: what the per-unit figure divides by
    unit: str               # "unit", "package", "MB"
    runs: list[Run]
    loads: list[float]
    baseline: str = "-"
    note: str = ""
    growth: str = ""

    @property
    def med(self) -> Run:
        return median_run(self.runs)

    def per(self) -> float:
        return self.med.seconds / self.n


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        m = row.med
        print(f"  {row.work}, {row.size}: {m.seconds:.2f} s, {m.peak_mb:.0f} MB, {fmt_per(row)} "
              f"| {row.baseline} | load {fmt_load(row.loads)} {row.note}", flush=True)

    def compute_growth(self) -> None:
        """Against the next smaller size of the same series: size and time ratios, the ratio of the per-unit
        cost and k (time ∝ size^k, start-up included), and the marginal cost of each added unit. With three
        sizes or more, the verdict compares the marginal costs of consecutive segments (start-up cancels
        out): ×0.8–1.25 linear. For the first segment it can only read k, which a fixed start-up drags
        below 1."""
        by_series: dict[str, list[Row]] = {}
        for r in self.rows:
            by_series.setdefault(r.series, []).append(r)
        for rows in by_series.values():
            rows.sort(key=lambda r: r.n)
            previous_marginal = None
            for prev, cur in itertools.pairwise(rows):
                a, b = prev.med, cur.med
                size_x = cur.n / prev.n
                k = math.log(b.seconds / a.seconds) / math.log(size_x)
                marginal = (b.seconds - a.seconds) / (cur.n - prev.n)
                text = (f"vs {prev.size}: size ×{size_x:.1f}, time ×{b.seconds / a.seconds:.2f}, "
                        f"per-{cur.unit} ×{cur.per() / prev.per():.2f}, k={k:.2f}; "
                        f"marginal {fmt_seconds(marginal)}/{cur.unit}")
                if previous_marginal is not None and previous_marginal > 0:
                    m = marginal / previous_marginal
                    kind = "sub-linear" if m < 0.8 else "super-linear" if m > 1.25 else "linear"
                    text += f" (×{m:.2f} the previous segment's: {kind})"
                else:
                    kind = "sub-linear" if k < 0.9 else "super-linear" if k > 1.1 else "linear"
                    text += f" ({kind} by k)"
                cur.growth = text + f"; peak ×{b.peak_mb / a.peak_mb:.2f}"
                previous_marginal = marginal

    def print(self) -> None:
        heads = ("work", "size", "wall time [min–max]", "peak MB", "per unit", "baseline (same runs)", "load 1-min",
                 "growth")
        rows = [heads]
        for r in self.rows:
            m = r.med
            secs = [x.seconds for x in r.runs]
            wall = f"{m.seconds:.2f} s" + (f" [{min(secs):.2f}–{max(secs):.2f}]" if len(secs) > 1 else "")
            rows.append((r.work, r.size, wall, f"{m.peak_mb:.0f}", fmt_per(r), r.baseline, fmt_load(r.loads),
                         r.growth or "-"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(heads))]
        for n, row in enumerate(rows):
            print(" | ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
            if n == 0:
                print("-+-".join("-" * w for w in widths))
        notes = [f"  {r.work}, {r.size}: {r.note}" for r in self.rows if r.note]
        if notes:
            print("\nnotes:")
            print("\n".join(notes))


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.2f} ms" if abs(s) < 1 else f"{s:.2f} s"


def fmt_per(r: Row) -> str:
    return f"{fmt_seconds(r.per())}/{r.unit}"


def fmt_load(loads: list[float]) -> str:
    return f"{min(loads):.2f}–{max(loads):.2f}" if loads else "?"


def sqlite_scalar(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def in_child(*args: str) -> str:
    """Run a setup step (`--setup ...`) in a child process and return what it prints last.

    The harness itself must stay small: on Linux the peak RSS that wait4 reports for a child includes the
    RSS of the parent it was spawned from (exec records the old memory map's high-water mark in the
    child's maxrss, and subprocess spawns through vfork), so a harness that had built a 10,000-unit store
    in process would put a floor of its own size under every peak figure. Setup therefore never runs in
    the measuring process, which imports nothing of app/."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--setup", *args], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, check=False)
    lines = done.stdout.splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    if done.returncode != 0:
        raise RuntimeError(f"setup {' '.join(args)} exited {done.returncode}")
    return lines[-1] if lines else ""


def setup(args: list[str]) -> int:
    kind, path = args[0], Path(args[1])
    if kind == "world":
        ensure_world(path, json.loads(args[2]))
        print("ok")
    elif kind == "rank":
        print(warm_store(path, int(args[2])))
    elif kind == "hits":
        print(stored_hits(path))
    else:
        raise SystemExit(f"unknown setup {kind}")
    return 0


def world_in_child(path: Path, shape: dict) -> World:
    in_child("world", str(path), json.dumps(shape))
    return World(path)


def ensure_world(path: Path, shape: dict) -> World:
    """A world built by benchmarks.world.build, reused when its marker says it has this shape."""
    marker = path / READY
    want = repr(sorted(shape.items()))
    if marker.exists() and marker.read_text() == want:
        return World(path)
    shutil.rmtree(path, ignore_errors=True)
    print(f"building {path}: {shape} (load {load1():.2f})", flush=True)
    t = time.perf_counter()
    world = build(path, log=lambda s: print(s, flush=True), **shape)
    marker.write_text(want)
    print(f"  … {time.perf_counter() - t:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in world.timings.items())})",
          flush=True)
    return world


# ---------------------------------------------------------------------------------------------------- rank

def warm_store(store: Path, units: int) -> int:
    marker = store / READY
    if not marker.exists():
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        made = rank_store(store, units, refresh=True)
        marker.write_text(str(made))
        print(f"  rank store of {made:,} units built in {time.perf_counter() - t:.0f} s", flush=True)
    made = int(marker.read_text())
    # "refreshed": bring the stored summaries up to date with today's engine (a no-op when they are)
    from app.services import score_cache
    from app.services.workspace import Workspace

    with Workspace(store) as ws:
        written = score_cache.refresh(ws)
    if written:
        print(f"  rank-{units}: {written} stored summaries re-written by refresh", flush=True)
    return made


def stored_hits(store: Path) -> str:
    """How many units the ranking would take from the stored summaries (checked in process)."""
    try:
        from app.services import score_cache
        from app.services.aggregate import authority_framework
        from app.services.workspace import Workspace

        with Workspace(store, write=False) as ws:
            fw, sha = authority_framework(ws)
            with ws.store.session() as session:
                units = score_cache._summarise(session, fw, sha)
        return f"{sum(1 for u in units if u.data is None)}/{len(units)} from stored summaries"
    except Exception as e:          # internals may move; the check is informative only
        return f"stored-summary check unavailable ({type(e).__name__})"


def rank_rows(table: Table, work: Path, sizes: list[int], runs: int) -> None:
    stores: dict[int, dict[str, Path]] = {}
    made: dict[int, int] = {}
    for n in sizes:
        warm = work / f"rank-{n}"
        made[n] = int(in_child("rank", str(warm), str(n)))
        cold = work / f"rank-{n}-cold"
        fresh_copy(warm, cold)
        (cold / READY).unlink(missing_ok=True)
        con = sqlite3.connect(cold / "dti.sqlite3")
        con.execute("DELETE FROM score_cache")
        con.commit()
        con.close()
        stores[n] = {"warm": warm, "cold": cold}
    checks = {n: {k: in_child("hits", str(p)) for k, p in s.items()} for n, s in stores.items()}
    results = {(n, k): ([], []) for n in sizes for k in ("warm", "cold")}
    outputs = work / "rank-out"
    outputs.mkdir(exist_ok=True)
    for _ in range(runs):
        for n in sizes:
            for kind in ("warm", "cold"):
                got, loads = results[(n, kind)]
                loads.append(load1())
                with open(outputs / f"{n}-{kind}.json", "wb") as out:
                    got.append(run([*DTI, "--data-dir", str(stores[n][kind]), "rank", "--json"], env=dti_env(),
                                   stdout=out))
    for n in sizes:
        same = (hashlib.sha256((outputs / f"{n}-warm.json").read_bytes()).digest()
                == hashlib.sha256((outputs / f"{n}-cold.json").read_bytes()).digest())
        for kind in ("warm", "cold"):
            got, loads = results[(n, kind)]
            note = checks[n][kind] + ("" if kind == "warm" else
                                      "; output identical to warm" if same else "; OUTPUT DIFFERS FROM WARM")
            table.add(Row(f"rank-{kind}", f"dti rank --json, {kind}", f"{made[n]:,} units", made[n], "unit", got, loads,
                          note=note))


# -------------------------------------------------------------------------------------------------- import

def subset(packages: list[Path], n: int) -> list[Path]:
    """n packages evenly spaced over the sorted list (so spread over every district)."""
    if n >= len(packages):
        return list(packages)
    return [packages[(i * len(packages)) // n] for i in range(n)]


def linked_folder(folder: Path, packages: list[Path]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in packages:
        os.link(p, folder / p.name)
    return folder


def import_series(table: Table, work: Path, series: str, label: str, province: Path,
                  folders: dict[int, Path], runs: int) -> None:
    results = {n: ([], [], [], []) for n in folders}     # runs, loads, sha256sum, cp
    scratch = work / "scratch"
    for _ in range(runs):
        for n, folder in folders.items():
            got, loads, shas, cps = results[n]
            packages = sorted(folder.glob("*.dtipkg"))
            loads.append(load1())
            shas.append(run(["sha256sum", *map(str, packages)]).seconds)
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            cps.append(run(["cp", *map(str, packages), str(scratch)]).seconds)
            shutil.rmtree(scratch)
            target = fresh_copy(province, work / "province-run")
            before = sqlite_scalar(target / "dti.sqlite3", "SELECT count(*) FROM submission")
            got.append(run([*DTI, "--data-dir", str(target), "package", "import", str(folder)], env=dti_env()))
            added = sqlite_scalar(target / "dti.sqlite3", "SELECT count(*) FROM submission") - before
            if added != n:
                raise RuntimeError(f"import of {n} packages added {added} submissions")
    shutil.rmtree(work / "province-run", ignore_errors=True)
    for n, folder in folders.items():
        got, loads, shas, cps = results[n]
        mb = total_bytes(sorted(folder.glob("*.dtipkg"))) / MB
        s, c = statistics.median(shas), statistics.median(cps)
        table.add(Row(series, label, f"{n:,} packages ({mb:.0f} MB)", n, "package", got, loads,
                      baseline=f"sha256sum {s:.2f} s + cp {c:.2f} s (budget rule {1.3 * (s + c) + 0.02 * n:.1f} s)",
                      note=f"{mb / n:.2f} MB per package"))


def import_rows(table: Table, work: Path, sizes: list[int], runs: int, quick: bool, reference: Path | None) -> None:
    biggest = max(sizes)
    shape = (dict(districts=2, communes=biggest, departments=2, big_scans=1, big_scan_bytes=100 * KB) if quick
             else dict(districts=10, communes=biggest, departments=30, big_scans=1, big_scan_bytes=100 * KB))
    world = world_in_child(work / (f"world-{biggest}-quick" if quick else f"world-{biggest}"), shape)
    packages = sorted((world.files / "communes").glob("*.dtipkg"))
    folders = {n: linked_folder(work / f"import-{n}", subset(packages, n)) for n in sorted(sizes)}
    import_series(table, work, "import", "import N commune packages, one command", world.province, folders, runs)
    if reference is not None and (reference / "province").is_dir():
        ref = World(reference)
        communes = ref.files / "communes"
        n = len(list(communes.glob("*.dtipkg")))
        import_series(table, work, "import-ref", f"same, the world of make bench ({reference})", ref.province,
                      {n: communes}, runs)


# ----------------------------------------------------------------------------------------------------- big

def big_rows(table: Table, work: Path, runs: int, quick: bool, keep_big: bool) -> None:
    free = shutil.disk_usage(work).free
    print(f"  free on {work}: {free / GB:.1f} GB", flush=True)
    scans = [(2, 300 * KB), (5, 300 * KB), (50, 300 * KB)] if quick else [(5, 4 * MB), (50, 4 * MB), (500, 4 * MB)]
    need = 5 * scans[-1][0] * scans[-1][1]
    if free < need:
        raise RuntimeError(f"big: {need / GB:.1f} GB free needed, {free / GB:.1f} GB free")
    worlds: dict[str, World] = {}
    for count, size in scans:
        label = f"{count * size / MB:.0f}mb"
        worlds[label] = world_in_child(work / f"world-big-{label}", dict(districts=1, communes=1, departments=30,
                                                                      big_scans=count, big_scan_bytes=size))
    out_dir = work / "big-exported"
    scratch = work / "scratch"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir()
    exports = {k: ([], [], [], []) for k in worlds}   # runs, loads, zip, sha256sum
    try:
        for r in range(runs):
            for label, world in worlds.items():
                got, loads, zips, shas = exports[label]
                files = sorted((world.unit_dir("S-BIG") / "evidence").rglob("*.pdf"))
                shutil.rmtree(scratch, ignore_errors=True)
                scratch.mkdir()
                loads.append(load1())
                zips.append(run(["zip", "-q", "-0", str(scratch / "baseline.zip"), *map(str, files)]).seconds)
                shutil.rmtree(scratch)
                shas.append(run(["sha256sum", *map(str, files)]).seconds)
                target = out_dir / f"S-BIG-{label}-{r}.dtipkg"
                got.append(run([*DTI, "--data-dir", str(world.unit_dir("S-BIG")), "package", "export", "--out",
                                str(target)], env=dti_env()))
                if r > 0:
                    target.unlink()           # keep the first for the import; 2 GB each
        for label, world in worlds.items():
            got, loads, zips, shas = exports[label]
            files = sorted((world.unit_dir("S-BIG") / "evidence").rglob("*.pdf"))
            mb = total_bytes(files) / MB
            z, s = statistics.median(zips), statistics.median(shas)
            table.add(Row("export", "export one unit package", f"{len(files)} scans, {mb:.0f} MB evidence", mb, "MB",
                          got, loads, baseline=f"zip -0 {z:.2f} s + sha256sum {s:.2f} s "
                                               f"({(z + s) / mb * 1000:.2f} ms/MB)"))
        imports = {k: ([], [], [], []) for k in worlds}   # runs, loads, sha256sum, cp
        for _ in range(runs):
            for label, world in worlds.items():
                got, loads, shas, cps = imports[label]
                package = out_dir / f"S-BIG-{label}-0.dtipkg"
                loads.append(load1())
                shas.append(run(["sha256sum", str(package)]).seconds)
                shutil.rmtree(scratch, ignore_errors=True)
                scratch.mkdir()
                cps.append(run(["cp", str(package), str(scratch / "copy.dtipkg")]).seconds)
                shutil.rmtree(scratch)
                target = fresh_copy(world.province, work / "province-run")
                before = sqlite_scalar(target / "dti.sqlite3", "SELECT count(*) FROM submission")
                got.append(run([*DTI, "--data-dir", str(target), "package", "import", str(package)], env=dti_env()))
                if sqlite_scalar(target / "dti.sqlite3", "SELECT count(*) FROM submission") != before + 1:
                    raise RuntimeError(f"import of {package.name} added no submission")
                shutil.rmtree(target)
        for label in worlds:
            got, loads, shas, cps = imports[label]
            package = out_dir / f"S-BIG-{label}-0.dtipkg"
            mb = package.stat().st_size / MB
            s, c = statistics.median(shas), statistics.median(cps)
            table.add(Row("import-big", "verify + import that package", f"package {mb:.0f} MB", mb, "MB", got, loads,
                          baseline=f"sha256sum {s:.2f} s + cp {c:.2f} s ({(s + c) / mb * 1000:.2f} ms/MB)"))
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(work / "province-run", ignore_errors=True)
        if not keep_big:
            label = list(worlds)[-1] if worlds else None
            if label is not None:
                shutil.rmtree(work / f"world-big-{label}", ignore_errors=True)
                print(f"  removed {work / f'world-big-{label}'} (--keep-big keeps it)", flush=True)


# ---------------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--setup"]:
        return setup(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/scale"), help="generated data, kept and reused")
    parser.add_argument("--runs", type=int, default=3, help="runs of each whole-process figure (median shown)")
    parser.add_argument("--only", default="rank,import,big", help="comma-separated: rank,import,big")
    parser.add_argument("--rank-sizes", default=None, help="default 1000,3000,10000")
    parser.add_argument("--import-sizes", default=None, help="default 1,161,1000 (1: the fixed cost)")
    parser.add_argument("--reference", type=Path, default=None,
                        help="also import the 161 packages of this `make bench` world (e.g. /tmp/bw/world); read only")
    parser.add_argument("--keep-big", action="store_true", help="keep the ~2 GB world at the end")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the script itself")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    work = args.work.resolve()
    if args.quick:
        work = work / "quick"
    work.mkdir(parents=True, exist_ok=True)
    rank_sizes = [int(x) for x in (args.rank_sizes or ("100,300" if args.quick else "1000,3000,10000")).split(",")]
    import_sizes = [int(x) for x in (args.import_sizes or ("1,5,12" if args.quick else "1,161,1000")).split(",")]

    print(f"start: {uptime()}; niceness {os.nice(0)}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}",
          flush=True)
    print(f"free: {shutil.disk_usage(work).free / GB:.1f} GB on {work}", flush=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], check=False,
                   stdout=subprocess.DEVNULL, env=dti_env())
    table = Table()
    t0 = time.perf_counter()
    if "rank" in only:
        print("rank:", flush=True)
        rank_rows(table, work, rank_sizes, args.runs)
    if "import" in only:
        print("import:", flush=True)
        import_rows(table, work, import_sizes, args.runs, args.quick, args.reference)
    if "big" in only:
        print("big:", flush=True)
        big_rows(table, work, args.runs, args.quick, args.keep_big)
    table.compute_growth()
    import resource

    harness = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nend: {uptime()}; {time.perf_counter() - t0:.0f} s in all; the harness's own peak RSS "
          f"{harness:.0f} MB (a floor under every peak figure, see in_child)\n")
    table.print()
    print(f"\nWall time: median of {args.runs} runs [min–max], each a whole `dti` process (run at the niceness "
          "of this script); peak MB: the largest peak RSS of those runs (GNU time, else wait4). Load: the 1-minute load average "
          "before each run. The machine is shared, so absolute seconds are noisy; the growth ratios between sizes "
          "measured interleaved in the same runs are the figures to read. k: time ∝ size^k between the two sizes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
