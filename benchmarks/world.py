"""Synthetic data for `make bench`, generated on the fly: a province, its districts, communes and
departments on the bundled hy-2023 framework, each unit enrolled through the real services, filled in with
illustrative figures, given evidence PDFs shaped like scans and exported as signed packages.

Everything here runs in one Python process (the setup is not what is measured); the measured work runs
later as whole `dti` processes over the directories written here.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PASSPHRASE = "bench-passphrase-2024"     # every installation of the synthetic world shares it
FRAMEWORK = "hy-2023"
KB, MB = 1_000, 1_000_000


def scan_pdf(path: Path, size: int, seed: int) -> Path:
    """A PDF shaped like a scanned document: one page per ~400 kB JPEG-like image stream (incompressible
    bytes, as a scanner's JPEG is), `size` bytes in all. Image data is never decoded by the inspection,
    so random bytes behave as a real scan does for hashing, copying and structure checks."""
    rng = random.Random(seed)
    pages = max(1, round(size / (400 * KB)))
    overhead = 400 + 330 * pages
    per_page = max(1_000, (size - overhead) // pages)
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i in range(pages):
        content, image = 4 + 3 * i, 5 + 3 * i
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                       f"/Resources << /XObject << /Im0 {image} 0 R >> >> >>".encode())
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        data = b"\xff\xd8\xff\xe0" + rng.randbytes(per_page - 4)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width 1654 /Height 2339 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(data)
                       + data + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def scan_sizes(count: int, rng: random.Random, low: int = 100 * KB, high: int = 4 * MB) -> list[int]:
    """Log-uniform between 100 kB and 4 MB: many short scans, a few long ones."""
    import math

    return [int(math.exp(rng.uniform(math.log(low), math.log(high)))) for _ in range(count)]


@dataclass
class World:
    base: Path
    province: Path = field(init=False)
    files: Path = field(init=False)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.province = self.base / "province"
        self.files = self.base / "files"

    def unit_dir(self, code: str) -> Path:
        return self.base / "units" / code

    def district_dir(self, code: str) -> Path:
        return self.base / "districts" / code


def _ws(path: Path):
    from app.services.workspace import Workspace

    return Workspace(path)


def _fill(ws, framework, group: str, rng: random.Random) -> None:
    """Illustrative figures for every leaf (as `dti demo` does), in one transaction."""
    from app.services.demo import illustrative_units

    sample = illustrative_units(framework, per_group=1, seed=rng.randrange(1 << 30))
    unit = next(u for u in sample if u.group == group)
    typed = {k: v for k, v in (dict(unit.values) | dict(unit.info)).items() if v is not None}
    ws.set_entries(typed, {}, reason="số liệu tổng hợp (bench)", action="entry.import")


def _attach(ws, framework, group: str, sizes: list[int], scratch: Path, seed: int) -> None:
    """One scan per leaf that asks for evidence, in turn, of the given sizes."""
    from app.scoring.rules import AppraiserOnlyRule
    from app.services import evidence_service

    leaves = [leaf for leaf in framework.leaves(group) if leaf.evidence == "required"
              and not isinstance(leaf.rule, AppraiserOnlyRule)]
    scratch.mkdir(parents=True, exist_ok=True)
    by_leaf: dict[str, list[Path]] = {}
    for i, size in enumerate(sizes):
        pdf = scan_pdf(scratch / f"scan-{seed}-{i:03d}.pdf", size, seed * 1000 + i)
        by_leaf.setdefault(leaves[i % len(leaves)].code, []).append(pdf)
    for code, pdfs in by_leaf.items():
        evidence_service.add_evidence(ws, code, pdfs)
    for pdfs in by_leaf.values():
        for pdf in pdfs:
            pdf.unlink()


def build(base: Path, *, districts: int = 10, communes: int = 161, departments: int = 30,
          scans_per_commune: int = 2, big_scans: int = 50, big_scan_bytes: int = 4 * MB,
          log: Callable[[str], None] = print, seed: int = 2024) -> World:
    """The province enrolls `districts` districts and `departments` departments; the districts enroll
    `communes` communes between them. Every commune exports a package (r1) with `scans_per_commune`
    scans of 100 kB–4 MB; one department ("S-BIG") carries `big_scans` scans of `big_scan_bytes`.
    The departments other than S-BIG are imported into the province (a province mid-round)."""
    from app.services import enrollment, package_export, package_import
    from app.services.trust_service import authority_init

    rng = random.Random(seed)
    world = World(base)
    world.files.mkdir(parents=True, exist_ok=True)
    (world.files / "communes").mkdir(exist_ok=True)
    (world.files / "departments").mkdir(exist_ok=True)
    scratch = base / "scratch"
    t0 = time.perf_counter()
    with _ws(world.province) as prov:
        authority_init(prov, "HY", "Sở TT&TT (tổng hợp, bench)", PASSPHRASE)
        framework = prov.frameworks.get(FRAMEWORK).framework
        district_codes = [f"H{d:02d}" for d in range(1, districts + 1)]
        for code in district_codes:
            enrollment.issue(prov, framework_ref=FRAMEWORK, unit_code=code, unit_name=f"UBND huyện {code} (bench)",
                             group="huyen", out=world.files / f"{code}.dtienroll", can_issue=True,
                             passphrase=PASSPHRASE, unit_passphrase=PASSPHRASE)
        dept_codes = ["S-BIG"] + [f"S{d:02d}" for d in range(1, departments)]
        dept_groups = [g.code for g in framework.groups if g.code.startswith("so")] or ["so-dvc"]
        for i, code in enumerate(dept_codes):
            enrollment.issue(prov, framework_ref=FRAMEWORK, unit_code=code, unit_name=f"Sở {code} (bench)",
                             group=dept_groups[i % len(dept_groups)], out=world.files / f"{code}.dtienroll",
                             can_issue=False, passphrase=PASSPHRASE, unit_passphrase=PASSPHRASE)
    world.timings["province enrolls"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    commune_codes: list[tuple[str, str]] = []
    for d, dcode in enumerate(district_codes):
        share = communes // districts + (1 if d < communes % districts else 0)
        with _ws(world.district_dir(dcode)) as dws:
            enrollment.accept(dws, world.files / f"{dcode}.dtienroll", PASSPHRASE)
            for c in range(1, share + 1):
                ccode = f"X{d + 1:02d}{c:02d}"
                enrollment.issue(dws, framework_ref=FRAMEWORK, unit_code=ccode, unit_name=f"UBND xã {ccode} (bench)",
                                 group="xa", out=world.files / f"{ccode}.dtienroll", can_issue=False,
                                 passphrase=PASSPHRASE, unit_passphrase=PASSPHRASE)
                commune_codes.append((ccode, dcode))
    world.timings["districts enroll communes"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for n, (ccode, _d) in enumerate(commune_codes):
        with _ws(world.unit_dir(ccode)) as ws:
            enrollment.accept(ws, world.files / f"{ccode}.dtienroll", PASSPHRASE)
            _fill(ws, framework, "xa", rng)
            _attach(ws, framework, "xa", scan_sizes(scans_per_commune, rng), scratch, seed + n)
            package_export.export_package(ws, world.files / "communes" / f"{ccode}.dtipkg", PASSPHRASE)
        if (n + 1) % 40 == 0:
            log(f"    {n + 1}/{len(commune_codes)} communes exported")
    world.timings["communes fill, attach, export"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i, code in enumerate(dept_codes):
        group = dept_groups[i % len(dept_groups)]
        with _ws(world.unit_dir(code)) as ws:
            enrollment.accept(ws, world.files / f"{code}.dtienroll", PASSPHRASE)
            _fill(ws, framework, group, rng)
            if code == "S-BIG":
                _attach(ws, framework, group, [big_scan_bytes] * big_scans, scratch, seed + 10_000)
            else:
                _attach(ws, framework, group, scan_sizes(scans_per_commune, rng), scratch, seed + 20_000 + i)
                package_export.export_package(ws, world.files / "departments" / f"{code}.dtipkg", PASSPHRASE)
    with _ws(world.province) as prov:
        done = package_import.import_paths(prov, [world.files / "departments"])
        bad = [o.line("en") for o in done if o.status != "imported"]
        if bad:
            raise RuntimeError("setup import refused: " + "; ".join(bad))
    world.timings["departments fill, attach, export, import"] = time.perf_counter() - t0
    shutil.rmtree(scratch, ignore_errors=True)
    return world


def crc_of(path: Path) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def sha_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def total_bytes(paths: list[Path]) -> int:
    return sum(os.path.getsize(p) for p in paths)


def _submission(n: int, code: str, name: str, unit, loaded, created_at: str):
    """The Submission row an import of revision 1 of `unit`'s illustrative entries would leave."""
    import json

    from app.entries.values import encode
    from app.models.tables import Submission

    fw = loaded.framework
    values = {"values": {c: json.loads(encode(v)) for c, v in unit.values.items() if v is not None},
              "info": {c: json.loads(encode(v)) for c, v in unit.info.items()}, "explanations": {}}
    manifest = {"format": "dti-package/1", "unit": {"code": code, "name": name, "group": unit.group},
                "framework": {"id": fw.id, "sha256": loaded.sha256}, "revision": 1, "created_at": created_at}
    return Submission(unit_code=code, revision=1, manifest_sha256=f"{n:064x}", package_sha256=f"{n:064x}",
                      archived_name=f"received/{code}/{code}-r1.dtipkg", framework_id=fw.id,
                      framework_sha256=loaded.sha256, manifest_json=json.dumps(manifest, ensure_ascii=False),
                      data_json=json.dumps({"values": values, "evidence": []}, ensure_ascii=False), via=None,
                      imported_at=created_at[:10] + "T08:00:00Z")


def province_store(data_dir: Path, units: int = 170, seed: int = 11) -> int:
    """The normal size since July 2025 (issue 18): a province with `units` communes and wards enrolled directly in
    a two-tier round (the bundled hn-xa-2025 framework), each with an imported submission, a third of them with
    an appraisal. Rows are written as enrollment and import would leave them (real certificates, one key for all:
    nothing here verifies a signature); the score summaries are refreshed as the last import would have. Returns the count."""
    from datetime import UTC, datetime

    from app.models.tables import Appraisal, Enrollment
    from app.services import rounds, score_cache
    from app.services.demo import illustrative_units
    from app.trust import certs, keys

    now = datetime(2025, 8, 1, tzinfo=UTC)
    root_key = keys.new_key()
    root = certs.make_root("HY", "Sở Khoa học và Công nghệ tỉnh Hưng Yên (minh họa)", root_key, now)
    with _ws(data_dir) as ws:
        loaded = ws.frameworks.get("hn-xa-2025")
        fw = loaded.framework
        made = illustrative_units(fw, per_group=max(1, units // len(fw.groups)), seed=seed)[:units]
        unit_key = keys.new_key().public_key()   # one key for all: signing 170 real keys would only cost time
        ws.frameworks.keep(loaded)
        rng = random.Random(seed)
        with ws.store.session.begin() as session:
            rounds.add(session, ws, loaded, origin="opened", deadline="2025-11-30")
            for n, u in enumerate(made):
                code = f"X{n:04d}"
                name = f"UBND {'phường' if u.group == 'phuong' else 'xã'} Minh Họa Số {n + 1} (hợp nhất; minh họa)"
                cert = certs.issue_signing(root, root_key, code, name, unit_key, now)
                session.add(Enrollment(unit_code=code, unit_name=name, group_code=u.group, parent_code="HY",
                                       framework_id=fw.id, framework_sha256=loaded.sha256,
                                       cert_serial=format(cert.serial_number, "x"), cert_der=certs.der(cert),
                                       issuing_serial=None, can_issue=False, issued_at="2025-08-01T02:00:00Z"))
                rounds.set_group(session, fw.id, code, u.group)
                session.add(_submission(n, code, name, u, loaded, "2025-10-06T07:08:09+07:00"))
                if n % 3 == 0:
                    leaf = rng.choice([leaf for leaf in fw.leaves(u.group) if leaf.max.get(u.group)])
                    session.add(Appraisal(round_id=fw.id, unit_code=code, code=leaf.code, points="0",
                                          comment="Thiếu minh chứng (minh họa)", explanation_requested=True,
                                          appraiser="Tổ thẩm định (minh họa)", source="local",
                                          set_at="2025-10-10T03:00:00Z"))
        score_cache.refresh(ws)
        return len(made)


def rank_store(data_dir: Path, units: int, seed: int = 7, refresh: bool = True) -> int:
    """An aggregator store with `units` imported submissions (rows written directly, as many imports would
    leave them: manifest and data JSON of illustrative units on hy-2023, every group); returns the count.
    Used for `dti rank` at national size, where importing 10,000 signed packages would dwarf the figure.
    `refresh`: store the score summaries, as the imports' refresh would have (app.services.score_cache)."""

    from app.services.demo import illustrative_units

    with _ws(data_dir) as ws:
        loaded = ws.frameworks.get(FRAMEWORK)
        fw = loaded.framework
        per_group = max(1, units // len(fw.groups))
        made = illustrative_units(fw, per_group=per_group, seed=seed)
        ws.frameworks.keep(loaded)
        from app.services import rounds

        with ws.store.session.begin() as session:
            rounds.add(session, ws, loaded, origin="opened")
            for n, u in enumerate(made):
                code = f"U{n:05d}"
                session.add(_submission(n, code, u.unit_name, u, loaded, "2024-05-06T07:08:09+07:00"))
        if refresh:
            from app.services import score_cache

            score_cache.refresh(ws)
        return len(made)
