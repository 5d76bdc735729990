"""Entry script of the frozen `dti` (console): the same `main` as the installed `dti` script."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
