"""The unit's account from its own window (Tệp → Nhận tệp cấp tài khoản…, Tệp → Đổi mật khẩu…), as plain data.

The same services as `dti enroll accept` and `dti passphrase change` (app.services.enrollment.accept,
app.services.trust_service.change_passphrase); this module only plans and routes:

- `plan_accept` runs the dry run of a real accept (every check, nothing stored) and says what would happen,
  with what the officer compares against the printed enrollment sheet (the unit, the fingerprints).
- An installation holding a practice unit (or any local unit whose code, framework or group are not the
  file's) cannot take the file in place: the enrollment service binds a local unit only of the same code,
  framework and group. The account then goes into a new data folder beside the current one, which stays as
  it was; the window switches to the new folder.
- A refusal that belongs under one passphrase box is a `PassphraseRefused` naming the box.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.errors import UserError
from app.services.workspace import Workspace

PASSPHRASE, OLD, NEW, CONFIRM = "passphrase", "old", "new", "confirm"


class PassphraseRefused(UserError):
    """A refusal shown under one passphrase box (`field`: PASSPHRASE, OLD, NEW or CONFIRM)."""

    def __init__(self, field: str, message: str, message_vi: str):
        super().__init__(message, message_vi)
        self.field = field


def refused_field(error: BaseException) -> str | None:
    """The passphrase box a refusal belongs under, None when it belongs elsewhere (the file, the folder)."""
    from app.trust.keys import WrongPassphrase

    if isinstance(error, PassphraseRefused):
        return error.field
    if isinstance(error, WrongPassphrase):
        return PASSPHRASE
    return None


def _typed(passphrase: str) -> str:
    return unicodedata.normalize("NFC", passphrase)   # as `read_passphrase` hands it to the services


# -- accepting an enrollment file ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FileSummary:
    """What an enrollment file says, verified, in the form the enrollment sheet prints it."""

    path: Path
    unit_code: str
    unit_name: str
    group: str
    group_title: str
    framework_id: str
    framework_title: str
    issuer_name: str                 # who signed the certificate (the sheet's "Đơn vị cấp")
    valid_from: date
    valid_to: date
    certificate_fingerprint: str     # upper case, groups of four, as on the sheet
    root_fingerprint: str
    can_issue: bool


@dataclass(frozen=True)
class AcceptPlan:
    """The outcome of a dry run: what accepting the file would do here."""

    file: FileSummary
    target: Path                     # the data folder the account goes into
    new_folder: bool                 # this folder holds another (practice) unit: a new folder beside it
    unchanged: bool                  # this folder is already enrolled with this very file: nothing to do
    enrolled: bool                   # this folder already holds an enrolled unit (a renewal)
    current_code: str                # the unit this folder holds now
    current_name: str


def summary(path: Path) -> FileSummary:
    """The file verified on its own (signature against the root it carries, every value checked)."""
    from app.services.enrollment import read_enrollment
    from app.trust import certs

    file = read_enrollment(Path(path))
    claim, creds, fw = file.claim, file.creds, file.loaded.framework
    group = fw.group(claim.group)
    issuer = creds.chain[0] if creds.chain else creds.root
    return FileSummary(Path(path), claim.code, claim.name, claim.group, group.title if group else claim.group, fw.id, fw.title,
                       certs.common_name(issuer), creds.signing.not_valid_before_utc.date(),
                       creds.signing.not_valid_after_utc.date(), certs.grouped(certs.fingerprint(creds.signing)),
                       certs.grouped(certs.fingerprint(creds.root)), claim.can_issue)


def new_folder_for(data_dir: Path, unit_code: str) -> Path:
    """A data folder beside `data_dir` for the enrolled unit, never an existing one."""
    data_dir = Path(data_dir)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in unit_code)
    base = data_dir.parent / f"{data_dir.name}-{safe}"
    candidate, n = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def _dry_run_on_a_new_folder(path: Path, passphrase: str | None) -> dict:
    """The dry run of a first enrollment, on a scratch data folder that is removed afterwards."""
    from app.services.enrollment import accept

    with (tempfile.TemporaryDirectory(prefix="dti-enroll-check-", ignore_cleanup_errors=True) as scratch,
          Workspace(Path(scratch) / "data") as ws):
        return accept(ws, path, passphrase, dry_run=True)


def plan_accept(ws: Workspace, path: Path | str) -> AcceptPlan:
    """Check an enrollment file with the dry run of a real accept and say what accepting it would do.
    Stores nothing; a refusal is the service's UserError."""
    from app.services.enrollment import accept
    from app.services.trust_service import identity

    text = str(path).strip()
    if not text:
        raise UserError("choose the enrollment file", "hãy chọn tệp cấp tài khoản (.dtienroll)")
    path = Path(text)
    if not path.is_file():
        raise UserError(f"{path.name}: file not found", f"không tìm thấy tệp {path.name}")
    file = summary(path)
    state = ws.state()
    enrolled = identity(ws).signing is not None
    same_unit = (state.code, state.loaded.framework.id) == (file.unit_code, file.framework_id)
    here = enrolled or (same_unit and file.group == state.group)
    if here:
        result = accept(ws, path, None, dry_run=True)
        return AcceptPlan(file, ws.data_dir, False, bool(result["unchanged"]), enrolled, state.code, state.name)
    _dry_run_on_a_new_folder(path, None)
    return AcceptPlan(file, new_folder_for(ws.data_dir, file.unit_code), True, False, False, state.code, state.name)


