"""Render the application's icon (drawn at runtime by app.ui.icons.app_icon) to a Windows .ico file for the
executables and the installer. Run at build time by dti.spec on Windows; the .ico is never committed.

    python installer/make_icon.py build/dti.ico

The .ico holds one PNG image per size (the format Windows has read since Vista).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO container of PNG images: ICONDIR, one ICONDIRENTRY per image, then the images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in pngs:
        side = 0 if size >= 256 else size   # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def render(out: Path) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtWidgets import QApplication

    from app.ui.icons import app_icon

    _app = QApplication.instance() or QApplication(["make_icon"])
    icon = app_icon()
    pngs = []
    for size in SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        icon.pixmap(size, size).scaled(size, size).toImage().save(buffer, "PNG")
        buffer.close()
        pngs.append((size, bytes(data.data())))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(ico_bytes(pngs))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python installer/make_icon.py OUT.ico")
    print(render(Path(sys.argv[1])))
