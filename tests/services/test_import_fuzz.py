"""Fuzzing `import_paths` of a real installation: arbitrary bytes and mutations of real packages and bundles
(byte flips, truncations, inserted and appended junk), watched by a `sys.addaudithook` hook for the duration
of the call. For every input:

(a) only `Outcome` objects come back: no exception escapes, whatever the bytes;
(b) no file is opened for writing (nor renamed, removed, created, chmod-ed) outside the data directory and
    the pytest temp folder, and no file is opened at all outside those, the virtual environment and the
    Python standard library (and the application's own modules, .py/.pyc, should a lazy import happen
    during the call: they are in site-packages in an installed copy, in the checkout in this editable one);
(c) a refused input leaves the store exactly as it was (rows, audit count, received/ and evidence/).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app
from tests.services.chainkit import Chain, build_chain, snapshot

_RECORDING: list[tuple[str, tuple, tuple[str, ...]]] | None = None
# event -> positions of (path, dir_fd) pairs among its arguments (dir_fd None: always relative to the cwd)
_PATHS: dict[str, tuple[tuple[int, int | None], ...]] = {
    "open": ((0, None),), "os.remove": ((0, 1),), "os.rmdir": ((0, 1),), "os.mkdir": ((0, 2),), "os.chmod": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)), "os.link": ((0, 2), (1, 3)), "os.symlink": ((1, 2),), "os.truncate": ((0, None),),
    "shutil.rmtree": ((0, 1),), "shutil.copyfile": ((0, None), (1, None)), "shutil.move": ((0, None), (1, None)),
    "sqlite3.connect": ((0, None),),
}


def _resolve(args: tuple, at: int, dir_fd_at: int | None) -> str | None:
    """The absolute path an event names; a path relative to a dir_fd is resolved through /proc now, while
    the descriptor is open (shutil.rmtree removes a folder's files by name relative to the folder)."""
    if at >= len(args) or isinstance(args[at], int) or args[at] is None:
        return None
    path = os.fsdecode(args[at])
    dir_fd = args[dir_fd_at] if dir_fd_at is not None and dir_fd_at < len(args) else None
    if not os.path.isabs(path) and isinstance(dir_fd, int):
        path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
    return os.path.abspath(path)


def _hook(event: str, args: tuple) -> None:
    record = _RECORDING
    if record is not None and event in _PATHS:
        paths = tuple(p for at, fd in _PATHS[event] if (p := _resolve(args, at, fd)) is not None)
        record.append((event, args, paths))


_INSTALLED: list[bool] = []


def _install() -> None:
    if not _INSTALLED:          # audit hooks cannot be removed: one per process, recording only when asked
        sys.addaudithook(_hook)
        _INSTALLED.append(True)


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _is_write(mode, flags) -> bool:
    if isinstance(mode, str):
        return bool(set(mode) & set("wax+"))
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class Target:
    """An installation to import into, its pristine copy, and the roots the audit hook allows."""

    def __init__(self, data: Path, pristine: Path, basetemp: Path):
        self.data, self.pristine = data, pristine
        real = os.path.realpath
        self.writable = tuple({real(data), real(basetemp)})
        code = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
                *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib"))}
        # and the system's time zone database (read by date parsing in the PDF and certificate libraries)
        import zoneinfo

        self.readable = tuple({*self.writable, *(real(p) for p in code), *(real(p) for p in zoneinfo.TZPATH)})
        # the application's own modules (site-packages in an installed copy; the checkout in this editable one)
        self.code = real(Path(app.__file__).parent)
        self.counter = itertools.count()
        self.accepted = 0
        self.events: list[tuple[str, tuple, tuple[str, ...]]] = []
        self.reasons: list[str] = []

    def restore(self) -> None:
        shutil.rmtree(self.data)
        shutil.copytree(self.pristine, self.data)

    def check(self, data: bytes, name: str) -> None:
        from app.services.package_import import Outcome, import_paths
        from app.services.workspace import Workspace

        global _RECORDING
        folder = self.data.parent / "inputs" / str(next(self.counter))
        folder.mkdir(parents=True)
        file = folder / name
        file.write_bytes(data)
        before = snapshot(self.data)
        events: list[tuple[str, tuple]] = []
        with Workspace(self.data, lang="en") as ws:
            _RECORDING = events
            try:
                outcomes = import_paths(ws, [file])      # (a): any exception fails the test here
            finally:
                _RECORDING = None
        assert outcomes and all(isinstance(o, Outcome) for o in outcomes), outcomes
        for o in outcomes:
            assert o.status in ("refused", "alarm", "imported", "unchanged"), o
            if o.status in ("refused", "alarm"):
                assert o.reason_en and "\n" not in o.reason_en and o.reason_vi, o
                assert not o.reason_en.startswith("internal error"), o
        self.events = events
        self.reasons += [o.reason_en.split(": ", 1)[-1][:60] for o in outcomes if o.reason_en]
        self._check_events(events, folder)
        if all(o.status in ("refused", "alarm") for o in outcomes):
            assert snapshot(self.data) == before, outcomes      # (c)
        else:                                                    # an authentic package survived the mutation
            self.accepted += 1
            self.restore()
        shutil.rmtree(folder)

    def _check_events(self, events: list[tuple[str, tuple, tuple[str, ...]]], folder: Path) -> None:
        real = os.path.realpath
        for event, args, paths in events:
            for path in map(real, paths):
                if event == "sqlite3.connect":
                    assert _under(path, (real(self.data),)), f"a database outside the data dir: {path}"
                elif event != "open" or _is_write(args[1], args[2]):
                    assert _under(path, self.writable), f"{event} {args[1:]!r} outside the data dir: {path}"
                elif not (_under(path, (self.code,)) and path.endswith((".py", ".pyc"))):
                    assert _under(path, self.readable), f"opened outside the allowed places: {path}"


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def bundle(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """District H1's bundle of X1 and X2 (the district imports them, then exports the bundle)."""
    work = tmp_path_factory.mktemp("fuzz-bundle")
    h1 = ch.copy("H1", work / "H1")
    assert ch.run(h1, "package", "import", ch.pkg("X1-r1"), ch.pkg("X2-r1")) == 0
    assert ch.run(h1, "bundle", "export", "--out", work / "H1.dtibundle") == 0
    return work / "H1.dtibundle"


def _target(ch: Chain, tmp_path_factory: pytest.TempPathFactory, name: str, warm: list[Path]) -> Target:
    from app.services.package_import import import_paths
    from app.services.workspace import Workspace

    work = tmp_path_factory.mktemp(f"fuzz-{name}")
    pristine = ch.copy(name, work / "pristine")
    # warm up: every lazy import of the import path happens here, before the hook records anything
    warmup = shutil.copytree(pristine, work / "warmup")
    junk = [work / "junk.dtipkg", work / "junk.dtibundle", work / "junk.dtipkg.001-of-002"]
    for path in junk:
        path.write_bytes(b"PK\x05\x06" + bytes(18))
    with Workspace(warmup, lang="en") as ws:
        import_paths(ws, [*warm, *junk])
    _install()
    return Target(shutil.copytree(pristine, work / "data"), pristine, tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def district(ch, tmp_path_factory) -> Target:
    return _target(ch, tmp_path_factory, "H1", [ch.pkg("X1-r1"), ch.pkg("X1-r2")])


@pytest.fixture(scope="module")
def province(ch, tmp_path_factory, bundle) -> Target:
    return _target(ch, tmp_path_factory, "prov", [bundle, ch.pkg("H1-r1")])


NAMES = st.sampled_from(["fuzz.dtipkg", "fuzz.dtibundle", "fuzz.dtipkg.001-of-002", "fuzz.dtipkg.002-of-002"])
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


def examples(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=_HEALTH)


def mutations(original: bytes) -> st.SearchStrategy[bytes]:
    n = len(original)
    position = st.one_of(st.integers(0, n - 1), st.integers(max(0, n - 4096), n - 1), st.integers(0, min(n - 1, 512)))

    def flip(changes: list[tuple[int, int]]) -> bytes:
        data = bytearray(original)
        for at, xor in changes:
            data[at] ^= xor
        return bytes(data)

    return st.one_of(
        st.lists(st.tuples(position, st.integers(1, 255)), min_size=1, max_size=4).map(flip),
        st.integers(0, n - 1).map(lambda cut: original[:cut]),
        st.binary(min_size=1, max_size=64).map(lambda junk: original + junk),
        st.tuples(position, st.binary(min_size=1, max_size=16)).map(lambda t: original[:t[0]] + t[1] + original[t[0]:]),
        st.tuples(position, st.integers(1, 64)).map(lambda t: original[:t[0]] + original[t[0] + t[1]:]),
    )


@examples(40)
@given(data=st.one_of(st.binary(max_size=4096), st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=64).map(lambda b: b + b"PK\x05\x06" + bytes(18))), name=NAMES)
def test_arbitrary_bytes_at_a_district(district, data, name):
    district.check(data, name)


@examples(60)
@given(data=st.data())
def test_mutated_packages_at_a_district(ch, district, data):
    original = ch.pkg(data.draw(st.sampled_from(["X1-r1", "X2-r1", "X3-r1"]))).read_bytes()
    district.check(data.draw(mutations(original)), data.draw(st.sampled_from(["fuzz.dtipkg", "fuzz.dtipkg.001-of-001"])))


@examples(40)
@given(data=st.data())
def test_mutated_bundles_at_a_province(bundle, province, data):
    province.check(data.draw(mutations(bundle.read_bytes())), "fuzz.dtibundle")


def test_unmutated_inputs_are_accepted_by_the_same_harness(ch, district, province, bundle):
    """The harness itself: the real package and bundle go through it and are imported (then restored)."""
    before = district.accepted, province.accepted
    district.check(ch.pkg("X1-r1").read_bytes(), "X1-r1.dtipkg")
    province.check(bundle.read_bytes(), "H1.dtibundle")
    assert (district.accepted, province.accepted) == (before[0] + 1, before[1] + 1)
    # the hook saw the import: the archive written under received/, the store opened
    written = [paths for event, args, paths in province.events if event == "open" and _is_write(args[1], args[2])]
    assert any("/received/" in p for paths in written for p in paths), province.events
    assert any(event == "sqlite3.connect" for event, _a, _p in province.events)


def test_the_checker_catches_writes_and_reads_elsewhere(district):
    with pytest.raises(AssertionError, match="outside the data dir"):
        district._check_events([("open", ("/etc/x", "wb", 0), ("/etc/x",))], Path())
    with pytest.raises(AssertionError, match="outside the data dir"):
        district._check_events([("os.rename", ("a", "/etc/b", None, None), (str(district.data / "a"), "/etc/b"))], Path())
    with pytest.raises(AssertionError, match="outside the allowed places"):
        district._check_events([("open", ("/etc/passwd", "r", 0), ("/etc/passwd",))], Path())
    secret = str(Path(app.__file__).parent.parent / "pyproject.toml")
    with pytest.raises(AssertionError, match="outside the allowed places"):
        district._check_events([("open", (secret, "r", 0), (secret,))], Path())
    district._check_events([("open", (str(district.data / "x"), "wb", 0), (str(district.data / "x"),))], Path())


# -- JSON entries changed and signed again (issue 16): what a sender holding its own key can send ----------------

@examples(60)
@given(data=st.data())
def test_json_entries_changed_and_signed_again_at_a_district(ch, district, data, tmp_path_factory):
    """Any value in any place of the manifest or a data entry, the package signed again with the unit's own key:
    a refusal or an import, never an internal error, the store unchanged when refused."""
    from tests.services.chainkit import read_package, repack, signer_of
    from tests.services.hostile import mutated

    source = ch.pkg(data.draw(st.sampled_from(["X1-r1", "X1-r2"])))
    manifest, entries = read_package(source)
    entry = data.draw(st.sampled_from(["manifest", *sorted(n for n in entries if n.startswith("data/"))]))
    document = manifest if entry == "manifest" else json.loads(entries[entry])
    changed = data.draw(mutated(document, keep=("format",) if entry == "manifest" else ()))
    out = tmp_path_factory.mktemp("json-fuzz") / "fuzz.dtipkg"
    try:
        if entry == "manifest":
            if not isinstance(changed, dict):
                return   # the writer itself refuses to sign a manifest that is not an object
            repack(source, out, signer_of(ch.data("X1")), manifest=lambda m: (m.clear(), m.update(changed)))
        else:
            text = json.dumps(changed, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
            repack(source, out, signer_of(ch.data("X1")), entries={entry: text})
    except (ValueError, TypeError):
        return           # not signable (a lone surrogate in the manifest, a non-text key): no file to send
    district.check(out.read_bytes(), "fuzz.dtipkg")
