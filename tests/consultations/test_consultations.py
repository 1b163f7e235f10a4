"""Consultations: one answer per state until the deadline (each kept), what each member may
read, the outcome the job records at the deadline, new rounds, replies, and the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Answer, AnswerRevision, Consultation
from members.models import Role
from notifications.models import Notification
from tests.cases.factories import pdf_upload
from tests.consultations.factories import open_consultation, pass_deadline


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE"),
        "ee_ncp": make_user(Role.NCP, "EE"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV"),
        "lt_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LT"),
        "observer": make_user(Role.OBSERVER),
        "trainer": make_user(Role.TRAINER),
    }


def test_only_the_secretariat_opens_one_with_a_future_deadline_and_a_checked_document(people):
    with pytest.raises(ValidationError, match="Only the secretariat"):
        open_consultation(people["ee_rep"])
    with pytest.raises(ValidationError) as refused:
        services.consultation_open(
            data={"title": "Late", "procedure": "vote", "deadline": timezone.now() - timedelta(hours=1)},
            upload=pdf_upload(),
            by=people["secretariat"],
        )
    assert "deadline" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.consultation_open(
            data={"title": "Fake", "procedure": "vote", "deadline": timezone.now() + timedelta(days=1)},
            upload=SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf"),
            by=people["secretariat"],
        )
    assert not Consultation.objects.exists()
    consultation = open_consultation(people["secretariat"])
    told = Notification.objects.filter(kind="consultation_opened")
    assert told.filter(recipient=people["lv_rep"]).exists() and told.filter(recipient=people["observer"]).exists()
    assert not told.filter(recipient=people["trainer"]).exists()
    assert consultation.file.name.endswith(".pdf") and "statement" not in consultation.file.name


def test_one_answer_per_state_changeable_until_the_deadline_with_its_history(people):
    vote = open_consultation(people["secretariat"], "vote")
    services.answer_give(consultation=vote, position="object", text="Too early", by=people["ee_rep"])
    answer = services.answer_give(consultation=vote, position="approve", by=people["ee_ncp"])
    assert Answer.objects.filter(consultation=vote).count() == 1
    assert answer.answered_by == people["ee_ncp"] and answer.position == "approve"
    assert list(AnswerRevision.objects.filter(answer=answer).order_by("id").values_list("position", flat=True)) == [
        "object",
        "approve",
    ]
    with pytest.raises(ValidationError) as refused:
        services.answer_give(consultation=vote, position="no_objection", by=people["ee_rep"])
    assert "position" in refused.value.message_dict
    pass_deadline(vote)
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.answer_give(consultation=vote, position="abstain", by=people["ee_rep"])
    assert Answer.objects.get(pk=answer.pk).position == "approve"


def test_observers_and_the_secretariat_do_not_answer_for_a_state(people):
    vote = open_consultation(people["secretariat"], "vote")
    for who in ("observer", "secretariat"):
        with pytest.raises(ValidationError, match="representatives answer"):
            services.answer_give(consultation=vote, position="approve", by=people[who])


def test_an_objection_to_a_silence_procedure_needs_a_reason(people):
    silence = open_consultation(people["secretariat"], "silence")
    with pytest.raises(ValidationError) as refused:
        services.answer_give(consultation=silence, position="object", text=" ", by=people["ee_rep"])
    assert "text" in refused.value.message_dict


def test_silence_adopts_without_objection_and_is_broken_by_one(people):
    quiet = open_consultation(people["secretariat"], "silence", title="Quiet")
    broken = open_consultation(people["secretariat"], "silence", title="Broken")
    services.answer_give(consultation=broken, position="object", text="Section 3 is wrong", by=people["lv_rep"])
    services.answer_give(consultation=quiet, position="no_objection", by=people["ee_rep"])
    pass_deadline(quiet), pass_deadline(broken)
    call_command("run_job", "consultations.close_due")
    quiet.refresh_from_db(), broken.refresh_from_db()
    assert quiet.status == "closed" and quiet.outcome == "adopted" and quiet.outcome_text == "Adopted, no objection."
    assert broken.outcome == "silence_broken" and broken.outcome_text == "Silence broken by Latvia."
    outcome = Notification.objects.filter(kind="consultation_outcome", recipient=people["observer"])
    assert outcome.count() == 2
    assert services.consultations_close_due()["closed"] == 0  # a second run changes nothing
    assert Notification.objects.filter(kind="consultation_outcome", recipient=people["observer"]).count() == 2


def test_a_vote_is_approved_by_consensus_and_not_with_an_objection(people):
    approved = open_consultation(people["secretariat"], "vote", title="Approved")
    refused = open_consultation(people["secretariat"], "vote", title="Refused")
    services.answer_give(consultation=approved, position="approve", by=people["ee_rep"])
    services.answer_give(consultation=approved, position="abstain", by=people["lv_rep"])
    services.answer_give(consultation=refused, position="approve", by=people["ee_rep"])
    services.answer_give(consultation=refused, position="object", by=people["lt_rep"])
    for consultation in (approved, refused):
        services.consultation_close(consultation=pass_deadline(consultation))
        consultation.refresh_from_db()
    assert approved.outcome == "approved" and approved.outcome_text.startswith(
        "Approved: 1 approve, 0 object, 1 abstain"
    )
    assert refused.outcome == "not_approved" and "objections: Lithuania" in refused.outcome_text


def test_an_open_consultation_is_not_closed_before_its_deadline(people):
    consultation = open_consultation(people["secretariat"], "vote")
    assert services.consultation_close(consultation=consultation) is False
    consultation.refresh_from_db()
    assert consultation.status == "open"


def test_comments_are_for_the_secretariat_and_the_state_unless_made_visible(people, login):
    comments = open_consultation(people["secretariat"], "comments")
    services.answer_give(consultation=comments, position="comments", text="Estonian remark", by=people["ee_rep"])
    services.answer_give(
        consultation=comments, position="comments", text="Latvian remark", visible_to_members=True, by=people["lv_rep"]
    )
    url = comments.get_absolute_url()
    lt = login(people["lt_rep"]).get(url).content.decode()
    assert "Latvian remark" in lt and "Estonian remark" not in lt
    assert "Answered" in lt  # the board says Estonia answered, not what
    ee = login(people["ee_ncp"]).get(url).content.decode()
    assert "Estonian remark" in ee
    office = login(people["secretariat"]).get(url).content.decode()
    assert "Estonian remark" in office and "Latvian remark" in office


def test_votes_are_visible_to_every_member(people, login):
    vote = open_consultation(people["secretariat"], "vote")
    services.answer_give(consultation=vote, position="object", text="Estonian statement", by=people["ee_rep"])
    page = login(people["observer"]).get(vote.get_absolute_url()).content.decode()
    assert "Estonian statement" in page and "Object" in page


def test_the_secretariat_answers_comments_and_the_state_is_told(people):
    comments = open_consultation(people["secretariat"], "comments")
    answer = services.answer_give(consultation=comments, position="comments", text="Fix 2.1", by=people["ee_rep"])
    with pytest.raises(ValidationError) as refused:
        services.answer_reply(answer=answer, reply="", taken_in=False, by=people["secretariat"])
    assert "reply" in refused.value.message_dict
    services.answer_reply(answer=answer, reply="Done in the new draft.", taken_in=True, by=people["secretariat"])
    answer.refresh_from_db()
    assert answer.taken_in and answer.replied_by == people["secretariat"]
    assert Notification.objects.filter(kind="consultation_reply", recipient=people["ee_ncp"]).exists()
    vote = open_consultation(people["secretariat"], "vote")
    objection = services.answer_give(consultation=vote, position="object", by=people["ee_rep"])
    with pytest.raises(ValidationError, match="Only comments"):
        services.answer_reply(answer=objection, reply="No", taken_in=False, by=people["secretariat"])


def test_a_new_round_opens_after_the_old_one_closed_and_keeps_it(people):
    first = open_consultation(people["secretariat"], "vote")
    with pytest.raises(ValidationError, match="once this one has closed"):
        services.consultation_new_round(
            previous=first, upload=pdf_upload(), deadline=timezone.now() + timedelta(days=3), by=people["secretariat"]
        )
    services.answer_give(consultation=first, position="object", by=people["ee_rep"])
    services.consultation_close(consultation=pass_deadline(first))
    second = services.consultation_new_round(
        previous=first, upload=pdf_upload(), deadline=timezone.now() + timedelta(days=3), by=people["secretariat"]
    )
    third_try = pytest.raises(ValidationError, match="already has a next one")
    with third_try:
        services.consultation_new_round(
            previous=first, upload=pdf_upload(), deadline=timezone.now() + timedelta(days=3), by=people["secretariat"]
        )
    assert second.round == 2 and second.previous_round == first and not second.answers.exists()
    first.refresh_from_db()
    assert first.answers.count() == 1 and first.status == "closed"


def test_states_without_an_answer_are_reminded_once_before_the_deadline(people, settings):
    settings.THB_CONSULTATION_REMINDER_DAYS = 2
    vote = open_consultation(people["secretariat"], "vote", days=1)
    open_consultation(people["secretariat"], "silence", days=1, title="Silence asks for no answer")
    services.answer_give(consultation=vote, position="approve", by=people["ee_rep"])
    call_command("run_job", "consultations.deadline_reminders")
    reminded = Notification.objects.filter(kind="consultation_deadline_near")
    assert reminded.filter(recipient=people["lv_rep"]).count() == 1
    assert not reminded.filter(recipient=people["ee_rep"]).exists()
    assert services.deadline_reminders_send()["notices"] == 0


def test_the_answer_page_keeps_what_was_typed_when_refused(people, login):
    silence = open_consultation(people["secretariat"], "silence")
    response = login(people["ee_rep"]).post(
        reverse("consultations:answer", args=[silence.pk]), {"position": "object", "text": ""}
    )
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    late = pass_deadline(open_consultation(people["secretariat"], "vote"))
    response = login(people["ee_rep"]).post(
        reverse("consultations:answer", args=[late.pk]), {"position": "approve", "text": "Kept statement"}
    )
    assert response.status_code == 400
    assert "deadline has passed" in response.content.decode() and "Kept statement" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_create_page_refuses_a_wrong_upload_and_keeps_the_title(people, login):
    response = login(people["secretariat"]).post(
        reverse("consultations:create"),
        {
            "title": "Kept title",
            "procedure": "vote",
            "deadline": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "document": SimpleUploadedFile("x.pdf", b"plain text", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400 and 'value="Kept title"' in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("who", ["secretariat", "lt_rep"])
def test_the_pages_run_the_same_queries_however_many_consultations_and_answers(
    people, login, assert_constant_queries, who
):
    comments = open_consultation(people["secretariat"], "comments")
    # The reader's own state has answered from the start: its answer's history is one query more.
    for member in ("ee_rep", "lt_rep"):
        services.answer_give(consultation=comments, position="comments", text="One", by=people[member])

    def grow():
        for n in range(4):
            vote = open_consultation(people["secretariat"], "vote", title=f"Vote {n}")
            services.answer_give(consultation=vote, position="approve", by=people["lv_rep"])
        for member in ("ee_ncp", "lv_rep", "lt_rep", "ee_rep"):
            services.answer_give(consultation=comments, position="comments", text=f"By {member}", by=people[member])

    client = login(people[who])
    assert_constant_queries(client, reverse("consultations:list"), comments.get_absolute_url(), grow=grow)
