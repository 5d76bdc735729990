"""The first run of the unit application (lần chạy đầu), as plain Python.

The desktop wizard only renders this flow (Electrum's pattern): every step, every check and every refusal
lives here, so the whole flow is tested without a display and the CLI could drive it too.

Three ways in:
- accept an enrollment file (tệp cấp tài khoản): inspect it first, so the officer compares the unit and the
  certificate fingerprint with the printed enrollment sheet, then accept it with the unit's passphrase;
- a practice unit (đơn vị thực hành) on a bundled framework: fill in and score without enrollment;
- open an existing data directory (e.g. copied from the old laptop).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UserError
from app.models.db import DB_NAME, peek
from app.services.workspace import Workspace

ENROLL = "enroll"
PRACTICE = "practice"
OPEN = "open"
CHOICES = (ENROLL, PRACTICE, OPEN)

PRACTICE_CODE = "THUC-HANH"
PRACTICE_NAME = "Đơn vị thực hành"
PRACTICE_FRAMEWORK = "hy-2023"
PRACTICE_GROUP = "xa"


@dataclass(frozen=True)
class GroupChoice:
    code: str
    title: str


@dataclass(frozen=True)
class FrameworkChoice:
    """A framework offered on a screen: for a practice unit here, for enrollment (app.services.enrollment_view)."""

    id: str
    title: str
    year: int
    groups: tuple[GroupChoice, ...]
    ref: str                          # "id@sha256": this exact version (enrollment.issue)

    @classmethod
    def of(cls, loaded) -> FrameworkChoice:
        """From a loaded framework (app.frameworks.loader.Loaded)."""
        fw = loaded.framework
        return cls(fw.id, fw.title, fw.round.year, tuple(GroupChoice(g.code, g.title) for g in fw.groups),
                   f"{fw.id}@{loaded.sha256}")


@dataclass(frozen=True)
class EnrollmentPreview:
    """What an enrollment file says, shown before it is accepted (to compare with the printed sheet)."""

    path: Path
    unit_code: str
    unit_name: str
    group: str
    group_title: str
    parent: str
    framework_id: str
    framework_title: str
    year: int
    certificate_fingerprint: str   # grouped as on the sheet: 85E4 603C ...
    root_fingerprint: str
    can_issue: bool


@dataclass(frozen=True)
class FirstRunResult:
    data_dir: Path
    unit_code: str
    unit_name: str
    how: str   # one of CHOICES


def has_unit(data_dir: Path) -> bool:
    """Whether a data directory already holds this installation's unit (then there is no first run).

    Looks before opening: opening a store creates it, and a first run must not leave files behind in a
    folder the officer only looked at. A `db.peek` (sqlite3, read-only): no SQLAlchemy, no migration, no
    framework loaded, so the GUI can decide what to show at start for about a millisecond
    (the window then opens the store once, and reports a store or framework it cannot read)."""
    return peek(data_dir, "SELECT 1 FROM unit WHERE own LIMIT 1")   # table of 0001


def framework_choices(data_dir: Path) -> list[FrameworkChoice]:
    """The frameworks a practice unit can start on, the default (hy-2023) first."""
    from app.services.framework_store import FrameworkStore

    store = FrameworkStore(Path(data_dir))
    out = []
    for entry in store.list():
        out.append(FrameworkChoice.of(store.get(entry.id)))
    out.sort(key=lambda c: (c.id != PRACTICE_FRAMEWORK, c.id))
    return out


def start_practice(data_dir: Path, framework_id: str, group: str, unit_name: str = PRACTICE_NAME,
                   unit_code: str = PRACTICE_CODE) -> FirstRunResult:
    """Create a local practice unit; it fills in, attaches and scores, and signs nothing until enrolled."""
    if not framework_id:
        raise UserError("choose a framework", "hãy chọn bộ chỉ số")
    if not group:
        raise UserError("choose the unit group", "hãy chọn nhóm đơn vị")
    with Workspace(Path(data_dir)) as ws:
        unit, _created = ws.unit_init(framework_id, unit_code, unit_name, group)
        return FirstRunResult(Path(data_dir), unit.code, unit.name, PRACTICE)


def preview_enrollment(path: Path) -> EnrollmentPreview:
    """What an enrollment file enrolls, from the checked reader of `dti enroll accept`
    (app.services.enrollment_accept.check_file): a file that command would refuse on a fresh installation is
    refused here with the same one-line reason. Nothing is stored. The root is trusted on first use only
    because the officer compares its fingerprint with the printed sheet, which is why the preview shows it."""
    from app.services.enrollment_accept import check_file
    from app.trust import certs

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path.name}: file not found", f"không tìm thấy tệp {path.name}")
    file = check_file(path)
    claim, fw = file.claim, file.loaded.framework
    group = fw.group(claim.group)   # the reader checked that the framework has it
    return EnrollmentPreview(
        path=path, unit_code=claim.code, unit_name=claim.name, group=claim.group,
        group_title=group.title if group else claim.group, parent=claim.parent, framework_id=fw.id,
        framework_title=fw.title, year=claim.year, certificate_fingerprint=certs.grouped(claim.signing_sha256),
        root_fingerprint=certs.grouped(certs.fingerprint(file.creds.root)), can_issue=claim.can_issue)


def accept_enrollment(data_dir: Path, preview: EnrollmentPreview, passphrase: str) -> FirstRunResult:
    """Install the unit, its framework and its certificates; a wrong passphrase changes nothing."""
    from app.services.enrollment import accept

    if not passphrase:
        raise UserError("type the unit's passphrase from the enrollment sheet",
                        "hãy nhập mật khẩu của đơn vị ghi trên phiếu cấp tài khoản")
    with Workspace(Path(data_dir)) as ws:
        result = accept(ws, preview.path, passphrase)
    unit = result["unit"]
    return FirstRunResult(Path(data_dir), unit["code"], unit["name"], ENROLL)


def open_existing(folder: Path) -> FirstRunResult:
    """Use a data directory that already holds a unit (a copy from another computer, a USB stick)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder", f"{folder} không phải là thư mục")
    if not (folder / DB_NAME).is_file():
        raise UserError(f"{folder} holds no DTI data ({DB_NAME} is missing)",
                        f"thư mục {folder} không chứa dữ liệu DTI (thiếu tệp {DB_NAME})")
    with Workspace(folder, write=False) as ws:
        state = ws.state()   # "no unit yet" is a UserError with its own message
    return FirstRunResult(folder, state.code, state.name, OPEN)


