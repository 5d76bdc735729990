"""Table models of the aggregator's window over plain snapshot rows (Vorta's pattern): column constants,
a sort role with native values for the proxies, `set_rows()` wrapped in a model reset."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.scoring.numbers import format_points, format_share, format_vn
from app.services.aggregator_view import (
    CHANGED_EVIDENCE,
    CHANGED_EXPLANATION,
    CHANGED_VALUE,
    Bucket,
    ConflictRow,
    GroupRank,
    IndicatorRow,
    UnitRow,
)
from app.services.identifiers import printable
from app.ui.text import tr

CTX = "Aggregator"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2       # the row's unit code (or indicator code)
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

CHANGED_BG = QColor("#fff3c4")      # changed since the previous revision
OTHER_FG = QColor("#00838f")        # another department's indicator
LATE_FG = QColor("#c62828")
SKIPPED_FG = QColor("#757575")      # an import that had nothing to do


def state_text(state: str) -> str:
    return {
        "not_submitted": tr("AggState", "chưa nộp"),
        "submitted": tr("AggState", "đã nộp"),
        "under_appraisal": tr("AggState", "đang thẩm định"),
        "returned": tr("AggState", "chờ giải trình"),
        "explained": tr("AggState", "đã giải trình"),
        "final": tr("AggState", "đã chốt"),
    }.get(state, state)


STATES = ("not_submitted", "submitted", "under_appraisal", "returned", "explained", "final")


def changed_text(kinds: tuple[str, ...]) -> str:
    words = {CHANGED_VALUE: tr(CTX, "số liệu"), CHANGED_EXPLANATION: tr(CTX, "giải trình"),
             CHANGED_EVIDENCE: tr(CTX, "minh chứng")}
    return ", ".join(words.get(k, k) for k in kinds)


def folded(text: str) -> str:
    """Lower case without diacritics, đ as d (as the unit window's indicator search folds)."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_match(needle: str, *texts: str) -> bool:
    """Whether every word typed is in the texts, compared without case or diacritics ("hoa binh" finds
    "Hòa Bình", "dong" finds "Đông"): the one rule of every search of the aggregator's window."""
    words = folded(needle).split()
    if not words:
        return True
    haystack = " ".join(folded(t) for t in texts)
    return all(w in haystack for w in words)


def pts(value: Decimal | None, lang: str = "vi") -> str:
    return "" if value is None else format_points(value, lang)


def published(value: Decimal | None, lang: str = "vi") -> str:
    """Points as a ranking publishes them: 2 decimals, decimal comma in Vietnamese."""
    if value is None:
        return ""
    return format_vn(value, 2) if lang == "vi" else f"{value:.2f}"


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of plain rows; subclasses say the headers, texts and sort keys."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent)
        self.lang = lang
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return self.HEADERS

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            heads = self.headers()
            return heads[section] if 0 <= section < len(heads) else None
        return None

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, index.column())
        if role == SORT_ROLE:
            return self.sort_key(item, index.column())
        if role == KEY_ROLE:
            return self.key(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric_columns():
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.extra(item, index.column(), role)

    # -- for subclasses ---------------------------------------------------------------------------------
    def text(self, item: Any, column: int) -> str:
        raise NotImplementedError

    def sort_key(self, item: Any, column: int) -> Any:
        return self.text(item, column)

    def key(self, item: Any) -> Any:
        return None

    def numeric_columns(self) -> tuple[int, ...]:
        return ()

    def extra(self, item: Any, column: int, role: int) -> Any:
        return None


# -- units -------------------------------------------------------------------------------------------------
U_CODE, U_NAME, U_GROUP, U_DISTRICT, U_STATE, U_REVISION, U_TOTAL, U_SHARE, U_GRADE, U_NOTES = range(10)


class UnitTableModel(RowsModel):
    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent, lang)
        self.district_titles: dict[str, str] = {}   # district code -> name, set with the rows

    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Mã"), tr(CTX, "Đơn vị"), tr(CTX, "Nhóm"), tr(CTX, "Huyện"), tr(CTX, "Trạng thái"),
                tr(CTX, "Lần nộp"), tr(CTX, "Tổng điểm"), tr(CTX, "Tỷ lệ"), tr(CTX, "Xếp loại"), tr(CTX, "Ghi chú"))

    def numeric_columns(self) -> tuple[int, ...]:
        return (U_REVISION, U_TOTAL, U_SHARE)

    def key(self, item: UnitRow) -> str:
        return item.unit_code

    def text(self, u: UnitRow, column: int) -> str:
        if column == U_CODE:
            return u.unit_code
        if column == U_NAME:
            return u.unit_name
        if column == U_GROUP:
            return u.group_title
        if column == U_DISTRICT:
            return self.district_titles.get(u.district or "", u.district or "")
        if column == U_STATE:
            return state_text(u.state)
        if column == U_REVISION:
            return "" if u.revision is None else str(u.revision)
        if column == U_TOTAL:
            return published(u.total, self.lang)
        if column == U_SHARE:
            return "" if u.share is None else format_share(u.share, self.lang)
        if column == U_GRADE:
            return u.grade or ""
        if column == U_NOTES:
            notes = []
            if u.late:
                notes.append(tr(CTX, "quá hạn"))
            if u.conflicts:
                notes.append(tr(CTX, "{n} xung đột").format(n=u.conflicts))
            if u.requested:
                notes.append(tr(CTX, "{n} yêu cầu giải trình").format(n=u.requested))
            if u.changed and u.previous_revision:
                notes.append(tr(CTX, "{n} thay đổi so với lần {rev}").format(n=u.changed, rev=u.previous_revision))
            return "; ".join(notes)
        return ""

    def sort_key(self, u: UnitRow, column: int) -> Any:
        if column == U_REVISION:
            return u.revision or 0
        if column == U_TOTAL:
            return float(u.total) if u.total is not None else -1.0
        if column == U_SHARE:
            return float(u.share) if u.share is not None else -1.0
        if column == U_STATE:
            return STATES.index(u.state) if u.state in STATES else 99
        return self.text(u, column)

    def extra(self, u: UnitRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == U_NOTES and u.late:
            return QBrush(LATE_FG)
        return None


class UnitFilter(QSortFilterProxyModel):
    """Filter by group, district, state and a text (code or name, without diacritics: search_match); sorts on
    native values."""

    def __init__(self, source: UnitTableModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.group: str | None = None
        self.district: str | None = None
        self.state: str | None = None
        self.text = ""

    def set_filter(self, *, group: str | None = None, district: str | None = None, state: str | None = None,
                   text: str = "") -> None:
        self.beginFilterChange()   # Qt ≥ 6.9: the state changes between begin and end
        self.group, self.district, self.state, self.text = group, district, state, text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        u: UnitRow | None = self.sourceModel().row_at(source_row)  # type: ignore[attr-defined]
        if u is None:
            return False
        if self.group and u.group != self.group:
            return False
        if self.district and u.district != self.district:
            return False
        if self.state and u.state != self.state:
            return False
        return search_match(self.text, u.unit_code, u.unit_name)

    def unit_code_at(self, index: QModelIndex) -> str | None:
        return index.data(KEY_ROLE) if index.isValid() else None


# -- appraisal -----------------------------------------------------------------------------------------------
A_CODE, A_TITLE, A_VALUE, A_SELF, A_APPRAISED, A_COMMENT, A_FLAGS = range(7)


class AppraisalModel(RowsModel):
    """One unit's indicators: value, self points, appraised points, comment, marks."""

    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Mã"), tr(CTX, "Chỉ tiêu"), tr(CTX, "Giá trị"), tr(CTX, "Tự chấm"), tr(CTX, "Thẩm định"),
                tr(CTX, "Ý kiến"), tr(CTX, "Đánh dấu"))

    def numeric_columns(self) -> tuple[int, ...]:
        return (A_SELF, A_APPRAISED)

    def key(self, item: IndicatorRow) -> str:
        return item.code

    def row_of(self, code: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.code == code), -1)

    def text(self, r: IndicatorRow, column: int) -> str:
        if column == A_CODE:
            return r.code
        if column == A_TITLE:
            return "  " * r.depth + r.title
        if column == A_VALUE:
            return r.value
        if column == A_SELF:
            return f"{pts(r.self_points, self.lang)} / {pts(r.max, self.lang)}"
        if column == A_APPRAISED:
            return pts(r.appraised, self.lang)
        if column == A_COMMENT:
            return r.comment
        if column == A_FLAGS:
            flags = []
            if r.explanation_requested:
                flags.append(tr(CTX, "yêu cầu giải trình"))
            if r.changed:
                flags.append(tr(CTX, "thay đổi: {what}").format(what=changed_text(r.changed)))
            if r.other_department:
                flags.append(r.department or "")
            if r.conflict:
                flags.append(tr(CTX, "xung đột"))
            return "; ".join(flags)
        return ""

    def sort_key(self, r: IndicatorRow, column: int) -> Any:
        if column == A_SELF:
            return float(r.self_points)
        if column == A_APPRAISED:
            return float(r.appraised) if r.appraised is not None else -1.0
        return self.text(r, column)

    def extra(self, r: IndicatorRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and not r.leaf:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and r.changed and r.leaf:
            return QBrush(CHANGED_BG)
        if role == Qt.ItemDataRole.ForegroundRole and r.other_department:
            return QBrush(OTHER_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if column == A_TITLE:      # the whole title: the cell shows two lines of it
                tips.append(f"{r.code}. {r.title}")
            elif column == A_VALUE and r.value:
                tips.append(r.value)
            elif column == A_COMMENT and r.comment:
                tips.append(r.comment)
            elif column == A_FLAGS and self.text(r, A_FLAGS):
                tips.append(self.text(r, A_FLAGS))
            if r.changed:
                tips.append(tr(CTX, "Thay đổi so với lần nộp trước: {what}").format(what=changed_text(r.changed)))
            if r.other_department:
                tips.append(tr(CTX, "Chỉ tiêu do {dept} thẩm định").format(dept=r.department))
            return "\n".join(tips) or None
        return None


# -- dashboard, conflicts, import, ranking -------------------------------------------------------------------
B_NAME, B_EXPECTED, B_RECEIVED, B_UNDER, B_FINAL, B_LATE = range(6)


class BucketModel(RowsModel):
    def __init__(self, first_header: str, parent=None, lang: str = "vi"):
        super().__init__(parent, lang)
        self.first_header = first_header

    def headers(self) -> tuple[str, ...]:
        return (self.first_header, tr(CTX, "Phải nộp"), tr(CTX, "Đã nộp"), tr(CTX, "Đang thẩm định"),
                tr(CTX, "Đã chốt"), tr(CTX, "Quá hạn"))

    def numeric_columns(self) -> tuple[int, ...]:
        return (B_EXPECTED, B_RECEIVED, B_UNDER, B_FINAL, B_LATE)

    def key(self, item: Bucket) -> str:
        return item.key

    def text(self, b: Bucket, column: int) -> str:
        return (b.title, str(b.expected), str(b.received), str(b.under_appraisal), str(b.final), str(b.late))[column]

    def sort_key(self, b: Bucket, column: int) -> Any:
        return b.title if column == B_NAME else int(self.text(b, column))


C_UNIT, C_CODE, C_CURRENT, C_INCOMING, C_COMMENT = range(5)


class ConflictModel(RowsModel):
    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Đơn vị"), tr(CTX, "Chỉ tiêu"), tr(CTX, "Đang áp dụng"), tr(CTX, "Mới đến"),
                tr(CTX, "Ý kiến kèm theo"))

    def key(self, item: ConflictRow) -> tuple[str, str]:
        return (item.unit_code, item.code)

    def text(self, c: ConflictRow, column: int) -> str:
        def point_text(raw: str | None) -> str:
            return "—" if raw is None else format_points(Decimal(raw), self.lang)

        return (c.unit_code, c.code, f"{point_text(c.current_points)} ({c.current_appraiser})",
                f"{point_text(c.points)} ({c.appraiser})", c.comment or "")[column]


I_FILE, I_RESULT, I_UNIT, I_REVISION, I_DETAIL = range(5)


class OutcomeModel(RowsModel):
    """Import check and results: one row per package file (app.services.package_import.Outcome, or
    app.services.import_batch.Skipped). Skipped ones in grey, refusals in red, what is (or would be) imported in green."""

    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Tệp"), tr(CTX, "Kết quả"), tr(CTX, "Đơn vị"), tr(CTX, "Lần nộp"), tr(CTX, "Chi tiết"))

    def numeric_columns(self) -> tuple[int, ...]:
        return (I_REVISION,)

    def key(self, item: Any) -> str:
        return item.file

    def text(self, o: Any, column: int) -> str:
        if column == I_FILE:
            return o.file
        if column == I_RESULT:
            return outcome_text(o.status)
        if column == I_UNIT:
            return o.unit or ""
        if column == I_REVISION:
            return "" if o.revision is None else str(o.revision)
        if column == I_DETAIL:   # the file is in the first column already
            return "" if o.status == "waiting" else o.line(self.lang).removeprefix(f"{printable(o.file, 100_000)}: ")
        return ""

    def extra(self, o: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and o.status in ("refused", "alarm"):
            return QBrush(LATE_FG)
        if role == Qt.ItemDataRole.ForegroundRole and o.status in ("skipped", "unchanged"):
            return QBrush(SKIPPED_FG)
        if role == Qt.ItemDataRole.ForegroundRole and o.status in ("imported", "would-import"):
            return QBrush(QColor("#2e7d32"))
        if role == Qt.ItemDataRole.ToolTipRole and column == I_DETAIL and o.status != "waiting":
            return o.line(self.lang)
        return None


def outcome_text(status: str) -> str:
    return {
        "imported": tr(CTX, "đã nhập"),
        "unchanged": tr(CTX, "bỏ qua"),          # already here, the same package: nothing to do
        "skipped": tr(CTX, "bỏ qua"),
        "refused": tr(CTX, "bị từ chối"),
        "alarm": tr(CTX, "BÁO ĐỘNG"),
        "verified": tr(CTX, "hợp lệ"),
        "would-import": tr(CTX, "hợp lệ, sẽ nhập"),
        "waiting": tr(CTX, "chờ kiểm tra"),
    }.get(status, status)


R_RANK, R_CODE, R_NAME = range(3)


class RankFilter(QSortFilterProxyModel):
    """A ranking's rows whose code or name hold every typed word (search_match); the ranks stay the group's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()   # Qt ≥ 6.9: the state changes between begin and end
        self.text = text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        r = self.sourceModel().row_at(source_row)  # type: ignore[attr-defined]
        return r is not None and search_match(self.text, r.unit_code, r.unit_name)


class RankingModel(RowsModel):
    """One group's ranking: rank, unit, main indices, total, share, grade, and the previous round's rank."""

    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent, lang)
        self.group: GroupRank | None = None
        self.previous_label: str | None = None
        self.by: str | None = None          # a main index code: its rank in the rank column; None: the total

    def set_group(self, group: GroupRank | None, previous_label: str | None, by: str | None = None) -> None:
        self.beginResetModel()
        self.group = group
        self.previous_label = previous_label
        self.by = by if group is not None and any(code == by for code, _t in group.indices) else None
        self.rows = list(group.rows) if group else []
        self.endResetModel()

    def rank_of(self, r: Any) -> int:
        """The rank shown: in the chosen main index, else overall."""
        if self.by is not None:
            return int(r.index_ranks.get(self.by, r.rank))
        return r.rank

    def by_column(self) -> int | None:
        if self.by is None or self.group is None:
            return None
        return 3 + next(i for i, (code, _t) in enumerate(self.group.indices) if code == self.by)

    def headers(self) -> tuple[str, ...]:
        heads = [tr(CTX, "Hạng"), tr(CTX, "Mã"), tr(CTX, "Đơn vị")]
        heads += [code for code, _title in (self.group.indices if self.group else ())]
        heads += [tr(CTX, "Tổng điểm"), tr(CTX, "Tỷ lệ"), tr(CTX, "Xếp loại")]
        if self.previous_label:
            heads.append(tr(CTX, "Năm {year}").format(year=self.previous_label))
        return tuple(heads)

    def _n_indices(self) -> int:
        return len(self.group.indices) if self.group else 0

    def numeric_columns(self) -> tuple[int, ...]:
        n = self._n_indices()
        return (R_RANK, *range(3, 3 + n + 2))

    def key(self, item: Any) -> str:
        return item.unit_code

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and self.group
                and 3 <= section < 3 + self._n_indices()):
            code, title = self.group.indices[section - 3]
            return f"{code}. {title}"
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == R_RANK
                and self.by is not None):
            return tr(CTX, "Hạng ({code})").format(code=self.by)
        return super().headerData(section, orientation, role)

    def extra(self, r: Any, column: int, role: int) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and r.merged_from and self.previous_label
                and column == 3 + self._n_indices() + 3):
            return ", ".join(r.merged_from)
        if role == Qt.ItemDataRole.FontRole and column in (R_RANK, self.by_column()) and self.by is not None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def text(self, r: Any, column: int) -> str:
        n = self._n_indices()
        if column == R_RANK:
            return str(self.rank_of(r))
        if column == R_CODE:
            return r.unit_code
        if column == R_NAME:
            return r.unit_name
        if 3 <= column < 3 + n:   # published figures: always 2 decimals (DOMAIN: 284,77)
            code = self.group.indices[column - 3][0]  # type: ignore[union-attr]
            return published(r.indices.get(code), self.lang)
        rest = column - 3 - n
        if rest == 0:
            return published(r.total, self.lang)
        if rest == 1:
            return format_share(r.share, self.lang)
        if rest == 2:
            return r.grade or ""
        if rest == 3:
            if r.previous_mean is not None:   # a merged unit: the mean of its predecessors then
                return tr(CTX, "TB {count} xã cũ {total}").format(count=len(r.merged_from),
                                                                  total=published(r.previous_mean, self.lang))
            if r.previous_rank is None:
                return "—"
            moved = r.previous_rank - r.rank
            arrow = f"▲{moved}" if moved > 0 else f"▼{-moved}" if moved < 0 else "="
            return tr(CTX, "hạng {rank} {arrow}").format(rank=r.previous_rank, arrow=arrow)
        return ""

    def sort_key(self, r: Any, column: int) -> Any:
        n = self._n_indices()
        if column == R_RANK:
            return self.rank_of(r) * 100000 + r.rank   # ties in the index: the overall rank decides
        if 3 <= column < 3 + n:
            return float(r.indices.get(self.group.indices[column - 3][0], 0))  # type: ignore[union-attr]
        if column - 3 - n == 0:
            return float(r.total)
        if column - 3 - n == 1:
            return float(r.share)
        return self.text(r, column)
