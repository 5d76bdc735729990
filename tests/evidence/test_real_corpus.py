"""`inspect_file` on real-world PDFs (tests/evidence/realworld.py: the sample PDFs of pikepdf's, pypdf's and
pyHanko's sdists), judged against the qpdf command line as an oracle.

Synthetic files only hold the defects we thought of; these 266 files were written by many producers, and
some were broken on purpose by their authors. What qpdf (the command, not the library inside pikepdf) says
of each file decides what `inspect_file` must do:

- qpdf reads it (`--check` exit 0 or 3) and it is not encrypted: accepted, findings allowed; refused as
  incomplete only if it really does not end with %%EOF; refused as having no pages if `--show-pages`
  lists none (or as damaged, when qpdf warned: a page tree lost in a broken object stream);
- it needs a user password (`--requires-password` exit 0), or qpdf cannot decrypt it at all (certificate
  encryption, another security handler: "unsupported encryption filter"): refused, and the refusal says
  it is encrypted;
- it opens without a password but is encrypted (owner password only, exit 3): accepted with `encrypted`;
- qpdf reports errors: refused as damaged, incomplete, encrypted or without pages, or accepted with a
  finding that says something is wrong (`repaired`, `syntax`, or `unchecked...`: a check that failed
  inside the inspection);
- never any exception other than EvidenceRefused, never a crash or a hang.

Every file goes through the inspection in one child process (`python -m tests.evidence.realworld
inspect`), so that a native crash or a hang is reported against its file and the rest still run. The
outcomes are collected once and judged by a few grouped tests, each listing every file it fails on,
grouped by message. Times are reported (files over `SLOW` seconds), never asserted (DESIGN §9).

Where the counts show: the summary test prints them, so `-s` shows them without xdist and `-rP` with it
(`make test` runs xdist); they are also a `record_property` (JUnit XML) and part of every failure message.
Skips, with the reason, when qpdf is missing or the corpus is neither cached nor downloadable.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.evidence import realworld as rw

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 200 * 1024 * 1024  # the size cap must never be the reason
SLOW = 20.0  # seconds for one file: reported as a finding of the test, never asserted
HANG = 300.0  # seconds: the child is killed and the file reported as hanging
QPDF_TIMEOUT = 120.0
FLAGGING = ("repaired", "syntax")  # findings that tell an appraiser a file qpdf calls broken is not sound
# Refusal reasons by a word of the English text, tried in this order.
REASONS = (("encrypted", "encrypted"), ("incomplete", "incomplete"), ("no pages", "no pages"),
           ("damaged", "damaged"))


# ------------------------------------------------------------------------------------------------ oracle

@dataclass(frozen=True)
class Oracle:
    """What the qpdf command says of one file."""

    check: int  # qpdf --check: 0 fine, 3 warnings only, 2 errors
    password: int  # qpdf --requires-password: 0 needs one, 2 not encrypted (or unreadable), 3 encrypted, none needed
    pages: int | None  # pages qpdf --show-pages lists, None when it fails
    said: str  # qpdf's last line on stderr, for reports
    cut_off: bool  # no %%EOF in the last KiB once trailing whitespace and NULs are dropped

    @property
    def kind(self) -> str:
        if self.password == 0:
            return "needs password"
        if "unsupported encryption filter" in self.said:
            return "undecryptable"  # certificate (/Adobe.PubSec) or another security handler
        if self.check in (0, 3):
            if self.pages == 0:
                return "no pages"
            return "readable, encrypted" if self.password == 3 else "readable"
        return "broken"


def _qpdf(*args: str) -> tuple[int, str, str]:
    try:
        done = subprocess.run(["qpdf", *args], capture_output=True, text=True, errors="replace",
                              timeout=QPDF_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return 2, "", f"qpdf {args[0]} timed out after {QPDF_TIMEOUT:.0f} s"
    return done.returncode, done.stdout, done.stderr


def oracle(path: Path) -> Oracle:
    check, _, err = _qpdf("--check", str(path))
    password, _, _ = _qpdf("--requires-password", str(path))
    # --show-pages walks the page tree (--show-npages reads /Count, which a damaged file may lack)
    code, out, _ = _qpdf("--show-pages", str(path))
    pages = len(re.findall(r"^page \d+:", out, re.MULTILINE)) if code in (0, 3) else None
    lines = [line.replace(str(path), path.name) for line in err.strip().splitlines()]
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 64 * 1024))
        tail = handle.read().rstrip(b"\x00\t\n\x0c\r ")
    return Oracle(check, password, pages, lines[-1] if lines else "", b"%%EOF" not in tail[-1024:])


# ------------------------------------------------------------------------------------------- inspection

class Inspector:
    """The child process that inspects one file at a time (see realworld._child); restarted after a crash
    or a hang."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        # the child's stderr, read back after a crash; closed in close()
        self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115

    def _start(self) -> subprocess.Popen[str]:
        self.lines = queue.Queue()
        proc = subprocess.Popen([sys.executable, "-m", "tests.evidence.realworld", "inspect", str(MAX_BYTES)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        lines = self.lines

        def pump() -> None:  # a thread, so that waiting for an answer can time out on every platform
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return proc

    def inspect(self, file: rw.CorpusFile) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(f"{file.path}\t{file.display_name}\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=HANG)
        except queue.Empty:
            self._stop()
            return {"outcome": "hang", "text": f"no answer within {HANG:.0f} s (child killed)", "seconds": HANG}
        except OSError:
            line = None
        if line is None:
            code = self.proc.wait()
            self.proc = None
            return {"outcome": "crash", "text": f"the inspecting process died (exit code {code}): "
                    f"{self._stderr_tail()}", "seconds": 0.0}
        return json.loads(line)

    def _stderr_tail(self) -> str:
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().splitlines() if line.strip()]
        self.errors.seek(0)
        self.errors.truncate()
        return lines[-1][:300] if lines else "nothing on stderr"

    def _stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._stop()
        self.proc = None
        self.errors.close()


@dataclass(frozen=True)
class Outcome:
    file: rw.CorpusFile
    oracle: Oracle
    result: dict[str, Any]  # realworld.inspect_one's answer, or a crash or hang

    @property
    def outcome(self) -> str:
        return self.result["outcome"]

    @property
    def codes(self) -> list[str]:
        return self.result.get("codes", [])

    @property
    def reason(self) -> str:
        text = _without_name(self.result.get("text", ""))  # a name may hold a reason's word ("signed-encrypted.pdf")
        return next((reason for word, reason in REASONS if word in text), "other")

    def shown(self) -> str:
        if self.outcome == "accepted":
            return f"accepted with {', '.join(self.codes) or 'no finding'}"
        return _generic(self.result.get("text", ""))


def _without_name(text: str) -> str:
    return re.sub(r"^“[^”]*”: ", "", text)


def _generic(text: str) -> str:
    """A message without the file's name (“name”: ...) and numbers, so that files group by it."""
    return re.sub(r"\b\d+\b", "N", _without_name(text))


@dataclass
class Run:
    outcomes: list[Outcome]
    corpus: rw.Corpus
    summary: str


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def real_corpus() -> rw.Corpus:
    """The real-world corpus, downloaded on first use (see realworld.py); skips without qpdf or corpus."""
    if shutil.which("qpdf") is None:
        pytest.skip("the qpdf command is not installed (Debian: apt-get install qpdf); it is this test's oracle")
    corpus = rw.load()
    if not corpus.files:
        pytest.skip(f"no real-world PDF corpus: {corpus.describe()}")
    return corpus


@pytest.fixture(scope="module")
def run(real_corpus: rw.Corpus) -> Run:
    files = [f for f in real_corpus.files if rw.is_pdf(f.path)]
    with ThreadPoolExecutor(max_workers=4) as pool:  # qpdf runs beside the inspection
        oracles = pool.map(oracle, [f.path for f in files])
        inspector = Inspector()
        try:
            results = [inspector.inspect(f) for f in files]
        finally:
            inspector.close()
        outcomes = [Outcome(f, o, r) for f, o, r in zip(files, oracles, results, strict=True)]
    return Run(outcomes, real_corpus, summarize(outcomes, real_corpus))


def summarize(outcomes: list[Outcome], corpus: rw.Corpus) -> str:
    counts: Counter[str] = Counter()
    for o in outcomes:
        if o.outcome == "accepted":
            counts["accepted with findings" if o.codes else "accepted without findings"] += 1
        elif o.outcome == "refused":
            counts[f"refused: {o.reason}"] += 1
        else:
            counts[f"internal error ({o.outcome})"] += 1
    kinds = Counter(o.oracle.kind for o in outcomes)
    seconds = [o.result.get("seconds", 0.0) for o in outcomes]
    slowest = max(outcomes, key=lambda o: o.result.get("seconds", 0.0))
    slow = [f"{o.file.label} {o.result['seconds']:.1f} s" for o in outcomes if o.result.get("seconds", 0.0) > SLOW]
    lines = [f"real-world PDF corpus: {len(outcomes)} files ({corpus.describe()}); cache {rw.cache_root()}",
             "  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
             "  qpdf says: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
             f"  inspection time: {sum(seconds):.1f} s in all, slowest {slowest.file.label} "
             f"{slowest.result.get('seconds', 0.0):.2f} s",
             f"  over {SLOW:.0f} s: " + ("; ".join(slow) if slow else "none")]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- tests

def failures(run: Run, kinds: tuple[str, ...], judge: Callable[[Outcome], bool]) -> str:
    """Every file of the oracle `kinds` that `judge` rejects, grouped by what the inspection said."""
    groups: dict[str, list[str]] = defaultdict(list)
    for o in run.outcomes:
        if o.oracle.kind in kinds and o.outcome in ("accepted", "refused") and not judge(o):
            groups[o.shown()].append(f"{o.file.label} (qpdf: {o.oracle.kind}, check exit {o.oracle.check}: {o.oracle.said or 'no message'})")
    if not groups:
        return ""
    total = sum(len(v) for v in groups.values())
    parts = [f"{total} files: {run.summary}"]
    for shown, labels in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        parts.append(f"\n{shown} — {len(labels)}:\n  " + "\n  ".join(labels))
    return "\n".join(parts)


def fail_on(text: str) -> None:
    """Fail with the grouped list alone (no source listing or repr of it around)."""
    if text:
        pytest.fail(text, pytrace=False)


def test_summary(run: Run, record_property: pytest.RecordProperty) -> None:
    """Prints the counts (`-s`, or `-rP` under xdist) and records them for JUnit XML."""
    print("\n" + run.summary)
    record_property("real_corpus_summary", run.summary)
    assert run.outcomes


def test_never_an_internal_error(run: Run) -> None:
    """Whatever the bytes: an Inspection or EvidenceRefused, never another exception, crash or hang."""
    groups: dict[str, list[str]] = defaultdict(list)
    for o in run.outcomes:
        if o.outcome not in ("accepted", "refused"):
            groups[f"{o.outcome}: {_generic(o.result['text'])}"].append(o.file.label)
    details = [f"\n{what} — {len(labels)}:\n  " + "\n  ".join(labels)
               for what, labels in sorted(groups.items(), key=lambda kv: -len(kv[1]))]
    tracebacks = [f"\n{o.file.label}:\n{o.result['traceback']}" for o in run.outcomes if "traceback" in o.result][:3]
    fail_on(run.summary + "".join(details) + "\n\nfirst tracebacks:" + "".join(tracebacks) if groups else "")


def test_files_qpdf_reads_are_accepted(run: Run) -> None:
    def judge(o: Outcome) -> bool:
        if o.oracle.kind == "no pages":
            return o.outcome == "refused" and (o.reason == "no pages" or (o.reason == "damaged" and o.oracle.check == 3))
        if o.outcome == "refused":
            return o.reason == "incomplete" and o.oracle.cut_off
        return o.oracle.kind != "readable, encrypted" or "encrypted" in o.codes

    fail_on(failures(run, ("readable", "readable, encrypted", "no pages"), judge))


def test_encrypted_files_that_cannot_be_read_are_refused_as_encrypted(run: Run) -> None:
    def judge(o: Outcome) -> bool:
        return o.outcome == "refused" and o.reason == "encrypted" and bool(o.result.get("vi"))

    fail_on(failures(run, ("needs password", "undecryptable"), judge))


def test_broken_files_are_refused_or_flagged(run: Run) -> None:
    def judge(o: Outcome) -> bool:
        if o.outcome == "refused":
            return o.reason != "other" and bool(o.result.get("vi"))
        flagged = any(c in FLAGGING or c.startswith("unchecked") for c in o.codes)
        return flagged and (o.oracle.password != 3 or "encrypted" in o.codes)

    fail_on(failures(run, ("broken",), judge))
