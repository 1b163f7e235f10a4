"""A trainer imports participants, marks attendance and downloads the certificates, in a browser."""

import io
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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
    training = make_training(trainers=[trainer], capacity=25, title="Consular awareness course")
    csv_path = tmp_path / "participants.csv"
    csv_path.write_text(
        HEADER + "".join(f"Person {n:02d},person{n}@example.net,Consulate,Latvia,Consul,,yes\n" for n in range(20)),
        encoding="utf-8",
    )

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
    assert download.suggested_filename == f"training-{training.pk}-certificates.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert csp_violations == []
