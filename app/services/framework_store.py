"""The installation's frameworks: the bundled ones and those imported from files.

Imported frameworks are kept as their canonical bytes, content-addressed:
`<data>/frameworks/<id>/<sha256>.dti.json`, plus `<id>/current` naming the version an id refers to.
Older versions stay, because packages name the exact version (id + hash) a unit scored against.
Nothing is written until a file has passed validation, and every write is atomic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.atomicfile import write_bytes
from app.errors import UserError
from app.frameworks.canonical import canonical_bytes
from app.frameworks.loader import Loaded, load_bytes, load_file
from app.frameworks.schema import ID_PATTERN, FrameworkInvalid, Problem
from app.paths import resource_dir

HASH_LEN = 64


@dataclass(frozen=True)
class FrameworkEntry:
    id: str
    title: str
    sha256: str
    year: int
    source: str        # "bundled" | "imported"
    groups: tuple[str, ...]
    reconstructed: bool


@dataclass(frozen=True)
class ImportOutcome:
    loaded: Loaded
    new: bool          # False when exactly this version was already stored


class FrameworkStore:
    def __init__(self, data_dir: Path, bundled_dir: Path | None = None):
        self.root = Path(data_dir) / "frameworks"
        self.bundled_dir = bundled_dir if bundled_dir is not None else resource_dir() / "frameworks"
        # Versions are read once per store object: a stored version is named by its SHA-256 and checked
        # against it when read, and the bundled files ship with the program, so neither changes under it.
        # (A command asked for the same version three times, ~40 ms each: the round lock, the content
        # checks, the score refresh.) Which version is current is read from disk every time.
        self._versions: dict[tuple[str, str], Loaded] = {}
        self._bundled_loaded: dict[str, Loaded] | None = None

    # -- reading -------------------------------------------------------------------------------------
    def _bundled(self) -> dict[str, Loaded]:
        if self._bundled_loaded is None:
            out: dict[str, Loaded] = {}
            for path in sorted(self.bundled_dir.glob("*.dti.yaml")):
                loaded = load_file(path)  # a broken bundled file is a build error: let it raise
                out[loaded.framework.id] = loaded
            self._bundled_loaded = out
        return dict(self._bundled_loaded)

    def _current_sha(self, fid: str) -> str | None:
        pointer = self.root / fid / "current"
        try:
            sha = pointer.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return sha if len(sha) == HASH_LEN and (self.root / fid / f"{sha}.dti.json").is_file() else None

    def _load_stored(self, fid: str, sha: str) -> Loaded:
        known = self._versions.get((fid, sha))
        if known is not None:
            return known
        path = self.root / fid / f"{sha}.dti.json"
        loaded = load_file(path)
        if loaded.sha256 != sha or loaded.framework.id != fid:
            raise UserError(f"stored framework {fid} ({sha[:12]}) is damaged: its content does not match its name",
                            f"Bộ chỉ số {fid} ({sha[:12]}) lưu trong máy bị hỏng: nội dung không khớp tên tệp")
        self._versions[(fid, sha)] = loaded
        return loaded

    def imported_ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and self._current_sha(p.name))

    def list(self) -> list[FrameworkEntry]:
        """One entry per id: the imported current version where there is one, else the bundled one."""
        entries: dict[str, FrameworkEntry] = {}
        for fid, loaded in self._bundled().items():
            entries[fid] = _entry(loaded, "bundled")
        for fid in self.imported_ids():
            entries[fid] = _entry(self._load_stored(fid, self._current_sha(fid) or ""), "imported")
        return [entries[k] for k in sorted(entries)]

    def get(self, ref: str) -> Loaded:
        """A framework by `id`, or a precise version by `id@sha256-prefix`."""
        fid, _, prefix = ref.partition("@")
        if prefix:
            return self._version(fid, prefix)
        sha = self._current_sha(fid)
        if sha:
            return self._load_stored(fid, sha)
        bundled = self._bundled()
        if fid in bundled:
            return bundled[fid]
        known = ", ".join(e.id for e in self.list()) or "none"
        raise UserError(f"unknown framework '{fid}' (known: {known})",
                        f"Không có bộ chỉ số '{fid}' (hiện có: {known})")

    def _version(self, fid: str, prefix: str) -> Loaded:
        matches = sorted((self.root / fid).glob(f"{prefix}*.dti.json")) if ID_PATTERN.match(fid) else []
        if len(matches) == 1:
            return self._load_stored(fid, matches[0].name[:HASH_LEN])
        bundled = self._bundled().get(fid)
        if bundled is not None and bundled.sha256.startswith(prefix) and not matches:
            return bundled
        reason = "is ambiguous" if matches else "is not known"
        raise UserError(f"framework version {fid}@{prefix} {reason}",
                        f"Phiên bản bộ chỉ số {fid}@{prefix} không xác định")

    # -- writing -------------------------------------------------------------------------------------
    def import_file(self, path: Path) -> ImportOutcome:
        """Validate, then store the canonical bytes and make this version current. All or nothing."""
        loaded = load_file(Path(path))
        return self._store(loaded)

    def import_bytes(self, raw: bytes, source: str) -> ImportOutcome:
        return self._store(load_bytes(raw, source))

    def _store(self, loaded: Loaded, make_current: bool = True) -> ImportOutcome:
        fid = loaded.framework.id
        if not ID_PATTERN.match(fid):  # already checked by the schema; the id becomes a folder name
            raise FrameworkInvalid("", [Problem("id", f"'{fid}' is not a valid id", f"'{fid}' không phải mã hợp lệ")])
        target = self.root / fid / f"{loaded.sha256}.dti.json"
        new = not target.is_file()
        if new:
            write_bytes(target, canonical_bytes(loaded.framework))
        if make_current:
            write_bytes(self.root / fid / "current", loaded.sha256.encode("ascii"))
        return ImportOutcome(loaded, new)

    def keep(self, loaded: Loaded) -> None:
        """Keep this exact version in the data directory without making it current: a unit scored
        against a bundled framework must still find it after an update replaces the bundled file."""
        self._store(loaded, make_current=False)


def _entry(loaded: Loaded, source: str) -> FrameworkEntry:
    f = loaded.framework
    return FrameworkEntry(f.id, f.title, loaded.sha256, f.round.year, source, tuple(g.code for g in f.groups),
                          f.reconstructed)
