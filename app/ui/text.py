"""Every user-visible string of the desktop application goes through `tr(context, text)`.

The source text is Vietnamese (the default language, shown as is without any translation file); the
English `.ts`/`.qm` are built from these calls at build time. Contexts are fixed names, never a runtime
class name (which is what `self.tr` would use, and subclasses would break the lookup).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def wrap_lines(text: str, metrics: QFontMetrics, width: int, max_lines: int = 2) -> list[str]:
    """`text` broken at spaces into lines at most `width` pixels wide; at most `max_lines`, the last one
    elided when the text goes on. A word wider than the line is elided on its own line."""
    words = text.split()
    if not words or width <= 0:
        return [text] if text else []
    lines: list[str] = []
    current = ""
    for n, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if not current or metrics.horizontalAdvance(trial) <= width:
            current = trial
            continue
        lines.append(current)
        if len(lines) == max_lines - 1:   # the last line allowed takes everything left, elided
            current = " ".join(words[n:])
            break
        current = word
    lines.append(current)
    return [_elide_at_word(line, metrics, width) for line in lines]


def _elide_at_word(line: str, metrics: QFontMetrics, width: int) -> str:
    """`line` if it fits, else as many whole words as fit followed by "…" (a cut word reads as a typo)."""
    if metrics.horizontalAdvance(line) <= width:
        return line
    words = line.split()
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(",;:") + "…"
        if metrics.horizontalAdvance(shortened) <= width:
            return shortened
    return metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
