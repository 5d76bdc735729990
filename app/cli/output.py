"""Output helpers: `--json` is UTF-8 JSON alone on stdout, a pure function of the data (DESIGN §7)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def emit_json(data: Any) -> None:
    """Indented for a person at a terminal; compact when redirected or piped, where a program reads it (the same
    JSON value: CPython encodes compact JSON in C, indented JSON in Python, 3x slower on a national ranking)."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent, default=_default))
    sys.stdout.write("\n")


def vn_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def vn_datetime(iso: str | None) -> str:
    """An ISO 8601 UTC time as Vietnamese readers expect it: dd/mm/yyyy HH:MM in Vietnam time (UTC+7)."""
    if not iso:
        return ""
    from datetime import datetime, timedelta, timezone

    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(timezone(timedelta(hours=7))).strftime("%d/%m/%Y %H:%M")
    except (ValueError, OverflowError):   # not a time, or one at the edge of the calendar
        return iso


def open_workspace(args, write: bool = True):
    """The data directory of the command as a Workspace; `write=False` takes no writer lock."""
    import os

    from app.services.workspace import Workspace

    chosen = getattr(args, "round", None) or os.environ.get("DTI_ROUND") or None
    return Workspace(args.data_path, lang=args.lang, write=write, round_id=chosen)
