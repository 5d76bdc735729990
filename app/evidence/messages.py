"""Every line evidence inspection shows, in Vietnamese and English, in one place.

Finding codes (stable; a store and other installations rely on them):

    encrypted            the PDF is encrypted with an owner password only (it opens, restrictions may apply)
    javascript           JavaScript anywhere: document-level name tree, actions, form fields
    open_action          the document runs an action when opened (other than going to a page)
    additional_actions   /AA: actions triggered by opening pages, fields or the document, closing, printing...
    launch               a Launch action (start a program or open another file)
    embedded_files       embedded files or file attachment annotations
    xfa                  an XFA form (/AcroForm /XFA)
    repaired             the structure was damaged and had to be reconstructed to read the file
    trailing_data        bytes other than padding follow the document's end (%%EOF); they are ignored
    unchecked            a check failed inside the inspection itself (logged with the file's hash); the
                         file is accepted, and the finding says which check could not be made
    syntax               qpdf's check (`check_pdf_syntax`) or opening reported problems
    signature_invalid    a signature that is broken, altered, or could not be read
    signature_untrusted  a valid signature whose certificate does not chain to a trusted root
    signature_partial    a signature that does not cover the whole file (changed after signing)
    image_scan           a JPEG/PNG image rather than a PDF

Messages are a pure function of the file (no paths, no times of the call), so `--json` output is stable.
"""

from __future__ import annotations

import unicodedata
from pathlib import PureWindowsPath

from app.evidence.model import EvidenceRefused, Finding

_MB = 1024 * 1024

FINDINGS: dict[str, tuple[str, str]] = {
    "encrypted": (
        "Tệp PDF được mã hóa bằng mật khẩu chủ sở hữu: vẫn đọc được nhưng có thể bị hạn chế in hoặc sao chép.",
        "The PDF is encrypted with an owner password: it can be read, but printing or copying may be restricted.",
    ),
    "javascript": (
        "Tệp PDF chứa mã JavaScript.",
        "The PDF contains JavaScript.",
    ),
    "open_action": (
        "Tệp PDF tự thực hiện một hành động khi được mở (OpenAction).",
        "The PDF runs an action when it is opened (OpenAction).",
    ),
    "additional_actions": (
        "Tệp PDF chứa các hành động tự động (AA) gắn với tài liệu, trang hoặc trường biểu mẫu.",
        "The PDF contains automatic actions (AA) triggered by the document, its pages or form fields.",
    ),
    "launch": (
        "Tệp PDF chứa lệnh khởi chạy chương trình hoặc mở tệp khác (Launch).",
        "The PDF contains an action that starts a program or opens another file (Launch).",
    ),
    "embedded_files": (
        "Tệp PDF có tệp khác đính kèm bên trong.",
        "The PDF carries embedded files or file attachments.",
    ),
    "xfa": (
        "Tệp PDF chứa biểu mẫu XFA (nội dung động, có thể hiển thị khác nhau giữa các phần mềm đọc PDF).",
        "The PDF contains an XFA form (dynamic content that may display differently in different PDF readers).",
    ),
    "repaired": (
        "Cấu trúc tệp PDF bị hỏng và đã phải khôi phục khi đọc; cần kiểm tra lại nội dung.",
        "The PDF's structure is damaged and had to be reconstructed to read it; check its content.",
    ),
    "trailing_data": (
        "Sau phần kết thúc của tài liệu PDF (%%EOF) còn dữ liệu thừa; phần đó không thuộc tài liệu và bị bỏ qua.",
        "Extra data follows the end of the PDF document (%%EOF); it is not part of the document and is ignored.",
    ),
    "image_scan": (
        "Tài liệu là ảnh chụp hoặc ảnh quét (JPEG/PNG), không phải tệp PDF; có thể chuyển sang PDF.",
        "The evidence is an image scan (JPEG/PNG) rather than a PDF; it can be converted to PDF.",
    ),
}


def finding(code: str) -> Finding:
    vi, en = FINDINGS[code]
    return Finding(code, vi, en)


