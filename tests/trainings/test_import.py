import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from trainings.models import Registration

HEADER = "name,email,organisation,country,profession,gender,consent\n"


def csv_file(lines: list[str], name="participants.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def good_lines(count: int, start: int = 0) -> list[str]:
    return [f"Person {n},person{n}@example.net,Consulate,Latvia,Consul,woman,yes" for n in range(start, start + count)]


def upload(client, training, file):
    return client.post(reverse("trainings:import", args=[training.pk]), {"file": file})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_preview_imports_nothing_then_confirm_imports_all(trainer_client, training):
    training.capacity = 30
    training.save(update_fields=["capacity"])
    response = upload(trainer_client, training, csv_file(good_lines(20)))
    assert response.status_code == 200
    assert "All 20 rows are valid" in response.content.decode()
    assert not Registration.objects.exists()
    response = trainer_client.post(
        reverse("trainings:import_confirm", args=[training.pk]), {"token": token_of(response)}
    )
    assert response.status_code == 302
    assert training.registrations.count() == 20


def test_one_bad_row_imports_nothing_and_reports_that_row(trainer_client, training):
    lines = good_lines(2)
    lines.insert(1, "Bad Row,not-an-email,Consulate,Latvia,Consul,,yes")
    response = upload(trainer_client, training, csv_file(lines))
    content = response.content.decode()
    assert "1 of 3 rows has errors" in content
    assert re.search(r'data-row="3".*?Enter a valid email', content, re.S)
    assert 'name="token"' not in content
    assert not Registration.objects.exists()


def test_a_duplicate_email_is_reported_not_doubled(trainer_client, training):
    lines = [*good_lines(1), "Same Person,PERSON0@example.net,Consulate,Latvia,Consul,,yes"]
    content = upload(trainer_client, training, csv_file(lines)).content.decode()
    assert "is also on row 2 of this file" in content
    assert not Registration.objects.exists()


def test_an_email_already_registered_is_reported(trainer_client, training):
    upload_response = upload(trainer_client, training, csv_file(good_lines(1)))
    trainer_client.post(reverse("trainings:import_confirm", args=[training.pk]), {"token": token_of(upload_response)})
    content = upload(trainer_client, training, csv_file(good_lines(1))).content.decode()
    assert "already registered for this training" in content
    assert training.registrations.count() == 1


def test_confirm_checks_again_and_never_imports_half_a_file(trainer_client, training):
    response = upload(trainer_client, training, csv_file(good_lines(2)))
    token = token_of(response)
    # Meanwhile someone registers the second person by hand.
    Registration.objects.create(training=training, full_name="Person 1", email="person1@example.net", consent=True)
    response = trainer_client.post(reverse("trainings:import_confirm", args=[training.pk]), {"token": token})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert training.registrations.count() == 1


def test_a_tampered_token_is_refused(trainer_client, training):
    response = trainer_client.post(reverse("trainings:import_confirm", args=[training.pk]), {"token": "abc:def"})
    assert response.status_code == 400
    assert "expired or was altered" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_xlsx_with_wrong_columns_gets_a_clear_message(trainer_client, training):
    workbook = Workbook()
    workbook.active.append(["Full name", "Mail", "consent"])
    workbook.active.append(["Anna", "anna@example.net", "yes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("p.xlsx", buffer.getvalue())
    content = upload(trainer_client, training, file).content.decode()
    assert "The columns are not right (missing columns: name, email; unknown columns: full_name, mail)" in content
    assert not Registration.objects.exists()


def test_a_good_xlsx_is_previewed(trainer_client, training):
    workbook = Workbook()
    workbook.active.append(["Name", "Email", "Consent", "Country"])
    workbook.active.append(["Anna Ozola", "anna@example.net", "yes", "LV"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = upload(trainer_client, training, SimpleUploadedFile("p.xlsx", buffer.getvalue())).content.decode()
    assert "All 1 rows are valid" in content


def test_a_csv_in_another_encoding_gets_a_clear_message(trainer_client, training):
    file = csv_file(["Jürgen Müller,jurgen@example.net,Konsulat,Germany,Konsul,,yes"], encoding="latin-1")
    content = upload(trainer_client, training, file).content.decode()
    assert "not UTF-8 encoded" in content
    assert not Registration.objects.exists()


def test_an_empty_file_gets_a_clear_message(trainer_client, training):
    content = upload(trainer_client, training, SimpleUploadedFile("p.csv", b"")).content.decode()
    assert "The submitted file is empty" in content or "The file is empty" in content
    content = upload(trainer_client, training, SimpleUploadedFile("p.csv", HEADER.encode())).content.decode()
    assert "no participants" in content
    assert not Registration.objects.exists()


def test_another_file_type_is_refused(trainer_client, training):
    content = upload(trainer_client, training, SimpleUploadedFile("p.pdf", b"%PDF-1.4")).content.decode()
    assert "Upload a .csv or .xlsx file" in content


def test_an_import_beyond_capacity_without_waiting_list_changes_nothing(trainer_client, training):
    training.waitlist_enabled = False
    training.save(update_fields=["waitlist_enabled"])
    response = upload(trainer_client, training, csv_file(good_lines(5)))
    response = trainer_client.post(
        reverse("trainings:import_confirm", args=[training.pk]), {"token": token_of(response)}, follow=True
    )
    assert "only 3 of 3 places are left" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_import_beyond_capacity_fills_the_waiting_list(trainer_client, training):
    response = upload(trainer_client, training, csv_file(good_lines(5)))
    response = trainer_client.post(
        reverse("trainings:import_confirm", args=[training.pk]), {"token": token_of(response)}, follow=True
    )
    assert "2 of them are on the waiting list" in response.content.decode()
    assert training.registrations.waitlisted().count() == 2


def damaged_xlsx() -> bytes:
    """A real workbook whose sheet XML is cut in half."""
    import zipfile

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["name", "email", "consent"])
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            archive.writestr(item, content)
    return damaged.getvalue()


def test_a_damaged_xlsx_gets_a_clear_message(trainer_client, training):
    response = upload(trainer_client, training, SimpleUploadedFile("p.xlsx", damaged_xlsx()))
    assert response.status_code == 400
    assert "The XLSX file cannot be read" in response.content.decode()
    assert not Registration.objects.filter(training=training).exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=600),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=400).map(lambda text: (HEADER + text).encode()),
        st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_no_file_content_breaks_the_preview(training, content, suffix):
    """Whatever the bytes, the reader answers rows or a clear ImportFileError, never a crash."""
    from trainings import imports

    upload_file = SimpleUploadedFile(f"participants{suffix}", content)
    try:
        rows = imports.validate_rows(training, imports.parse_rows(imports.read_table(upload_file)))
    except imports.ImportFileError as error:
        assert str(error)
    else:
        assert all(row.errors or row.data for row in rows)
