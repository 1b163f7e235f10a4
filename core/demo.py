"""What the apps' demo seeds share: a placeholder document to upload through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

# A one-page PDF that passes the checked upload (core.uploads).
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def placeholder_pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", _PDF, content_type="application/pdf")
