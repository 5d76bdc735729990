"""Runtime hook of the portable build (dist/dti-portable): behave as if a `portable` marker sat beside the
program, i.e. keep the data in `data/` next to the executable (DESIGN §7).

It sets DTI_DATA_DIR only when the environment does not, so --data-dir and an explicit DTI_DATA_DIR still
win, exactly as they win over the marker file (app.services.datadir.resolve_data_dir). In a one-file
build `sys.executable` is the program the officer started (not the temporary folder it unpacks to)."""

import os
import sys
from pathlib import Path

os.environ.setdefault("DTI_DATA_DIR", str(Path(sys.executable).resolve().parent / "data"))
