"""Canonical serialization and identity of a framework (DESIGN §3).

The canonical form is compact JSON (which is also YAML, so every reader can load it) of `to_data()`:
keys sorted, no insignificant whitespace, UTF-8 text in NFC, numbers as their shortest exact decimal
(120, 0.5), dates as YYYY-MM-DD. The identity is the framework id plus the SHA-256 of those bytes, so
the same framework authored in YAML or Excel, in any key order, has one hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from app.frameworks.schema import to_data
from app.scoring.model import Framework
from app.scoring.numbers import plain


def _emit(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value)):
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _emit(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _emit(item, out)
        out.append("]")
    elif isinstance(value, bool) or value is None:
        out.append(json.dumps(value))
    elif isinstance(value, Decimal):
        out.append(plain(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    else:  # pragma: no cover - to_data only produces the types above
        raise TypeError(f"cannot serialize {type(value).__name__}")


def canonical_bytes(framework: Framework) -> bytes:
    out: list[str] = []
    _emit(to_data(framework), out)
    return "".join(out).encode("utf-8")


def framework_hash(framework: Framework) -> str:
    """Hex SHA-256 of the canonical serialization."""
    return hashlib.sha256(canonical_bytes(framework)).hexdigest()
