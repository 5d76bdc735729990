"""Shared fixtures: small frameworks written inline, loaded through the real loader."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SMALL = """\
format: dti-framework/1
id: small-2024
title: "Bộ chỉ số thử"
round: {year: 2024, start: 2024-01-01, end: 2024-12-31}
groups:
  - {code: huyen, title: "UBND huyện"}
  - {code: xa, title: "UBND xã"}
grades:
  - {label: "Tốt", min: 0.9}
  - {label: "Khá", min: 0.7}
  - {label: "Trung bình", min: 0.5}
  - {label: "Yếu", min: 0}
info:
  - {code: TT.1, title: "Số lượng công chức", type: integer, unit: người}
indicators:
  - code: "1"
    title: "Nhận thức số"
    max: 100
    children:
      - {code: "1.1", title: "Điểm họp ban chỉ đạo", max: 60, rule: {type: points}, evidence: optional}
      - {code: "1.2", title: "Điểm văn bản chỉ đạo", max: 40, rule: {type: points}, evidence: none}
  - code: "2"
    title: "Hoạt động chính quyền số"
    max: {huyen: 200, xa: 100}
    children:
      - {code: "2.1", title: "Điểm dịch vụ công", max: {huyen: 200, xa: 100}, rule: {type: points}, evidence: none}
"""


def indicator_framework(leaf_yaml: str, max_points: int = 100, extra_info: str = "") -> str:
    """A one-group framework whose only main index holds the given leaf (YAML of one list item)."""
    leaf_yaml = leaf_yaml.strip()
    if not leaf_yaml.startswith("-"):
        leaf_yaml = "- " + leaf_yaml
    body = "\n".join("      " + line for line in leaf_yaml.splitlines())
    return f"""\
format: dti-framework/1
id: rule-test
title: "Thử quy tắc"
round: {{year: 2024}}
groups: [{{code: g, title: "Nhóm"}}]
grades: [{{label: "Đạt", min: 0.5}}, {{label: "Chưa đạt", min: 0}}]
info:
  - {{code: TT.1, title: "Số công chức", type: integer}}
  - {{code: TT.2, title: "Tên", type: text}}
{extra_info}
indicators:
  - code: "1"
    title: "Chỉ số"
    max: {max_points}
    children:
{body}
"""


@pytest.fixture
def small_yaml() -> str:
    return SMALL
