"""A real-world PDF corpus: the sample PDFs that PDF libraries ship in their source distributions on PyPI.

Synthetic files (`corpus.py`) only hold the defects we thought of; these hold what producers, editors and
fuzzers actually wrote, including files their authors broke on purpose. Each sdist is pinned by version
and SHA-256 (PyPI never changes a published file, so a mismatch is an error, not a new release), fetched
once with urllib and cached with only its PDFs under
`${XDG_CACHE_HOME:-~/.cache}/dti-tests/pdf-corpus/<package>-<version>/`. Nothing of it is ever committed:
the licences differ from ours.

pdfminer.six and borb were looked at too: their sdists carry no sample PDF.

The cache is written so that an interrupted run or parallel pytest-xdist workers never leave a partial
corpus: the download goes to a temporary file, the PDFs to a temporary folder renamed into place only when
complete (a finished folder always holds its `SOURCE` marker), under a lock file where the platform has
`fcntl`; a worker that loses the race drops its copy.

`python -m tests.evidence.realworld inspect` is the child process `test_real_corpus.py` runs the inspection
in: paths on stdin, one JSON line per file on stdout, so that a crash or a hang in a native library is
reported against its file instead of taking the test session down.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HEAD = 1024  # a PDF header may sit anywhere in the first KiB, as readers allow
MARKER = "SOURCE"  # written last inside the folder before it is renamed into place
# Text files that may quote "%PDF-" in their first KiB (pdfminer.six's fuzzing helper does) are not PDFs.
_TEXT_SUFFIXES = frozenset({".py", ".pyi", ".pyx", ".txt", ".md", ".rst", ".c", ".cc", ".cpp", ".h", ".hpp",
                            ".toml", ".cfg", ".ini", ".json", ".yaml", ".yml", ".html", ".xml", ".ipynb"})


@dataclass(frozen=True)
class Sdist:
    package: str
    version: str
    url: str  # on files.pythonhosted.org, as PyPI's JSON API gives it
    sha256: str

    @property
    def key(self) -> str:
        return f"{self.package}-{self.version}"


SDISTS: tuple[Sdist, ...] = (
    # tests/resources (with pdfa/ and fuzz/) and fuzzing/corpus: 62 PDFs, 8.4 MB
    Sdist("pikepdf", "10.18.0",
          "https://files.pythonhosted.org/packages/2e/5c/db56403f493bae2e35a0d5d2c9ad358b011f142b760282698a9f2732941e/"
          "pikepdf-10.18.0.tar.gz",
          "cb555ebff93482e8a6eb55881488b469bbb2b5675161c1b93a0510a8642d98d0"),
    # resources/ (with encryption/): 72 PDFs, 15 MB
    Sdist("pypdf", "7.1.1",
          "https://files.pythonhosted.org/packages/96/5f/f41984a8150ec37c6ee50fa6fa1868d065337b65ba510a155848b2ce0b62/"
          "pypdf-7.1.1.tar.gz",
          "2eff4e2fc5fb22a6d6711e6f1166cdc9ab5765d90cd0d77dfea3f4aa91a27b1d"),
    # pyhanko_testing_commons/test_data/data/pdf: 132 PDFs (signed, certificate-encrypted, anomalies), 1.3 MB
    Sdist("pyHanko", "0.38.0",
          "https://files.pythonhosted.org/packages/5a/99/2696181dabe7f71fea9e395d7eefcddb762b21675c34c8f4efa2954da0ce/"
          "pyhanko-0.38.0.tar.gz",
          "267d6d3fa460b0f0e9c5362a2d7979dccbe1e6b1f8d89ba0818dd0c45b5f300e"),
)


class CorpusUnavailable(Exception):
    """The sdist is not cached and cannot be downloaded (no network, a proxy refusing, ...)."""


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    package: str  # "pikepdf-10.18.0"
    relative: str  # the file's path inside the sdist, without its top folder

    @property
    def label(self) -> str:
        """How reports name the file: `pikepdf-10.18.0/tests/resources/graph.pdf`."""
        return f"{self.package}/{self.relative}"

    @property
    def display_name(self) -> str:
        """The name given to `inspect_file`: the file's own, with .pdf added when it has another extension."""
        name = self.path.name
        return name if name.lower().endswith(".pdf") else name + ".pdf"


@dataclass
class Corpus:
    files: list[CorpusFile] = field(default_factory=list)
    packages: dict[str, int] = field(default_factory=dict)  # "pikepdf-10.18.0" -> number of PDFs
    missing: dict[str, str] = field(default_factory=dict)  # "pikepdf-10.18.0" -> why it is not here

    def describe(self) -> str:
        parts = [f"{key}: {n} PDFs" for key, n in self.packages.items()]
        parts += [f"{key}: not available ({why})" for key, why in self.missing.items()]
        return "; ".join(parts)


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dti-tests" / "pdf-corpus"


def load(download: bool = True, timeout: float = 60.0) -> Corpus:
    """Every pinned sdist's PDFs, fetching what is not cached unless `download` is false. An sdist that
    cannot be had is listed in `missing`; a hash mismatch raises (the pin or the download is wrong)."""
    corpus = Corpus()
    for sdist in SDISTS:
        try:
            folder = ensure(sdist, download=download, timeout=timeout)
        except CorpusUnavailable as e:
            corpus.missing[sdist.key] = str(e)
            download = False  # one failed download is enough: the others would wait for their time-out too
            continue
        found = [CorpusFile(p, sdist.key, p.relative_to(folder).as_posix()) for p in sorted(folder.rglob("*"))
                 if p.is_file() and p.name != MARKER]
        corpus.files += found
        corpus.packages[sdist.key] = len(found)
    return corpus


