"""The tables of an installation's store. Every schema change from here on is an Alembic migration
(app/models/migrations/versions) and a fixture data directory in tests/fixtures/datadirs."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Installation settings: officer name, evidence size cap, ... (dti config set)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Round(Base):
    """An assessment round (đợt đánh giá): one framework opened by an authority; its id is the framework's id
    (DESIGN §6). Every row of round data below names its round; the current round is the setting
    `current_round`, and `--round` / DTI_ROUND chooses another for one command."""

    __tablename__ = "round"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    framework_sha256: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[str | None] = mapped_column(String(10), nullable=True)   # YYYY-MM-DD
    state: Mapped[str] = mapped_column(String(10), default="open")              # open | final
    origin: Mapped[str] = mapped_column(String(10))        # opened (here) | accepted (a round file) | enrolled | migrated
    issuer: Mapped[str | None] = mapped_column(String(40), nullable=True)     # the authority that opened it
    opened_at: Mapped[str] = mapped_column(String(32))


class RoundUnit(Base):
    """A unit's group in a round: at an authority, each unit it enrolled (kept from the previous round where the
    new framework has the group, else `dti round assign`); at a unit, its own group."""

    __tablename__ = "round_unit"
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(40))


class Unit(Base):
    """A unit (đơn vị) known to this installation. `own` marks the unit this installation fills in; its
    framework and group are those it was created with (each round's are in `round` and `round_unit`)."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(Text)
    group_code: Mapped[str] = mapped_column(String(40))
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    own: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(32))


class Entry(Base):
    """One value of an indicator or info field, with the unit's explanation (giải trình)."""

    __tablename__ = "entry"
    __table_args__ = (UniqueConstraint("unit_id", "round_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    value_json: Mapped[str | None] = mapped_column(Text, nullable=True)   # None: explanation only
    explanation: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[str] = mapped_column(String(32))


class EvidenceFile(Base):
    """A stored evidence file, content-addressed by SHA-256, with what inspection found."""

    __tablename__ = "evidence_file"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    ext: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))         # pdf | jpeg | png
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    inspection_json: Mapped[str] = mapped_column(Text)    # problems, signatures, encrypted ...
    original_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)  # before --optimize
    stored_at: Mapped[str] = mapped_column(String(32))


class Attachment(Base):
    """Evidence attached to an indicator of a unit under its original (NFC) file name."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("unit_id", "round_id", "code", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_file.sha256"))
    name: Mapped[str] = mapped_column(Text)
    added_at: Mapped[str] = mapped_column(String(32))


class TrustRoot(Base):
    """A certificate the installation trusts for evidence signatures (e.g. the government CA)."""

    __tablename__ = "trust_root"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)   # of the DER certificate
    subject: Mapped[str] = mapped_column(Text)
    der: Mapped[bytes]
    added_at: Mapped[str] = mapped_column(String(32))


class AuditEntry(Base):
    """Append-only audit log; each row carries the hash of the previous row, so a rewrite of history
    is detectable (dti audit verify)."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Credential(Base):
    """This installation's own certificates and (encrypted) private keys: the authority's root, a unit's
    signing certificate, a district's issuing CA."""

    __tablename__ = "credential"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))            # root | signing | issuing
    unit_code: Mapped[str] = mapped_column(String(40))
    cert_der: Mapped[bytes]
    key_pem: Mapped[bytes]                                    # PKCS#8, encrypted with the passphrase
    created_at: Mapped[str] = mapped_column(String(32))


class ChainCert(Base):
    """Certificates the installation relies on: trust anchors (roots) and the intermediates of its chain."""

    __tablename__ = "chain_cert"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))            # root | intermediate
    subject: Mapped[str] = mapped_column(Text)
    der: Mapped[bytes]
    added_at: Mapped[str] = mapped_column(String(32))


