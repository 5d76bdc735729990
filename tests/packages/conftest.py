"""Fixtures of the package tests: one test PKI per worker and a typical small package."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.packages import EntrySource
from tests.packages.pki import PKI, make_pki

VALUES = '{"1.1": 45, "1.2": 3, "TT.1": 12, "ghi_chu": "Biên bản họp ngày 12/3"}'.encode()


@pytest.fixture(scope="session")
def pki() -> PKI:
    return make_pki()


def manifest(**fields) -> dict:
    base = {"format": "dti-package/1", "created_at": "2024-05-06T07:08:09+07:00", "package_id": "c0ffee",
            "unit": {"code": "X1", "name": "UBND xã Tân Hưng"}, "framework": {"id": "hy-2023", "sha256": "ab" * 32},
            "round": 2023, "revision": 3, "supersedes": None, "app_version": "0.1", "score": {"total": 70.5, "max": 100},
            "warnings": ["Thiếu minh chứng 1.2"]}
    base.update(fields)
    return base


def evidence_file(directory: Path, size: int, seed: int = 0, ext: str = "pdf") -> tuple[str, Path]:
    data = (hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1))[:size] if seed else os.urandom(size)
    digest = hashlib.sha256(data).hexdigest()
    path = directory / f"src-{digest[:12]}.{ext}"
    path.write_bytes(data)
    return f"evidence/{digest}.{ext}", path


@pytest.fixture
def sample(tmp_path: Path) -> list[EntrySource]:
    name1, path1 = evidence_file(tmp_path, 300_000, seed=1)
    name2, path2 = evidence_file(tmp_path, 70_000, seed=2, ext="png")
    return [EntrySource("data/values.json", VALUES), EntrySource("data/audit.json", b"[]"),
            EntrySource(name1, path1), EntrySource(name2, path2), EntrySource("report/self-assessment.pdf", b"%PDF-1.7\n%%EOF\n")]
