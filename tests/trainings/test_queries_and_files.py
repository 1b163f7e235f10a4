import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import page_queries
from tests.trainings.factories import RegistrationFactory
from trainings.models import (
    SEAT_STATUSES,
    Attendance,
    HistoricalTotal,
    Registration,
    RegistrationStatus,
    TrainingStatus,
)

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


@pytest.mark.parametrize("url_name", ["trainings:detail", "trainings:attendance", "trainings:list", "trainings:facts"])
def test_pages_run_the_same_queries_with_10_and_5000_participants(
    trainer_client, training, url_name, assert_constant_queries
):
    args = [] if url_name in ("trainings:list", "trainings:facts") else [training.pk]
    url = reverse(url_name, args=args)
    if url_name == "trainings:facts":
        trainer_client.logout()  # the public page, as the public sees it
    add_participants(training, 10)
    HistoricalTotal.objects.create(audience="consular", year=2015, people_trained=1000)

    def grow():
        Registration.objects.filter(training=training).delete()
        add_participants(training, 5000)

    # The facts page is cached: measured empty, its budget includes filling the cache (embedded default).
    assert_constant_queries(trainer_client, url, grow=grow, prepare=cache.clear)
    if url_name == "trainings:facts":
        assert page_queries(trainer_client, url).count <= 2  # from the cache


def test_exports_are_safe_against_formula_injection(trainer_client, training):
    RegistrationFactory(training=training, full_name='=HYPERLINK("http://evil")', organisation="+cmd")
    response = trainer_client.get(reverse("trainings:export_csv", args=[training.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "name"
    assert rows[1][0].startswith("'=") and rows[1][2] == "'+cmd"
    response = trainer_client.get(reverse("trainings:export_xlsx", args=[training.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value.startswith("'=") and sheet["C2"].value == "'+cmd"


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_a_certificate_prints_every_name_as_written(trainer_client, training):
    """Names from the whole region: Baltic, Polish, Romanian and Cyrillic letters, which the
    PDF standard fonts cannot print."""
    name = "Žydrūnė Ąžuolaitė-Łukasz Ļeņins Ștefan Олена Шевченко"
    attended = RegistrationFactory(training=training, full_name=name, status=S.ATTENDED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    response = trainer_client.get(reverse("trainings:certificate", args=[training.pk, attended.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="certificate-{attended.pk}-' in response["Content-Disposition"]
    [text] = pdf_pages_text(response.content)
    assert "Certificate of attendance" in text
    assert name in text
    assert training.title in text
    assert "1 session attended" in text


def test_all_certificates_are_one_pdf_with_a_page_for_each_attendee(trainer_client, training):
    first_session, second_session = training.sessions.all()[:2]
    names = ["Jüri Õunapuu", "Līga Bērziņa (Riga)"]  # the order of the pages: by name
    for name in names:
        attended = RegistrationFactory(training=training, full_name=name, status=S.ATTENDED)
        Attendance.objects.create(registration=attended, session=first_session)
    Attendance.objects.create(registration=attended, session=second_session)
    RegistrationFactory(training=training, full_name="Not Here", status=S.NO_SHOW)
    response = trainer_client.get(reverse("trainings:certificates", args=[training.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="training-{training.pk}-certificates.pdf"' in response["Content-Disposition"]
    pages = pdf_pages_text(response.content)
    assert len(pages) == 2
    assert names[0] in pages[0] and "1 session attended" in pages[0]
    assert names[1] in pages[1] and "2 sessions attended" in pages[1]
    assert not any("Not Here" in page for page in pages)


def test_a_long_name_and_title_stay_on_the_page(trainer_client, training):
    training.title = "Identifying and referring presumed victims of trafficking: " * 3
    training.save(update_fields=["title"])
    name = "Bartholomew Maximilian Alexander Fitzgerald-Montgomery von Hohenzollern-Sigmaringen"
    attended = RegistrationFactory(training=training, full_name=name, status=S.ATTENDED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    response = trainer_client.get(reverse("trainings:certificate", args=[training.pk, attended.pk]))
    [text] = pdf_pages_text(response.content)
    # The name shrinks to one line rather than breaking; the issuer stays at the foot.
    assert name in text and text.rstrip().splitlines()[-2].startswith("CBSS Task Force")


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


def test_the_list_and_the_page_count_the_places_of_the_seat_statuses_only(trainer_client, training):
    # One registration of every status: registered, confirmed and attended take a place.
    for status in S.values:
        RegistrationFactory(training=training, status=status)
    taken = len(SEAT_STATUSES)
    assert taken == training.registrations.seated().count() == 3
    page = trainer_client.get(reverse("trainings:detail", args=[training.pk])).content.decode()
    assert f"{taken} of {training.capacity} taken · 1 on the waiting list" in page
    listing = trainer_client.get(reverse("trainings:list")).content.decode()
    assert f"<td>{taken} / {training.capacity}</td>" in listing
