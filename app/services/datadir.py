"""Where an installation keeps its data (DESIGN §7): --data-dir, else DTI_DATA_DIR, else portable mode
(`data/` beside the executable when a file named `portable` sits there), else the platform's user data
directory."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "DTI"
APP_AUTHOR = "DTI"


def executable_dir() -> Path:
    """The folder of the running program: the bundle's folder when frozen, else the script's."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] | None = None,
                     exe_dir: Path | None = None) -> Path:
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value).expanduser()
    if env.get("DTI_DATA_DIR"):
        return Path(env["DTI_DATA_DIR"]).expanduser()
    base = exe_dir if exe_dir is not None else executable_dir()
    if (base / "portable").is_file():
        return base / "data"
    import platformdirs  # only here: the other branches need no lookup

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=True))
