"""The permission walk: every referral URL, for every kind of visitor (DESIGN.md section 5).

Inbox and outbox are contact points' pages (403 for other roles); URLs of one referral
answer 404 to anyone without the grant, so ids cannot be probed. The receiving state
sees only what the referral shares, and loses even that when the referral is withdrawn,
consent is withdrawn, or the access period after closing has passed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import RiskAssessment
from members.models import Role
from referrals import services
from referrals.models import Referral, ReferralMessage, ReferralStatus, Side
from referrals.workflow import REFERRAL_WORKFLOW
from tests.cases.factories import make_case, pdf_upload
from tests.referrals.factories import advance, make_consent, make_referral, step_data

IDENTITY_NAME = "Walkername"
UNSHARED_NEEDS = "Needs-that-were-not-shared"
NOTE = "Note-for-the-receiving-state"

LOGIN = "login"
OWN = "own"  # what the URL answers a party to the referral (the row's `success`)
PAGE, CREATE, ONE, STATISTICS = "page", "create", "one referral", "statistics"


@dataclass
class Row:
    label: str
    method: str
    name: str
    args: object  # walk -> URL arguments
    kind: str
    success: int | dict  # what the sending and the receiving NCP get (or {visitor: what} when they differ)
    data: dict | None = None


ROWS = [
    Row("inbox", "get", "referrals:inbox", lambda w: [], PAGE, 200),
    Row("outbox", "get", "referrals:outbox", lambda w: [], PAGE, 200),
    Row("create (form)", "get", "referrals:create", lambda w: [w.case.pk], CREATE, 200),
    Row("create (post)", "post", "referrals:create", lambda w: [w.case.pk], CREATE, 200, {"purpose": "assistance"}),
    Row("detail", "get", "referrals:detail", lambda w: [w.referral.pk], ONE, 200),
    Row("print", "get", "referrals:print", lambda w: [w.referral.pk], ONE, 200),
    # A reveal posted without a purpose: a party is refused (400) and nothing is shown or logged.
    Row("print (reveal)", "post", "referrals:print", lambda w: [w.referral.pk], ONE, 400, {}),
    Row("identity reveal", "post", "referrals:identity_reveal", lambda w: [w.referral.pk], ONE, 400, {}),
    *[
        # Posted empty: a step that is not the party's now is refused with a message (302); one
        # that is, with its form again and the errors next to the fields (400). Nothing changes.
        # The walk's referral is sent; which steps are each side's then is the table's to say.
        Row(
            f"action {step.name}",
            "post",
            step.url,
            lambda w, a=step.name: [w.referral.pk, a],
            ONE,
            {
                "receiving NCP (LV)": 400 if step.allows(ReferralStatus.SENT, Side.RECEIVING) else 302,
                "sending NCP (EE)": 400 if step.allows(ReferralStatus.SENT, Side.SENDING) else 302,
            },
            {},
        )
        for step in REFERRAL_WORKFLOW
    ],
    Row("message", "post", "referrals:message_post", lambda w: [w.referral.pk], ONE, 400, {"body": ""}),
    Row("document", "get", "referrals:document_download", lambda w: [w.referral.pk, w.document.pk], ONE, 200),
    Row("statistics", "get", "referrals:statistics", lambda w: [], STATISTICS, 403),
]

# Who visits (role, state), and what they get on each kind of URL: page, create, one referral, statistics.
VISITORS = {
    "anonymous": (None, None, LOGIN, LOGIN, LOGIN, LOGIN),
    "NCP of a third state (LT)": (Role.NCP, "LT", OWN, 404, 404, 403),
    "national representative of EE": (Role.NATIONAL_REPRESENTATIVE, "EE", 403, 404, 404, 403),
    "trainer": (Role.TRAINER, None, 403, 404, 404, 403),
    "observer": (Role.OBSERVER, None, 403, 404, 404, 403),
    "secretariat": (Role.SECRETARIAT, None, 403, 404, 404, 200),
    "receiving NCP (LV)": (Role.NCP, "LV", OWN, 404, OWN, 403),
    "sending NCP (EE)": (Role.NCP, "EE", OWN, OWN, OWN, 403),
}
PARTIES = {"receiving NCP (LV)", "sending NCP (EE)"}


@pytest.fixture
def walk(ee_ncp, lv_ncp, lv_alt, demo_states, private_media):
    """An Estonian case referred to Latvia and sent, with a message and its attachment."""
    case = make_case(ee_ncp, gender="woman")
    case_services.identity_save(case=case, by=ee_ncp, data={"given_names": IDENTITY_NAME, "family_name": "Tamm"})
    case_services.case_record_add(
        case=case,
        record=RiskAssessment(kind="initial", assessed_on=date(2026, 11, 1), level="high", needs=UNSHARED_NEEDS),
        by=ee_ncp,
    )
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    referral = make_referral(
        ee_ncp,
        demo_states["LV"],
        case=case,
        consent=consent,
        shared_categories=["case_variables"],
        note=NOTE,
        send=True,
    )
    message = services.referral_message_post(
        referral=referral, by=ee_ncp, body="Report attached", upload=pdf_upload("report.pdf")
    )
    return SimpleNamespace(
        case=case,
        consent=consent,
        referral=referral,
        document=message.attachment,
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )


def _outcome(response):
    if response.status_code == 302 and response.url.startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


def _content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def _request(client, row: Row, walk):
    url = reverse(row.name, args=row.args(walk))
    return client.post(url, row.data) if row.method == "post" else client.get(url)


def _referral_state(walk) -> tuple:
    referral = Referral.objects.get(pk=walk.referral.pk)
    return (
        referral.status,
        referral.events.count(),
        ReferralMessage.objects.filter(referral=referral).count(),
        Referral.objects.count(),
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_referral_url_answers_each_visitor_as_the_access_policy_says(client, make_user, login, walk, visitor):
    role, state, on_page, on_create, on_one, on_statistics = VISITORS[visitor]
    if visitor == "sending NCP (EE)":
        login(walk.sender)
    elif visitor == "receiving NCP (LV)":
        login(walk.receiver)
    elif role is not None:
        login(make_user(role, state))
    wanted_by_kind = {PAGE: on_page, CREATE: on_create, ONE: on_one, STATISTICS: on_statistics}
    before = _referral_state(walk)

    expected, actual, leaks = {}, {}, []
    for row in ROWS:
        wanted = wanted_by_kind[row.kind]
        success = row.success.get(visitor) if isinstance(row.success, dict) else row.success
        expected[row.label] = success if wanted == OWN else wanted
        response = _request(client, row, walk)
        actual[row.label] = _outcome(response)
        if visitor not in PARTIES:
            content = _content(response)
            if walk.referral.reference in content or walk.case.reference in content or "Report attached" in content:
                leaks.append(row.label)

    assert actual == expected
    assert leaks == [], "responses to someone without the grant name the referral or the case"
    assert _referral_state(walk) == before, "a refused request changed the referral"


def test_a_third_states_ncp_sees_nothing_of_the_referral_in_their_boxes(client, login, walk, lt_ncp):
    login(lt_ncp)
    for name in ("referrals:inbox", "referrals:outbox"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []
        assert walk.referral.reference not in response.content.decode()


def test_a_draft_is_invisible_to_the_receiving_state_until_it_is_sent(client, login, ee_ncp, lv_ncp, demo_states):
    draft = make_referral(ee_ncp, demo_states["LV"])
    login(lv_ncp)
    urls = [reverse("referrals:detail", args=[draft.pk]), reverse("referrals:print", args=[draft.pk])]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(reverse("referrals:action", args=[draft.pk, "send"])).status_code == 404
    assert draft.reference not in client.get(reverse("referrals:inbox")).content.decode()

    services.referral_transition(referral=draft, action="send", by=ee_ncp)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert draft.reference in client.get(reverse("referrals:inbox")).content.decode()


def test_the_receiving_ncp_sees_the_shared_snapshot_but_not_the_case_file(client, login, walk):
    login(walk.receiver)
    assert client.get(walk.case.get_absolute_url()).status_code == 404
    detail = client.get(reverse("referrals:detail", args=[walk.referral.pk])).content.decode()
    assert NOTE in detail, "the sender's note to the receiving state is shown"
    for name in ("referrals:detail", "referrals:print"):
        page = client.get(reverse(name, args=[walk.referral.pk])).content.decode()
        assert "Woman" in page, "the shared case variables are shown"
        assert IDENTITY_NAME not in page, "identity was not shared"
        assert UNSHARED_NEEDS not in page, "the risk assessment was not shared"
        assert walk.case.get_absolute_url() not in page, "no link to the sending state's case file"


def test_the_sending_ncp_is_linked_to_the_case(client, login, walk):
    login(walk.sender)
    page = client.get(walk.referral.get_absolute_url()).content.decode()
    assert f'href="{walk.case.get_absolute_url()}"' in page


def test_the_secretariat_sees_metadata_in_the_admin_but_no_shared_data(client, login, make_user, walk):
    Referral.objects.filter(pk=walk.referral.pk).update(safeguard_note="Safeguard-note-text")
    login(make_user(Role.SECRETARIAT))
    changelist = client.get(reverse("admin:referrals_referral_changelist"))
    assert changelist.status_code == 200
    assert walk.referral.reference in changelist.content.decode()
    change = client.get(reverse("admin:referrals_referral_change", args=[walk.referral.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert walk.referral.reference in page and "Latvia" in page
    for private in (NOTE, "Safeguard-note-text", "Woman", IDENTITY_NAME, "Report attached", "snapshot"):
        assert private not in page, private
    assert client.get(reverse("referrals:statistics")).status_code == 200


@pytest.mark.parametrize("role", [Role.NCP, Role.NATIONAL_REPRESENTATIVE, Role.OBSERVER])
def test_no_one_but_the_secretariat_opens_the_referral_admin(client, login, make_user, walk, role):
    login(make_user(role, "EE" if role != Role.OBSERVER else None))
    for url in (
        reverse("admin:referrals_referral_changelist"),
        reverse("admin:referrals_referral_change", args=[walk.referral.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), url


def _receiver_urls(walk) -> list[str]:
    return [
        reverse("referrals:detail", args=[walk.referral.pk]),
        reverse("referrals:print", args=[walk.referral.pk]),
        reverse("referrals:document_download", args=[walk.referral.pk, walk.document.pk]),
    ]


def _assert_receiver_lost_access(client, login, walk, says: str = "it is no longer shared with you"):
    login(walk.receiver)
    # Not a 404: the receiving NCP is sent to the inbox and told plainly what happened.
    for response in [client.get(url) for url in _receiver_urls(walk)] + [
        client.post(reverse("referrals:message_post", args=[walk.referral.pk]), {"body": "Hi"})
    ]:
        assert (response.status_code, response.url) == (302, reverse("referrals:inbox"))
    inbox = client.get(reverse("referrals:inbox"))
    shown = [str(message) for message in inbox.context["messages"]]
    assert len(shown) == 4 and all(says in text for text in shown), shown
    assert walk.referral.reference not in inbox.content.decode()
    assert not ReferralMessage.objects.filter(referral=walk.referral, body="Hi").exists()
    login(walk.sender)
    timeline = client.get(walk.referral.get_absolute_url()).content.decode()
    assert "Receiving state&#x27;s access ended" in timeline or "Receiving state's access ended" in timeline
    assert Referral.objects.get(pk=walk.referral.pk).receiving_access_revoked_at is not None


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("withdraw", "This referral was withdrawn by the sending state on {when}; it is no longer shared with you."),
        (
            "consent_withdrawn",
            "The person withdrew their consent on {when}; this referral is no longer shared with you.",
        ),
    ],
)
def test_withdrawal_ends_the_receiving_states_access_at_once_and_says_so(client, login, walk, lt_ncp, action, says):
    login(walk.receiver)
    assert [client.get(url).status_code for url in _receiver_urls(walk)] == [200, 200, 200]
    services.referral_transition(referral=walk.referral, action=action, by=walk.sender, data=step_data(action))
    when = f"{timezone.localtime():%-d %b %Y}"
    _assert_receiver_lost_access(client, login, walk, says=says.format(when=when))
    # Anyone else still learns nothing: a third state's NCP gets 404, as before.
    login(lt_ncp)
    assert [client.get(url).status_code for url in _receiver_urls(walk)] == [404, 404, 404]


def test_closing_ends_the_receiving_states_access_after_the_access_period(client, login, settings, walk):
    referral = advance(walk.referral, "closed", sender=walk.sender, receiver=walk.receiver, alternate=walk.alternate)
    period = timedelta(days=settings.THB_REFERRAL_ACCESS_DAYS)

    assert services.referrals_expire_access(now=referral.ended_at + period - timedelta(hours=1)) == {"revoked": 0}
    login(walk.receiver)
    assert [client.get(url).status_code for url in _receiver_urls(walk)] == [200, 200, 200]

    assert services.referrals_expire_access(now=referral.ended_at + period + timedelta(hours=1)) == {"revoked": 1}
    _assert_receiver_lost_access(client, login, walk, says="access period ended on")
    # Run again: nothing more to do, and the timeline records the end once.
    assert services.referrals_expire_access(now=referral.ended_at + period + timedelta(days=2)) == {"revoked": 0}
    assert referral.events.filter(kind="access_revoked").count() == 1


def test_the_access_expiry_job_runs_through_the_job_command(walk, settings):
    referral = advance(walk.referral, "closed", sender=walk.sender, receiver=walk.receiver, alternate=walk.alternate)
    Referral.objects.filter(pk=referral.pk).update(
        ended_at=referral.ended_at - timedelta(days=settings.THB_REFERRAL_ACCESS_DAYS + 1)
    )
    call_command("run_job", "referrals.access_expiry")
    assert not walk.receiver.has_perm("referrals.view_referral", referral)
    assert walk.sender.has_perm("referrals.view_referral", referral)
