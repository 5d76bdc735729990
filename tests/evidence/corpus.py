"""Builders of the evidence test corpus: PDFs (plain, active, encrypted, damaged, signed), scans, a test PKI.

Everything is generated at test time; nothing binary is committed. The PKI is a root CA and signing
certificates made with `cryptography` (ECDSA P-256), the signer's common name in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from dataclasses import dataclass
from typing import Any

SIGNER_CN = "Nguyễn Văn An"


# ------------------------------------------------------------------------------------------------ PDFs

def reportlab_pdf(pages: int = 2, compress: bool = True, text: str = "Trang") -> bytes:
    """A text PDF with `pages` pages whose content says "<text> <n>" (uncompressed when asked, so that the
    text can be found and changed in the bytes)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=1 if compress else 0, invariant=1)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, f"{text} {n}")
        pdf.drawString(72, 740, "Bien ban hop Ban chi dao chuyen doi so")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def with_pikepdf(data: bytes, change: Any, **save: Any) -> bytes:
    """`data` opened with pikepdf, changed by `change(pdf)` and saved again."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
    return out.getvalue()


def encrypted_pdf(user: str) -> bytes:
    import pikepdf

    enc = pikepdf.Encryption(owner="chu-so-huu", user=user, allow=pikepdf.Permissions(extract=False))
    return with_pikepdf(reportlab_pdf(), lambda pdf: None, encryption=enc)


def javascript_pdf() -> bytes:
    import pikepdf

    def change(pdf: Any) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('xin chao');")))

    return with_pikepdf(reportlab_pdf(), change)


def names_javascript_in_object_stream_pdf() -> bytes:
    """Document-level JavaScript in the /Names tree, saved inside compressed object streams so that no
    "/JavaScript" appears in the raw bytes."""
    import pikepdf

    def change(pdf: Any) -> None:
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.print();")))
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("in"), action])))

    return with_pikepdf(reportlab_pdf(), change, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def launch_pdf() -> bytes:
    """A link annotation whose (direct) action launches a program."""
    import pikepdf

    def change(pdf: Any) -> None:
        annot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[50, 50, 200, 80],
            A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))))
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annot]))

    return with_pikepdf(reportlab_pdf(), change)


def goto_open_action_pdf() -> bytes:
    """/OpenAction that only opens page 1 fitted to the window: navigation, not active content."""
    import pikepdf

    def change(pdf: Any) -> None:
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])

    return with_pikepdf(reportlab_pdf(), change)


def page_aa_pdf() -> bytes:
    import pikepdf

    def change(pdf: Any) -> None:
        pdf.pages[0].AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://x")))

    return with_pikepdf(reportlab_pdf(), change)


def embedded_file_pdf() -> bytes:
    import pikepdf

    def change(pdf: Any) -> None:
        pdf.attachments["ghi-chu.txt"] = pikepdf.AttachedFileSpec(pdf, b"noi dung dinh kem", mime_type="text/plain")

    return with_pikepdf(reportlab_pdf(), change)


def xfa_pdf() -> bytes:
    import pikepdf

    def change(pdf: Any) -> None:
        xdp = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"></xdp:xdp>')
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xdp)

    return with_pikepdf(reportlab_pdf(), change)


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF written by hand from object bodies (object n = objects[n-1]), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def obfuscated_launch_pdf() -> bytes:
    """A Launch action whose name is written with a #-escape (/L#61unch), as malware does to dodge grep."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /L#61unch /F (calc.exe) >>",
    ])


def damaged_xref(data: bytes) -> bytes:
    """A complete PDF whose startxref points nowhere: qpdf rebuilds the cross-reference table."""
    head, _, rest = data.rpartition(b"startxref")
    number = rest.split()[0]
    return head + b"startxref" + rest.replace(number, b"9" * len(number), 1)


# ---------------------------------------------------------------------------------------------- images

def scan_image(fmt: str, size: tuple[int, int] = (827, 1169), dpi: int | None = 100, mode: str = "RGB",
               exif_orientation: int | None = None) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, size[0] - 40, 120), outline="black", width=3)
    draw.text((60, 60), "BIEN BAN HOP", fill="black")
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if dpi:
        kwargs["dpi"] = (dpi, dpi)
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG that claims to be huge."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


# -------------------------------------------------------------------------------------------------- PKI

@dataclass(frozen=True)
class Pki:
    root_der: bytes
    signer_cert_der: bytes
    signer_key_der: bytes  # PKCS#8