@dataclass
class FirstRunFlow:
    """The wizard's state machine: choose → (enrollment file → confirm) | practice | open folder → done.

    Each `submit_*` validates its step and either raises UserError (the page stays, the message shows)
    or advances `step`. The flow never touches the data directory before the final step of a path."""

    data_dir: Path
    step: str = "choose"
    choice: str | None = None
    preview: EnrollmentPreview | None = None
    result: FirstRunResult | None = None
    history: list[str] = field(default_factory=list)

    def _go(self, step: str) -> None:
        self.history.append(self.step)
        self.step = step

    def back(self) -> None:
        if self.history and self.step != "done":
            self.step = self.history.pop()

    def choose(self, choice: str) -> None:
        if choice not in CHOICES:
            raise UserError(f"unknown choice {choice!r}", "hãy chọn một cách bắt đầu")
        self.choice = choice
        self._go({ENROLL: "enroll_file", PRACTICE: "practice", OPEN: "open"}[choice])

    def submit_enrollment_file(self, path: Path | str) -> EnrollmentPreview:
        if not str(path).strip():
            raise UserError("choose the enrollment file", "hãy chọn tệp cấp tài khoản")
        self.preview = preview_enrollment(Path(path))
        self._go("enroll_confirm")
        return self.preview

    def submit_passphrase(self, passphrase: str) -> FirstRunResult:
        if self.preview is None:
            raise UserError("choose the enrollment file first", "hãy chọn tệp cấp tài khoản trước")
        return self._done(accept_enrollment(self.data_dir, self.preview, passphrase))

    def submit_practice(self, framework_id: str, group: str, unit_name: str = PRACTICE_NAME) -> FirstRunResult:
        return self._done(start_practice(self.data_dir, framework_id, group, unit_name.strip() or PRACTICE_NAME))

    def submit_folder(self, folder: Path | str) -> FirstRunResult:
        if not str(folder).strip():
            raise UserError("choose the data folder", "hãy chọn thư mục dữ liệu")
        return self._done(open_existing(Path(folder)))

    def _done(self, result: FirstRunResult) -> FirstRunResult:
        self.result = result
        self._go("done")
        return result
