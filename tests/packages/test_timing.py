"""A timing print, not an assertion (DESIGN §9: budgets live in the benchmarks): export and verify+import
of 200 MB of random evidence (50 × 4 MB) beside the `zip -0` + `sha256sum` and `sha256sum` + `cp`
baselines. Run with ``-s -p no:xdist`` to see the figures."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packages.test_atomic import ROOT, _keys

SCANS, SCAN_BYTES = 50, 4_000_000


def _timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _child(*args: str) -> tuple[float, dict]:
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "tests.packages.bench_child", *args], cwd=ROOT, capture_output=True, text=True,
                       check=True)
    return time.perf_counter() - started, json.loads(r.stdout)


@pytest.mark.skipif(sys.platform == "win32" or not (shutil.which("zip") and shutil.which("sha256sum")),
                    reason="needs zip and sha256sum")
def test_print_export_and_import_timings(tmp_path, pki):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for _ in range(SCANS):
        data = os.urandom(SCAN_BYTES)
        (evidence / f"{hashlib.sha256(data).hexdigest()}.pdf").write_bytes(data)
    names = sorted(p.name for p in evidence.iterdir())
    keys = _keys(tmp_path, pki.commune)
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(pki.root_pem())
    package = tmp_path / "usb" / "X1.dtipkg"
    package.parent.mkdir()

    zip_s = _timed(["zip", "-q", "-0", str(tmp_path / "baseline.zip"), *names], evidence)
    sha_s = _timed(["sha256sum", *names], evidence)
    export_wall, export = _child("export", str(keys), str(evidence), str(package))
    pkg_sha_s = _timed(["sha256sum", str(package)], tmp_path)
    cp_s = _timed(["cp", str(package), str(tmp_path / "copy.dtipkg")], tmp_path)
    store = tmp_path / "store"
    import_wall, imported = _child("import", str(root_pem), str(package), str(store))

    export_budget = 1.3 * (zip_s + sha_s) + 0.7
    import_budget = 1.3 * (pkg_sha_s + cp_s) + 0.7
    print(f"\nexport 200 MB: {export_wall:.2f} s wall ({export['seconds']:.2f} s in process), peak RSS {export['peak_mb']:.0f} MB;"
          f" baseline zip -0 {zip_s:.2f} s + sha256sum {sha_s:.2f} s; budget {export_budget:.2f} s / 150 MB")
    print(f"verify+import: {import_wall:.2f} s wall ({imported['seconds']:.2f} s in process), peak RSS {imported['peak_mb']:.0f} MB;"
          f" baseline sha256sum {pkg_sha_s:.2f} s + cp {cp_s:.2f} s; budget {import_budget:.2f} s")
    assert sum(1 for _ in store.rglob("*.pdf")) == SCANS
