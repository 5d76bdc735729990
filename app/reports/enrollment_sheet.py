"""The enrollment sheet (phiếu cấp tài khoản, DESIGN §5): one A4 page handed to a unit at the training
session with its enrollment file. It carries who the account is for, the passphrase to read aloud (and how
to type it), the fingerprints to compare when the file is accepted, the steps in the application (menu paths,
what to compare: every step is done there, the command line is only a footnote for IT staff), and the two
signatures of the hand-over. A list enrolled at once (`dti enroll issue --from`) gets one PDF of all its
sheets, a page each, to print in one go.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table

from app.reports.pdfbase import (
    FONT_BOLD,
    RULE,
    Layout,
    esc,
    format_date,
    markup,
    missing_glyphs,
    nfc,
    para,
    state_heading,
    styles,
    table_style,
    write_pdf,
)
from app.reports.pdfcode import VISIBLE_SPACE, CodeBlock, group_chars

LABEL_FILL = colors.HexColor("#f1f3f5")
WARN_FILL = colors.HexColor("#fff4e5")
WARN_EDGE = colors.HexColor("#c0561b")
FOOTNOTE_GREY = colors.HexColor("#555555")

TEXT = {
    "vi": {
        "title": "PHIẾU CẤP TÀI KHOẢN",
        "subtitle": "Phần mềm tự đánh giá Chỉ số chuyển đổi số (DTI) — giao tại buổi tập huấn",
        "s_unit": "1. Đơn vị được cấp tài khoản",
        "name": "Tên đơn vị", "code": "Mã đơn vị", "group": "Nhóm đánh giá", "parent": "Đơn vị cấp trên",
        "framework": "Bộ chỉ số", "validity": "Hiệu lực chứng thư số", "valid": "từ {a} đến {b}",
        "can_issue": "Cấp tài khoản cho cấp dưới",
        "yes": "Có — được cấp tài khoản cho các đơn vị trực thuộc", "no": "Không",
        "issuer": "Đơn vị cấp", "issued": "ngày cấp {d}", "none": "—",
        "s_pass": "2. Mật khẩu",
        "pass_note": "{n} ký tự. Khoảng cách giữa các nhóm 4 ký tự chỉ để dễ đọc: gõ liền hoặc gõ cả dấu cách "
                     "đều được. Phân biệt chữ hoa, chữ thường; chữ số in màu xanh, ký hiệu in màu đỏ.",
        "pass_note_spaces": "{n} ký tự. Ký hiệu ␣ là một dấu cách phải gõ; khoảng cách giữa các nhóm 4 ký tự chỉ "
                            "để dễ đọc. Phân biệt chữ hoa, chữ thường; chữ số in màu xanh, ký hiệu in màu đỏ.",
        "lookalike": {"0": "0 là số không", "O": "O là chữ o hoa", "o": "o là chữ o thường", "1": "1 là số một",
                      "l": "l là chữ L thường", "I": "I là chữ i hoa", "|": "| là gạch đứng"},
        "lookalike_head": "Dễ nhầm: ",
        "s_fp": "3. Dấu vân tay chứng thư số (SHA-256) — đối chiếu khi nhận tài khoản",
        "fp_unit": "Chứng thư của đơn vị", "fp_root": "Chứng thư gốc",
        "s_steps": "4. Cách nhận tài khoản trong phần mềm DTI",
        "steps": [
            "Chép tệp cấp tài khoản{file} nhận kèm phiếu này vào máy tính của đơn vị.",
            "Mở phần mềm DTI. Máy chưa dùng lần nào: chọn <b>Nhận tệp cấp tài khoản</b>. Máy đã dùng thử "
            "(đơn vị thực hành): chọn menu <b>Tệp → Nhận tệp cấp tài khoản…</b> Sau đó bấm <b>Chọn tệp…</b>, "
            "chọn tệp ở bước 1 và bấm <b>Kiểm tra tệp</b>.",
            "Đối chiếu màn hình với phiếu: tên và mã đơn vị với mục 1; <b>Vân tay chứng thư gốc</b> với dòng "
            "“Chứng thư gốc” ở mục 3, từng nhóm 4 ký tự. Khác dù chỉ một ký tự: dừng lại, không dùng tệp và báo "
            "ngay cho người giao.",
            "Gõ mật khẩu ở mục 2 vào ô <b>Mật khẩu của đơn vị</b> (đánh dấu <b>Hiện mật khẩu</b> để soát lại từng "
            "ký tự), rồi bấm <b>Nhận tài khoản</b>.",
            "Đổi mật khẩu ngay (menu <b>Tệp → Đổi mật khẩu…</b>); từ đó, mỗi lần xuất gói nộp dùng mật khẩu mới.",
        ],
        "file_named": " (<b>{name}</b>)", "file_arg": "TỆP", "arg_note": " (TỆP: đường dẫn tới tệp cấp tài khoản)",
        "warn_title": "⚠ GIỮ BÍ MẬT MẬT KHẨU",
        "warn": "Ai có tệp cấp tài khoản và mật khẩu thì ký số liệu được thay cho đơn vị. Không chụp ảnh phiếu, "
                "không gửi mật khẩu qua thư điện tử, tin nhắn hay mạng xã hội, không để chung với tệp cấp tài khoản. "
                "Đổi mật khẩu ngay sau khi nhận tài khoản (<b>Tệp → Đổi mật khẩu…</b>), sau đó hủy phiếu này hoặc "
                "cất ở nơi an toàn.",
        "cli": "Dành cho cán bộ công nghệ thông tin, trên dòng lệnh: <b>dti enroll accept {file_arg}</b>{arg_note} "
               "(thêm --dry-run để chỉ kiểm tra, không lưu); đổi mật khẩu: <b>dti passphrase change</b>.",
        "date_line": "Ngày {d:02d} tháng {m:02d} năm {y}",
        "giver": "NGƯỜI GIAO", "receiver": "NGƯỜI NHẬN", "sign": "(Ký, ghi rõ họ tên)",
        "doc_title": "Phiếu cấp tài khoản — {code} {name}", "doc_subject": "Phiếu cấp tài khoản DTI",
        "doc_title_many": "Phiếu cấp tài khoản — {n} đơn vị — {issuer}",
    },
    "en": {
        "title": "ENROLLMENT SHEET",
        "subtitle": "Digital Transformation Index (DTI) self-assessment — handed out at the training session",
        "s_unit": "1. Unit enrolled",
        "name": "Unit name", "code": "Unit code", "group": "Assessment group", "parent": "Parent unit",
        "framework": "Framework", "validity": "Certificate valid", "valid": "from {a} to {b}",
        "can_issue": "May enroll other units",
        "yes": "Yes — this unit may enroll the units under it", "no": "No",
        "issuer": "Issued by", "issued": "on {d}", "none": "—",
        "s_pass": "2. Passphrase",
        "pass_note": "{n} characters. The gaps between groups of 4 are for reading only: type it with or without "
                     "the spaces. Upper and lower case differ; digits are printed in blue, symbols in red.",
        "pass_note_spaces": "{n} characters. The sign ␣ is a space to be typed; the gaps between groups of 4 are for "
                            "reading only. Upper and lower case differ; digits are printed in blue, symbols in red.",
        "lookalike": {"0": "0 is the digit zero", "O": "O is capital o", "o": "o is small o", "1": "1 is the digit one",
                      "l": "l is small L", "I": "I is capital i", "|": "| is a vertical bar"},
        "lookalike_head": "Look-alikes: ",
        "s_fp": "3. Certificate fingerprints (SHA-256) — compare when accepting the file",
        "fp_unit": "Unit certificate", "fp_root": "Root certificate",
        "s_steps": "4. How to accept the account in the DTI application",
        "steps": [
            "Copy the enrollment file{file} handed out with this sheet to the unit's computer.",
            "Open the DTI application. On a computer where it was never used: choose <b>Accept an enrollment "
            "file</b>. Where it was tried out (a practice unit): menu <b>File → Accept an enrollment file…</b> Then "
            "click <b>Choose a file…</b>, pick the file of step 1 and click <b>Check the file</b>.",
            "Compare the screen with this sheet: the unit's name and code with section 1; the <b>Root certificate "
            "fingerprint</b> with the line “Root certificate” of section 3, group by group. If a single character "
            "differs: stop, do not use the file and tell the issuer at once.",
            "Type the passphrase of section 2 in the box <b>The unit's passphrase</b> (tick <b>Show passphrase</b> to "
            "check each character), then click <b>Enroll</b>.",
            "Change the passphrase at once (menu <b>File → Change passphrase…</b>); from then on, every export of "
            "the package asks for the new one.",
        ],
        "file_named": " (<b>{name}</b>)", "file_arg": "FILE", "arg_note": " (FILE: the path of the enrollment file)",
        "warn_title": "⚠ KEEP THE PASSPHRASE SECRET",
        "warn": "Whoever holds the enrollment file and the passphrase can sign data in the unit's name. Do not "
                "photograph this sheet or send the passphrase by e-mail, chat or social media, nor keep it with the "
                "file. Change it right after accepting the account (<b>File → Change passphrase…</b>), then destroy "
                "this sheet or lock it away.",
        "cli": "For IT staff, on the command line: <b>dti enroll accept {file_arg}</b>{arg_note} (add --dry-run to "
               "check only, storing nothing); to change the passphrase: <b>dti passphrase change</b>.",
        "date_line": "Date: {d:02d}/{m:02d}/{y}",
        "giver": "ISSUED BY", "receiver": "RECEIVED BY", "sign": "(Signature and full name)",
        "doc_title": "Enrollment sheet — {code} {name}", "doc_subject": "DTI enrollment sheet",
        "doc_title_many": "Enrollment sheets — {n} units — {issuer}",
    },
}

_HEX = re.compile(r"[0-9a-fA-F]{64}")


def fingerprint_groups(fingerprint: str) -> list[str]:
    """A SHA-256 fingerprint as 16 groups of 4 upper-case hex digits (colons and spaces ignored), the form
    printed on the sheet; show it the same way on screen at `enroll accept` so that the two compare."""
    compact = re.sub(r"[\s:]", "", fingerprint)
    if not _HEX.fullmatch(compact):
        raise ValueError(f"not a SHA-256 fingerprint (64 hex digits): {fingerprint!r}")
    return group_chars(compact.upper(), 4)


def _check_passphrase(passphrase: str) -> str:
    text = nfc(passphrase)
    if not text.strip():
        raise ValueError("the passphrase is empty")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValueError("the passphrase holds a control or invisible character that cannot be printed")
    if VISIBLE_SPACE in text:
        raise ValueError(f"the passphrase holds {VISIBLE_SPACE}, the sign the sheet prints for a space")
    missing = missing_glyphs(text, bold=True)
    if missing:
        raise ValueError(f"the passphrase holds characters the sheet's font cannot print: {''.join(missing)!r}")
    return text


@dataclass(frozen=True)
class EnrollmentSheet:
    """What one unit's sheet prints. `enrollment_file` (a file name) is printed in the instructions when given."""

    unit_code: str
    unit_name: str
    group_title: str
    parent_name: str | None
    framework_title: str
    framework_id: str
    issuer_name: str
    passphrase: str
    certificate_fingerprint: str
    root_fingerprint: str
    valid_from: date
    valid_to: date
    issued_on: date
    can_issue: bool
    enrollment_file: str | None = None


