"""The message thread between the two states, with attachments under the case-file upload rules."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals import services
from referrals.models import ReferralDocument, ReferralMessage
from tests.cases.factories import PDF, PNG, pdf_upload, stored_files
from tests.referrals.factories import advance, make_referral, post_for_messages

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)


@pytest.fixture
def sent(ee_ncp, demo_states):
    return make_referral(ee_ncp, demo_states["LV"], send=True)


def _post(client, referral, body, upload=None):
    data = {"body": body}
    if upload is not None:
        data["attachment"] = upload
    return post_for_messages(client, reverse("referrals:message_post", args=[referral.pk]), data)


def _download(client, document):
    return client.get(reverse("referrals:document_download", args=[document.referral_id, document.pk]))


def test_both_sides_write_messages_with_attachments_and_both_read_them(
    client, login, sent, ee_ncp, lv_ncp, private_media
):
    login(ee_ncp)
    status, url, shown = _post(client, sent, "Her statement is attached", pdf_upload("statement.pdf"))
    assert (status, url, shown) == (302, f"{sent.get_absolute_url()}#messages", ["Message sent."])
    login(lv_ncp)
    assert _post(client, sent, "Our reception plan", pdf_upload("plan.pdf"))[2] == ["Message sent."]

    messages = list(ReferralMessage.objects.filter(referral=sent).select_related("attachment"))
    assert [(m.author, m.side, m.body, m.attachment.original_name) for m in messages] == [
        (ee_ncp, "sending", "Her statement is attached", "statement.pdf"),
        (lv_ncp, "receiving", "Our reception plan", "plan.pdf"),
    ]
    assert len(stored_files(private_media)) == 2
    for user in (ee_ncp, lv_ncp):
        login(user)
        page = client.get(sent.get_absolute_url()).content.decode()
        assert "Her statement is attached" in page and "Our reception plan" in page
        for message in messages:
            document = message.attachment
            assert document.get_absolute_url() in page
            response = _download(client, document)
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert f'filename="{document.original_name}"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("report.pdf", EXE, "This kind of file is not accepted. Accepted: PDF, PNG image, JPEG image"),
        ("setup.exe", EXE, "This kind of file is not accepted. Accepted: PDF, PNG image, JPEG image"),
        ("photo.pdf", PNG, "The file is a PNG image but its name ends in “.pdf”"),
    ],
)
def test_a_forbidden_attachment_is_refused_and_nothing_is_stored(
    client, login, sent, lv_ncp, private_media, name, content, problem
):
    login(lv_ncp)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        reverse("referrals:message_post", args=[sent.pk]), {"body": "See the attached file", "attachment": upload}
    )
    # The page again: the text as written, and what is wrong with the file next to the file field.
    assert response.status_code == 400
    form = response.context["message_form"]
    assert list(form.errors) == ["attachment"] and form.errors["attachment"][0].startswith(problem)
    page = response.content.decode()
    assert "See the attached file</textarea>" in page
    assert "write a message" not in page.lower()
    assert not ReferralMessage.objects.exists()
    assert not ReferralDocument.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_message_is_refused_even_with_an_attachment(client, login, sent, ee_ncp, private_media, body):
    login(ee_ncp)
    response = client.post(
        reverse("referrals:message_post", args=[sent.pk]), {"body": body, "attachment": pdf_upload()}
    )
    assert response.status_code == 400
    assert response.context["message_form"].errors == {"body": ["This field is required."]}
    with pytest.raises(ValidationError) as refused:
        services.referral_message_post(referral=sent, by=ee_ncp, body=body, upload=pdf_upload())
    assert refused.value.message_dict == {"body": ["Write a message."]}
    assert not ReferralMessage.objects.exists() and not ReferralDocument.objects.exists()
    assert stored_files(private_media) == []


def test_a_third_state_cannot_read_write_or_download(client, login, sent, ee_ncp, lt_ncp, private_media):
    message = services.referral_message_post(referral=sent, by=ee_ncp, body="Private", upload=pdf_upload())
    login(lt_ncp)
    assert _download(client, message.attachment).status_code == 404
    response = client.post(reverse("referrals:message_post", args=[sent.pk]), {"body": "Let me in"})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.referral_message_post(referral=sent, by=lt_ncp, body="Let me in")
    assert list(ReferralMessage.objects.values_list("body", flat=True)) == ["Private"]


def test_a_document_is_only_reachable_through_its_own_referral(client, login, sent, ee_ncp, lv_ncp, private_media):
    message = services.referral_message_post(referral=sent, by=ee_ncp, body="Attached", upload=pdf_upload())
    own = make_referral(lv_ncp, sent.sending_state, send=True)
    login(lv_ncp)
    url = reverse("referrals:document_download", args=[own.pk, message.attachment.pk])
    assert client.get(url).status_code == 404


def test_no_messages_on_a_draft(client, login, ee_ncp, demo_states, private_media):
    draft = make_referral(ee_ncp, demo_states["LV"])
    login(ee_ncp)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("referrals:message_post", args=[draft.pk]) not in page
    _, _, shown = _post(client, draft, "Too early", pdf_upload())
    assert shown == ["The message was not sent. Send the referral before writing messages."]
    assert not ReferralMessage.objects.exists() and not ReferralDocument.objects.exists()
    assert stored_files(private_media) == []


def test_no_messages_once_the_referral_was_declined(client, login, sent, ee_ncp, lv_ncp, lv_alt):
    advance(sent, "declined", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    for user in (ee_ncp, lv_ncp):
        login(user)
        _, _, shown = _post(client, sent, "One more thing")
        assert shown == ["The message was not sent. The referral has ended; no more messages can be added."]
    assert not ReferralMessage.objects.exists()
