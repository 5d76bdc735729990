"""Every value that arrives from another installation, checked before it is used (docs/trust-and-packages.md,
"What a sender can make the receiver believe").

A unit code becomes a folder name under `received/`, a revision a file name and an integer column, a time
a sort key and a date in a report, a name a line on an appraiser's screen. Each is checked here, in one
place, against the same rules the issuing side applies, so that no path, row or line is ever built from a
value nobody checked: a code like `../../x`, `X1\\n`, or 300 characters; a revision of 10³⁰; a year 9999;
a name with an ANSI escape.

Each check returns the value (a code, an int, a datetime, a name) or raises `BadValue`, a ValueError with an
English and a Vietnamese reason, which the importers turn into their one-line refusal.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

# The code rule of `dti unit init` and `dti enroll issue` (workspace.UNIT_CODE), matched whole: `$` would
# let a trailing newline through.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
MAX_REVISION = 1_000_000          # one export a minute for two years; SQLite's INTEGER holds far more
MAX_NAME = 200                    # characters; the longest real unit names are about 90
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class BadValue(ValueError):
    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.en, self.vi = en, vi


def unit_code(value: Any, what: str = "unit code", what_vi: str = "mã đơn vị") -> str:
    """A unit code as `dti enroll issue` allows it: 1–40 of A–Z a–z 0–9 . _ -, starting with a letter or digit
    (so never `.`, `..`, a separator, a control character or a drive)."""
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        shown = printable(value if isinstance(value, str) else repr(value), 60)
        raise BadValue(f"the {what} '{shown}' is not a valid code", f"{what_vi} '{shown}' không hợp lệ")
    return value


def is_unit_code(value: Any) -> bool:
    return isinstance(value, str) and _CODE.fullmatch(value) is not None


def revision(value: Any) -> int:
    """A revision: a JSON integer (not a boolean, a float or a string) from 1 to MAX_REVISION."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_REVISION:
        raise BadValue(f"the revision {printable(repr(value), 40)} is not a whole number from 1 to {MAX_REVISION:,}",
                       f"số lần nộp {printable(repr(value), 40)} không phải số nguyên từ 1 đến "
                       f"{MAX_REVISION:,}".replace(",", "."))
    return value


def timestamp(value: Any, what: str = "created_at") -> datetime:
    """An ISO 8601 time with its offset (or Z), between 2000 and 2100, as an aware datetime. Converting it to
    UTC or to Vietnam time can then never overflow (year 9999 at −12:00 did, in every later `dti status`)."""
    moment = None
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None or not EARLIEST <= moment <= LATEST:
        shown = printable(value if isinstance(value, str) else repr(value), 40)
        raise BadValue(f"{what} '{shown}' is not a time with its offset between 2000 and 2100",
                       f"{what} '{shown}' không phải thời điểm hợp lệ (có múi giờ, từ năm 2000 đến 2100)")
    return moment


def unit_name(value: Any, what: str = "unit name", what_vi: str = "tên đơn vị", limit: int = MAX_NAME) -> str:
    """A name to show: text of 1–`limit` characters, NFC, without control or format characters (line breaks,
    escapes, bidirectional overrides) that could fake or hide a line."""
    if not isinstance(value, str) or not value.strip() or len(value) > limit \
            or any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in value):
        shown = printable(value if isinstance(value, str) else repr(value), 60)
        raise BadValue(f"the {what} '{shown}' is not a name of 1 to {limit} printable characters",
                       f"{what_vi} '{shown}' không phải tên gồm 1 đến {limit} ký tự in được")
    return unicodedata.normalize("NFC", value)


def printable(text: str, limit: int = 100) -> str:
    """Text as a terminal line may show it: control and format characters (newline, ESC, BEL, bidirectional
    overrides) written as \\n, \\x1b, \\u202e, so that a name from outside can neither fake a line nor
    recolour one; cut to `limit` characters."""
    out = []
    for c in text:
        if c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif unicodedata.category(c) in ("Cc", "Cf", "Cs"):
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