def write_enrollment_sheet(path: Path, *, unit_code: str, unit_name: str, group_title: str, parent_name: str | None,
                           framework_title: str, framework_id: str, issuer_name: str, passphrase: str,
                           certificate_fingerprint: str, root_fingerprint: str, valid_from: date, valid_to: date,
                           issued_on: date, can_issue: bool, lang: str = "vi", enrollment_file: str | None = None,
                           created: datetime | None = None, invariant: bool = False) -> None:
    """Write the one-page enrollment sheet (A4 portrait) atomically to `path`.

    `enrollment_file` (a file name) is printed in the instructions when given; `created` and `invariant`
    make the output reproducible (see `write_pdf`). Raises ValueError for a malformed fingerprint or a
    passphrase that could not be printed faithfully."""
    sheet = EnrollmentSheet(unit_code=unit_code, unit_name=unit_name, group_title=group_title, parent_name=parent_name,
                            framework_title=framework_title, framework_id=framework_id, issuer_name=issuer_name,
                            passphrase=passphrase, certificate_fingerprint=certificate_fingerprint,
                            root_fingerprint=root_fingerprint, valid_from=valid_from, valid_to=valid_to,
                            issued_on=issued_on, can_issue=can_issue, enrollment_file=enrollment_file)
    write_enrollment_sheets(path, [sheet], lang=lang, created=created, invariant=invariant)


