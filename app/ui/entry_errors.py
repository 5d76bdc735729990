"""Nhập từ Excel: when the workbook is refused, every bad cell in a table (sheet, cell, code, reason).

`app.services.entry_import.import_entries` refuses the whole file with one Vietnamese line listing every
bad cell ("Chỉ số!F12: 1.1: vượt điểm tối đa 60; Thông tin chung!E7: …"); `cell_errors` splits that
line back into rows. Nothing was stored, whatever the table shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.ui.icons import app_icon
from app.ui.text import tr

CTX = "EntryErrors"
_ROOT = QModelIndex()
# "<sheet>!<cell>: " starts each bad cell; the sheet names are the workbook's own (letters, spaces, dots)
_CELL = re.compile(r"(?:^|; )(?P<sheet>[^;!:]{1,40})!(?P<cell>[A-Z]{1,3}[0-9]{1,7}): ")
_CODE = re.compile(r"^(?P<code>[A-Za-z0-9][A-Za-z0-9._-]{0,30}): (?P<rest>.*)$", re.S)
_HEAD = re.compile(r"^(?P<file>.*?): (?P<n>\d+) (?:giá trị sai|ô sai|bad entr(?:y|ies)|bad cells?), "
                   r"(?:chưa lưu gì|nothing saved): ", re.S)
_MORE = re.compile(r"; (?:và|and) (?P<n>\d+) (?:ô khác|more)$")


@dataclass(frozen=True)
class CellError:
    sheet: str
    cell: str
    code: str
    reason: str


def cell_errors(message: str) -> tuple[list[CellError], int]:
    """(rows, cells not listed) from the refusal line; ([], 0) when it names no cell (a whole-file
    refusal such as a workbook of another unit), which the caller then shows as it is."""
    head = _HEAD.match(message)
    body = message[head.end():] if head else message
    more = _MORE.search(body)
    hidden = int(more["n"]) if more else 0
    if more:
        body = body[:more.start()]
    starts = list(_CELL.finditer(body))
    rows = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        text = body[match.end():end].strip()
        code_match = _CODE.match(text)
        code, reason = (code_match["code"], code_match["rest"]) if code_match else ("", text)
        rows.append(CellError(match["sheet"].strip(), match["cell"], code, reason.strip()))
    order = {sheet: i for i, sheet in enumerate(dict.fromkeys(r.sheet for r in rows))}
    rows.sort(key=lambda r: (order[r.sheet], int(re.sub(r"[A-Z]", "", r.cell)), r.cell))   # F5 before F10
    return rows, hidden


class CellErrorModel(QAbstractTableModel):
    def __init__(self, rows: list[CellError], parent=None):
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr(CTX, "Trang tính"), tr(CTX, "Ô"), tr(CTX, "Mã"), tr(CTX, "Lý do"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (row.sheet, row.cell, row.code, row.reason)[index.column()]
        return None


class EntryErrorsDialog(QDialog):
    def __init__(self, file_name: str, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr(CTX, "Tệp Excel chưa được nhập"))
        self.setWindowIcon(app_icon())
        self.resize(820, 420)
        rows, hidden = cell_errors(message)
        layout = QVBoxLayout(self)
        if rows:
            text = tr(CTX, "{file}: {n} ô cần sửa. Chưa lưu số liệu nào — sửa các ô dưới đây trong tệp Excel rồi "
                           "nhập lại.").format(file=file_name, n=len(rows) + hidden)
        else:
            text = tr(CTX, "Chưa lưu số liệu nào: {reason}").format(reason=message)
        self.summary = QLabel(text)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold; color: #b71c1c;")
        layout.addWidget(self.summary)
        self.model = CellErrorModel(rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)   # long reasons wrap
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(bool(rows))
        layout.addWidget(self.table, 1)
        if hidden:
            layout.addWidget(QLabel(tr(CTX, "… và {n} ô khác (sửa các ô trên rồi nhập lại để xem tiếp).").format(n=hidden)))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(tr(CTX, "Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
