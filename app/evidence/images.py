"""JPEG/PNG scans: decoding checks with Pillow, and conversion to a one-page PDF with pikepdf.

Decompression bombs are refused by pixel count before any pixel is decoded. A JPEG is decoded at 1/8
scale (libjpeg's DCT scaling: cheap in time and memory) to find truncated or corrupt data, which
`verify()` does not see for JPEG; for PNG, `verify()` checks every chunk's CRC and the end of the file.
Conversion embeds a JPEG's own bytes (no re-encoding, no quality loss) and honours its EXIF orientation; a
PNG's compressed rows go in as they are too when PDF can express them (grey, RGB, palette; not interlaced,
no alpha), so converting costs memory of the order of the file, not of its pixels.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from app.evidence import messages as msg
from app.evidence.logs import quiet_libraries

MAX_PIXELS = 80_000_000  # an A3 page scanned at 600 dpi is 70 million pixels
A4 = (595.2756, 841.8898)  # points
_DPI_RANGE = (50.0, 2400.0)
_MAX_PAGE = 14_400.0  # the largest page a PDF allows, in points (200 inches)
_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


def _open(stream: BinaryIO, name: str, kind: str) -> Any:
    from PIL import Image

    quiet_libraries()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=[_FORMATS[kind]])
    except Image.DecompressionBombError:
        raise msg.refused_image_too_large(name, None, None, MAX_PIXELS) from None
    except Exception:
        raise msg.refused_image_damaged(name) from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise msg.refused_image_damaged(name)
    if width * height > MAX_PIXELS:
        raise msg.refused_image_too_large(name, width, height, MAX_PIXELS)
    return image


def check_image(handle: BinaryIO, name: str, kind: str) -> None:
    """EvidenceRefused unless the JPEG/PNG in `handle` decodes (see the module docstring)."""
    from PIL import Image

    image = _open(handle, name, kind)
    try:
        image.verify()
        if kind == "jpeg":
            handle.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(handle, formats=["JPEG"])
                width, height = image.size
                image.draft("L", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except msg.EvidenceRefused:
        raise
    except Exception:
        raise msg.refused_image_damaged(name) from None
    finally:
        image.close()


def image_to_pdf(path: Path) -> bytes:
    """A JPEG or PNG scan as a one-page PDF. The page has the image's physical size when the file records a
    plausible resolution (50-2400 dpi); otherwise the image is fitted to an A4 page of the same orientation.
    EvidenceRefused if the file is not a JPEG/PNG that decodes."""
    from app.evidence.sniff import sniff

    path = Path(path)
    name = msg.shown_name(path.name)
    try:
        data = path.read_bytes()
    except OSError:
        raise msg.refused_unreadable(name) from None
    kind = sniff(data[:1024])
    if kind not in _FORMATS:
        raise msg.refused_not_image(name, kind)
    check_image(io.BytesIO(data), name, kind)
    try:
        return _render(data, name, kind)
    except msg.EvidenceRefused:
        raise
    except Exception:
        raise msg.refused_image_damaged(name) from None


def _render(data: bytes, name: str, kind: str) -> bytes:
    import pikepdf

    image = _open(io.BytesIO(data), name, kind)
    orientation = _orientation(image) if kind == "jpeg" else 1
    width, height = image.size
    xobject = _jpeg_xobject(image, data) if kind == "jpeg" else _png_xobject(data)
    if xobject is None:
        image.load()
        xobject = _flate_xobject(_flatten(image))
    dpi_x, dpi_y = _dpi(image.info.get("dpi"))
    swapped = orientation in (5, 6, 7, 8)  # EXIF rotations by 90°: the page is the image turned
    shown_w, shown_h = (height, width) if swapped else (width, height)
    res_w, res_h = (dpi_y, dpi_x) if swapped else (dpi_x, dpi_y)
    if res_w and res_h and shown_w / res_w * 72 <= _MAX_PAGE and shown_h / res_h * 72 <= _MAX_PAGE:
        page_w, page_h = shown_w / res_w * 72, shown_h / res_h * 72
        draw_w, draw_h, x0, y0 = page_w, page_h, 0.0, 0.0
    else:
        page_w, page_h = A4 if shown_h >= shown_w else (A4[1], A4[0])
        scale = min(page_w / shown_w, page_h / shown_h)
        draw_w, draw_h = shown_w * scale, shown_h * scale
        x0, y0 = (page_w - draw_w) / 2, (page_h - draw_h) / 2
    img_w, img_h = (draw_h, draw_w) if swapped else (draw_w, draw_h)  # the stored (unturned) image's box
    matrices = [(1, 0, 0, 1, x0, y0), _orient(orientation, draw_w, draw_h), (img_w, 0, 0, img_h, 0, 0)]
    content = b"q\n" + b"".join(b"%s cm\n" % b" ".join(_num(v) for v in m) for m in matrices) + b"/Im0 Do\nQ\n"
    pdf = pikepdf.new()
    with pdf:
        info = pdf.make_stream(xobject.pop("data"), **xobject)
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, _round(page_w), _round(page_h)],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=info)),
            Contents=pdf.make_stream(content))
        pdf.pages.append(pikepdf.Page(page))
        pdf.docinfo["/Title"] = name
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _orientation(image: Any) -> int:
    try:
        value = int(image.getexif().get(0x0112, 1))
    except Exception:
        return 1
    return value if 1 <= value <= 8 else 1


def _jpeg_xobject(image: Any, data: bytes) -> dict[str, Any] | None:
    """The JPEG's own bytes as an image XObject (DCTDecode), or None for a mode PDF cannot show as is."""
    import pikepdf

    spaces = {"L": pikepdf.Name.DeviceGray, "RGB": pikepdf.Name.DeviceRGB, "CMYK": pikepdf.Name.DeviceCMYK}
    if image.mode not in spaces:
        return None
    width, height = image.size
    xobject: dict[str, Any] = dict(data=data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width,
                                   Height=height, ColorSpace=spaces[image.mode], BitsPerComponent=8,
                                   Filter=pikepdf.Name.DCTDecode)
    if image.mode == "CMYK" and "adobe" in image.info:  # Adobe writes CMYK JPEGs inverted
        xobject["Decode"] = [1, 0, 1, 0, 1, 0, 1, 0]
    return xobject


