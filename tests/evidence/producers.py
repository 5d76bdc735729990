"""PDFs made during the test run by the real tools that commune officers' evidence comes from.

Evidence is rarely written by reportlab (what `corpus.py` uses): it is exported by LibreOffice, printed
through Ghostscript, put together from phone photos and scanner TIFFs by img2pdf, tiff2pdf or ImageMagick,
drawn by cairo, and often passed through qpdf or pikepdf on the way. Each of those writes PDF its own way
(cross-reference streams, linearization, CCITT G4 images, outlines, XMP metadata), and the inspection must
accept every one of them as the ordinary document it is. `Workshop` runs the tools (Debian packages; .ci/run
installs them) and raises `MissingTool` when one is absent, so that the row skips with the reason.

No JBIG2 row: Debian 12 packages only a JBIG2 decoder (jbig2dec); the encoder (jbig2enc) is not packaged
(`apt-cache policy jbig2enc jbig2` lists nothing), so no tool here can make a /JBIG2Decode PDF.
"""

from __future__ import annotations

import functools
import io
import os
import random
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.evidence import corpus as c

FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DejaVuSans.ttf"
TITLE = "Báo cáo kết quả chuyển đổi số năm 2025 — UBND xã Hòa Bình"
SCAN_SIZE = (1240, 1754)  # A4 at 150 dpi
DPI = 150
PACKAGE_OF = {"soffice": "libreoffice-writer-nogui / libreoffice-calc-nogui", "ps2pdf": "ghostscript",
              "img2pdf": "img2pdf", "tiff2pdf": "libtiff-tools", "rsvg-convert": "librsvg2-bin",
              "qpdf": "qpdf"}
# What ImageMagick says when Debian's policy.xml (`<policy domain="coder" rights="none" pattern="PDF" />`)
# forbids writing PDF.
_IM_POLICY = "not allowed by the security policy"


class MissingTool(Exception):
    """A producer cannot run here: the tool is not installed, or the system forbids what the row needs."""


# -------------------------------------------------------------------------------------------- rows

@dataclass(frozen=True)
class Producer:
    """One row of the matrix: how its PDF is made and what the file is known to be.

    pages: the page count the input was built to have (checked against pdfinfo and PDFium too).
    producer: a text the /Producer entry of the document information holds (proof that the tool wrote it).
    marks: byte strings the file must contain, showing the row exercises what it claims (/CCITTFaxDecode,
        /ObjStm, /Linearized); found in the raw bytes, so independent of qpdf.
    text: a phrase pdftotext must extract (the Vietnamese diacritics made it into the PDF), when set.
    codes: finding codes the inspection must report (normally none).
    damaged_by_tool: the tool is known to write a cross-reference table that is not where startxref says
        (see the tiff2pdf-jpeg row); every other row's must be.
    """

    key: str
    pages: int
    make: Callable[[Workshop], Path]
    producer: str
    marks: tuple[bytes, ...] = ()
    text: str | None = None
    codes: frozenset[str] = frozenset()
    damaged_by_tool: bool = False


