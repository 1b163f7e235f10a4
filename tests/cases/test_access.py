"""The permission walk: every case URL, for every kind of visitor (DESIGN.md section 5).

Pages that are not about one case (the list, the create page) answer 403 to roles that
cannot use them; URLs of one case answer 404 to anyone without the state's grant, so
ids cannot be probed; statistics are for the secretariat only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseDocument, CaseIdentity, ClosureReason, Consent, FollowUp, Stage
from members.models import Role
from tests.cases.factories import make_case, pdf_upload

IDENTITY_NAME = "Walkername"
CONSENT = {
    "given_by": "person",
    "given_on": "2026-11-01",
    "method": "written",
    "purposes": ["assistance"],
    "data_categories": ["case_variables"],
    **{
        f"informed_of_{point}": "on"
        for point in ["purpose", "data_use", "research_use", "access_right", "retention", "withdrawal"]
    },
}
CASE_FIELDS = {"trafficking_status": "possible", "gender": "woman", "age_band": "21-23"}

# Kinds of URL, and the outcomes the table below speaks of.
PAGE, ONE_CASE, STATISTICS = "page", "one case", "statistics"
LOGIN = "login"  # a redirect to the login page
OWN = "own"  # what the URL answers the owning NCP (its row's `success`)


@dataclass
class Row:
    label: str
    method: str
    name: str
    args: Callable  # walk -> URL arguments
    kind: str
    success: int  # what the owning NCP gets
    data: Callable = lambda walk: {}  # walk -> what is posted


ROWS = [
    Row("list", "get", "cases:list", lambda w: [], PAGE, 200),
    Row("create (form)", "get", "cases:create", lambda w: [], PAGE, 200),
    Row("create (post)", "post", "cases:create", lambda w: [], PAGE, 302, lambda w: CASE_FIELDS),
    Row("statistics", "get", "cases:statistics", lambda w: [], STATISTICS, 403),
    Row("statistics export", "get", "cases:statistics_export", lambda w: [], STATISTICS, 403),
    Row("detail", "get", "cases:detail", lambda w: [w.case.pk], ONE_CASE, 200),
    Row("edit (form)", "get", "cases:edit", lambda w: [w.case.pk], ONE_CASE, 200),
    Row("edit (post)", "post", "cases:edit", lambda w: [w.case.pk], ONE_CASE, 302, lambda w: CASE_FIELDS),
    Row(
        "move stage",
        "post",
        "cases:move_stage",
        lambda w: [w.case.pk],
        ONE_CASE,
        302,
        lambda w: {"to_stage": Stage.FORMALLY_IDENTIFIED},
    ),
    Row(
        "reopen",
        "post",
        "cases:reopen",
        lambda w: [w.closed_case.pk],
        ONE_CASE,
        302,
        lambda w: {"to_stage": Stage.PRESUMED, "reason": "New information came in."},
    ),
    Row("identity (form)", "get", "cases:identity_edit", lambda w: [w.case.pk], ONE_CASE, 200),
    Row(
        "identity (post)",
        "post",
        "cases:identity_edit",
        lambda w: [w.case.pk],
        ONE_CASE,
        302,
        lambda w: {"given_names": IDENTITY_NAME, "family_name": "Changed"},
    ),
    Row(
        "identity reveal",
        "post",
        "cases:identity_reveal",
        lambda w: [w.case.pk],
        ONE_CASE,
        200,
        lambda w: {"purpose": "contact"},
    ),
    *[
        Row(f"add {kind} (form)", "get", "cases:record_add", lambda w, kind=kind: [w.case.pk, kind], ONE_CASE, 200)
        for kind in ["consent", "risk", "assistance", "proceedings", "follow_up"]
    ],
    *[
        Row(
            f"add {kind} (post)",
            "post",
            "cases:record_add",
            lambda w, kind=kind: [w.case.pk, kind],
            ONE_CASE,
            302,
            lambda w, data=data: data,
        )
        for kind, data in {
            "consent": CONSENT,
            "risk": {"kind": "initial", "assessed_on": "2026-11-02", "level": "high"},
            "assistance": {"type": "medical", "status": "ongoing"},
            "proceedings": {"country": "EE", "kind": "criminal", "stage": "investigation", "victim_role": "witness"},
            "follow_up": {"due_on": "2027-01-01", "method": "phone"},
        }.items()
    ],
    Row(
        "withdraw consent (form)",
        "get",
        "cases:consent_withdraw",
        lambda w: [w.case.pk, w.consent.pk],
        ONE_CASE,
        200,
    ),
    Row(
        "withdraw consent (post)",
        "post",
        "cases:consent_withdraw",
        lambda w: [w.case.pk, w.consent.pk],
        ONE_CASE,
        302,
        lambda w: {"reason": "The person no longer agrees."},
    ),
    Row(
        "follow-up done (form)",
        "get",
        "cases:follow_up_done",
        lambda w: [w.case.pk, w.follow_up.pk],
        ONE_CASE,
        200,
    ),
    Row(
        "follow-up done (post)",
        "post",
        "cases:follow_up_done",
        lambda w: [w.case.pk, w.follow_up.pk],
        ONE_CASE,
        302,
        lambda w: {"done_on": "2026-12-01", "outcome": "Reached by phone."},
    ),
    Row("upload (form)", "get", "cases:document_upload", lambda w: [w.case.pk], ONE_CASE, 200),
    Row(
        "upload (post)",
        "post",
        "cases:document_upload",
        lambda w: [w.case.pk],
        ONE_CASE,
        302,
        lambda w: {"title": "Statement", "file": pdf_upload("statement.pdf")},
    ),
    Row("download", "get", "cases:document_download", lambda w: [w.case.pk, w.document.pk], ONE_CASE, 200),
    Row("audit trail", "get", "cases:audit", lambda w: [w.case.pk], ONE_CASE, 200),
]

# Who visits (role, member state), and what they get on each kind of URL:
# (role, state, page, one case, statistics).
VISITORS = {
    "anonymous": (None, None, LOGIN, LOGIN, LOGIN),
    "NCP of another state (LV)": (Role.NCP, "LV", OWN, 404, 403),
    "national representative of EE": (Role.NATIONAL_REPRESENTATIVE, "EE", 403, 404, 403),
    "trainer": (Role.TRAINER, None, 403, 404, 403),
    "observer": (Role.OBSERVER, None, 403, 404, 403),
    "secretariat": (Role.SECRETARIAT, None, 403, 404, 200),
    "owning NCP (EE)": (Role.NCP, "EE", OWN, OWN, 403),
}


@pytest.fixture
def walk(ee_ncp, private_media):
    """An Estonian case with one of each thing a URL can point at, and a closed case."""
    case = make_case(ee_ncp)
    closed_case = make_case(ee_ncp)
    services.case_move_stage(case=closed_case, to_stage=Stage.CLOSED, by=ee_ncp, closure_reason=ClosureReason.OTHER)
    services.identity_save(case=case, by=ee_ncp, data={"given_names": IDENTITY_NAME, "family_name": "Original"})
    consent = services.case_record_add(
        case=case,
        record=Consent(
            given_by="person",
            given_on=date(2026, 11, 1),
            method="written",
            purposes=["assistance"],
            data_categories=["case_variables"],
        ),
        by=ee_ncp,
    )
    follow_up = services.case_record_add(case=case, record=FollowUp(due_on=date(2027, 1, 1), method="phone"), by=ee_ncp)
    document = services.document_upload(case=case, upload=pdf_upload(), title="Report", by=ee_ncp)
    return SimpleNamespace(
        owner=ee_ncp, case=case, closed_case=closed_case, consent=consent, follow_up=follow_up, document=document
    )


def _outcome(response):
    if response.status_code == 302 and response.url.startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


def _request(client, row: Row, walk, args=None):
    url = reverse(row.name, args=row.args(walk) if args is None else args)
    if row.method == "post":
        return client.post(url, row.data(walk))
    return client.get(url)


def _content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def _snapshot(walk) -> dict:
    """What a successful request of the walk would change."""
    case, closed_case = Case.objects.get(pk=walk.case.pk), Case.objects.get(pk=walk.closed_case.pk)
    consent, follow_up = Consent.objects.get(pk=walk.consent.pk), FollowUp.objects.get(pk=walk.follow_up.pk)
    return {
        "EE cases": Case.objects.filter(member_state=walk.case.member_state).count(),
        "stage": case.stage,
        "gender": case.gender,
        "closed case stage": closed_case.stage,
        "family name": CaseIdentity.objects.get(case=case).family_name,
        "consent withdrawn": consent.withdrawn_at is not None,
        "follow-up done": follow_up.done_on is not None,
        "records": sum(getattr(case, name).count() for name in ["riskassessments", "assistanceservices", "followups"]),
        "documents": CaseDocument.objects.filter(case=case).count(),
    }


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_case_url_answers_each_visitor_as_the_access_policy_says(client, make_user, login, walk, visitor):
    role, state, on_page, on_case, on_statistics = VISITORS[visitor]
    if visitor == "owning NCP (EE)":
        login(walk.owner)
    elif role is not None:
        login(make_user(role, state))
    expected_by_kind = {PAGE: on_page, ONE_CASE: on_case, STATISTICS: on_statistics}
    before = _snapshot(walk)

    expected, actual, leaks = {}, {}, []
    for row in ROWS:
        wanted = expected_by_kind[row.kind]
        expected[row.label] = row.success if wanted == OWN else wanted
        response = _request(client, row, walk)
        actual[row.label] = _outcome(response)
        if visitor != "owning NCP (EE)":
            content = _content(response)
            if walk.case.reference in content or IDENTITY_NAME in content:
                leaks.append(row.label)

    assert actual == expected
    assert leaks == [], "responses to someone without the grant name the case or the person"
    if visitor != "owning NCP (EE)":
        assert _snapshot(walk) == before, "a refused request changed the case"


def test_the_owning_ncps_posts_did_what_they_asked(client, login, walk):
    # The walk's 302s are real successes, not refusals sent back to the case page.
    login(walk.owner)
    for row in ROWS:
        if row.method == "post":
            _request(client, row, walk)
    after = _snapshot(walk)
    assert after["EE cases"] == 3
    assert after["stage"] == Stage.FORMALLY_IDENTIFIED
    assert after["closed case stage"] == Stage.PRESUMED
    assert after["family name"] == "Changed"
    assert after["consent withdrawn"] and after["follow-up done"]
    assert after["records"] == 4  # risk, assistance, the new follow-up and the walk's own follow-up
    assert after["documents"] == 2


def test_another_states_ncp_sees_none_of_the_cases_in_the_list(client, make_user, login, walk):
    lv_ncp = make_user(Role.NCP, "LV")
    own_case = make_case(lv_ncp)
    response = login(lv_ncp).get(reverse("cases:list"))
    assert response.status_code == 200
    assert [case.reference for case in response.context["page"].object_list] == [own_case.reference]
    assert walk.case.reference not in response.content.decode()
    assert sum(item["count"] for item in response.context["stage_counts"]) == 1


def test_guessed_ids_mixing_a_states_own_case_with_anothers_records_get_404(client, make_user, login, walk):
    lv_ncp = make_user(Role.NCP, "LV")
    own_case = make_case(lv_ncp)
    client = login(lv_ncp)
    for name, record in [
        ("cases:document_download", walk.document),
        ("cases:consent_withdraw", walk.consent),
        ("cases:follow_up_done", walk.follow_up),
    ]:
        assert client.get(reverse(name, args=[own_case.pk, record.pk])).status_code == 404, name


def test_a_record_of_one_case_is_not_reached_through_another_case_of_the_same_state(client, login, walk):
    client = login(walk.owner)
    other_case = make_case(walk.owner)
    for name, record in [
        ("cases:document_download", walk.document),
        ("cases:consent_withdraw", walk.consent),
        ("cases:follow_up_done", walk.follow_up),
    ]:
        assert client.get(reverse(name, args=[other_case.pk, record.pk])).status_code == 404, name


def test_a_case_that_does_not_exist_is_404_for_the_owning_ncp_too(client, login, walk):
    login(walk.owner)
    one_case_rows = [row for row in ROWS if row.kind == ONE_CASE]
    actual = {
        row.label: _request(client, row, walk, args=[999_999, *row.args(walk)[1:]]).status_code for row in one_case_rows
    }
    assert actual == {row.label: 404 for row in one_case_rows}


@pytest.mark.parametrize("name", ["cases:consent_withdraw", "cases:follow_up_done", "cases:document_download"])
def test_a_record_that_does_not_exist_is_404(client, login, walk, name):
    login(walk.owner)
    assert client.get(reverse(name, args=[walk.case.pk, 999_999])).status_code == 404


def test_an_unknown_record_kind_is_404(client, login, walk):
    login(walk.owner)
    assert client.get(reverse("cases:record_add", args=[walk.case.pk, "passport"])).status_code == 404


@pytest.mark.parametrize("name", ["cases:move_stage", "cases:reopen", "cases:identity_reveal"])
def test_post_only_urls_answer_405_to_get(client, login, walk, name):
    login(walk.owner)
    case = walk.closed_case if name == "cases:reopen" else walk.case
    response = client.get(reverse(name, args=[case.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
