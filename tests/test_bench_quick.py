"""Keeps the benchmark harness alive: `benchmarks/run.py --quick` runs end to end on a small synthetic
world. No timing assertions (DESIGN §9: budgets are read from `make bench`, not asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(sys.platform == "win32", reason="the harness uses zip, sha256sum, cp and os.wait4")
def test_quick_benchmark_runs(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--work", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    table = r.stdout.split("work ", 1)[-1]
    for row in ("dti --version", "re-score", "export a package", "verify and import that package",
                "commune packages", "dti rank --json"):
        assert row in table, r.stdout[-3000:]