class Workshop:
    """Makes each producer's PDF once, in its own subfolder of `folder`, and remembers the result or the
    reason it could not (so a missing tool is looked for, and a slow tool run, once per module)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._done: dict[str, Any] = {}

    def pdf(self, key: str) -> Path:
        return self.once(key, lambda: ROWS[key].make(self))

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._done:
            try:
                self._done[key] = make()
            except Exception as e:  # remembered and raised again for every row that needs it
                self._done[key] = e
        done = self._done[key]
        if isinstance(done, BaseException):
            raise done
        return done

    def dir(self, name: str) -> Path:
        path = self.folder / name
        path.mkdir(exist_ok=True)
        return path

    @functools.cached_property
    def images(self) -> dict[str, Path]:
        """The raster inputs, made with Pillow: a photo, a scan as PNG, TIFFs (LZW multi-page, JPEG, G4)."""
        out = self.dir("images")
        scans = [scan(n) for n in (1, 2, 3)]
        paths = {name: out / name for name in ("anh-chup.jpg", "ban-quet.png", "nhieu-trang.tif", "jpeg.tif",
                                               "g4.tif", "lzw.tif")}
        photo(paths["anh-chup.jpg"])
        scans[0].convert("RGB").save(paths["ban-quet.png"], dpi=(DPI, DPI))
        scans[0].save(paths["nhieu-trang.tif"], compression="tiff_lzw", dpi=(DPI, DPI), save_all=True,
                      append_images=scans[1:])
        scans[0].convert("RGB").save(paths["jpeg.tif"], compression="jpeg", dpi=(DPI, DPI))
        scans[0].save(paths["lzw.tif"], compression="tiff_lzw", dpi=(DPI, DPI))
        bilevel = scans[0].point(lambda v: 255 if v > 128 else 0).convert("1")
        # One strip, as scanners write G4: the PDF can then carry the TIFF's CCITT data as it is.
        bilevel.save(paths["g4.tif"], compression="group4", dpi=(DPI, DPI),
                     strip_size=(SCAN_SIZE[0] + 7) // 8 * SCAN_SIZE[1])
        return paths

    def libreoffice(self, key: str) -> Path:
        return self.once("libreoffice", self._libreoffice)[key]

    def _libreoffice(self) -> dict[str, Path]:
        """Writer (flat ODF and DOCX input) and Calc (flat ODS) exported to PDF in ONE soffice run with a
        private user profile, so that parallel runs do not share (and lock) one."""
        soffice = tool("soffice")
        src = self.dir("libreoffice-src")
        inputs = {"writer": src / "bao-cao.fodt", "writer-docx": src / "to-trinh.docx", "calc": src / "bang-diem.fods"}
        inputs["writer"].write_text(FODT, encoding="utf-8")
        inputs["calc"].write_text(FODS, encoding="utf-8")
        inputs["writer-docx"].write_bytes(docx())
        out = self.dir("libreoffice")
        profile = (self.folder / "libreoffice-profile").as_uri()
        run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(out), *map(str, inputs.values())], timeout=180)
        return {key: existing(out / (path.stem + ".pdf")) for key, path in inputs.items()}


def tool(name: str) -> str:
    """The path of command `name`, or MissingTool naming its Debian package."""
    found = shutil.which(name)
    if found is None:
        raise MissingTool(f"{name} is not installed (Debian package {PACKAGE_OF.get(name, name)}; .ci/run installs it)")
    return found


def imagemagick() -> str:
    """ImageMagick's own binary (IM6 `convert` as Debian installs it, else IM7 `magick`), never whatever
    `convert` comes first in PATH: that may be a wrapper script or GraphicsMagick's."""
    for candidate in ("/usr/bin/convert", shutil.which("convert-im6.q16"), shutil.which("magick")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise MissingTool("ImageMagick is not installed (Debian package imagemagick; .ci/run installs it)")


def run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    """`args` run to completion; an installed tool that fails is a test failure (with its stderr), not a skip."""
    done = subprocess.run(args, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): "
                           f"{done.stderr.decode(errors='replace').strip()[-2000:]}")
    return done


def existing(path: Path) -> Path:
    if not path.is_file() or path.stat().st_size == 0:
        raise RuntimeError(f"the tool did not write {path.name}")
    return path


# ------------------------------------------------------------------------------------------ inputs

