"""Where the bundled resources (frameworks, fonts, icons, translations) are.

`resources/` lives at the top of the checkout (DESIGN §2). It is found beside the package in a checkout
or an editable install, inside the PyInstaller bundle when frozen, and as the package `app.resources`
(mapped in pyproject.toml) in a wheel install.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    for candidate in candidates:
        if (candidate / "frameworks").is_dir():
            return candidate
    import importlib.resources

    return Path(str(importlib.resources.files("app.resources")))
