"""Documents on a case: checked, stored under a generated name, never public."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from cases.models import Case, CaseDocument
from core.audit import audited_as_by
from core.uploads import CASE_DOCUMENT_TYPES, check_upload, store_checked_upload
from members.models import User


@audited_as_by
@transaction.atomic
def document_upload(*, case: Case, upload: "File[bytes]", title: str, by: User) -> CaseDocument:
    """Store a checked file under a generated name; a refused file leaves nothing behind."""
    if case.anonymised_at:
        raise ValidationError("This case was anonymised; documents cannot be added.")
    checked = check_upload(upload, allowed=CASE_DOCUMENT_TYPES)
    document = CaseDocument(case=case, title=title.strip() or checked.original_name, recorded_by=by)
    store_checked_upload(document, upload, checked)
    return document
