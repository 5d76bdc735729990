"""Every user-visible string of the desktop application goes through `tr(context, text)`.

The source text is Vietnamese (the default language, shown as is without any translation file); the
English `.ts`/`.qm` are built from these calls at build time. Contexts are fixed names, never a runtime
class name (which is what `self.tr` would use, and subclasses would break the lookup).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
