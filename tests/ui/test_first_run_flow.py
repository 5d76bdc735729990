"""The first-run flow without any display (Electrum's pattern): every path and refusal of
app.services.first_run, driven as the wizard drives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import UserError
from app.services import first_run as fr
from app.services.workspace import Workspace

PROVINCE_PASS = "province-pass-1"
UNIT_PASS = "unit-pass-123"


@pytest.fixture(scope="module")
def enrollment_file(tmp_path_factory) -> Path:
    """An enrollment file issued by a province for commune X01 (group xa, framework hy-2023)."""
    from app.services.enrollment import issue
    from app.services.trust_service import authority_init

    folder = tmp_path_factory.mktemp("province")
    out = folder / "X01.dtipkg"
    with Workspace(folder / "data") as ws:
        authority_init(ws, "STTTT", "Sở Thông tin và Truyền thông", PROVINCE_PASS)
        issue(ws, framework_ref="hy-2023", unit_code="X01", unit_name="UBND xã Tân Dân", group="xa", out=out,
              can_issue=False, passphrase=PROVINCE_PASS, unit_passphrase=UNIT_PASS)
    return out


def test_no_unit_means_first_run_and_looking_leaves_no_files(tmp_path: Path):
    folder = tmp_path / "empty"
    assert not fr.has_unit(folder)
    assert next(c.id for c in fr.framework_choices(folder)) == fr.PRACTICE_FRAMEWORK
    assert not folder.exists()


def test_practice_path(tmp_path: Path):
    flow = fr.FirstRunFlow(tmp_path / "d")
    flow.choose(fr.PRACTICE)
    assert flow.step == "practice"
    result = flow.submit_practice("hy-2023", "xa", "  UBND xã Thử ")
    assert (flow.step, result.unit_code, result.unit_name, result.how) == ("done", fr.PRACTICE_CODE, "UBND xã Thử",
                                                                            fr.PRACTICE)
    assert fr.has_unit(tmp_path / "d")


def test_practice_refuses_an_unknown_group_in_vietnamese(tmp_path: Path):
    flow = fr.FirstRunFlow(tmp_path / "d")
    flow.choose(fr.PRACTICE)
    with pytest.raises(UserError) as refused:
        flow.submit_practice("hy-2023", "no-such-group")
    assert "không có nhóm" in refused.value.message_vi
    assert flow.step == "practice"
    assert not fr.has_unit(tmp_path / "d")


def test_open_existing_folder(tmp_path: Path):
    fr.start_practice(tmp_path / "old", "hy-2023", "xa")
    flow = fr.FirstRunFlow(tmp_path / "new")
    flow.choose(fr.OPEN)
    with pytest.raises(UserError) as refused:
        flow.submit_folder(tmp_path)
    assert "không chứa dữ liệu DTI" in refused.value.message_vi
    assert flow.submit_folder(tmp_path / "old").unit_code == fr.PRACTICE_CODE
    flow.back()   # done is final
    assert flow.step == "done"


def test_back_returns_to_the_choice(tmp_path: Path):
    flow = fr.FirstRunFlow(tmp_path)
    flow.choose(fr.ENROLL)
    flow.back()
    assert flow.step == "choose"
    with pytest.raises(UserError):
        flow.choose("other")


def test_enrollment_preview_then_accept(tmp_path: Path, enrollment_file: Path):
    flow = fr.FirstRunFlow(tmp_path / "unit")
    flow.choose(fr.ENROLL)
    preview = flow.submit_enrollment_file(enrollment_file)
    assert (preview.unit_code, preview.group, preview.framework_id, preview.parent) == ("X01", "xa", "hy-2023", "STTTT")
    assert preview.group_title == "UBND xã, phường, thị trấn"
    assert len(preview.certificate_fingerprint.split()) == 16   # 64 hex digits in groups of four, as on the sheet
    assert not (tmp_path / "unit").exists()   # nothing stored by looking
    with pytest.raises(UserError) as refused:
        flow.submit_passphrase("wrong-passphrase")
    assert "sai mật khẩu" in refused.value.message_vi
    assert not fr.has_unit(tmp_path / "unit")
    with pytest.raises(UserError):
        flow.submit_passphrase("")
    result = flow.submit_passphrase(UNIT_PASS)
    assert (result.unit_code, result.how) == ("X01", fr.ENROLL)
    assert fr.has_unit(tmp_path / "unit")


def test_a_file_that_is_not_an_enrollment_is_refused(tmp_path: Path):
    junk = tmp_path / "junk.dtipkg"
    junk.write_bytes(b"PK\x03\x04 not really")
    flow = fr.FirstRunFlow(tmp_path / "unit")
    flow.choose(fr.ENROLL)
    for path in (junk, tmp_path / "missing.dtipkg", ""):
        with pytest.raises(UserError):
            flow.submit_enrollment_file(path)
    assert flow.step == "enroll_file"
