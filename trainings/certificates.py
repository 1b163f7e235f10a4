"""Certificates of attendance as PDF, written by hand: one page of Helvetica text.

A certificate needs a few lines of text, which does not justify a PDF library as a
new dependency. The standard Helvetica font uses WinAnsi (cp1252): letters outside it
(ā, š in cp1252 is fine, but not ė, ł…) are written without their accent.
"""

import io
import unicodedata
import zipfile

from django.utils import timezone
from django.utils.text import slugify

from trainings.models import Registration, Training


def _pdf_text(value: str) -> bytes:
    out = []
    for char in value:
        try:
            encoded = char.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore")
            encoded = base or b"?"
        out.append(encoded)
    raw = b"".join(out)
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def build_pdf(lines: list[tuple[int, int, str]]) -> bytes:
    """A one-page A4 PDF; each line is (font size, y from the bottom, text), centred roughly."""
    stream = io.BytesIO()
    for size, y, text in lines:
        # Helvetica averages about half an em per character: good enough for centring.
        x = max(40, int((595 - len(text) * size * 0.5) / 2))
        stream.write(b"BT /F1 %d Tf %d %d Td (" % (size, x, y) + _pdf_text(text) + b") Tj ET\n")
    content = stream.getvalue()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def certificate_pdf(registration: Registration, training: Training, sessions_attended: int) -> bytes:
    place = ", ".join(
        part for part in [training.city, training.member_state.name if training.member_state else ""] if part
    )
    dates = f"{training.starts_on:%d %B %Y}" if training.starts_on else ""
    lines = [
        (28, 700, "Certificate of attendance"),
        (14, 640, "This is to certify that"),
        (22, 600, registration.full_name),
        (14, 560, "attended the training"),
        (18, 520, training.title[:70]),
        (12, 480, " · ".join(part for part in [dates, place, training.get_format_display()] if part)),
        (12, 450, f"Sessions attended: {sessions_attended}"),
        (10, 120, "CBSS Task Force against Trafficking in Human Beings"),
        (9, 100, f"Issued {timezone.localdate():%d %B %Y}"),
    ]
    return build_pdf(lines)


def certificate_filename(registration: Registration) -> str:
    return f"certificate-{registration.pk}-{slugify(registration.full_name) or 'participant'}.pdf"


def certificates_zip(registrations, training: Training) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for registration in registrations:
            archive.writestr(
                certificate_filename(registration),
                certificate_pdf(registration, training, registration.sessions_attended),
            )
    return buffer.getvalue()
