"""The distribution files (installer/): the Windows installer script carries the package metadata and is what
make_iss.py writes; the PyInstaller spec keeps UPX off and leaves the unused Qt and toolkits out; the build
helpers (metadata, ICU data trimming, icon, portable runtime hook) do what they say."""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest

from app import __version__
from app.services import handoff

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


meta = _load("dti_installer_meta", INSTALLER / "meta.py")
make_iss = _load("dti_make_iss", INSTALLER / "windows" / "make_iss.py")
icu_trim = _load("dti_icu_trim", INSTALLER / "icu_trim.py")
make_icon = _load("dti_make_icon", INSTALLER / "make_icon.py")


@pytest.fixture(scope="module")
def iss() -> str:
    return (INSTALLER / "windows" / "dti.iss").read_text(encoding="utf-8-sig")


def setting(iss: str, key: str) -> str:
    match = re.search(rf"^{key}=(.*)$", iss, re.MULTILINE)
    assert match, f"{key} missing"
    return match.group(1).strip()


# -- metadata -------------------------------------------------------------------------------------------------
def test_metadata_is_the_packages():
    m = meta.read()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (m.name, m.version) == (project["name"], __version__)
    assert m.console_script == "app.cli.main:main" and m.gui_script == "app.cli.main:gui_main"
    assert meta.numeric_version("0.1.0") == "0.1.0.0" and meta.numeric_version("1.2rc1") == "1.2.0.0"


# -- the Windows installer script -----------------------------------------------------------------------------
def test_the_committed_script_is_what_make_iss_writes(iss):
    assert iss == make_iss.render(), "installer/windows/dti.iss is stale: run python installer/windows/make_iss.py"
    assert (INSTALLER / "windows" / "dti.iss").read_bytes().startswith(b"\xef\xbb\xbf")   # UTF-8 for Inno Setup


def test_script_carries_name_version_and_a_fixed_app_id(iss):
    assert setting(iss, "AppName") == "DTI"
    assert setting(iss, "AppVersion") == __version__
    assert setting(iss, "OutputBaseFilename") == f"dti-setup-{__version__}"
    assert setting(iss, "VersionInfoVersion") == meta.numeric_version(__version__)
    app_id = setting(iss, "AppId")
    assert app_id == "{{" + meta.APP_ID.upper() + "}" and uuid.UUID(meta.APP_ID).version == 4


def test_per_user_install_without_administrator(iss):
    assert setting(iss, "PrivilegesRequired") == "lowest"
    assert "dialog" in setting(iss, "PrivilegesRequiredOverridesAllowed").split()
    assert setting(iss, "DefaultDirName").startswith("{autopf}")
    assert re.search(r'^Name: "\{autoprograms\}\\DTI"; Filename: "\{app\}\\dti-gui\.exe"', iss, re.MULTILINE)


def test_app_mutex_is_the_one_the_gui_holds(iss):
    from app.ui.open_file import APP_MUTEX

    assert setting(iss, "AppMutex") == APP_MUTEX == make_iss.app_mutex()


@pytest.mark.parametrize("suffix", handoff.SUFFIXES, ids=lambda s: s.suffix)
def test_every_handoff_suffix_opens_the_gui_with_the_file(iss, suffix):
    assert f'Subkey: "Software\\Classes\\{suffix.suffix}"; ValueType: string; ValueName: ""; ValueData: "{suffix.prog_id}"' in iss
    assert f'Subkey: "Software\\Classes\\{suffix.suffix}\\OpenWithProgids"; ValueType: string; ValueName: "{suffix.prog_id}"' in iss
    command = f'Subkey: "Software\\Classes\\{suffix.prog_id}\\shell\\open\\command"; ValueType: string; ValueName: ""; ' \
              'ValueData: """{app}\\dti-gui.exe"" ""%1"""'
    assert command in iss
    assert setting(iss, "ChangesAssociations") == "yes"


def test_the_associated_suffixes_cover_the_cli_files():
    suffixes = {s.suffix for s in handoff.SUFFIXES}
    assert {".dtipkg", ".dtibundle", ".dtienroll", ".phanhoi", ".dtiwork"} <= suffixes


