import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.trainings.factories import RegistrationFactory
from trainings.models import Attendance, HistoricalTotal, Registration, RegistrationStatus, TrainingStatus

S = RegistrationStatus


def add_participants(training, count: int) -> None:
    Registration.objects.bulk_create(
        [
            Registration(
                training=training,
                full_name=f"Bulk {n:05d}",
                email=f"bulk{n}@example.net",
                consent=True,
                status=S.ATTENDED if n % 2 else S.CONFIRMED,
            )
            for n in range(count)
        ]
    )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url_name", ["trainings:detail", "trainings:attendance", "trainings:list", "trainings:facts"])
def test_pages_run_the_same_queries_with_10_and_5000_participants(trainer_client, client, training, url_name):
    from django.core.cache import cache

    args = [] if url_name in ("trainings:list", "trainings:facts") else [training.pk]
    url = reverse(url_name, args=args)
    if url_name == "trainings:facts":
        trainer_client.logout()  # the public page, as the public sees it
    add_participants(training, 10)
    HistoricalTotal.objects.create(audience="consular", year=2015, people_trained=1000)
    queries_for(trainer_client, url)  # warms per-process caches (content types)
    cache.clear()
    small = queries_for(trainer_client, url)
    Registration.objects.filter(training=training).delete()
    add_participants(training, 5000)
    cache.clear()
    large = queries_for(trainer_client, url)
    assert small == large
    # The facts page's budget includes filling the database cache (embedded default).
    assert large <= 15
    if url_name == "trainings:facts":
        assert queries_for(trainer_client, url) <= 2  # from the cache


def test_exports_are_safe_against_formula_injection(trainer_client, training):
    RegistrationFactory(training=training, full_name='=HYPERLINK("http://evil")', organisation="+cmd")
    response = trainer_client.get(reverse("trainings:export_csv", args=[training.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "name"
    assert rows[1][0].startswith("'=") and rows[1][2] == "'+cmd"
    response = trainer_client.get(reverse("trainings:export_xlsx", args=[training.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value.startswith("'=") and sheet["C2"].value == "'+cmd"


def test_certificates_are_pdfs_for_those_who_attended_zipped(trainer_client, training):
    attended = RegistrationFactory(training=training, full_name="Līga Bērziņa (Riga)", status=S.ATTENDED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    RegistrationFactory(training=training, status=S.NO_SHOW)
    response = trainer_client.get(reverse("trainings:certificate", args=[training.pk, attended.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Certificate of attendance" in pdf and b"\\(Riga\\)" in pdf
    # The cross-reference table points at each object.
    xref_at = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref_at:].startswith(b"xref")
    for line in pdf[xref_at:].split(b"\n")[3:8]:
        offset = int(line.split()[0])
        assert pdf[offset:].split(b" ", 1)[0].isdigit() and b" 0 obj" in pdf[offset : offset + 12]
    response = trainer_client.get(reverse("trainings:certificates", args=[training.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"certificate-{attended.pk}-liga-berzina-riga.pdf"]


def test_no_certificate_for_someone_who_did_not_attend(trainer_client, training):
    registration = RegistrationFactory(training=training, status=S.CONFIRMED)
    response = trainer_client.get(reverse("trainings:certificate", args=[training.pk, registration.pk]), follow=True)
    assert "Only participants who attended" in response.content.decode()


def test_attendance_checkbox_by_htmx(trainer_client, training):
    registration = RegistrationFactory(training=training, status=S.CONFIRMED)
    session = training.sessions.first()
    url = reverse("trainings:attendance_toggle", args=[training.pk, registration.pk, session.pk])
    response = trainer_client.post(url, {"present": "on"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"checked" in response.content and b"<html" not in response.content
    registration.refresh_from_db()
    assert registration.status == S.ATTENDED
    trainer_client.post(url, {}, headers={"HX-Request": "true"})
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_participants_search_and_status_filter(trainer_client, training):
    RegistrationFactory(training=training, full_name="Anna Ozola", status=S.CONFIRMED)
    RegistrationFactory(training=training, full_name="Peeter Tamm", status=S.WAITLISTED)
    url = reverse("trainings:detail", args=[training.pk])

    def names(**params):
        return [r.full_name for r in trainer_client.get(url, params).context["page"].object_list]

    assert names(q="ozola") == ["Anna Ozola"]
    assert names(status="waitlisted") == ["Peeter Tamm"]
    assert names(status="bogus") == ["Anna Ozola", "Peeter Tamm"] or names(status="bogus") == []


def test_secretariat_completes_a_training(client, make_user, mfa_user, training):
    secretariat = make_user("secretariat")
    mfa_user(secretariat)
    client.force_login(secretariat)
    client.post(reverse("trainings:complete", args=[training.pk]))
    training.refresh_from_db()
    assert training.status == TrainingStatus.COMPLETED