def scan(n: int) -> Any:
    """A grey A4 "scan" at 150 dpi: a form with a Vietnamese heading, ruled lines and a page number."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", SCAN_SIZE, 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 28)
    draw.text((120, 100), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fill=0, font=font)
    draw.text((120, 160), f"Biên bản họp Ban chỉ đạo chuyển đổi số — trang {n}", fill=0, font=font)
    for y in range(260, 1600, 48):
        draw.line((120, y, 1120, y), fill=90, width=2)
    draw.rectangle((800, 1620, 1120, 1700), outline=0, width=3)
    return image


def photo(path: Path) -> None:
    """A photo-like JPEG: a gradient with noise, so the JPEG codec has real work (about 100 KB)."""
    from PIL import Image

    rng = random.Random(7)
    size = (800, 600)
    noise = Image.frombytes("L", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1])))
    base = Image.linear_gradient("L").resize(size)
    rgb = Image.merge("RGB", (base, Image.blend(base, noise, 0.3), noise.point(lambda v: v // 2)))
    rgb.save(path, "JPEG", quality=80, dpi=(96, 96))


FODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="NgatTrang" style:family="paragraph">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">{TITLE}</text:h>
  <text:p>Năm 2025, Ủy ban nhân dân xã đã cung cấp 95% dịch vụ công trực tuyến toàn trình; 100% cán bộ,
   công chức được tập huấn kỹ năng số.</text:p>
  <text:h text:outline-level="2" text:style-name="NgatTrang">Phụ lục: số liệu chi tiết</text:h>
  <text:p>Hạ tầng số đạt 85 điểm; nhân lực số đạt 72 điểm.</text:p>
 </office:text></office:body>
</office:document>
"""

_ROW = ('<table:table-row><table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="{}"><text:p>{}</text:p></table:table-cell>'
        '</table:table-row>')


def _sheet(name: str, rows: list[tuple[str, float]]) -> str:
    header = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Chỉ số thành phần</text:p>'
              '</table:table-cell><table:table-cell office:value-type="string"><text:p>Điểm</text:p>'
              '</table:table-cell></table:table-row>')
    body = "".join(_ROW.format(label, value, str(value).replace(".", ",")) for label, value in rows)
    return f'<table:table table:name="{name}">{header}{body}</table:table>'


# Two sheets: Calc prints each on its own page, so the PDF has two pages.
FODS = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet>
  {_sheet("Xã Hòa Bình", [("Hạ tầng số", 85), ("Nhân lực số", 72.5), ("Chính quyền số", 90)])}
  {_sheet("Xã Tân Lập", [("Hạ tầng số", 61), ("Kinh tế số", 40.25)])}
 </office:spreadsheet></office:body>
</office:document>
"""


def docx() -> bytes:
    """A minimal Word document (what a colleague sends from Microsoft Word): a heading, a paragraph, a page
    break and a second page."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paras = (f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>"
             "<w:p><w:r><w:t>Tờ trình về việc phê duyệt kế hoạch chuyển đổi số.</w:t></w:r></w:p>"
             '<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>Trang 2: Nơi nhận.</w:t></w:r></w:p>')
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{paras}'
                             '</w:body></w:document>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


POSTSCRIPT = b"""%!PS-Adobe-3.0
%%Pages: 2
%%BoundingBox: 0 0 595 842
%%EndComments
/page {
  /Helvetica findfont 16 scalefont setfont
  72 760 moveto (Bien ban hop Ban chi dao chuyen doi so) show
  72 736 moveto (Trang ) show 3 string cvs show
  0.5 setlinewidth 72 700 moveto 523 700 lineto stroke
  newpath 72 120 moveto 200 120 lineto 200 180 lineto 72 180 lineto closepath 0.8 setgray fill
  showpage
} def
%%Page: 1 1
<< /PageSize [595 842] >> setpagedevice
1 page
%%Page: 2 2
2 page
%%EOF
"""

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="595pt" height="842pt" viewBox="0 0 595 842">
 <rect x="40" y="40" width="515" height="90" fill="none" stroke="black" stroke-width="2"/>
 <text x="60" y="80" font-family="DejaVu Sans" font-size="14">{TITLE}</text>
 <text x="60" y="110" font-family="DejaVu Sans" font-size="12">Sơ đồ hạ tầng mạng của xã (vẽ bằng Inkscape)</text>
 <circle cx="297" cy="400" r="120" fill="#2a6fb0"/>
