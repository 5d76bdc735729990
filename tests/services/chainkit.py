"""A real province → district → communes chain for the service-level import tests, built once per test
process (through `app.cli.main.main`, like tests/cli/test_chain.py) and copied for each test that changes
state.

Layout of the base folder (`build_chain`):

- ``prov``  province TP (root CA); enrolled districts H1 and H2 (both ``--can-issue``)
- ``H1``    district H1; enrolled communes X1, X2, XE (certificate already expired: issued with a clock
  four years back), XF (certificate valid only from next month)
- ``H2``    district H2; enrolled commune X3 and another commune that also calls itself ``X1``
  (folder ``H2-X1``: same code, a certificate H1 never issued)
- ``TQ``    another province; it enrolled Q1 directly
- ``pkg/``  packages exported by the units: X1-r1 (values + one evidence PDF with a Vietnamese name),
  X1-r2 (newer), X2-r1, X3-r1, H2X1-r1, XE-r1, XF-r1, Q1-r1, H1-r1 (the district's own package)

Every installation uses the passphrase ``PASS`` (file ``pass.txt``), given with ``--passphrase-file``, so
nothing touches the process environment.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.cli.main import main
from tests.conftest import SMALL

PASS = "chainkit-passphrase-1"
FW = "small-2024"

_BUILT: dict[str, Path] = {}


@dataclass(frozen=True)
class Chain:
    base: Path

    @property
    def passfile(self) -> Path:
        return self.base / "pass.txt"

    def pkg(self, name: str) -> Path:
        return self.base / "pkg" / f"{name}.dtipkg"

    def data(self, name: str) -> Path:
        return self.base / name

    def run(self, data: Path | str, *args: object) -> int:
        """`dti --data-dir DATA --lang en --passphrase-file pass.txt ARGS...` in this process."""
        data = data if isinstance(data, Path) else self.base / data
        return main(["--data-dir", str(data), "--lang", "en", "--passphrase-file", str(self.passfile), *map(str, args)])

    def copy(self, name: str, dest: Path) -> Path:
        """A private copy of an installation's data directory (without its lock file)."""
        shutil.copytree(self.base / name, dest, ignore=shutil.ignore_patterns("dti.lock"))
        return dest


def _ok(rc: int, what: str) -> None:
    if rc != 0:
        raise RuntimeError(f"chain build failed: {what} (exit {rc})")


def _enroll_with_clock(base: Path, issuer: str, code: str, name: str, group: str, out: Path, moment: datetime) -> None:
    """Enroll `code` at `issuer` with the issuer's clock set to `moment` (certificate validity from then)."""
    from app.services.enrollment import issue
    from app.services.workspace import Workspace

    with Workspace(base / issuer, clock=lambda: moment, lang="en") as ws:
        issue(ws, framework_ref=FW, unit_code=code, unit_name=name, group=group, out=out, can_issue=False,
              passphrase=PASS, unit_passphrase=PASS)


