"""Certificates of attendance as PDF, through fpdf2 with an embedded DejaVu Sans.

Participants' names come from every member state: ė, ų, ļ, ł, ș and Cyrillic must print
as written, which the PDF standard fonts (cp1252) cannot do. The fonts are vendored
(trainings/fonts, with their licence) so a fresh machine needs no system fonts; fpdf2
embeds only the glyphs a document uses.

Loading the fonts is the slow part (about a tenth of a second), so all certificates of
a training are pages of one document rather than one document each.
"""

from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify
from fpdf import FPDF

from trainings.models import Registration, Training

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
ISSUER = "CBSS Task Force against Trafficking in Human Beings"


class CertificateDocument(FPDF):
    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.set_auto_page_break(auto=False)
        self.set_margins(25, 20, 25)
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_creator("THB Portal")
        self.set_author(ISSUER)
        self.set_title("Certificate of attendance")

    def centred(self, text: str, *, size: float, style: str = "", gap: float = 4, min_size: float = 9) -> None:
        """One or more centred lines; a long name or title shrinks before it wraps."""
        self.set_font(FONT, style, size)
        while size > min_size and self.get_string_width(text) > self.epw:
            size -= 1
            self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def add_certificate(self, registration: Registration, training: Training, sessions_attended: int) -> None:
        self.add_page()
        self.set_draw_color(30, 70, 120)
        self.set_line_width(1.2)
        self.rect(10, 10, self.w - 20, self.h - 20)
        self.set_line_width(0.3)
        self.rect(13, 13, self.w - 26, self.h - 26)
        self.set_y(35)
        self.set_text_color(30, 70, 120)
        self.centred("Certificate of attendance", size=30, style="B", gap=10)
        self.set_text_color(0, 0, 0)
        self.centred("This is to certify that", size=14, gap=6)
        self.centred(registration.full_name, size=26, style="B", gap=6)
        self.centred("attended the training", size=14, gap=6)
        self.centred(training.title, size=18, style="B", gap=6, min_size=12)
        self.centred(_when_and_where(training), size=12, gap=3)
        plural = "" if sessions_attended == 1 else "s"
        self.centred(f"{sessions_attended} session{plural} attended", size=12)
        self.set_y(self.h - 45)
        self.set_text_color(80, 80, 80)
        self.centred(ISSUER, size=11, gap=2)
        self.centred(f"Issued on {timezone.localdate():%d %B %Y}", size=9, gap=0)


def _when_and_where(training: Training) -> str:
    dates = f"{training.starts_on:%d %B %Y}" if training.starts_on else ""
    state = training.member_state.name if training.member_state else ""
    place = ", ".join(part for part in [training.city, state] if part)
    return " · ".join(part for part in [dates, place, training.get_format_display()] if part)


def certificate_pdf(registration: Registration, training: Training, sessions_attended: int) -> bytes:
    document = CertificateDocument()
    document.add_certificate(registration, training, sessions_attended)
    return bytes(document.output())


def certificates_pdf(registrations, training: Training) -> bytes:
    """Every attendee's certificate, a page each, in one document."""
    document = CertificateDocument()
    for registration in registrations:
        document.add_certificate(registration, training, registration.sessions_attended)
    return bytes(document.output())


def certificate_filename(registration: Registration) -> str:
    return f"certificate-{registration.pk}-{slugify(registration.full_name) or 'participant'}.pdf"
