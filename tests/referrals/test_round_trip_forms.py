"""Issue 12 §4/§5: the draft starts from the consent, drafts can be deleted, the referral's
notices are marked read after it is opened, and the case page lists its referrals."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from notifications.models import Notification
from referrals import services
from referrals.forms import ReferralForm
from referrals.models import Referral, ReferralStatus
from tests.cases.factories import make_case
from tests.referrals.factories import advance, make_consent, make_referral


def test_a_new_draft_is_prefilled_from_the_consent(client, login, ee_ncp, lv_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(
        case,
        ee_ncp,
        states=[demo_states["LV"]],
        purposes=("referral", "assistance"),
        categories=("case_variables", "risk"),
    )
    login(ee_ncp)
    form = client.get(reverse("referrals:create", args=[case.pk])).context["form"]
    assert form["receiving_state"].value() == demo_states["LV"].pk
    assert form["purpose"].value() == "assistance"
    assert form["consent"].value() == consent.pk
    assert form["shared_categories"].value() == ["case_variables", "risk"]
    # Saving it as it stands is enough for a draft that can be sent.
    response = client.post(
        reverse("referrals:create", args=[case.pk]),
        {
            "receiving_state": demo_states["LV"].pk,
            "purpose": "assistance",
            "urgency": "normal",
            "consent": consent.pk,
            "shared_categories": ["case_variables", "risk"],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and services.send_guard_problems(referral) == []


def test_only_states_the_consent_covers_and_that_have_ncps_can_be_chosen(ee_ncp, lv_ncp, make_user, demo_states):
    make_user(Role.NCP, "LT")
    case = make_case(ee_ncp)
    # The consent names Latvia, Lithuania, Finland (no NCP here), the EU and Estonia itself.
    states = [demo_states[code] for code in ("LV", "LT", "FI", "EU", "EE")]
    make_consent(case, ee_ncp, states=states)
    form = ReferralForm(case=case)
    assert sorted(state.code for state in form.fields["receiving_state"].queryset) == ["LT", "LV"]
    # More than one state: none is chosen for the person.
    assert form["receiving_state"].value() is None


def test_a_state_the_chosen_consent_does_not_cover_is_refused_at_the_field(ee_ncp, lv_ncp, make_user, demo_states):
    make_user(Role.NCP, "LT")
    case = make_case(ee_ncp)
    only_lv = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    make_consent(case, ee_ncp, states=[demo_states["LT"]])
    form = ReferralForm(
        {
            "receiving_state": demo_states["LT"].pk,
            "purpose": "assistance",
            "urgency": "normal",
            "consent": only_lv.pk,
            "shared_categories": ["case_variables"],
        },
        case=case,
    )
    assert not form.is_valid()
    assert form.errors == {"receiving_state": ["The chosen consent does not cover sharing with Lithuania."]}


def test_the_sender_deletes_a_draft_after_confirming_and_the_case_trail_records_it(client, login, ee_ncp, demo_states):
    case = make_case(ee_ncp)
    draft = make_referral(ee_ncp, demo_states["LV"], case=case)
    login(ee_ncp)
    url = reverse("referrals:delete", args=[draft.pk])
    assert f'href="{url}"' in client.get(draft.get_absolute_url()).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete draft" in confirm.content.decode()
    assert Referral.objects.filter(pk=draft.pk).exists()  # the GET only asks

    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (case.get_absolute_url(), 302)
    assert [str(m) for m in response.context["messages"]] == [f"Draft {draft.reference} was deleted."]
    assert not Referral.objects.filter(pk=draft.pk).exists()
    trail = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    assert f"draft referral {draft.reference} deleted" in trail
    entry = LogEntry.objects.get(additional_data__what=f"draft referral {draft.reference} deleted")
    assert entry.actor == ee_ncp and entry.additional_data["case_id"] == case.pk
    # The next referral of the case gets a new number, never the deleted one's successor twice.
    again = make_referral(ee_ncp, demo_states["LV"], case=case, consent=draft.consent)
    assert again.reference == f"{case.reference}-R1"
    second = make_referral(ee_ncp, demo_states["LV"], case=case, consent=draft.consent)
    assert second.reference == f"{case.reference}-R2"


def test_a_sent_referral_cannot_be_deleted_and_others_get_404(client, login, ee_ncp, lv_ncp, lt_ncp, demo_states):
    sent = make_referral(ee_ncp, demo_states["LV"], send=True)
    draft = make_referral(ee_ncp, demo_states["LV"])
    login(ee_ncp)
    response = client.post(reverse("referrals:delete", args=[sent.pk]), follow=True)
    assert response.redirect_chain[0] == (sent.get_absolute_url(), 302)
    assert "Only a draft can be deleted" in response.content.decode()
    for user in (lv_ncp, lt_ncp):
        login(user)
        for pk in (sent.pk, draft.pk):
            assert client.get(reverse("referrals:delete", args=[pk])).status_code == 404
            assert client.post(reverse("referrals:delete", args=[pk])).status_code == 404
    assert Referral.objects.filter(pk__in=[sent.pk, draft.pk]).count() == 2
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.SENT


def test_opening_a_referral_marks_its_notices_read_by_a_post_not_the_get(client, login, ee_ncp, lv_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)  # Latvia is notified of it
    other = make_referral(ee_ncp, demo_states["LV"], send=True)
    about = Notification.objects.filter(recipient=lv_ncp, target_id=referral.pk)
    assert about.unread().count() == 1
    login(lv_ncp)
    page = client.get(referral.get_absolute_url())
    notices_url = reverse("referrals:notices_read", args=[referral.pk])
    assert f'hx-post="{notices_url}" hx-trigger="load"' in page.content.decode()
    assert about.unread().count() == 1  # GET writes nothing

    response = client.post(notices_url)
    assert response.status_code == 200 and 'id="notification-badge"' in response.content.decode()
    assert about.unread().count() == 0
    assert Notification.objects.filter(recipient=lv_ncp, target_id=other.pk).unread().count() == 1
    # Once read, the page asks no more.
    assert notices_url not in client.get(referral.get_absolute_url()).content.decode()


def test_the_case_page_lists_its_referrals_with_status_and_next_deadline(
    client, login, ee_ncp, lv_ncp, lv_alt, demo_states
):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    draft = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent)
    sent = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, send=True)
    completed = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, send=True)
    completed = advance(completed, "completed", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    login(ee_ncp)
    page = client.get(case.get_absolute_url()).content.decode()
    table = page[page.index('data-testid="case-referrals"') :]
    for referral, status in ((draft, "Draft"), (sent, "Sent"), (completed, "Completed")):
        assert f'<a href="{referral.get_absolute_url()}">{referral.reference}</a>' in table
        assert f"<td>{status}</td>" in table
    assert f"Acknowledgement by {timezone.localtime(sent.ack_deadline):%-d %b %Y}" in table
    assert "Follow-up by" in table
    assert table.count("Latvia") >= 3
    # And the referral links back to the case, for the sending side only.
    assert f'href="{case.get_absolute_url()}"' in client.get(sent.get_absolute_url()).content.decode()
    login(lv_ncp)
    assert f'href="{case.get_absolute_url()}"' not in client.get(sent.get_absolute_url()).content.decode()


def test_the_referral_page_shows_labels_never_internal_codes(client, login, ee_ncp, demo_states):
    draft = make_referral(
        ee_ncp, demo_states["LV"], requested_services=["accommodation", "legal"], shared_categories=["case_variables"]
    )
    login(ee_ncp)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Safe accommodation, Legal counselling" in page
    assert "Case variables (exploitation, countries, needs)" in page
    assert "Services requested: accommodation" not in page and "Categories chosen: case_variables" not in page
