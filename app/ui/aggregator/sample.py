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


def sample_png(path: Path, width: int = 640, height: int = 420) -> Path:
    """A photo-like PNG (a sky, a building, a board) written with the standard library only: evidence that is
    an image, as a commune sends a photo of its public display board."""
    import struct
    import zlib

    def colour(x: int, y: int) -> bytes:
        if 120 <= x < 520 and 150 <= y < 380:                       # the building
            if 180 <= x < 460 and 190 <= y < 260:                   # the board on it
                return bytes((21, 101, 192)) if (y - 190) % 18 < 12 else bytes((250, 250, 250))
            return bytes((230, 200, 150)) if (x // 40 + y // 40) % 2 else bytes((215, 185, 135))
        if y >= 380:
            return bytes((90, 140, 70))
        shade = 200 + y * 55 // 420
        return bytes((shade - 90, shade - 40, min(255, shade + 20)))

    raw = b"".join(b"\x00" + b"".join(colour(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return path


def sample_pdf(path: Path, unit_name: str, title: str, pages: int = 2) -> Path:
    """A short Vietnamese minutes document (DejaVu embedded), `pages` pages."""
    from reportlab.platypus import PageBreak, Spacer

    from app.reports.pdfbase import para, styles, write_pdf

    s = styles()
    story: list = []
    for n in range(1, pages + 1):
        story += [para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s.heading), para("Độc lập - Tự do - Hạnh phúc", s.body),
                  Spacer(1, 18), para(f"BIÊN BẢN HỌP BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ — trang {n}/{pages}", s.title),
                  para(unit_name, s.heading), para(title, s.body), Spacer(1, 12),
                  para("Thành phần: Chủ tịch UBND xã (chủ trì), các thành viên Ban chỉ đạo, công chức văn phòng - "
                       "thống kê. Nội dung: đánh giá kết quả chuyển đổi số quý I, phân công nhiệm vụ quý II.", s.body),
                  Spacer(1, 12),
                  para("Tài liệu minh họa do chương trình dti sinh ra; không phải văn bản thật.", s.small)]
        if n < pages:
            story.append(PageBreak())
    write_pdf(path, story, title=title, subject="Tài liệu minh họa")
    return path


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
            if code == "X-TL04":   # evidence to preview in the appraisal view: minutes (PDF) and a photo (PNG)
                from app.services.evidence_service import add_evidence

                add_evidence(ws, "1.1", [sample_pdf(files / "Biên bản họp BCĐ.pdf", name,
                                                    "Về việc kiện toàn Ban chỉ đạo chuyển đổi số"),
                                         sample_png(files / "Ảnh bảng tin điện tử.png")])
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