def test_uninstall_keeps_the_data_unless_asked(iss):
    assert "[UninstallDelete]" not in iss
    code = iss[iss.index("[Code]"):]
    # the only removal of the data folder sits behind a question whose default answer is No
    assert code.count("DelTree(") == 1
    question = re.search(r"if SuppressibleMsgBox\(.*?MB_YESNO or MB_DEFBUTTON2, IDNO\) = IDYES then\s+DelTree\(DataDir",
                         code, re.DOTALL)
    assert question, code
    assert "ExpandConstant('{userappdata}\\DTI')" in code


# -- the PyInstaller spec -------------------------------------------------------------------------------------
def test_spec_keeps_upx_off_and_leaves_unused_parts_out():
    spec = (INSTALLER / "dti.spec").read_text(encoding="utf-8")
    assert "upx=True" not in spec and spec.count("upx=False") >= 3
    for excluded in ("tkinter", "PyQt5", "PyQt6", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick",
                     "PySide6.QtQml", "PySide6.QtMultimedia", "PySide6.QtNetwork", "pytest", "tests"):
        assert f'"{excluded}"' in spec
    assert "meta.read(ROOT)" in spec and 'name="dti"' in spec


# -- build helpers ---------------------------------------------------------------------------------------------
def _package(items: list[tuple[str, bytes]]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + b"CmnD" + bytes(12)
    return icu_trim.write_package(header.ljust(32, b"\0"), items)


def test_icu_package_round_trip_and_choice():
    items = [("icudt73l/vi.res", b"VI" * 9), ("icudt73l/fr.res", b"FR" * 5), ("icudt73l/coll/vi.res", b"C" * 40),
             ("icudt73l/coll/de.res", b"D"), ("icudt73l/uprops.icu", b"P" * 33), ("icudt73l/ibm-943_P15A-2003.cnv", b"X"),
             ("icudt73l/brkitr/thaidict.dict", b"T"), ("icudt73l/root.res", b"R"), ("icudt73l/res_index.res", b"I"),
             ("icudt73l/en_GB.res", b"E")]
    _header, back = icu_trim.read_items(_package(items))
    assert [n for n, _ in back] == sorted(n for n, _ in items)
    assert all(data.startswith(dict(items)[name]) for name, data in back)
    kept = sorted(n for n, _ in items if icu_trim.wanted(n))
    assert kept == ["icudt73l/coll/vi.res", "icudt73l/en_GB.res", "icudt73l/res_index.res", "icudt73l/root.res",
                    "icudt73l/uprops.icu", "icudt73l/vi.res"]
    with pytest.raises(icu_trim.NotIcuData):
        icu_trim.read_items(b"\x20\x00\x00\x00" + bytes(60))


def test_icon_container_lists_every_image():
    data = make_icon.ico_bytes([(16, b"a" * 10), (256, b"b" * 20)])
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 2)
    width, _h, _c, _r, _planes, _bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16)
    assert (width, size, data[offset:offset + size]) == (0, 20, b"b" * 20)


def test_portable_hook_points_the_data_beside_the_program(tmp_path):
    hook = INSTALLER / "hooks" / "rthook_portable.py"
    code = ("import sys, runpy; sys.executable = sys.argv[1]; runpy.run_path(sys.argv[2]); "
            "from app.services.datadir import resolve_data_dir; print(resolve_data_dir(None))")
    program = tmp_path / "usb" / "dti-portable"
    env = {k: v for k, v in os.environ.items() if k != "DTI_DATA_DIR"}
    out = subprocess.run([sys.executable, "-c", code, str(program), str(hook)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True).stdout.strip()
    assert Path(out) == program.resolve().parent / "data"
    env["DTI_DATA_DIR"] = str(tmp_path / "chosen")
    out = subprocess.run([sys.executable, "-c", code, str(program), str(hook)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True).stdout.strip()
    assert Path(out) == tmp_path / "chosen"