def write_enrollment_sheets(path: Path, sheets: Sequence[EnrollmentSheet], *, lang: str = "vi",
                            created: datetime | None = None, invariant: bool = False) -> int:
    """Write the sheets into one PDF (atomically), one A4 page each, in the order given; returns the number of
    pages. Every sheet is checked before anything is laid out: ValueError names the unit whose fingerprint is
    malformed or whose passphrase could not be printed faithfully."""
    if not sheets:
        raise ValueError("no enrollment sheet to write")
    t = TEXT["en" if lang == "en" else "vi"]
    checked = []
    for sheet in sheets:
        try:
            checked.append((sheet, _check_passphrase(sheet.passphrase), fingerprint_groups(sheet.certificate_fingerprint),
                            fingerprint_groups(sheet.root_fingerprint)))
        except ValueError as e:
            if len(sheets) == 1:
                raise
            raise ValueError(f"{sheet.unit_code}: {e}") from None
    st = styles(9.5)
    label = ParagraphStyle("SheetLabel", parent=st.table_cell, fontName=FONT_BOLD)
    value = ParagraphStyle("SheetValue", parent=st.table_cell, fontSize=st.body.fontSize, leading=st.body.leading)

    def story(layout: Layout) -> list[Flowable]:
        pages: list[Flowable] = []
        for sheet, secret, unit_fp, root_fp in checked:
            if pages:
                pages.append(PageBreak())
            pages.append(_page(sheet, secret, unit_fp, root_fp, t, lang, layout, st, label, value))
        return pages

    first = sheets[0]
    title = (t["doc_title"].format(code=nfc(first.unit_code), name=nfc(first.unit_name)) if len(sheets) == 1
             else t["doc_title_many"].format(n=len(sheets), issuer=nfc(first.issuer_name)))
    return write_pdf(Path(path), story, title=title, subject=t["doc_subject"], lang=lang, created=created,
                     invariant=invariant)


