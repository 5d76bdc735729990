"""Which hand-off file is this? Recognised by content, for a double-click or `dti FILE`.

Every file that travels between installations has the package construction (DESIGN §6): a ZIP whose
`manifest.json` names its `format`. The file name's suffix only serves the operating system (file
associations, see `SUFFIXES`); a renamed file is still recognised, and a file with a DTI suffix but other
content is refused. Recognising reads the ZIP's directory and the manifest, under the reader's size caps,
and verifies nothing: the import that follows verifies the signature and everything else.

An encrypted package or bundle (CMS EnvelopedData, DER; issue 19) is recognised by its first bytes and
reported as `encrypted`: its manifest is read once the importer has decrypted it.

A volume of a split package (`X1-r3.dtipkg.001-of-004`) is recognised by its header (app.packages.volumes):
its siblings in the same folder are gathered, the manifest is read through them when the set is complete,
and the missing ones are named when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError

ENROLLMENT = "enrollment"
FEEDBACK = "feedback"
PACKAGE = "package"
BUNDLE = "bundle"
APPRAISAL_WORK = "appraisal-work"
APPRAISAL_RETURN = "appraisal-return"
ROUND = "round"

FORMATS = {
    "dti-enrollment/1": ENROLLMENT,
    "dti-feedback/1": FEEDBACK,
    "dti-package/1": PACKAGE,
    "dti-bundle/1": BUNDLE,
    "dti-appraisal-work/1": APPRAISAL_WORK,
    "dti-appraisal-return/1": APPRAISAL_RETURN,
    "dti-round/1": ROUND,
}


@dataclass(frozen=True)
class Suffix:
    """A file-name suffix the installers associate with the application (recognition ignores it)."""

    suffix: str
    prog_id: str        # Windows' programmatic identifier of the file type
    kind: str
    title_vi: str
    title_en: str


SUFFIXES = (
    Suffix(".dtipkg", "DTI.Package", PACKAGE, "Gói nộp DTI", "DTI submission package"),
    Suffix(".dtibundle", "DTI.Bundle", BUNDLE, "Gói tổng hợp DTI", "DTI district bundle"),
    Suffix(".dtienroll", "DTI.Enrollment", ENROLLMENT, "Tệp cấp tài khoản DTI", "DTI enrollment file"),
    Suffix(".phanhoi", "DTI.Feedback", FEEDBACK, "Phản hồi thẩm định DTI", "DTI appraisal feedback"),
    Suffix(".dtifeedback", "DTI.Feedback", FEEDBACK, "Phản hồi thẩm định DTI", "DTI appraisal feedback"),
    Suffix(".dtiwork", "DTI.AppraisalWork", APPRAISAL_WORK, "Tệp thẩm định DTI", "DTI appraisal work file"),
    Suffix(".dtiround", "DTI.Round", ROUND, "Tệp đợt đánh giá DTI", "DTI assessment round file"),
)


@dataclass(frozen=True)
class HandOff:
    path: Path
    kind: str                          # one of the constants above
    format: str                        # the manifest's format; "" for an incomplete set of volumes
    unit_code: str = ""                # the unit the file concerns, when its manifest names one
    volumes: tuple[Path, ...] = ()     # a split package: the volumes found beside the file, in order
    missing: tuple[str, ...] = ()      # ... and the names of those not found
    encrypted: bool = False            # CMS EnvelopedData for its receiver (app.services.package_crypto): the
                                       # manifest is read only once the importer decrypted it

    @property
    def split(self) -> bool:
        return bool(self.volumes)

    @property
    def import_paths(self) -> list[Path]:
        """What an import is given: the volumes of a split package, else the file."""
        return list(self.volumes) if self.volumes else [self.path]


def _unknown(path: Path, why_en: str, why_vi: str) -> UserError:
    return UserError(f"{path.name}: not a DTI file this program can open ({why_en})",
                     f"{path.name}: không phải tệp DTI mà phần mềm mở được ({why_vi})")


def _read_manifest(paths: list[Path], volumes: bool) -> dict:
    """The parsed manifest.json of a package-construction file (or of a complete set of volumes)."""
    from app.packages import manifest as M
    from app.packages import names as N
    from app.packages.reader import Limits
    from app.packages.source import Segment, ShortRead, Source
    from app.packages.volumes import volume_segments
    from app.packages.zipformat import read_directory

    limits = Limits()
    if len(paths) == 1 and not volumes:
        label, segments = paths[0], [Segment(paths[0], 0, paths[0].stat().st_size)]
    else:
        name, segments = volume_segments(paths, check_hashes=False)
        label = paths[0].with_name(name)
    with Source(segments) as src:
        src.label = label.name
        entries = {e.name: e for e in read_directory(src, max_entries=limits.max_entries,
                                                      max_total_bytes=limits.max_total_bytes,
                                                      max_name_bytes=limits.max_name_bytes)}
        entry = entries.get(N.MANIFEST)
        if entry is None:
            raise _unknown(label, f"no {N.MANIFEST}", f"không có {N.MANIFEST}")
        if entry.size > limits.max_manifest_bytes:
            raise _unknown(label, f"{N.MANIFEST} is too large", f"{N.MANIFEST} quá lớn")
        try:
            raw = src.read_at(entry.data_offset, entry.size)
        except ShortRead:
            raise _unknown(label, "the file is cut short", "tệp bị cắt cụt") from None
    try:
        return M.parse(raw)
    except M.ManifestProblem as e:
        raise _unknown(label, f"unreadable {N.MANIFEST}: {e}", f"không đọc được {N.MANIFEST}") from None


def _unit_code(manifest: dict) -> str:
    unit = manifest.get("unit")
    return str(unit.get("code") or "") if isinstance(unit, dict) else ""


def _siblings(path: Path, header) -> tuple[list[Path], list[str]]:
    """(the volumes of the same package found beside `path`, in order; the names of the missing ones)."""
    from app.packages.volumes import read_header, volume_name, volume_pattern

    pattern = volume_pattern(header.name)
    found: dict[int, Path] = {header.index: path}
    for candidate in sorted(path.parent.iterdir()):
        if candidate == path or not pattern.fullmatch(candidate.name) or not candidate.is_file():
            continue
        try:
            other = read_header(candidate)
        except (OSError, UserError):
            continue
        if other is not None and (other.package_sha256, other.count) == (header.package_sha256, header.count):
            found.setdefault(other.index, candidate)
    missing = [volume_name(header.name, i, header.count) for i in range(1, header.count + 1) if i not in found]
    return [found[i] for i in sorted(found)], missing


def recognise(path: Path | str) -> HandOff:
    """What `path` is, from its content; UserError (English and Vietnamese) when it is no DTI hand-off."""
    from app.packages.errors import PackageRefused
    from app.packages.volumes import read_header

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: file not found", f"không tìm thấy tệp {path}")
    try:
        header = read_header(path)
    except PackageRefused as e:
        raise _unknown(path, e.why_en, e.why_vi) from None
    except OSError as e:
        raise UserError(f"{path.name}: cannot read the file ({e.strerror})",
                        f"{path.name}: không đọc được tệp ({e.strerror})") from None
    if header is not None:
        volumes, missing = _siblings(path, header)
        if missing:   # the manifest sits in the last volume: say what is there, the import names what is not
            kind = BUNDLE if header.name.endswith(".dtibundle") else PACKAGE
            return HandOff(path, kind, "", volumes=tuple(volumes), missing=tuple(missing))
        paths = volumes
    else:
        paths = [path]
    from app.services.package_crypto import is_encrypted

    if is_encrypted(paths):   # a DER ContentInfo of id-envelopedData, not a ZIP: a package or a bundle inside
        name = header.name if header is not None else path.name
        kind = BUNDLE if name.endswith(".dtibundle") else PACKAGE
        return HandOff(path, kind, "", volumes=tuple(paths) if header else (), encrypted=True)
    try:
        manifest = _read_manifest(paths, volumes=header is not None)
    except PackageRefused as e:
        raise _unknown(path, e.why_en, e.why_vi) from None
    except OSError as e:
        raise UserError(f"{path.name}: cannot read the file ({e.strerror})",
                        f"{path.name}: không đọc được tệp ({e.strerror})") from None
    fmt = manifest.get("format")
    kind = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if kind is None:
        raise _unknown(path, f"format {fmt!r}", f"định dạng {fmt!r}")
    if header is not None and kind not in (PACKAGE, BUNDLE):
        raise _unknown(path, "only packages and bundles travel in volumes",
                       "chỉ gói nộp và gói tổng hợp mới được chia thành nhiều phần")
    return HandOff(path, kind, fmt, unit_code=_unit_code(manifest), volumes=tuple(paths) if header else ())