# What `unchecked` names: the checks of pdf.py that may fail on their own account.
UNCHECKED: dict[str, tuple[str, str]] = {
    "active_content": ("nội dung tự chạy (JavaScript, hành động tự động, tệp đính kèm)",
                       "active content (JavaScript, automatic actions, embedded files)"),
    "signature_fields": ("các trường chữ ký số", "the signature fields"),
    "syntax": ("cú pháp và cấu trúc tệp", "the file's syntax and structure"),
}


def unchecked_finding(what: str) -> Finding:
    vi, en = UNCHECKED[what]
    return Finding("unchecked", f"Chương trình không kiểm tra được {vi} của tệp PDF này; tệp vẫn được nhận, "
                   "người thẩm định nên mở xem trực tiếp.",
                   f"The application could not check {en} of this PDF; the file is accepted, and appraisers "
                   "should open it and look.")


def syntax_finding(problems: list[str]) -> Finding:
    count = len(problems)
    first = problems[0] if problems else ""
    if len(first) > 160:
        first = first[:157] + "..."
    return Finding(
        "syntax",
        f"Tệp PDF có {count} lỗi cú pháp hoặc cấu trúc (lỗi đầu tiên: {first}).",
        f"The PDF has {count} syntax or structure problem{'s' if count != 1 else ''} (first: {first}).",
    )


def _who(signer: str, field: str | None) -> tuple[str, str]:
    """How a signature is named in a message: by signer, else by field."""
    if signer:
        return f"của “{signer}”", f"of “{signer}”"
    if field:
        return f"trong trường “{field}”", f"in field “{field}”"
    return "(không rõ người ký)", "(unknown signer)"


INVALID_REASONS: dict[str, tuple[str, str]] = {
    "altered": ("nội dung được ký đã bị thay đổi", "the signed content was altered"),
    "broken": ("chữ ký không khớp với chứng thư số của người ký", "the signature does not verify against the "
               "signer's certificate"),
    "unreadable": ("không đọc được chữ ký", "the signature could not be read"),
    "unsupported": ("dạng chữ ký không được hỗ trợ", "the signature format is not supported"),
    "encapsulated": ("chữ ký mang nội dung được ký bên trong (encapsulated) thay vì tách rời như chuẩn PDF "
                     "quy định cho dạng chữ ký này",
                     "the signature carries its signed content inside it (encapsulated) instead of detached, as "
                     "the PDF standard requires for this kind of signature"),
}


def signature_invalid(signer: str, field: str | None, reason: str) -> Finding:
    who_vi, who_en = _who(signer, field)
    why_vi, why_en = INVALID_REASONS[reason]
    return Finding("signature_invalid", f"Chữ ký số {who_vi} không hợp lệ: {why_vi}.",
                   f"The digital signature {who_en} is not valid: {why_en}.")


UNTRUSTED_REASONS: dict[str, tuple[str, str]] = {
    "no_chain": ("chứng thư số không được cấp bởi tổ chức chứng thực được tin cậy",
                 "its certificate does not chain to a trusted root"),
    "expired": ("chứng thư số đã hết hạn hoặc chưa có hiệu lực", "its certificate has expired or is not yet valid"),
    "revoked": ("chứng thư số đã bị thu hồi", "its certificate has been revoked"),
    "usage": ("chứng thư số không được phép dùng để ký văn bản", "its certificate may not be used to sign documents"),
    "algorithm": ("thuật toán ký không còn an toàn", "it uses an algorithm no longer considered safe"),
    "sha1_format": ("chữ ký dạng cũ adbe.pkcs7.sha1 dựa trên thuật toán SHA-1, không còn được coi là an toàn",
                    "it is in the old adbe.pkcs7.sha1 format, which rests on SHA-1, no longer considered safe"),
    "other": ("không xác minh được chứng thư số", "its certificate could not be verified"),
}


