"""A file with a qualitative section of a return: checked on upload, shown and served to the
state and the secretariat only, replaced or removed while the return may change, never
deleted (the history keeps who removed it)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Role
from reporting import services
from reporting.models import ReturnFile
from tests.cases.factories import PDF, pdf_upload
from tests.reporting.factories import complete_entries, open_call, return_of


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE"),
        "ee_ncp": make_user(Role.NCP, "EE"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV"),
    }


def _section(call):
    return call.indicator_set.indicators.filter(kind="text").order_by("position").first()


def _download(client, record):
    response = client.get(record.get_absolute_url())
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_a_state_adds_replaces_and_removes_a_sections_file_that_only_it_and_the_secretariat_see(
    people, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(people["secretariat"])
    ee = return_of(call, "EE")
    section = _section(call)
    upload_url = reverse("reporting:return_file_upload", args=[ee.pk])
    client = login(people["ee_ncp"])
    answer = client.post(upload_url, {"section": section.code, "file": pdf_upload("action-plan.pdf")})
    assert answer.status_code == 302 and answer["Location"].endswith("#section-files")
    added = ReturnFile.objects.get()
    page = client.get(ee.get_absolute_url()).content.decode()
    assert "action-plan.pdf" in page and added.get_absolute_url() in page
    assert _download(client, added) == (200, PDF)
    for who, seen in (("ee_rep", 200), ("secretariat", 200), ("lv_rep", 404)):
        assert _download(login(people[who]), added)[0] == seen
    # Not a PDF inside: refused, said on the page, nothing stored.
    client = login(people["ee_rep"])
    fake = SimpleUploadedFile("plan.pdf", b"just text", content_type="application/pdf")
    refused = client.post(upload_url, {"section": section.code, "file": fake}, follow=True)
    assert "The file was not added" in refused.content.decode() and ReturnFile.objects.count() == 1
    # A newer file replaces it on the page; the earlier one is kept.
    client.post(upload_url, {"section": section.code, "file": pdf_upload("action-plan-v2.pdf")})
    page = client.get(ee.get_absolute_url()).content.decode()
    assert "action-plan-v2.pdf" in page and "action-plan.pdf<" not in page and ReturnFile.objects.count() == 2
    # Removed: off the page and no longer served, kept with who removed it.
    client.post(upload_url, {"section": section.code, "remove": "1"})
    assert "action-plan-v2.pdf" not in client.get(ee.get_absolute_url()).content.decode()
    assert _download(client, ReturnFile.objects.order_by("-id").first())[0] == 404
    assert ReturnFile.objects.filter(removed_by=people["ee_rep"]).count() == 2
    # The secretariat, another state and a GET do not change the files.
    assert login(people["secretariat"]).post(upload_url, {"section": section.code}).status_code == 404
    assert login(people["lv_rep"]).post(upload_url, {"section": section.code}).status_code == 404


def test_files_go_only_with_a_section_of_a_return_that_may_change(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(people["secretariat"])
    ee = return_of(call, "EE")
    with pytest.raises(ValidationError, match="qualitative section"):
        services.return_file_attach(
            return_record=ee, code="victims.identified", upload=pdf_upload(), by=people["ee_rep"]
        )
    with pytest.raises(ValidationError, match="Only the state"):
        services.return_file_attach(
            return_record=ee, code=_section(call).code, upload=pdf_upload(), by=people["lv_rep"]
        )
    services.return_save(return_record=ee, entries=complete_entries(call), by=people["ee_rep"])
    services.return_transition(return_record=ee, step="submit", by=people["ee_rep"])
    with pytest.raises(ValidationError, match="cannot change now"):
        services.return_file_attach(
            return_record=ee, code=_section(call).code, upload=pdf_upload(), by=people["ee_rep"]
        )
    with pytest.raises(ValidationError, match="cannot change now"):
        services.return_file_remove(return_record=ee, code=_section(call).code, by=people["ee_rep"])