def make_pki(cn: str = SIGNER_CN, expired: bool = False, with_urls: bool = True) -> Pki:
    """A root CA and a document signing certificate issued by it. With `with_urls`, the signing certificate
    names an OCSP responder, a CA issuer and a CRL on the network, so a validator that fetched would try."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ban Cơ yếu Thử nghiệm"),
                           x509.NameAttribute(NameOID.COMMON_NAME, "CA Thử nghiệm")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=400)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    if expired:
        start, end = now - dt.timedelta(days=300), now - dt.timedelta(days=10)
    else:
        start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=365)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                                        x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
               .issuer_name(root_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                              critical=False))
    if with_urls:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier("http://ocsp.invalid/")),
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier("http://ca.invalid/root.cer"))]), critical=False)
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier("http://crl.invalid/root.crl")], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    leaf = builder.sign(root_key, hashes.SHA256())
    der = serialization.Encoding.DER
    return Pki(root_der=root.public_bytes(der), signer_cert_der=leaf.public_bytes(der),
               signer_key_der=leaf_key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))


def sign_pdf(data: bytes, pki: Pki, field: str = "Signature1") -> bytes:
    """`data` signed by the PKI's signer with pyHanko (an incremental update, PAdES baseline, no timestamp)."""
    from asn1crypto import keys, x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=x509.Certificate.load(pki.signer_cert_der),
        signing_key=keys.PrivateKeyInfo.load(pki.signer_key_der),
        cert_registry=SimpleCertificateStore.from_certs([x509.Certificate.load(pki.root_der)]))
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field, reason="Xác nhận tài liệu kiểm chứng")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def change_page_after_signing(signed: bytes) -> bytes:
    """An incremental update that adds content to page 1 of a signed PDF."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    ref = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 40 Tf 72 600 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page_with(content: bytes, filters: bytes = b"/FlateDecode", image: bytes | None = None) -> bytes:
    """A one-page PDF whose content stream holds `content` (already encoded with `filters`), with a JPEG image
    XObject `image` when given."""
    resources = b"<< /XObject << /Im0 5 0 R >> >>" if image is not None else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters) + content + b"\nendstream",
    ]
    if image is not None:
        objects.append(b"<< /Type /XObject /Subtype /Image /Width 120 /Height 90 /ColorSpace /DeviceRGB "
                       b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(image) + image +
                       b"\nendstream")
    return raw_pdf(objects)


def flate_bomb(size: int) -> bytes:
    """Flate data of a content stream of `size` spaces, made without holding `size` bytes."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


def encapsulated_signature_pdf(pki: Pki, subfilter: bytes = b"/adbe.pkcs7.sha1", tamper: bool = False) -> bytes:
    """A one-page PDF signed the old way, written by hand: the CMS carries content inside it (encapsulated).

    With /adbe.pkcs7.sha1 (what old Acrobat and some national signing tools wrote) the encapsulated content is
    the SHA-1 digest of the signed byte ranges; with another subfilter, encapsulated content is against the
    standard. `tamper` changes a signed byte after signing."""
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    hole = 8192  # hex digits reserved for the CMS
    placeholder = b"[0 0000000000 0000000000 0000000000]"
    content = b"BT /F1 14 Tf 72 760 Td (Bien ban da ky) Tj ET"
    data = raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 6 0 R >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter " + subfilter + b" /M (D:20250301083000+07'00') "
        b"/ByteRange " + placeholder + b" /Contents <" + b"0" * hole + b"> >>",
    ])
    start = data.index(b"/Contents <" + b"0" * 16) + len(b"/Contents ")
    end = start + hole + 2
    ranges = b"[0 %010d %010d %010d]" % (start, end, len(data) - end)
    data = data.replace(placeholder, ranges, 1)
    signed = data[:start] + data[end:]
    inner = hashlib.sha1(signed).digest() if subfilter == b"/adbe.pkcs7.sha1" else signed
    cert = x509.load_der_x509_certificate(pki.signer_cert_der)
    key = serialization.load_der_private_key(pki.signer_key_der, None)
    cms = (pkcs7.PKCS7SignatureBuilder().set_data(inner).add_signer(cert, key, hashes.SHA256())
           .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    assert len(cms) * 2 <= hole
    data = data[:start + 1] + cms.hex().encode().ljust(hole, b"0") + data[end - 1:]
    if tamper:
        data = data.replace(b"(Bien ban da ky)", b"(Bien ban DA SUA)".replace(b"DA SUA", b"DA SU"), 1)
    return data
