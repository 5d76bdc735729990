"""A smaller ICU data library for the Linux bundle.

PySide6's Linux wheels link Qt against ICU 73, whose data library (`libicudata.so.73`, 32 MB) holds
every locale's names, currencies, units, collation, transliteration and break dictionaries plus legacy
code-page converters. Qt Core uses ICU for collation (QCollator), casing and legacy text codecs; Qt's
own tables serve QLocale and text boundaries. The application speaks Vietnamese and English only.

`trim` rebuilds the library with the ICU data items of the root, Vietnamese and English locales and every
item that is not locale data (properties, normalisation, time zones, likely subtags, collation tables),
and leaves out the other locales, the code-page converters (`*.cnv`), the break-iterator dictionaries
(`*.dict`) and transliteration: about 5 MB instead of 32. An item that ICU cannot find makes it fall
back to the root locale; nothing is loaded from outside the bundle.

The data is ICU's "common data" package, exported as the symbol `icudtNN_dat`: a 16-bit header size, the
magic bytes DA 27 and a UDataInfo with format "CmnD", then a table of contents (count, then per item the
offsets of its name and of its data, relative to the table) in name order. The new library is assembled
with the C compiler (`cc`, an `.incbin` of the new package); without one, `trim` returns None and the
build keeps the full library (the bundle is then about 27 MB larger).

    python installer/icu_trim.py SRC_LIB OUT_DIR     # prints the path of the library written
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

KEEP_LOCALES = ("root", "vi", "en")
DROP_FOLDERS = ("translit", "brkitr")
DROP_SUFFIXES = (".cnv", ".dict")
_LOCALE = re.compile(r"^([a-z]{2,3}|root)(_[A-Za-z0-9]+)*\.res$")
_NOT_LOCALES = ("res_index.res", "pool.res")
ALIGN = 16


class NotIcuData(ValueError):
    pass


# -- reading ------------------------------------------------------------------------------------------------
def _data_symbol(elf: bytes) -> tuple[str, int, int]:
    """(symbol name, file offset, size) of the exported icudtNN_dat of a little-endian ELF64 library."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise NotIcuData("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:   # SHT_DYNSYM
            continue
        strtab = sections[link]
        for i in range(size // entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from("<IBBHQQ", elf, offset + i * entsize)
            start = strtab[4] + st_name
            name = elf[start:elf.index(b"\0", start)].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name):
                home = sections[shndx]
                return name, home[4] + (value - home[3]), st_size
    raise NotIcuData("no icudtNN_dat symbol")


def read_items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header bytes, [(item name, item bytes)]) of an ICU common data package."""
    header_size, = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise NotIcuData("not an ICU common data package")
    count, = struct.unpack_from("<I", package, header_size)
    toc = []
    for i in range(count):
        name_at, data_at = struct.unpack_from("<II", package, header_size + 4 + 8 * i)
        start = header_size + name_at
        toc.append((package[start:package.index(b"\0", start)].decode("ascii"), header_size + data_at))
    items = []
    for i, (name, at) in enumerate(toc):
        end = toc[i + 1][1] if i + 1 < count else len(package)
        items.append((name, package[at:end]))
    return package[:header_size], items


# -- choosing and writing -----------------------------------------------------------------------------------
def wanted(name: str, locales: tuple[str, ...] = KEEP_LOCALES) -> bool:
    """Whether an item (e.g. "icudt73l/coll/vi.res") stays."""
    relative = name.split("/", 1)[1] if "/" in name else name
    folder, _, base = relative.rpartition("/")
    if folder.split("/")[0] in DROP_FOLDERS or base.endswith(DROP_SUFFIXES):
        return False
    match = _LOCALE.match(base)
    if match is None or base in _NOT_LOCALES:
        return True
    return match.group(1) in locales


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A common data package of `items` (kept in name order), each item aligned to 16 bytes."""
    items = sorted(items, key=lambda item: item[0].encode("ascii"))
    toc_size = 4 + 8 * len(items)
    names = bytearray()
    name_offsets = []
    for name, _data in items:
        name_offsets.append(toc_size + len(names))
        names += name.encode("ascii") + b"\0"
    body_start = toc_size + len(names)
    body_start += -(len(header) + body_start) % ALIGN
    body = bytearray()
    data_offsets = []
    for _name, data in items:
        data_offsets.append(body_start + len(body))
        body += data
        body += b"\0" * (-(len(header) + body_start + len(body)) % ALIGN)
    toc = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
    padding = b"\0" * (body_start - toc_size - len(names))
    return header + toc + bytes(names) + padding + bytes(body)


def trim(src: Path, out_dir: Path, locales: tuple[str, ...] = KEEP_LOCALES) -> Path | None:
    """Write `out_dir/<src name>`, the trimmed library; None when no C compiler is available."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        return None
    src, out_dir = Path(src), Path(out_dir)
    elf = src.read_bytes()
    symbol, offset, size = _data_symbol(elf)
    header, items = read_items(elf[offset:offset + size])
    package = write_package(header, [item for item in items if wanted(item[0], locales)])
    out_dir.mkdir(parents=True, exist_ok=True)
    dat = out_dir / f"{symbol}.dat"
    dat.write_bytes(package)
    assembly = out_dir / f"{symbol}.S"
    assembly.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        f"\t.balign {ALIGN}\n"
        f"{symbol}:\n"
        f"\t.incbin \"{dat.resolve()}\"\n"
        f"\t.size {symbol}, . - {symbol}\n"
        "\t.section .note.GNU-stack,\"\",@progbits\n", encoding="ascii")
    out = out_dir / src.name
    subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{src.name}", "-o", str(out), str(assembly)],
                   check=True)
    # the new library must carry the same package, byte for byte
    check_symbol, check_offset, check_size = _data_symbol(out.read_bytes())
    if check_symbol != symbol or out.read_bytes()[check_offset:check_offset + check_size] != package:
        raise RuntimeError(f"{out}: the assembled library does not hold the trimmed ICU data")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    out = trim(Path(argv[0]), Path(argv[1]))
    if out is None:
        print("no C compiler (cc): the ICU data library stays as it is", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
