"""The unit report's input as plain data (no store, no reportlab): built by `app.services.report_unit`, drawn
by `app.reports.unit_report`. Kept apart from the drawing so that a service can build it without importing
reportlab, e.g. while the PDF is drawn in a worker thread during a package export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class SignatureLine:
    """An embedded signature of an evidence PDF as validated at intake."""

    signer: str
    signing_time: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence file (tài liệu kiểm chứng) attached to an indicator, with what intake found."""

    name: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    problems: tuple[str, ...] = ()
    signatures: tuple[SignatureLine, ...] = ()


@dataclass(frozen=True)
class IndicatorLine:
    """A node of the framework as scored for the unit, in framework (pre-)order."""

    code: str
    title: str
    depth: int
    leaf: bool
    max: Decimal
    points: Decimal                # final: appraised where set, else self-scored
    self_points: Decimal
    appraised: Decimal | None = None
    how: str = ""                  # how the self-score was obtained, in words
    rule: str = ""                 # the rule in words (leaves)
    value: str | None = None       # the value as entered; None: nothing entered
    explanation: str | None = None  # the unit's explanation (giải trình)
    comment: str | None = None     # the appraiser's comment
    appraiser: str | None = None
    evidence_level: str = "optional"   # required | optional | none
    evidence: tuple[EvidenceLine, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()    # informational findings (scored by the appraiser, pending ...)


@dataclass(frozen=True)
class IndexLine:
    """A main index (chỉ số chính) in the summary."""

    code: str
    title: str
    points: Decimal
    self_points: Decimal
    max: Decimal


@dataclass(frozen=True)
class EntryHash:
    """One package entry the report covers: its name in the package, SHA-256, size and what it is."""

    name: str
    sha256: str
    size: int
    label: str = ""


@dataclass(frozen=True)
class PackageInfo:
    """The package the report belongs to. `package_id` None: the unit's current data, not yet packaged
    (the hashes are those an export made now would carry); `last_revision` names the latest export then."""

    package_id: str | None
    revision: int | None
    created: datetime | None
    entries: tuple[EntryHash, ...]
    last_revision: int | None = None
    last_exported: datetime | None = None


@dataclass(frozen=True)
class UnitReport:
    lang: str
    unit_code: str
    unit_name: str
    group_code: str
    group_title: str
    framework_id: str
    framework_title: str
    framework_sha256: str
    decision: str | None
    round_year: int
    round_start: date | None
    round_end: date | None
    made: datetime                 # the moment the report was made (fixes the PDF dates)
    total: Decimal
    self_total: Decimal
    max: Decimal
    share: Decimal
    grade: str | None
    indices: tuple[IndexLine, ...]
    indicators: tuple[IndicatorLine, ...]
    warnings: tuple[tuple[str, str], ...]   # (code, message), serious findings in check order
    package: PackageInfo
    at_aggregator: bool = False