</svg>
"""


# ------------------------------------------------------------------------------------------ makers

def make_libreoffice(key: str) -> Callable[[Workshop], Path]:
    return lambda ws: ws.libreoffice(key)


def make_ghostscript(ws: Workshop) -> Path:
    out = ws.dir("ghostscript")
    (out / "bien-ban.ps").write_bytes(POSTSCRIPT)
    run([tool("ps2pdf"), str(out / "bien-ban.ps"), str(out / "bien-ban.pdf")])
    return existing(out / "bien-ban.pdf")


def make_imagemagick(ws: Workshop) -> Path:
    """A photo and a scan put into one PDF by `convert`. Debian's ImageMagick 6 forbids writing PDF in
    /etc/ImageMagick-6/policy.xml; that cannot be lifted from here: IM6 reads every policy.xml it finds
    (MAGICK_CONFIGURE_PATH only adds one) and a policy only takes rights away (magick/policy.c,
    IsRightsAuthorized), so the row skips with ImageMagick's own message where the policy is in force."""
    binary = imagemagick()
    out = ws.dir("imagemagick")
    target = out / "anh-va-ban-quet.pdf"
    done = subprocess.run([binary, str(ws.images["anh-chup.jpg"]), str(ws.images["ban-quet.png"]), str(target)],
                          capture_output=True, timeout=60)
    stderr = done.stderr.decode(errors="replace").strip()
    if done.returncode != 0 and _IM_POLICY in stderr:
        raise MissingTool(f"ImageMagick may not write PDF here (Debian's policy.xml): {stderr.splitlines()[0]}")
    if done.returncode != 0:
        raise RuntimeError(f"convert failed ({done.returncode}): {stderr[-2000:]}")
    return existing(target)


def make_img2pdf(image: str) -> Callable[[Workshop], Path]:
    def make(ws: Workshop) -> Path:
        source = ws.images[image]
        target = ws.dir("img2pdf") / (source.stem + ".pdf")
        run([tool("img2pdf"), "-o", str(target), str(source)])
        return existing(target)

    return make


def make_tiff2pdf(image: str) -> Callable[[Workshop], Path]:
    def make(ws: Workshop) -> Path:
        source = ws.images[image]
        target = ws.dir("tiff2pdf") / (source.stem + ".pdf")
        run([tool("tiff2pdf"), "-o", str(target), str(source)])
        return existing(target)

    return make


def make_cairo(ws: Workshop) -> Path:
    out = ws.dir("cairo")
    (out / "so-do.svg").write_text(SVG, encoding="utf-8")
    run([tool("rsvg-convert"), "-f", "pdf", "-o", str(out / "so-do.pdf"), str(out / "so-do.svg")])
    return existing(out / "so-do.pdf")


def make_qpdf(base: str, *options: str) -> Callable[[Workshop], Path]:
    def make(ws: Workshop) -> Path:
        qpdf = tool("qpdf")
        source = ws.pdf(base)
        target = ws.dir("qpdf") / f"{base}{''.join(options)}.pdf"
        run([qpdf, *options, str(source), str(target)])
        return existing(target)

    return make


def make_pikepdf(base: str, object_streams: bool) -> Callable[[Workshop], Path]:
    def make(ws: Workshop) -> Path:
        import pikepdf

        source = ws.pdf(base)
        mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.preserve
        target = ws.dir("pikepdf") / f"{base}-{mode.name}.pdf"
        with pikepdf.open(source) as pdf:
            pdf.save(target, object_stream_mode=mode)
        return existing(target)

    return make


