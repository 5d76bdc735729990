"""An aggregator's data directory, built once per module through the command line: province TP enrolls
district H1 (which issues), H1 enrolls communes X1, X2, X3. X1 sent two revisions (the second changes 1.1
and answers with an explanation), both imported at H1; X2's package is left outside for the Import page;
X3 never sends anything (late: the small framework's round ended 31/12/2024). X1's 1.1 carries a
3-page PDF and a PNG as evidence."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from app.cli.main import main
from app.ui.context import AppContext
from tests.conftest import SMALL

PASS = "aggregator-gui-pass-1"
# indicator 2 is appraised by another department than the district: the appraisal view marks it
FRAMEWORK = SMALL.replace('    title: "Hoạt động chính quyền số"\n',
                          '    title: "Hoạt động chính quyền số"\n    appraiser: "Sở Nội vụ"\n')


@dataclass
class World:
    work: Path
    run: Callable[..., int]

    @property
    def district(self) -> Path:
        return self.work / "H1"


def build_world(work: Path) -> World:
    """Everything through `dti` commands (DTI_PASSPHRASE and DTI_UNIT_PASSPHRASE must hold PASS)."""
    fw = work / "fw.dti.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", fw) == 0
    assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", "H1", "--unit-name",
               "UBND huyện Thử", "--group", "huyen", "--can-issue", "--out", work / "H1.dtienroll") == 0
    assert run("H1", "enroll", "accept", work / "H1.dtienroll") == 0
    for code in ("X1", "X2", "X3"):
        assert run("H1", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                   f"UBND xã {code}", "--group", "xa", "--out", work / f"{code}.dtienroll") == 0
    for code in ("X1", "X2"):
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
    assert run("X1", "entry", "set", "1.1", "50") == 0
    assert run("X1", "entry", "set", "1.2", "30,5") == 0
    # evidence for 1.1 to preview in the appraisal view: a 3-page PDF and a photo
    from app.ui.aggregator.sample import sample_png
    from tests.evidence.corpus import reportlab_pdf

    (work / "bien-ban.pdf").write_bytes(reportlab_pdf(3))
    assert run("X1", "evidence", "add", "1.1", work / "bien-ban.pdf", sample_png(work / "anh-bang-tin.png", 160, 100)) == 0
    assert run("X1", "package", "export", "--out", work / "X1.dtipkg") == 0
    assert run("X2", "entry", "set", "1.1", "60") == 0
    assert run("X2", "entry", "set", "2.1", "20") == 0
    assert run("X2", "package", "export", "--out", work / "X2.dtipkg") == 0
    assert run("X1", "entry", "set", "1.1", "55") == 0
    assert run("X1", "entry", "explain", "1.1", "Bổ sung biên bản họp ngày 12/3") == 0
    assert run("X1", "package", "export", "--out", work / "X1-r2.dtipkg") == 0
    assert run("H1", "package", "import", work / "X1.dtipkg") == 0
    assert run("H1", "package", "import", work / "X1-r2.dtipkg") == 0
    return World(work, run)


def received(world: World, data: str, unit: str) -> bool:
    """Whether the data directory `data` holds a package of `unit`. The tests of a module build on each
    other in file order; one that needs an earlier test's import checks with this and does that import
    itself when it runs alone (pytest -k, a node id), so that it tests the same thing either way."""
    from app.services import status
    from app.services.workspace import Workspace

    with Workspace(world.work / data, write=False) as ws:
        return any(u.unit_code == unit and u.revision is not None for u in status.unit_statuses(ws))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    yield build_world(tmp_path_factory.mktemp("aggregator"))
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture
def open_aggregator(ctx: AppContext) -> Iterator[Callable[..., QWidget]]:
    from app.ui.aggregator.window import AggregatorWindow

    windows: list[AggregatorWindow] = []

    def opener(folder: Path, **kwargs) -> AggregatorWindow:
        window = AggregatorWindow(ctx, folder, **kwargs)
        window.show()
        windows.append(window)
        return window

    yield opener
    for window in windows:
        if isValid(window) and window.isVisible():
            window.close()
    QApplication.processEvents()
