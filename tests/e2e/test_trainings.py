"""A trainer imports participants, marks attendance and downloads the certificates, in a browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from members.models import Role
from tests.e2e.test_login_mfa import sign_in
from tests.trainings.factories import make_training
from trainings.models import Registration, RegistrationStatus

pytestmark = pytest.mark.e2e

HEADER = "name,email,organisation,country,profession,gender,consent\n"


def test_trainer_imports_marks_attendance_and_downloads_certificates(
    page, make_user, tmp_path, csp_violations, artifacts_dir
):
    trainer = make_user(Role.TRAINER)
    # Begun three days ago: attendance is marked only for sessions that have started.
    training = make_training(trainers=[trainer], capacity=25, title="Consular awareness course", start_in_days=-3)
    csv_path = tmp_path / "participants.csv"
    rows = [f"Žaneta Kļaviņa-Олена {n:02d},person{n}@example.net,Consulate,Latvia,Consul,,yes\n" for n in range(20)]
    csv_path.write_text(HEADER + "".join(rows), encoding="utf-8")

    sign_in(page, trainer.email)
    page.goto(reverse("trainings:detail", args=[training.pk]))
    page.get_by_role("link", name="Import from CSV or XLSX").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Check the file").click()

    # The preview: every row checked, nothing imported yet.
    expect(page.get_by_test_id("import-ok")).to_contain_text("All 20 rows are valid")
    assert not Registration.objects.filter(training=training).exists()
    page.get_by_role("button", name="Import 20 participants").click()
    expect(page.get_by_test_id("participant-count")).to_have_text("20 participants.")

    # Attendance for the first session: three ticks, each saved by htmx.
    page.get_by_role("link", name="Attendance sheet").click()
    first_session = training.sessions.first()
    for n in range(3):
        registration = Registration.objects.get(training=training, email=f"person{n}@example.net")
        box = page.locator(f"#present-{registration.pk}-{first_session.pk}")
        with page.expect_response(lambda r: "/attendance/" in r.url and r.request.method == "POST"):
            box.check()
        expect(page.locator(f"#present-{registration.pk}-{first_session.pk}")).to_be_checked()
    assert Registration.objects.filter(training=training, status=RegistrationStatus.ATTENDED).count() == 3
    page.screenshot(path=str(artifacts_dir / "trainings-attendance.png"), full_page=True)

    page.goto(reverse("trainings:detail", args=[training.pk]))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download certificates").click()
    download = download_info.value
    assert download.suggested_filename == f"training-{training.pk}-certificates.pdf"
    # One page per attendee, each with the name as written (Latvian and Cyrillic letters).
    pages = [page.extract_text() for page in PdfReader(download.path()).pages]
    attendees = Registration.objects.filter(training=training, status=RegistrationStatus.ATTENDED).order_by("full_name")
    assert len(pages) == 3
    for attendee, page_text in zip(attendees, pages, strict=True):
        assert attendee.full_name.startswith("Žaneta Kļaviņa-Олена") and attendee.full_name in page_text
    assert csp_violations == []
