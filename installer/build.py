"""Build the application for distribution (DESIGN §10): `make bundle`, `make bundle-portable`.

    python installer/build.py               # dist/dti/ (one folder), executable dist/dti/dti (dti.exe)
    python installer/build.py --portable    # dist/dti-portable (one file, data in data/ beside it)
    python installer/build.py --installer   # Windows: also installer/windows/dti.iss and, when Inno
                                            # Setup's iscc is on PATH, dist/dti-setup-VERSION.exe

Steps: compile the English translation to build/i18n/dti_en.qm (tools/i18n.py; without lrelease the
bundle reads the .ts at start-up), run PyInstaller on installer/dti.spec, then print the size and the time
taken. Run with the project's virtual environment (PyInstaller from the `bundle` extra).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"


def folder_bytes(path: Path) -> int:
    """The bytes of the files under `path` (links not followed): what a download or a copy carries."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def compile_translations() -> Path | None:
    qm = BUILD / "i18n" / "dti_en.qm"
    qm.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "compile", "--out", str(qm)], check=False)
    if done.returncode != 0 or not qm.is_file():
        print("build: no .qm compiled; the bundle reads resources/i18n/dti_en.ts at start-up", file=sys.stderr)
        return None
    return qm


def pyinstaller(portable: bool) -> Path:
    work = BUILD / ("pyinstaller-portable" if portable else "pyinstaller")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(DIST),
               "--workpath", str(work), str(ROOT / "installer" / "dti.spec")]
    if portable:
        command += ["--", "--portable"]
    subprocess.run(command, check=True, cwd=ROOT)
    if portable:
        return DIST / ("dti-portable.exe" if os.name == "nt" else "dti-portable")
    return DIST / "dti"


def windows_installer() -> Path | None:
    subprocess.run([sys.executable, str(ROOT / "installer" / "windows" / "make_iss.py")], check=True)
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("build: Inno Setup's iscc is not on PATH; compile installer/windows/dti.iss with it", file=sys.stderr)
        return None
    subprocess.run([iscc, "/Q", str(ROOT / "installer" / "windows" / "dti.iss")], check=True)
    sys.path.insert(0, str(ROOT / "installer"))
    import meta

    return DIST / f"dti-setup-{meta.read(ROOT).version}.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portable", action="store_true", help="the one-file portable program")
    parser.add_argument("--installer", action="store_true", help="Windows: the Inno Setup installer too")
    args = parser.parse_args(argv)
    started = time.monotonic()
    compile_translations()
    out = pyinstaller(args.portable)
    seconds = time.monotonic() - started
    print(f"build: {out.relative_to(ROOT)}: {folder_bytes(out) / 1e6:.1f} MB, built in {seconds:.0f} s")
    if args.installer:
        setup = windows_installer()
        if setup is not None:
            print(f"build: {setup.relative_to(ROOT)}: {setup.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