def _png_xobject(data: bytes) -> dict[str, Any] | None:
    """The PNG's own compressed rows as an image XObject (FlateDecode with the PNG predictors, as PDF
    defines them), without decoding a pixel; None for what that cannot express (interlacing, alpha,
    transparency), which is then decoded and flattened."""
    import pikepdf

    chunks = _png_chunks(data)
    if chunks is None or not chunks.get(b"IHDR") or b"tRNS" in chunks:
        return None
    width, height, depth, color, _compression, _filter, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    if interlace or color not in (0, 2, 3) or (color == 2 and depth not in (8, 16)):
        return None
    colors = 3 if color == 2 else 1
    if color == 3:
        palette = b"".join(chunks.get(b"PLTE", []))
        if not palette or len(palette) % 3:
            return None
        space: Any = [pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, len(palette) // 3 - 1, pikepdf.String(palette)]
    else:
        space = pikepdf.Name.DeviceRGB if color == 2 else pikepdf.Name.DeviceGray
    params = pikepdf.Dictionary(Predictor=15, Colors=colors, BitsPerComponent=depth, Columns=width)
    return dict(data=b"".join(chunks[b"IDAT"]), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width,
                Height=height, ColorSpace=space, BitsPerComponent=depth, Filter=pikepdf.Name.FlateDecode,
                DecodeParms=params)


def _png_chunks(data: bytes) -> dict[bytes, list[bytes]] | None:
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if len(body) != length:
            return None
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
        if kind == b"IEND":
            return chunks if b"IDAT" in chunks else None
    return None


def _flate_xobject(image: Any) -> dict[str, Any]:
    import pikepdf

    width, height = image.size
    space = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
    bits = 1 if image.mode == "1" else 8
    return dict(data=zlib.compress(image.tobytes(), 6), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                Width=width, Height=height, ColorSpace=space, BitsPerComponent=bits, Filter=pikepdf.Name.FlateDecode)


def _orient(orientation: int, w: float, h: float) -> tuple[float, ...]:
    """The matrix that maps the stored image, drawn upright in its own box, onto the shown box w x h,
    following EXIF orientation 1-8 (PDF's y axis points up, image rows go down)."""
    return {
        1: (1, 0, 0, 1, 0, 0),
        2: (-1, 0, 0, 1, w, 0),    # mirrored horizontally
        3: (-1, 0, 0, -1, w, h),   # turned 180°
        4: (1, 0, 0, -1, 0, h),    # mirrored vertically
        5: (0, -1, -1, 0, w, h),   # transposed
        6: (0, -1, 1, 0, 0, h),    # to be turned 90° clockwise
        7: (0, 1, 1, 0, 0, 0),     # transversed
        8: (0, 1, -1, 0, w, 0),    # to be turned 90° counter-clockwise
    }[orientation]


def _round(value: float) -> float:
    return round(value, 4)


def _num(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode()


def _dpi(value: Any) -> tuple[float | None, float | None]:
    try:
        x, y = float(value[0]), float(value[1])
    except Exception:
        return None, None
    low, high = _DPI_RANGE
    if not (low <= x <= high and low <= y <= high):
        return None, None
    return x, y


def _flatten(image: Any) -> Any:
    """A PNG in a mode a PDF image takes as is: 1-bit, grey or RGB 8-bit, transparency composited on white."""
    from PIL import Image

    mode = image.mode
    if mode in ("1", "L", "RGB"):
        return image
    if mode == "P":
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if mode.startswith("I"):  # 16-bit grey
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGB")
