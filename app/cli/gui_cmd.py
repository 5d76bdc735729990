"""`dti gui`: the desktop application (its screens arrive with the GUI issues)."""

from __future__ import annotations

import argparse

from app.errors import UserError


def run(args: argparse.Namespace) -> int:
    raise UserError("the desktop application is not built yet in this version; use the command line",
                    "ứng dụng giao diện chưa có trong phiên bản này; hãy dùng dòng lệnh dti")