def signature_untrusted(signer: str, field: str | None, reason: str) -> Finding:
    who_vi, who_en = _who(signer, field)
    why_vi, why_en = UNTRUSTED_REASONS[reason]
    return Finding("signature_untrusted", f"Chữ ký số {who_vi} đúng về mặt kỹ thuật nhưng chưa được tin cậy: {why_vi}.",
                   f"The digital signature {who_en} is technically valid but not trusted: {why_en}.")


def signature_partial(signer: str, field: str | None) -> Finding:
    who_vi, who_en = _who(signer, field)
    return Finding("signature_partial",
                   f"Chữ ký số {who_vi} không bao trùm toàn bộ tệp: tài liệu đã bị sửa đổi sau khi ký.",
                   f"The digital signature {who_en} does not cover the whole file: the document was changed "
                   "after signing.")


# ---------------------------------------------------------------------------------------------- refusals

def shown_name(display_name: str) -> str:
    """The last component of the name as the person knows it, NFC (Windows or POSIX separators)."""
    name = PureWindowsPath(unicodedata.normalize("NFC", display_name)).name
    return name or unicodedata.normalize("NFC", display_name)


def _mb(size: int, comma: bool) -> str:
    text = f"{size / _MB:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") if comma else text


def refused(name: str, vi: str, en: str) -> EvidenceRefused:
    return EvidenceRefused(f"“{name}”: {en}", f"“{name}”: {vi}")


def refused_empty(name: str) -> EvidenceRefused:
    return refused(name, "tệp rỗng (0 byte).", "the file is empty (0 bytes).")


def refused_too_large(name: str, size: int, cap: int) -> EvidenceRefused:
    return refused(name, f"tệp có dung lượng {_mb(size, True)} MB, vượt giới hạn {_mb(cap, True)} MB.",
                   f"the file is {_mb(size, False)} MB, larger than the {_mb(cap, False)} MB limit.")


def refused_unreadable(name: str) -> EvidenceRefused:
    return refused(name, "không mở được tệp để đọc.", "the file cannot be opened for reading.")


def refused_type(name: str, ext: str) -> EvidenceRefused:
    shown = ext or "(không có)"
    shown_en = ext or "(none)"
    return refused(name, f"không chấp nhận loại tệp {shown}; tài liệu kiểm chứng phải là PDF, JPEG hoặc PNG.",
                   f"file type {shown_en} is not accepted; evidence must be PDF, JPEG or PNG.")


# What a file's content turned out to be, for "not what its name says".
CONTENT_NAMES: dict[str, tuple[str, str]] = {
    "pdf": ("tệp PDF", "a PDF"),
    "jpeg": ("ảnh JPEG", "a JPEG image"),
    "png": ("ảnh PNG", "a PNG image"),
    "zip": ("tệp nén ZIP (có thể là DOCX, XLSX, ...)", "a ZIP archive (possibly DOCX, XLSX, ...)"),
    "ole": ("tài liệu Office cũ (DOC, XLS, ...)", "an old-style Office document (DOC, XLS, ...)"),
    "exe": ("chương trình chạy được (EXE, DLL)", "an executable program (EXE, DLL)"),
    "elf": ("chương trình chạy được (ELF)", "an executable program (ELF)"),
    "rar": ("tệp nén RAR", "a RAR archive"),
    "7z": ("tệp nén 7z", "a 7z archive"),
    "gzip": ("tệp nén GZIP", "a GZIP archive"),
    "gif": ("ảnh GIF", "a GIF image"),
    "tiff": ("ảnh TIFF", "a TIFF image"),
    "bmp": ("ảnh BMP", "a BMP image"),
    "webp": ("ảnh WebP", "a WebP image"),
    "heic": ("ảnh HEIC", "a HEIC image"),
    "rtf": ("văn bản RTF", "an RTF document"),
    "html": ("trang HTML", "an HTML page"),
    "unknown": ("loại nội dung không nhận ra được", "unrecognised content"),
}


def refused_mismatch(name: str, ext: str, content: str) -> EvidenceRefused:
    what_vi, what_en = CONTENT_NAMES.get(content, CONTENT_NAMES["unknown"])
    return refused(name, f"nội dung không đúng với tên tệp: tên có đuôi {ext} nhưng nội dung là {what_vi}.",
                   f"not what its name says: named {ext} but the content is {what_en}.")


