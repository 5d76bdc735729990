"""Every custom model passes pytest-qt's model tester, on real snapshots."""

from __future__ import annotations

from pathlib import Path

from app.services import evidence_service
from app.services.unit_view import load_snapshot
from app.services.workspace import Workspace
from app.ui.check_panel import FindingsModel
from app.ui.evidence_panel import EvidenceModel
from app.ui.tree_model import COL_POINTS, COL_STATUS, IndicatorTreeModel
from tests.evidence import corpus


def _snapshot(folder: Path, tmp_path: Path):
    with Workspace(folder) as ws:
        ws.set_entry("1.2", "5")
        ws.set_entry("2.2", "7/9")
        pdf = tmp_path / "Biên bản.pdf"
        pdf.write_bytes(corpus.reportlab_pdf(2))
        evidence_service.add_evidence(ws, "1.2", [pdf])
        return load_snapshot(ws)


def test_indicator_tree_model(qtmodeltester, hy_unit: Path, tmp_path: Path):
    snapshot = _snapshot(hy_unit, tmp_path)
    model = IndicatorTreeModel()
    model.set_snapshot(snapshot)
    qtmodeltester.check(model)
    index = model.index_of("2.2", COL_POINTS)
    assert index.data() == "23,33 / 30"   # decimal comma
    assert model.index_of("2.2", COL_STATUS).data() == "Thiếu minh chứng"
    assert model.index_of("1", COL_STATUS).data() == "1/6 xong"
    model.set_snapshot(snapshot)   # same tree: updated in place, the tester still agrees
    qtmodeltester.check(model)


def test_evidence_and_findings_models(qtmodeltester, hy_unit: Path, tmp_path: Path):
    snapshot = _snapshot(hy_unit, tmp_path)
    evidence = EvidenceModel()
    evidence.set_rows(list(snapshot.node("1.2").evidence))
    qtmodeltester.check(evidence)
    assert evidence.index(0, 1).data() == "2"
    findings = FindingsModel()
    findings.set_rows(list(snapshot.findings))
    qtmodeltester.check(findings)
    assert findings.rowCount() > 10