LO, GS, IM, I2P, T2P = "LibreOffice", "Ghostscript", "imagemagick", "img2pdf", "tiff2pdf"
_ROWS = [
    Producer("libreoffice-writer", 2, make_libreoffice("writer"), LO, (b"/Outlines",), text="Hòa Bình"),
    Producer("libreoffice-writer-docx", 2, make_libreoffice("writer-docx"), LO, text="Hòa Bình"),
    Producer("libreoffice-calc", 2, make_libreoffice("calc"), LO, text="Nhân lực số"),
    Producer("ghostscript-ps2pdf", 2, make_ghostscript, GS),
    Producer("imagemagick-jpeg-png", 2, make_imagemagick, IM, (b"/DCTDecode",)),
    Producer("img2pdf-jpeg", 1, make_img2pdf("anh-chup.jpg"), I2P, (b"/DCTDecode",)),
    Producer("img2pdf-png", 1, make_img2pdf("ban-quet.png"), I2P, (b"/FlateDecode",)),
    Producer("img2pdf-tiff-3-pages", 3, make_img2pdf("nhieu-trang.tif"), I2P),
    Producer("img2pdf-ccitt-g4", 1, make_img2pdf("g4.tif"), I2P, (b"/CCITTFaxDecode",)),
    Producer("tiff2pdf-lzw", 1, make_tiff2pdf("lzw.tif"), T2P),
    Producer("tiff2pdf-ccitt-g4", 1, make_tiff2pdf("g4.tif"), T2P, (b"/CCITTFaxDecode",)),
    # tiff2pdf of libtiff 4.5.0 (Debian 12) passes a JPEG-compressed TIFF's data through but counts a few
    # bytes fewer than it writes: the image's /Length and every offset after it are wrong, and startxref
    # points past the "xref". qpdf rebuilds the table on opening (`repaired`) and finds the wrong /Length
    # only when it reads the stream, in the syntax check (`syntax`): accepted, with both.
    Producer("tiff2pdf-jpeg", 1, make_tiff2pdf("jpeg.tif"), T2P, (b"/DCTDecode",),
             codes=frozenset({"repaired", "syntax"}), damaged_by_tool=True),
    Producer("cairo-rsvg", 1, make_cairo, "cairo", text="Hòa Bình"),
    Producer("qpdf-linearized", 2, make_qpdf("libreoffice-writer", "--linearize"), LO, (b"/Linearized",)),
    Producer("qpdf-object-streams", 2, make_qpdf("libreoffice-writer", "--object-streams=generate"), LO,
             (b"/ObjStm", b"/XRef")),
    Producer("pikepdf-saved", 2, make_pikepdf("libreoffice-calc", object_streams=False), LO),
    Producer("pikepdf-object-streams", 2, make_pikepdf("libreoffice-calc", object_streams=True), LO,
             (b"/ObjStm", b"/XRef")),
]
ROWS = {row.key: row for row in _ROWS}
SIGNED = ("libreoffice-writer", "img2pdf-jpeg")


# ----------------------------------------------------------------------------------------- oracles

def page_counts(path: Path) -> dict[str, int]:
    """The page count by readers other than qpdf (whose library the inspection uses): PDFium always (a
    dependency of the app), poppler's pdfinfo when installed."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        counts = {"pdfium": len(doc)}
    finally:
        doc.close()
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        out = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, timeout=60).stdout
        found = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        counts["pdfinfo"] = int(found.group(1)) if found else -1
    return counts


def xref_where_startxref_says(data: bytes) -> bool:
    """Whether the last startxref points at a cross-reference table ("xref") or stream ("n g obj"): a plain
    byte check, so the damage a tool did is established without qpdf."""
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
    if not found:
        return False
    offset = int(found.group(1))
    return re.match(rb"xref|\d+\s+\d+\s+obj", data[offset:offset + 32]) is not None


def producer_of(path: Path) -> str:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return str(pdf.docinfo.get("/Producer", ""))


def extracted_text(path: Path) -> str | None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60,
                          check=True).stdout.decode("utf-8")


def signed_copy(path: Path, pki: c.Pki) -> Path:
    """`path` signed by the test PKI's signer (pyHanko, incremental update), beside it."""
    target = path.with_name(path.stem + "-da-ky.pdf")
    target.write_bytes(c.sign_pdf(path.read_bytes(), pki))
    return target