@dataclass(frozen=True)
class Accepted:
    data_dir: Path
    unit_code: str
    unit_name: str
    new_folder: bool
    previous: Path                   # the folder the window had open (the practice unit stays there)


def accept_planned(ws: Workspace, plan: AcceptPlan, passphrase: str) -> Accepted:
    """Accept the planned file with the unit's passphrase (that of the sheet's section 2)."""
    from app.services.enrollment import accept

    if not passphrase:
        raise PassphraseRefused(PASSPHRASE, "type the passphrase printed on the enrollment sheet",
                                "hãy nhập mật khẩu in ở mục 2 của phiếu cấp tài khoản")
    passphrase = _typed(passphrase)
    file = plan.file
    if not plan.new_folder:
        result = accept(ws, file.path, passphrase)
        unit = result["unit"]
        return Accepted(ws.data_dir, unit["code"], unit["name"], False, ws.data_dir)
    _dry_run_on_a_new_folder(file.path, passphrase)    # a wrong passphrase is refused before any folder exists
    target = plan.target
    try:
        target.mkdir(parents=True)
    except FileExistsError:
        raise UserError(f"{target} already exists: check the file again", f"thư mục {target} đã có: hãy kiểm tra lại "
                        "tệp") from None
    except OSError as e:
        raise UserError(f"cannot create {target} ({e.strerror or e})",
                        f"không tạo được thư mục {target} ({e.strerror or e})") from None
    try:
        with Workspace(target, lang=ws.lang) as new:
            result = accept(new, file.path, passphrase)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)      # the folder was made just now: leave nothing behind
        raise
    unit = result["unit"]
    return Accepted(target, unit["code"], unit["name"], True, ws.data_dir)


# -- the passphrase ---------------------------------------------------------------------------------------------
def holds_keys(ws: Workspace) -> bool:
    """Whether this installation has a private key, hence a passphrase (a practice unit has neither)."""
    from app.services.trust_service import identity

    ident = identity(ws)
    return any(item is not None for item in (ident.signing, ident.root, ident.issuing))


def check_passphrase(ws: Workspace, passphrase: str) -> None:
    """Refuse a passphrase that does not open this installation's keys (PassphraseRefused or the service's
    WrongPassphrase, both under the box); nothing changes."""
    from app.services.trust_service import identity
    from app.trust import keys

    if not passphrase:
        raise PassphraseRefused(PASSPHRASE, "type the passphrase", "hãy nhập mật khẩu")
    ident = identity(ws)
    item = ident.signing or ident.issuing or ident.root
    if item is None:
        raise UserError("this installation holds no private key", "máy này không có khóa bí mật nào")
    keys.decrypt_key(item[1], _typed(passphrase))


def change_passphrase(ws: Workspace, old: str, new: str, again: str) -> int:
    """`dti passphrase change` with the boxes of the dialog: each refusal names the box it belongs under."""
    from app.services.trust_service import change_passphrase as change
    from app.trust import keys

    if not old:
        raise PassphraseRefused(OLD, "type the current passphrase", "hãy nhập mật khẩu đang dùng")
    if not new:
        raise PassphraseRefused(NEW, "type the new passphrase", "hãy nhập mật khẩu mới")
    if _typed(new) != _typed(again):
        raise PassphraseRefused(CONFIRM, "the two new passphrases differ", "hai lần nhập mật khẩu mới không giống nhau")
    try:
        keys.check_passphrase_strength(_typed(new))
    except UserError as e:
        raise PassphraseRefused(NEW, str(e), e.message_vi) from None
    try:
        return change(ws, _typed(old), _typed(new))
    except keys.WrongPassphrase as e:
        raise PassphraseRefused(OLD, str(e), e.message_vi) from None
