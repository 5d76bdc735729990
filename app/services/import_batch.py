"""One import batch (đợt nhập) as the import page runs it: what happens to each package, decided the same
way for the check (dry run) and for the import, so that the check says exactly what the import then does.

The import pipeline (`package_import.import_paths`) judges each package against the store. A batch adds
what only the whole batch knows, from the signed manifests (the import's first steps: signature, sender,
revision; no entry hashed):
- a package of which a newer revision of the same unit is in the batch is skipped ("bỏ qua"), never
  imported: importing it after the newer one would be refused, before it would be stored for nothing;
- a second copy of the very same package (the same signed manifest) is skipped;
- a second package with the same revision and another manifest is an alarm, as the import would say;
- a package the store already holds a newer revision of is skipped, not refused: that refusal only says
  that nothing needs doing.
Bundles go first: a commune's revision inside a district's bundle is never refused because a loose package
of the same commune came before it. The import page runs this on its database worker. `dti package import`
keeps the contract's per-file verdicts (an older revision is refused there, DESIGN §6)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.services import package_import
from app.services.aggregator_view import latest_revision
from app.services.identifiers import printable
from app.services.package_import import Outcome
from app.services.workspace import Workspace

SKIPPED = "skipped"


@dataclass(frozen=True)
class Signed:
    """What a package's verified signature says: its unit, its revision, the hash of its signed manifest."""

    unit: str
    revision: int
    manifest_sha256: str


@dataclass
class Skipped:
    """A package the batch leaves alone, and why (an Outcome's shape, for the page's table)."""

    file: str
    unit: str | None
    revision: int | None
    reason_vi: str
    reason_en: str
    status: str = SKIPPED
    details: dict[str, Any] = field(default_factory=dict)

    def line(self, lang: str) -> str:
        vi = lang == "vi"
        what = f"{self.unit} {'lần' if vi else 'revision'} {self.revision}: " if self.unit else ""
        word = "bỏ qua" if vi else "skipped"
        return printable(f"{self.file}: {what}{word} — {self.reason_vi if vi else self.reason_en}", 100_000)


def signed(ws: Workspace, volumes: list[Path]) -> Signed | None:
    """The unit and revision of a submission package whose signature and sender verify as the import checks
    them; None for a bundle, or for a package the import will refuse on those grounds (it then says why)."""
    if volumes[0].suffix == ".dtibundle":
        return None
    file = volumes[0].name
    try:
        verified = package_import.verify(ws, volumes, check_entries=False)
        package_import.registry_check(ws, verified, file)
        package_import.signed_values(verified.manifest, file)
    except (UserError, OSError):   # only advice for the batch: the pipeline gives the verdict, and says why
        return None
    manifest = verified.manifest
    return Signed(manifest["unit"]["code"], manifest["revision"], hashlib.sha256(verified.manifest_bytes).hexdigest())


@dataclass
class Plan:
    """The batch's packages in the order they are handled, and those decided without the pipeline."""

    order: list[int]
    signed: dict[int, Signed]
    decided: dict[int, Skipped | Outcome]


def plan(ws: Workspace, groups: list[list[Path]]) -> Plan:
    ids = {i: s for i, volumes in enumerate(groups) if (s := signed(ws, volumes)) is not None}
    newest: dict[str, int] = {}                  # unit -> index of the first file of its highest revision
    for i, s in ids.items():
        best = newest.get(s.unit)
        if best is None or s.revision > ids[best].revision:
            newest[s.unit] = i
    decided: dict[int, Skipped | Outcome] = {}
    for i, s in ids.items():
        first = newest[s.unit]
        if i == first:
            continue
        file, other = groups[i][0].name, groups[first][0].name
        top = ids[first]
        if s.revision < top.revision:
            decided[i] = Skipped(file, s.unit, s.revision,
                                 f"lần nộp {top.revision} của đơn vị có trong cùng đợt nhập ({other})",
                                 f"revision {top.revision} of the unit is in the same batch ({other})")
        elif s.manifest_sha256 == top.manifest_sha256:
            decided[i] = Skipped(file, s.unit, s.revision, f"cùng một gói với tệp {other} trong đợt nhập này",
                                 f"the same package as {other} in this batch")
        else:
            decided[i] = Outcome(file, "alarm", s.unit, s.revision,
                                 reason_en=f"{file}: revision {s.revision} of unit {s.unit} also comes in {other} with "
                                           "different content: two different files carry the same revision",
                                 reason_vi=f"{file}: lần nộp {s.revision} của đơn vị {s.unit} cũng có trong tệp {other} "
                                           "với nội dung khác: hai tệp khác nhau cùng số lần nộp")
    bundles = [i for i, volumes in enumerate(groups) if volumes[0].suffix == ".dtibundle"]
    return Plan(bundles + [i for i in range(len(groups)) if i not in bundles], ids, decided)


def run_one(ws: Workspace, groups: list[list[Path]], batch: Plan, i: int, dry_run: bool,
            passphrase: Callable[[], str] | None = None) -> list[Skipped | Outcome]:
    """Package `i` of the batch: decided by the plan, or through the import pipeline (its check when `dry_run`);
    a refusal that only says the store holds a newer revision becomes a skip."""
    if i in batch.decided:
        return [batch.decided[i]]
    outcomes: list[Skipped | Outcome] = list(package_import.import_paths(ws, groups[i], dry_run=dry_run,
                                                                         refresh_scores=False, passphrase=passphrase))
    s = batch.signed.get(i)
    if s is not None and len(outcomes) == 1 and outcomes[0].status == "refused":
        # signature and sender verified above, so the pipeline stopped at the revision check or after it
        latest = latest_revision(ws, s.unit)
        if latest is not None and s.revision < latest:
            outcomes = [Skipped(outcomes[0].file, s.unit, s.revision, f"đã nhập lần nộp {latest} mới hơn",
                                f"the newer revision {latest} is imported already")]
    return outcomes


def run(ws: Workspace, groups: list[list[Path]], dry_run: bool, cancelled: Callable[[], bool],
        step: Callable[[int, int, int, list], None], passphrase: Callable[[], str] | None = None) -> bool:
    """The whole batch; `step(done, total, index, outcomes)` after each package. False when stopped. `passphrase`
    opens encrypted packages (app.services.package_crypto)."""
    batch = plan(ws, groups)
    for done, i in enumerate(batch.order, 1):
        if cancelled():
            return False
        step(done, len(groups), i, run_one(ws, groups, batch, i, dry_run, passphrase))
    return True