class Enrollment(Base):
    """A unit this installation enrolled (the aggregator's registry): who it is and its certificate."""

    __tablename__ = "enrollment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40), unique=True)
    unit_name: Mapped[str] = mapped_column(Text)
    group_code: Mapped[str] = mapped_column(String(40))
    parent_code: Mapped[str] = mapped_column(String(40))    # the issuing authority's unit code
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    cert_serial: Mapped[str] = mapped_column(String(64))
    cert_der: Mapped[bytes]
    issuing_serial: Mapped[str | None] = mapped_column(String(64), nullable=True)   # a district's CA
    predecessors: Mapped[str | None] = mapped_column(Text, nullable=True)   # codes of the units merged into it
    can_issue: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class RevocationList(Base):
    """A CRL imported or issued here, by the issuer's certificate hash; the newest number counts."""

    __tablename__ = "crl"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_sha256: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)
    der: Mapped[bytes]
    imported_at: Mapped[str] = mapped_column(String(32))


class Submission(Base):
    """A verified package received from a unit: one row per revision, its data kept as JSON."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("unit_code", "framework_id", "revision"),)   # framework_id: the round
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    package_sha256: Mapped[str] = mapped_column(String(64))
    archived_name: Mapped[str] = mapped_column(Text)
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    manifest_json: Mapped[str] = mapped_column(Text)
    data_json: Mapped[str] = mapped_column(Text)             # values, info, explanations, evidence list
    via: Mapped[str | None] = mapped_column(String(40), nullable=True)   # the district bundle it came in
    imported_at: Mapped[str] = mapped_column(String(32))


class Export(Base):
    """The own unit's exported revisions: numbers only grow; each names the manifest it supersedes."""

    __tablename__ = "export"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40))
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), index=True)
    round_year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class Appraisal(Base):
    """Appraised points (thẩm định) of one indicator of one unit, with the comment and whether an
    explanation is requested. At an aggregator: set here or merged from a district's bundle; at a unit:
    received in a feedback file (`source`)."""

    __tablename__ = "appraisal"
    __table_args__ = (UniqueConstraint("round_id", "unit_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(40))
    points: Mapped[str | None] = mapped_column(String(32), nullable=True)    # Decimal as text; None: comment only
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    explanation_requested: Mapped[bool] = mapped_column(default=False)
    appraiser: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(80))   # local | feedback | bundle:<district> | dept:<department unit>
    set_at: Mapped[str] = mapped_column(String(32))


class AppraisalConflict(Base):
    """Two appraisers set the same indicator of the same unit differently (a department's return file or a
    district's bundle against what is here). The current appraisal stays in force until someone resolves
    the conflict: never silently overwritten."""

    __tablename__ = "appraisal_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("round.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(40))
    points: Mapped[str | None] = mapped_column(String(32), nullable=True)    # the incoming appraisal
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    explanation_requested: Mapped[bool] = mapped_column(default=False)
    appraiser: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[str] = mapped_column(String(32))
    current_points: Mapped[str | None] = mapped_column(String(32), nullable=True)   # what was in force
    current_appraiser: Mapped[str] = mapped_column(Text)
    current_source: Mapped[str] = mapped_column(String(80))
    detected_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(20), nullable=True)      # current | incoming | set


class AppraisalWork(Base):
    """Appraisal by field (seed 001): a work file issued to a department for its indicators, or received
    by a department's installation; `body_json` holds what the work covers (received: the units' data)."""

    __tablename__ = "appraisal_work"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(10))           # issued | received
    department: Mapped[str] = mapped_column(Text)
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    counterpart: Mapped[str] = mapped_column(String(40))    # issued: this authority; received: the issuer
    created_at: Mapped[str] = mapped_column(String(32))
    body_json: Mapped[str] = mapped_column(Text)
    returned_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    __table_args__ = (UniqueConstraint("work_id", "role"),)


class ScoreCache(Base):
    """A submission's score summary, kept so that ranking a national-size round reads summaries instead of
    scoring every unit from its entries (DESIGN §9). Derived data: a row counts only while `inputs_sha256`
    equals the hash of today's inputs (engine revision, framework, the unit's appraisals, its group's best
    measures); otherwise the unit is scored from its entries (app.services.score_cache)."""

    __tablename__ = "score_cache"
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    framework_sha256: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str] = mapped_column(Text)
    group_code: Mapped[str] = mapped_column(String(40))
    measures_json: Mapped[str] = mapped_column(Text)      # best-in-group measures of this submission's values
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    summary_json: Mapped[str] = mapped_column(Text)       # total, self_total, share, grade, indices