def _page(sheet: EnrollmentSheet, secret: str, unit_fp: list[str], root_fp: list[str], t: dict, lang: str,
          layout: Layout, st, label: ParagraphStyle, value: ParagraphStyle) -> Flowable:
    """One sheet as one page."""
    width = layout.width
    rows = [
        (t["name"], markup(f"<b>{esc(sheet.unit_name)}</b>", value)),
        (t["code"], markup(f"<b>{esc(sheet.unit_code)}</b>", value)),
        (t["group"], para(sheet.group_title, value)),
        (t["parent"], para(sheet.parent_name or t["none"], value)),
        (t["framework"], markup(f"{esc(sheet.framework_title)} <font size='8'>({esc(sheet.framework_id)})</font>", value)),
        (t["validity"], para(t["valid"].format(a=format_date(sheet.valid_from), b=format_date(sheet.valid_to)), value)),
        (t["can_issue"], para(t["yes"] if sheet.can_issue else t["no"], value)),
        (t["issuer"], para(f"{nfc(sheet.issuer_name)}, {t['issued'].format(d=format_date(sheet.issued_on))}", value)),
    ]
    unit_table = Table([[para(k, label), v] for k, v in rows], colWidths=[width * 0.3, width * 0.7])
    unit_table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))

    note = esc(t["pass_note_spaces" if " " in secret else "pass_note"].format(n=len(group_chars(secret, 1))))
    lookalikes = [phrase for ch, phrase in t["lookalike"].items() if ch in secret]
    if lookalikes:
        note += f"<br/><b>{esc(t['lookalike_head'])}</b>{esc('; '.join(lookalikes))}."
    pass_box = Table([[CodeBlock(group_chars(secret, 4), size=20, colored=True)], [markup(note, st.small)]],
                     colWidths=[width])
    pass_box.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 6)))

    fp_table = Table([[para(t["fp_unit"], label), CodeBlock(unit_fp, size=10.5, per_line=8, align="LEFT", min_cell=0.84)],
                      [para(t["fp_root"], label), CodeBlock(root_fp, size=10.5, per_line=8, align="LEFT", min_cell=0.84)]],
                     colWidths=[width * 0.2, width * 0.8])
    fp_table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4)))

    file_named = t["file_named"].format(name=esc(sheet.enrollment_file)) if sheet.enrollment_file else ""
    file_arg = esc(sheet.enrollment_file) if sheet.enrollment_file else t["file_arg"]
    step_style = ParagraphStyle("SheetStep", parent=st.body, leftIndent=14, bulletIndent=2, bulletFontName=FONT_BOLD,
                                spaceAfter=1.5)
    arg_note = "" if sheet.enrollment_file else t["arg_note"]
    steps = [markup(f"<bullet>{n}.</bullet>{s.format(file=file_named)}", step_style)
             for n, s in enumerate(t["steps"], start=1)]
    # the command line only for IT staff, as a footnote: every step above is done in the application
    cli_style = ParagraphStyle("SheetCli", parent=st.small, fontSize=7.5, leading=9.5, textColor=FOOTNOTE_GREY)
    footnote = markup(t["cli"].format(file_arg=file_arg, arg_note=arg_note), cli_style)

    warn_title = ParagraphStyle("SheetWarnTitle", parent=st.body, fontName=FONT_BOLD, textColor=WARN_EDGE, spaceAfter=2)
    warn_box = Table([[[para(t["warn_title"], warn_title), markup(t["warn"], st.body)]]], colWidths=[width])
    warn_box.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 1.2, WARN_EDGE), ("BACKGROUND", (0, 0), (-1, -1), WARN_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)))

    date_style = ParagraphStyle("SheetDate", parent=st.body, alignment=TA_RIGHT)
    center_bold = ParagraphStyle("SheetSignHead", parent=st.body, fontName=FONT_BOLD, alignment=TA_CENTER, spaceAfter=0)
    center = ParagraphStyle("SheetSignNote", parent=st.small, alignment=TA_CENTER)
    signatures = Table([[[para(t["giver"], center_bold), para(t["sign"], center)],
                         [para(t["receiver"], center_bold), para(t["sign"], center)]]],
                       colWidths=[width / 2, width / 2], rowHeights=[20 * mm])
    signatures.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP")))

    content: list[Flowable] = [
        state_heading(sheet.issuer_name, lang, width, size=9.5),
        Spacer(0, 3 * mm),
        para(t["title"], st.title),
        para(t["subtitle"], st.subtitle),
        para(t["s_unit"], st.heading), unit_table,
        para(t["s_pass"], st.heading), pass_box,
        para(t["s_fp"], st.heading), fp_table,
        para(t["s_steps"], st.heading), *steps,
        Spacer(0, 2 * mm), warn_box,
        Spacer(0, 2 * mm),
        para(t["date_line"].format(d=sheet.issued_on.day, m=sheet.issued_on.month, y=sheet.issued_on.year), date_style),
        signatures,
        footnote,
    ]
    # One page whatever the lengths of names: shrink rather than spill onto a second sheet.
    return KeepInFrame(width, layout.height, content, mode="shrink")
