from datetime import timedelta

from django.utils import timezone

from consultations import services
from consultations.models import Consultation
from tests.cases.factories import pdf_upload


def open_consultation(secretariat, procedure="silence", *, days=7, title="Joint statement") -> Consultation:
    return services.consultation_open(
        data={"title": title, "procedure": procedure, "deadline": timezone.now() + timedelta(days=days)},
        upload=pdf_upload("statement.pdf"),
        by=secretariat,
    )


def pass_deadline(consultation: Consultation) -> Consultation:
    """Time travel: the deadline a minute ago (the service refuses a deadline in the past)."""
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    consultation.refresh_from_db()
    return consultation
