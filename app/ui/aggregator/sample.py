"""A district's data directory with a believable round in it, for screenshots and manual tries: province
TP enrolls district Tiên Lữ on the bundled Hưng Yên 2023 framework; the district enrolls seven communes,
five of them send packages (one sends a second revision with an explanation after feedback), two send
nothing; a few indicators are appraised, one with a request for explanation. Services only."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.services.workspace import Workspace

PROVINCE_PASS = "mau-tinh-tong-hop-1"
DISTRICT_PASS = "mau-huyen-tong-hop-1"
UNIT_PASS = "mau-xa-tong-hop-1"
BASE = {"TT.2": "24", "TT.7": "20", "TT.9": "9", "TT.10": "2150", "TT.11": "5400", "1.1": "1", "1.2": "5",
        "1.3.1": "4", "1.3.2": "có", "1.4": "6", "2.1": "1", "2.2": "7/9", "3.1": "20", "3.2": "có", "6.8": "12,5"}
COMMUNES = (("X-TL01", "UBND thị trấn Vương", Decimal("1")), ("X-TL02", "UBND xã Dị Chế", Decimal("0.8")),
            ("X-TL03", "UBND xã Hưng Đạo", Decimal("0.9")), ("X-TL04", "UBND xã Thiện Phiến", Decimal("0.6")),
            ("X-TL05", "UBND xã Thụy Lôi", Decimal("0.75")), ("X-TL06", "UBND xã Ngô Quyền", None),
            ("X-TL07", "UBND xã Nhật Tân", None))


def _scaled(factor: Decimal) -> dict[str, str]:
    out = {}
    for code, raw in BASE.items():
        if code.startswith("TT.") or raw == "có" or "/" in raw:
            out[code] = raw
            continue
        value = Decimal(raw.replace(",", ".")) * factor
        out[code] = str(value.quantize(Decimal(1)) if "," not in raw else value.quantize(Decimal("0.1"))).replace(".", ",")
    if factor < Decimal("0.7"):
        out["3.2"] = "không"
    return out


def build_sample_district(root: Path) -> Path:
    """Build under `root` and return the district's data directory."""
    from app.services.aggregate import appraise_set
    from app.services.enrollment import accept, issue
    from app.services.feedback import export_feedback
    from app.services.package_export import export_package
    from app.services.package_import import import_paths
    from app.services.trust_service import authority_init

    root = Path(root)
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    province, district = root / "tinh", root / "huyen"
    with Workspace(province) as ws:
        authority_init(ws, "STTTT-HY", "Sở Thông tin và Truyền thông Hưng Yên", PROVINCE_PASS)
        issue(ws, framework_ref="hy-2023", unit_code="H-TL", unit_name="UBND huyện Tiên Lữ", group="huyen",
              out=files / "H-TL.dtienroll", can_issue=True, passphrase=PROVINCE_PASS, unit_passphrase=DISTRICT_PASS)
    with Workspace(district) as ws:
        accept(ws, files / "H-TL.dtienroll", DISTRICT_PASS)
        ws.set_setting("officer", "Lê Văn Cường")
        for code, name, _factor in COMMUNES:
            issue(ws, framework_ref="hy-2023", unit_code=code, unit_name=name, group="xa",
                  out=files / f"{code}.dtienroll", can_issue=False, passphrase=DISTRICT_PASS, unit_passphrase=UNIT_PASS)
    packages = []
    for code, _name, factor in COMMUNES:
        if factor is None:
            continue
        with Workspace(root / code) as ws:
            accept(ws, files / f"{code}.dtienroll", UNIT_PASS)
            for key, value in _scaled(factor).items():
                ws.set_entry(key, value)
            if factor < 1:
                ws.set_explanation("1.1", "Quyết định kiện toàn Ban chỉ đạo đang trình ký.")
            packages.append(export_package(ws, files / f"{code}.dtipkg", UNIT_PASS).paths[0])
    with Workspace(district) as ws:
        import_paths(ws, packages)
        appraise_set(ws, "X-TL02", "1.3.1", "2", "Chỉ 2 cuộc họp có biên bản", True)
        appraise_set(ws, "X-TL02", "1.2", None, "Đạt")
        appraise_set(ws, "X-TL04", "1.1", "0", "Chưa có quyết định thành lập Ban chỉ đạo", True)
        appraise_set(ws, "X-TL03", "1.4", "4", "Thiếu kế hoạch năm")
        export_feedback(ws, "X-TL04", files / "X-TL04.phanhoi", DISTRICT_PASS)
    with Workspace(root / "X-TL04") as ws:   # the commune answers: a second revision with its explanation
        ws.set_entry("1.1", "1")
        ws.set_explanation("1.1", "Đã bổ sung Quyết định số 15/QĐ-UBND ngày 02/3/2023 thành lập Ban chỉ đạo.")
        second = export_package(ws, files / "X-TL04-r2.dtipkg", UNIT_PASS).paths[0]
    with Workspace(district) as ws:
        import_paths(ws, [second])
    return district
