"""What every window of the application shares, passed in explicitly (no global singletons): the
language, the settings file and the database worker."""

from __future__ import annotations

from dataclasses import dataclass

from app.ui.ops import Runner
from app.ui.settings import AppSettings


@dataclass
class AppContext:
    lang: str
    settings: AppSettings
    runner: Runner