def build_chain(tmp_path_factory: Any) -> Chain:
    """The chain of the module docstring, built once per test process (xdist worker) and then reused."""
    if "chain" in _BUILT:
        return Chain(_BUILT["chain"])
    from tests.evidence import corpus as c

    base = tmp_path_factory.mktemp("chainkit")
    ch = Chain(base)
    ch.passfile.write_text(PASS + "\n", encoding="utf-8")
    fw = base / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    (base / "pkg").mkdir()
    enr = base / "enroll"
    enr.mkdir()

    def enroll(issuer: str, code: str, name: str, group: str, folder: str, *extra: str) -> None:
        out = enr / f"{folder}.dtienroll"
        _ok(ch.run(issuer, "enroll", "issue", "--framework", FW, "--unit-code", code, "--unit-name", name, "--group", group,
                   "--unit-passphrase-file", ch.passfile, "--out", out, *extra), f"enroll {code} at {issuer}")
        _ok(ch.run(folder, "enroll", "accept", out), f"accept {folder}")

    _ok(ch.run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử"), "authority")
    _ok(ch.run("prov", "framework", "import", fw), "framework")
    enroll("prov", "H1", "UBND huyện Một", "huyen", "H1", "--can-issue")
    enroll("prov", "H2", "UBND huyện Hai", "huyen", "H2", "--can-issue")
    enroll("H1", "X1", "UBND xã Một", "xa", "X1")
    enroll("H1", "X2", "UBND xã Hai", "xa", "X2")
    enroll("H2", "X3", "UBND xã Ba", "xa", "X3")
    enroll("H2", "X1", "UBND xã Một (giả)", "xa", "H2-X1")
    now = datetime.now(UTC)
    for code, moment in (("XE", now - timedelta(days=4 * 365)), ("XF", now + timedelta(days=30))):
        _enroll_with_clock(base, "H1", code, f"UBND xã {code}", "xa", enr / f"{code}.dtienroll", moment)
        _ok(ch.run(code, "enroll", "accept", enr / f"{code}.dtienroll"), f"accept {code}")
    _ok(ch.run("TQ", "authority", "init", "--code", "TQ", "--name", "Tỉnh khác"), "other authority")
    _ok(ch.run("TQ", "framework", "import", fw), "framework at TQ")
    enroll("TQ", "Q1", "UBND xã Khác", "xa", "Q1")

    _ok(ch.run("X1", "entry", "set", "1.1", "50"), "entry")
    _ok(ch.run("X1", "entry", "set", "1.2", "30,5"), "entry")
    _ok(ch.run("X1", "entry", "set", "TT.1", "12"), "entry")
    pdf = base / "Biên bản họp.pdf"
    pdf.write_bytes(c.reportlab_pdf())
    _ok(ch.run("X1", "evidence", "add", "1.1", pdf), "evidence")
    _ok(ch.run("X1", "package", "export", "--out", ch.pkg("X1-r1")), "export X1 r1")
    _ok(ch.run("X1", "entry", "set", "1.1", "55"), "entry")
    _ok(ch.run("X1", "package", "export", "--out", ch.pkg("X1-r2")), "export X1 r2")
    for folder, name in (("X2", "X2-r1"), ("X3", "X3-r1"), ("H2-X1", "H2X1-r1"), ("XE", "XE-r1"), ("XF", "XF-r1"),
                         ("Q1", "Q1-r1"), ("H1", "H1-r1")):
        _ok(ch.run(folder, "entry", "set", "1.1", "40"), f"entry {folder}")
        _ok(ch.run(folder, "package", "export", "--out", ch.pkg(name)), f"export {name}")
    _BUILT["chain"] = base
    return ch


# -- reading and re-signing packages ------------------------------------------------------------------------

def read_package(path: Path) -> tuple[dict, dict[str, bytes]]:
    """(manifest without its entries list, every other entry's bytes) of a package file."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        entries = {n: z.read(n) for n in z.namelist() if n not in ("manifest.json", "manifest.p7s")}
    manifest.pop("entries")
    return manifest, entries


_SIGNERS: dict[str, Any] = {}


def signer_of(data_dir: Path, role: str = "signing"):
    """The `Signer` of an installation: its certificate, its key decrypted with PASS, its chain."""
    key = f"{data_dir}:{role}"
    if key not in _SIGNERS:
        from app.packages import Signer
        from app.services.trust_service import identity
        from app.services.workspace import Workspace
        from app.trust import keys

        with Workspace(data_dir, write=False) as ws:
            ident = identity(ws)
            cert, pem = ident.signing if role == "signing" else ident.issuing
            _SIGNERS[key] = Signer(cert, keys.decrypt_key(pem, PASS), tuple(ident.chain_for(cert)))
    return _SIGNERS[key]


def repack(src: Path, out: Path, signer, *, manifest: dict | Callable[[dict], Any] | None = None,
           entries: dict[str, bytes | None] | None = None) -> Path:
    """Re-sign `src` as `out` with `signer`: `manifest` updates (a dict merged in, or a function changing the
    dict in place), `entries` replaces (bytes) or removes (None) entries. Evidence names must stay their hash."""
    from app.packages import EntrySource, write_package

    m, e = read_package(src)
    if callable(manifest):
        manifest(m)
    elif manifest:
        m.update(manifest)
    for name, data in (entries or {}).items():
        if data is None:
            e.pop(name, None)
        else:
            e[name] = data
    write_package(out, m, [EntrySource(n, b) for n, b in e.items()], signer)
    return out


def data_json(src: Path, name: str) -> Any:
    with zipfile.ZipFile(src) as z:
        return json.loads(z.read(name))


def canon(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# -- the importing store, before and after ------------------------------------------------------------------

def _files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() or p.is_symlink()}


def db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "dti.sqlite3")


def snapshot(data_dir: Path) -> dict[str, Any]:
    """What an import may change: submission and evidence_file rows, the audit row count, the files under
    received/ and evidence/ (names and SHA-256, temp files included)."""
    con = db(data_dir)
    try:
        return {
            "submission": con.execute("SELECT * FROM submission ORDER BY id").fetchall(),
            "evidence_file": con.execute("SELECT * FROM evidence_file ORDER BY sha256").fetchall(),
            "audit": con.execute("SELECT count(*) FROM audit").fetchone()[0],
            "received": _files(data_dir / "received"),
            "evidence": _files(data_dir / "evidence"),
        }
    finally:
        con.close()


def submissions(data_dir: Path) -> list[tuple]:
    con = db(data_dir)
    try:
        return con.execute("SELECT unit_code, revision, archived_name, via, data_json FROM submission ORDER BY id").fetchall()
    finally:
        con.close()
