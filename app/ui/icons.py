"""Icons drawn at runtime: a coloured disc with a glyph per status. Nothing to ship or keep in sync with
the status list, and they stay sharp at any DPI because they are painted at the device pixel ratio.

Qt only: this module is imported at start-up by almost every window, so it must not pull in the service
layer and the ORM (`app.services.unit_view` costs ~0.8 s to import cold). The node statuses are therefore
spelled here as the plain strings they are in `app.services.unit_view`; tests/ui/test_start.py checks that
the two lists agree."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

# app.services.unit_view's node statuses (EXPLAIN, PROBLEM, MISSING, NO_EVIDENCE, COMMENT, APPRAISER, DONE)
EXPLAIN, PROBLEM, MISSING, NO_EVIDENCE = "explanation_requested", "problem", "value_missing", "evidence_missing"
COMMENT, APPRAISER, DONE = "appraiser_comment", "appraiser", "done"

STATUS_COLORS = {
    DONE: "#2e7d32",
    MISSING: "#9e9e9e",
    NO_EVIDENCE: "#ef6c00",
    PROBLEM: "#c62828",
    COMMENT: "#1565c0",
    EXPLAIN: "#6a1b9a",
    APPRAISER: "#00838f",
}
_GLYPHS = {MISSING: "", NO_EVIDENCE: "!", PROBLEM: "!", COMMENT: "i", EXPLAIN: "?", APPRAISER: "T"}
SEVERITY_STATUS = {"error": PROBLEM, "warning": NO_EVIDENCE, "info": COMMENT}


def _disc(color: str, glyph: str, hollow: bool = False, size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(3, 3, size - 6, size - 6)
    if hollow:
        painter.setPen(QPen(QColor(color), 3))
        painter.drawEllipse(rect)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
        painter.drawEllipse(rect)
    painter.setPen(QPen(QColor("white"), 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    if glyph == "check":
        path = QPainterPath(QPointF(size * 0.30, size * 0.52))
        path.lineTo(size * 0.44, size * 0.66)
        path.lineTo(size * 0.71, size * 0.36)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    elif glyph:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.6))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


@cache
def status_icon(status: str) -> QIcon:
    color = STATUS_COLORS.get(status, "#9e9e9e")
    return _disc(color, "check" if status == DONE else _GLYPHS.get(status, ""), hollow=status == MISSING)


@cache
def severity_icon(severity: str) -> QIcon:
    return status_icon(SEVERITY_STATUS.get(severity, COMMENT))


@cache
def signature_icon(state: str) -> QIcon:
    """state: trusted | untrusted | invalid."""
    return {"trusted": _disc("#2e7d32", "check"), "untrusted": _disc("#ef6c00", "?"),
            "invalid": _disc("#c62828", "!")}[state]


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#c62828"))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.18, size * 0.18)
        painter.setBrush(QColor("#ffd54f"))
        for i, height in enumerate((0.35, 0.55, 0.75)):   # three rising bars: an index that grows
            w = size * 0.18
            x = size * 0.17 + i * size * 0.25
            painter.drawRect(QRectF(x, size * (0.85 - height), w, size * height))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