def ensure(sdist: Sdist, download: bool = True, timeout: float = 60.0) -> Path:
    """The cached folder of `sdist`'s PDFs, made now if missing. Raises CorpusUnavailable."""
    root = cache_root()
    final = root / sdist.key
    if _complete(final, sdist):
        return final
    if not download:
        raise CorpusUnavailable(f"not cached in {root}, not downloaded")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CorpusUnavailable(f"cannot create the cache folder {root}: {e}") from None
    with _locked(root / f".{sdist.key}.lock") as exclusive:
        if _complete(final, sdist):  # another worker made it while we waited
            return final
        if exclusive:  # what a killed run left (no live process writes these while we hold the lock)
            for leftover in root.glob(f".{sdist.key}-*"):
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        archive = _download(sdist, root, timeout)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{sdist.key}-", dir=root))
            try:
                _extract_pdfs(archive, staging)
                (staging / MARKER).write_text(f"{sdist.url}\nsha256 {sdist.sha256}\n", encoding="ascii")
                if final.exists():  # a leftover without its marker (made by hand or an older layout)
                    shutil.rmtree(final)
                try:
                    staging.rename(final)
                except OSError:
                    if not _complete(final, sdist):  # only a finished copy from another process is fine
                        raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            archive.unlink(missing_ok=True)
    return final


def _complete(folder: Path, sdist: Sdist) -> bool:
    try:
        return sdist.sha256 in (folder / MARKER).read_text(encoding="ascii")
    except OSError:
        return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """An exclusive lock across processes where `fcntl` exists (yields True); elsewhere (False) the rename
    alone keeps the cache whole, and two processes may both download."""
    try:
        import fcntl
    except ImportError:
        yield False
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _download(sdist: Sdist, root: Path, timeout: float) -> Path:
    """The sdist in a temporary file under `root`, its SHA-256 checked."""
    digest = hashlib.sha256()
    path: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(prefix=f".{sdist.key}-", suffix=".tar.gz", dir=root, delete=False) as handle:
            path = Path(handle.name)
            try:
                request = urllib.request.Request(sdist.url, headers={"User-Agent": "dti-tests (pdf corpus)"})
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    while chunk := response.read(1024 * 1024):
                        digest.update(chunk)
                        handle.write(chunk)
            except (urllib.error.URLError, OSError) as e:  # URLError covers HTTP errors; OSError timeouts
                name = sdist.url.rsplit("/", 1)[-1]
                raise CorpusUnavailable(f"cannot download {name}: {getattr(e, 'reason', e)}") from None
        if digest.hexdigest() != sdist.sha256:
            raise RuntimeError(f"{sdist.url}: SHA-256 {digest.hexdigest()}, expected {sdist.sha256}")
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    return path


def _extract_pdfs(archive: Path, target: Path) -> None:
    """Only the regular files whose first KiB holds a PDF header, under their path without the sdist's
    top folder; members with an absolute path or `..` are skipped."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if not member.isfile() or member.size == 0:
                continue
            parts = PurePosixPath(member.name).parts[1:]
            if not parts or ".." in parts or PurePosixPath(member.name).is_absolute():
                continue
            if PurePosixPath(parts[-1]).suffix.lower() in _TEXT_SUFFIXES:
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            with source:
                head = source.read(HEAD)
                if b"%PDF-" not in head:
                    continue
                out = target.joinpath(*parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                with open(out, "wb") as handle:
                    handle.write(head)
                    shutil.copyfileobj(source, handle)


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return b"%PDF-" in handle.read(HEAD)


# ------------------------------------------------------------------------------------- inspection child

def inspect_one(path: Path, display_name: str, max_bytes: int) -> dict:
    """One file through `inspect_file`: accepted (with its finding codes), refused (with both texts) or an
    internal error (any other exception, with its traceback); the time it took either way."""
    from app.evidence import EvidenceRefused, inspect_file

    started = time.perf_counter()
    try:
        result = inspect_file(path, display_name, max_bytes)
    except EvidenceRefused as e:
        return {"outcome": "refused", "text": str(e), "vi": getattr(e, "message_vi", ""),
                "seconds": time.perf_counter() - started}
    except Exception as e:
        return {"outcome": "error", "text": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc(),
                "seconds": time.perf_counter() - started}
    return {"outcome": "accepted", "codes": list(result.codes), "pages": result.pages,
            "encrypted": result.encrypted, "findings": [p.en for p in result.problems],
            "seconds": time.perf_counter() - started}


def _child(max_bytes: int) -> int:
    """Read `path<TAB>display name` lines, answer each with a JSON line (flushed, so the parent knows which
    file was being inspected if this process dies)."""
    for line in sys.stdin:
        path, _, name = line.rstrip("\n").partition("\t")
        answer = inspect_one(Path(path), name, max_bytes)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "inspect":
        sys.exit(_child(int(sys.argv[2]) if len(sys.argv) > 2 else 200 * 1024 * 1024))
    corpus = load()
    print(corpus.describe())
    print(cache_root())