def refused_pdf_password(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF được mã hóa bằng mật khẩu nên không đọc được; hãy mở tệp bằng mật khẩu, "
                   "lưu hoặc in ra một bản PDF không đặt mật khẩu rồi đính kèm bản đó.",
                   "the PDF is encrypted with a password and cannot be read; open it with its password, save or "
                   "print it as a PDF without a password, and attach that copy.")


def refused_pdf_certificate(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF được mã hóa cho người nhận có chứng thư số (hoặc bằng cơ chế bảo vệ khác) nên "
                   "không đọc được; hãy đề nghị nơi gửi cấp bản không mã hóa, hoặc mở bằng chứng thư số đó và "
                   "in ra một bản PDF mới.",
                   "the PDF is encrypted for recipients' certificates (or by another security handler) and "
                   "cannot be read; ask its sender for an unencrypted copy, or open it with that certificate "
                   "and print it to a new PDF.")


def refused_pdf_damaged(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF bị hỏng, không đọc được.", "the PDF is damaged and cannot be read.")


def refused_pdf_truncated(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF không trọn vẹn (bị cắt cụt, có thể do sao chép hoặc tải về bị lỗi); "
                   "hãy đính kèm lại toàn bộ tệp.",
                   "the PDF is incomplete (cut off, probably while being copied or downloaded); "
                   "attach the whole file again.")


def refused_pdf_no_pages(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF không có trang nào.", "the PDF has no pages.")


def refused_image_damaged(name: str) -> EvidenceRefused:
    return refused(name, "ảnh bị hỏng hoặc không trọn vẹn, không đọc được.",
                   "the image is damaged or incomplete and cannot be read.")


def refused_image_too_large(name: str, width: int | None, height: int | None, cap: int) -> EvidenceRefused:
    millions = cap // 1_000_000
    if width and height:
        return refused(name, f"ảnh quá lớn ({width}×{height} điểm ảnh, vượt giới hạn {millions} triệu điểm ảnh).",
                       f"the image is too large ({width}×{height} pixels, over the limit of {millions} million "
                       "pixels).")
    return refused(name, f"ảnh quá lớn (vượt giới hạn {millions} triệu điểm ảnh).",
                   f"the image is too large (over the limit of {millions} million pixels).")


def refused_not_image(name: str, content: str) -> EvidenceRefused:
    what_vi, what_en = CONTENT_NAMES.get(content, CONTENT_NAMES["unknown"])
    return refused(name, f"chỉ chuyển được ảnh JPEG hoặc PNG sang PDF, nhưng nội dung là {what_vi}.",
                   f"only JPEG or PNG images can be converted to PDF, but the content is {what_en}.")


def refused_not_pdf(name: str, content: str) -> EvidenceRefused:
    what_vi, what_en = CONTENT_NAMES.get(content, CONTENT_NAMES["unknown"])
    return refused(name, f"chỉ tối ưu hóa được tệp PDF, nhưng nội dung là {what_vi}.",
                   f"only PDF files can be optimized, but the content is {what_en}.")


def refused_rewrite_unchecked(name: str) -> EvidenceRefused:
    return refused(name, "không kiểm tra được tệp PDF có chữ ký số hay không; để không làm hỏng chữ ký, tệp "
                   "được giữ nguyên.",
                   "whether the PDF is digitally signed could not be checked; it is left as is so that no "
                   "signature is broken.")


def refused_rewrite_failed(name: str) -> EvidenceRefused:
    return refused(name, "thư viện PDF không ghi lại được tệp này ở dạng nhỏ hơn; tệp được giữ nguyên.",
                   "the PDF library could not rewrite this file smaller; it is left as is.")


def refused_signed_rewrite(name: str) -> EvidenceRefused:
    return refused(name, "tệp PDF có chữ ký số; tối ưu hóa sẽ làm mất hiệu lực chữ ký nên không thực hiện.",
                   "the PDF is digitally signed; optimizing it would break the signature, so it is left as is.")
