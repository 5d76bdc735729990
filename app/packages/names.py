"""Entry names a package may hold (DESIGN §6), and the checks that keep hostile names out.

A name is checked in this order, each failure with its own refusal code:

1. ``entry_path``: absolute (``/x``), drive (``C:x``), UNC or backslash (``\\\\server\\x``), ``..`` or ``.``
   segments, empty segments, control characters — names that could reach outside a folder if someone
   ever extracted the ZIP with another tool;
2. ``duplicate_entry``: two names equal after Unicode NFC normalization and case folding (``data/a.json``
   and ``data/A.json``, or an NFC and an NFD spelling of the same Vietnamese name) — they would overwrite
   each other on Windows and macOS;
3. ``entry_name``: the name matches none of the allowed patterns of the package kind.

The allowed patterns are ASCII only, lower case, one folder deep. ``PACKAGE_NAMES`` is the contract of a
submission package; ``BUNDLE_NAMES`` adds ``packages/<file>.dtipkg`` for a district bundle, which carries
its communes' packages byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MANIFEST = "manifest.json"
SIGNATURE = "manifest.p7s"
RESERVED = (MANIFEST, SIGNATURE)

_EVIDENCE = re.compile(r"evidence/(?P<sha256>[0-9a-f]{64})\.(?:pdf|jpg|png)")

PACKAGE_NAMES: tuple[re.Pattern[str], ...] = (
    re.compile(r"manifest\.json"),
    re.compile(r"manifest\.p7s"),
    re.compile(r"data/[a-z0-9_-]{1,64}\.json"),
    _EVIDENCE,
    re.compile(r"report/[a-z0-9_-]{1,64}\.pdf"),
)
BUNDLE_NAMES: tuple[re.Pattern[str], ...] = (
    *PACKAGE_NAMES,
    re.compile(r"packages/[a-z0-9][a-z0-9._-]{0,100}\.dtipkg"),
)

_DRIVE = re.compile(r"^[A-Za-z]:")


class NameProblem(Exception):
    """Raised by the checks below; the reader turns it into a PackageRefused with the same code."""

    def __init__(self, code: str, name: str, why_en: str, why_vi: str):
        super().__init__(f"{name}: {why_en}")
        self.code, self.name, self.why_en, self.why_vi = code, name, why_en, why_vi


def unsafe_reason(name: str) -> tuple[str, str] | None:
    """Why a name could escape a folder when extracted (English, Vietnamese), or None when it cannot."""
    if not name:
        return "empty name", "tên rỗng"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return "control character in the name", "tên chứa ký tự điều khiển"
    if "\\" in name:
        return "backslash in the name (Windows path)", "tên chứa dấu gạch chéo ngược (đường dẫn Windows)"
    if name.startswith("/"):
        return "absolute path", "đường dẫn tuyệt đối"
    if _DRIVE.match(name):
        return "drive letter in the name", "tên chứa ký hiệu ổ đĩa"
    segments = name.split("/")
    if any(s in ("", ".", "..") for s in segments):
        return "'..', '.' or empty path segment", "đường dẫn chứa '..', '.' hoặc đoạn rỗng"
    return None


def printable(name: str, limit: int = 100) -> str:
    """A name as a refusal message may show it: one line, control characters as '?', at most `limit` characters."""
    text = "".join("?" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def twin_key(name: str) -> str:
    """The key under which two names would collide on a case-insensitive, normalizing file system."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def is_allowed(name: str, patterns: Iterable[re.Pattern[str]] = PACKAGE_NAMES) -> bool:
    return any(p.fullmatch(name) for p in patterns)


def evidence_hash(name: str) -> str | None:
    """The SHA-256 an evidence entry's name promises (evidence is named by content hash), else None."""
    m = _EVIDENCE.fullmatch(name)
    return m.group("sha256") if m else None


def check_names(names: Iterable[str], patterns: Iterable[re.Pattern[str]] = PACKAGE_NAMES) -> None:
    """All three checks of the module docstring over a package's names, in that order; raises NameProblem."""
    names = list(names)
    patterns = tuple(patterns)
    for name in names:
        reason = unsafe_reason(name)
        if reason:
            raise NameProblem("entry_path", name, *reason)
    seen: dict[str, str] = {}
    for name in names:
        key = twin_key(name)
        if key in seen:
            other = seen[key]
            if other == name:
                raise NameProblem("duplicate_entry", name, "entry appears twice", "mục xuất hiện hai lần")
            raise NameProblem("duplicate_entry", name, f"same name as '{other}' up to case or Unicode normalization",
                              f"trùng tên với '{other}' (chỉ khác chữ hoa/thường hoặc cách mã hóa Unicode)")
        seen[key] = name
    for name in names:
        if not is_allowed(name, patterns):
            raise NameProblem("entry_name", name, "name not allowed in a package", "tên mục không được phép trong gói")
