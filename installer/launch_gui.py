"""Entry script of the frozen `dti-gui` (Windows, no console window): the desktop application, or the
import of the hand-off file a double-click passes."""

import sys

from app.cli.main import gui_main

if __name__ == "__main__":
    sys.exit(gui_main())
