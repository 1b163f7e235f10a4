"""National reporting: the data call, a state's return (its values, their history, the
checks), the workflow's moves by the right side from the right status, the pages' refusals
of bad input, and the board's query count with 3 and 30 years of returns."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from notifications.models import Notification
from reporting import services
from reporting.models import DataCall, Return, ReturnEvent, Value, ValueRevision
from reporting.services import Entry
from tests.reporting.factories import complete_entries, open_call, return_of

REPORTING_STATES = {"DK", "EE", "FI", "DE", "IS", "LV", "LT", "NO", "PL", "SE"}


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE"),
        "ee_ncp": make_user(Role.NCP, "EE"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV"),
        "observer": make_user(Role.OBSERVER),
        "trainer": make_user(Role.TRAINER),
    }


@pytest.fixture
def call(people):
    return open_call(people["secretariat"])


def test_the_indicator_set_is_seeded_with_the_eu_breakdowns(db):
    from reporting.models import IndicatorSet

    indicators = IndicatorSet.objects.get(version=1).indicators
    codes = set(indicators.values_list("code", flat=True))
    assert {"victims.identified", "victims.presumed.form.labour", "traffickers.convicted.sex.female"} <= codes
    assert {"permits.residence", "assistance.referred_trm", "section.action_plan"} <= codes
    assert indicators.filter(total_code="victims.identified", breakdown="form").count() == 7


def test_a_data_call_makes_one_return_per_cbss_state_and_tells_their_members(people):
    with pytest.raises(ValidationError, match="Only the secretariat"):
        open_call(people["ee_rep"])
    call = open_call(people["secretariat"])
    assert set(call.returns.values_list("member_state__code", flat=True)) == REPORTING_STATES
    assert set(call.returns.values_list("status", flat=True)) == {"not_started"}
    assert Notification.objects.filter(kind="reporting_call_opened", recipient=people["lv_rep"]).exists()
    assert not Notification.objects.filter(kind="reporting_call_opened", recipient=people["observer"]).exists()
    with pytest.raises(ValidationError) as refused:
        open_call(people["secretariat"], year=call.year)
    assert "year" in refused.value.message_dict
    with pytest.raises(ValidationError):
        open_call(people["secretariat"], year=timezone.localdate().year + 1)
    assert DataCall.objects.count() == 1


def test_a_state_fills_in_its_own_return_only_and_every_value_keeps_its_history(people, call):
    ee = return_of(call, "EE")
    with pytest.raises(ValidationError, match="Only the state's"):
        services.return_save(return_record=ee, entries={"victims.identified": Entry(number=3)}, by=people["lv_rep"])
    services.return_save(return_record=ee, entries={"victims.identified": Entry(number=3)}, by=people["ee_ncp"])
    services.return_save(return_record=ee, entries={"victims.identified": Entry(number=5)}, by=people["ee_rep"])
    ee.refresh_from_db()
    assert ee.status == "draft" and ee.changed_by == people["ee_rep"]
    value = Value.objects.get(return_record=ee, indicator__code="victims.identified")
    assert value.number == 5
    assert list(ValueRevision.objects.filter(value=value).order_by("id").values_list("number", "changed_by")) == [
        (3, people["ee_ncp"].pk),
        (5, people["ee_rep"].pk),
    ]
    assert ReturnEvent.objects.filter(return_record=ee, step="start").count() == 1
    with pytest.raises(ValidationError):
        services.return_save(return_record=ee, entries={"victims.identified": Entry(number=-1)}, by=people["ee_rep"])
    assert Value.objects.get(pk=value.pk).number == 5


def test_the_workflow_moves_from_the_right_status_by_the_right_side_once(people, call):
    ee = return_of(call, "EE")
    secretariat, state = people["secretariat"], people["ee_rep"]
    services.return_save(return_record=ee, entries={"victims.identified": Entry(number=5)}, by=state)
    with pytest.raises(ValidationError, match="Correct the problems"):
        services.return_transition(return_record=ee, step="submit", by=state)
    services.return_save(return_record=ee, entries=complete_entries(call), by=state)
    with pytest.raises(ValidationError, match="a step of the state's national representatives"):
        services.return_transition(return_record=ee, step="submit", by=secretariat)
    # The state's NCPs fill in the draft; a representative submits it on the state's behalf.
    with pytest.raises(ValidationError, match="national representatives"):
        services.return_transition(return_record=ee, step="submit", by=people["ee_ncp"])
    with pytest.raises(ValidationError, match="a step of the secretariat"):
        services.return_transition(return_record=ee, step="validate", by=state)
    services.return_transition(return_record=ee, step="submit", by=state)
    with pytest.raises(ValidationError, match="cannot be submitted now"):
        services.return_transition(return_record=ee, step="submit", by=state)
    with pytest.raises(ValidationError, match="reviews it"):
        services.return_save(return_record=ee, entries={"victims.identified": Entry(number=6)}, by=state)
    with pytest.raises(ValidationError) as refused:
        services.return_transition(return_record=ee, step="send_back", by=secretariat)
    assert "comment" in refused.value.message_dict
    services.return_transition(
        return_record=ee, step="send_back", comment="Check the citizenship split.", by=secretariat
    )
    assert return_of(call, "EE").comments.get().resolved is False
    services.return_comment_add(return_record=ee, text="Corrected.", by=people["ee_ncp"])
    assert return_of(call, "EE").comments.filter(from_secretariat=True).get().resolved is True
    services.return_transition(return_record=ee, step="submit", by=state)
    services.return_transition(return_record=ee, step="validate", by=secretariat)
    ee.refresh_from_db()
    assert ee.status == "validated" and ee.validated_at is not None
    with pytest.raises(ValidationError, match="validated and locked"):
        services.return_save(return_record=ee, entries={"victims.identified": Entry(number=6)}, by=state)
    with pytest.raises(ValidationError):
        services.return_transition(return_record=ee, step="validate", by=secretariat)
    with pytest.raises(ValidationError) as refused:
        services.return_transition(return_record=ee, step="reopen", by=secretariat)
    assert "comment" in refused.value.message_dict
    services.return_transition(
        return_record=ee, step="reopen", comment="Latvia's figures double count.", by=secretariat
    )
    assert return_of(call, "EE").status == "returned"
    steps = list(ReturnEvent.objects.filter(return_record=ee).order_by("id").values_list("step", flat=True))
    assert steps == ["start", "submit", "send_back", "submit", "validate", "reopen"]
    for kind, who in (("reporting_return_submitted", secretariat), ("reporting_return_validated", state)):
        assert Notification.objects.filter(kind=kind, recipient=who).exists()


def test_a_warning_when_a_figure_moves_far_from_last_years_validated_one(people, settings):
    settings.THB_REPORTING_CHANGE_WARNING = 0.5
    secretariat, state = people["secretariat"], people["ee_rep"]
    year = timezone.localdate().year - 2
    before = open_call(secretariat, year)
    services.return_save(return_record=return_of(before, "EE"), entries=complete_entries(before), by=state)
    services.return_transition(return_record=return_of(before, "EE"), step="submit", by=state)
    services.return_transition(return_record=return_of(before, "EE"), step="validate", by=secretariat)
    after = open_call(secretariat, year + 1)
    entries = complete_entries(after, permits_residence=30)
    services.return_save(return_record=return_of(after, "EE"), entries=entries, by=state)
    problems = services.return_problems(return_of(after, "EE"))
    assert [(p.code, p.level) for p in problems] == [("permits.residence", "warning")]
    # A warning does not stop the submission.
    services.return_transition(return_record=return_of(after, "EE"), step="submit", by=state)


def test_the_page_refuses_text_in_a_number_field_keeps_what_was_typed_and_saves_nothing(people, call, login):
    ee = return_of(call, "EE")
    client = login(people["ee_rep"])
    response = client.post(
        ee.get_absolute_url(),
        {
            "victims.identified__number": "twelve",
            "victims.identified__status": "given",
            "victims.presumed__number": "4",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a whole number" in page and 'value="twelve"' in page
    assert not Value.objects.filter(return_record=ee).exists()
    assert Return.objects.get(pk=ee.pk).status == "not_started"
    response = client.post(
        ee.get_absolute_url(), {"victims.identified__number": "12", "victims.identified__status": "given"}
    )
    assert response.status_code == 302
    page = client.get(ee.get_absolute_url()).content.decode()
    assert 'data-testid="problem"' in page  # the rest is missing: shown next to each value
    # A POST that sends one indicator leaves the others as saved, never blanks them.
    response = client.post(ee.get_absolute_url(), {"victims.presumed__number": "4"})
    assert response.status_code == 302
    saved = dict(Value.objects.filter(return_record=ee).values_list("indicator__code", "number"))
    assert saved == {"victims.identified": 12, "victims.presumed": 4}


def test_another_state_and_outsiders_get_404_and_a_submission_after_validation_is_refused(people, call, login):
    ee = return_of(call, "EE")
    for who in ("lv_rep", "observer", "trainer"):
        assert login(people[who]).get(ee.get_absolute_url()).status_code == 404
    state = people["ee_rep"]
    services.return_save(return_record=ee, entries=complete_entries(call), by=state)
    services.return_transition(return_record=ee, step="submit", by=state)
    services.return_transition(return_record=ee, step="validate", by=people["secretariat"])
    client = login(state)
    response = client.post(reverse("reporting:return_step", args=[ee.pk, "submit"]), {})
    assert response.status_code == 400 and "cannot be submitted now" in response.content.decode()
    assert client.post(ee.get_absolute_url(), {"victims.identified__number": "1"}).status_code == 404
    assert Value.objects.get(return_record=ee, indicator__code="victims.identified").number == 10


@pytest.mark.parametrize("who", ["secretariat", "ee_rep"])
def test_the_board_and_lists_cost_the_same_with_3_and_30_years(people, login, assert_constant_queries, who):
    this_year = timezone.localdate().year
    calls = [open_call(people["secretariat"], this_year - n) for n in range(1, 4)]
    services.return_comment_add(return_record=return_of(calls[0], "EE"), text="Hello", by=people["secretariat"])

    def grow():
        for n in range(4, 31):
            grown = open_call(people["secretariat"], this_year - n)
            services.return_save(
                return_record=return_of(grown, "EE"), entries=complete_entries(grown), by=people["ee_rep"]
            )
            services.return_comment_add(return_record=return_of(grown, "LV"), text="Hi", by=people["secretariat"])

    client = login(people[who])
    urls = [reverse("reporting:index"), return_of(calls[0], "EE").get_absolute_url()]
    if who == "secretariat":
        urls.append(calls[0].get_absolute_url())
    assert_constant_queries(client, *urls, grow=grow)


def test_a_data_call_past_its_deadline_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        services.data_call_open(year=2020, deadline=timezone.localdate() - timedelta(days=1), by=people["secretariat"])
    assert "deadline" in refused.value.message_dict


def test_states_that_have_not_submitted_are_reminded_14_7_and_1_days_before_once_each(people, settings):
    settings.THB_REPORTING_REMINDER_DAYS = [14, 7, 1]
    call = services.data_call_open(
        year=timezone.localdate().year - 1, deadline=timezone.localdate() + timedelta(days=14), by=people["secretariat"]
    )
    state = people["ee_rep"]
    lv = return_of(call, "LV")
    services.return_save(return_record=lv, entries=complete_entries(call), by=people["lv_rep"])
    services.return_transition(return_record=lv, step="submit", by=people["lv_rep"])
    today = timezone.localdate()
    assert services.reminders_send(today=today)["notices"] > 0
    assert services.reminders_send(today=today)["notices"] == 0  # once per reminder
    reminded = Notification.objects.filter(kind="reporting_deadline_near")
    assert reminded.filter(recipient=state).count() == 1
    assert not reminded.filter(recipient=people["lv_rep"]).exists()  # submitted
    services.reminders_send(today=today + timedelta(days=3))  # 11 days before: no reminder day
    assert reminded.filter(recipient=state).count() == 1
    services.reminders_send(today=today + timedelta(days=7))
    services.reminders_send(today=today + timedelta(days=13))
    assert reminded.filter(recipient=state).count() == 3


def test_a_new_indicator_goes_into_a_new_version_and_the_one_in_use_is_unchanged(people, call):
    from reporting.models import IndicatorSet

    used = call.indicator_set
    before = list(used.indicators.values_list("code", flat=True))
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.indicator_set_new_version(label="v2", additions=[{"code": "x"}], by=people["ee_rep"])
    with pytest.raises(ValidationError, match="an indicator already"):
        services.indicator_set_new_version(
            label="v2",
            additions=[{"code": "victims.identified", "label": "Again", "group": "Registered victims"}],
            by=people["secretariat"],
        )
    new = services.indicator_set_new_version(
        label="With online recruitment",
        additions=[
            {"code": "victims.recruited_online", "label": "Victims recruited online", "group": "Registered victims"}
        ],
        by=people["secretariat"],
    )
    assert new.version == used.version + 1 and IndicatorSet.objects.count() == 2
    assert list(used.indicators.values_list("code", flat=True)) == before
    assert new.indicators.count() == len(before) + 1
    # The next data call asks for the new version; the open one keeps its own.
    later = open_call(people["secretariat"], call.year - 1)
    assert later.indicator_set == new and DataCall.objects.get(pk=call.pk).indicator_set == used


def test_an_ncp_fills_in_the_draft_and_a_representative_submits_it(people, call, login):
    ee = return_of(call, "EE")
    services.return_save(return_record=ee, entries=complete_entries(call), by=people["ee_ncp"])
    ncp = login(people["ee_ncp"])
    page = ncp.get(ee.get_absolute_url()).content.decode()
    assert 'data-testid="representatives-submit"' in page and "Submit to the secretariat" not in page
    assert ncp.get(reverse("reporting:return_step", args=[ee.pk, "submit"])).status_code == 404
    representative = login(people["ee_rep"])
    page = representative.get(ee.get_absolute_url()).content.decode()
    assert "Submit to the secretariat" in page and 'data-testid="representatives-submit"' not in page
    assert representative.post(reverse("reporting:return_step", args=[ee.pk, "submit"])).status_code == 302
    assert return_of(call, "EE").status == "submitted"


def test_the_secretariat_adds_an_indicator_on_its_page_and_bad_input_keeps_what_was_typed(people, call, login):
    client = login(people["secretariat"])
    url = reverse("reporting:indicators")
    page = client.get(url).content.decode()
    assert "victims.identified" in page and f"{call.year}" in page and "Add in a new version" in page
    typed = {
        "code": "victims.identified",
        "label": "Victims recruited online",
        "group": "Registered victims",
        "kind": "number",
        "total_code": "victims.identified",
        "breakdown": "",
    }
    refused = client.post(url, typed)
    text = refused.content.decode()
    # The form names what is missing, and what the service refuses, keeping what was typed.
    assert refused.status_code == 400 and "Name the breakdown" in text and "Victims recruited online" in text
    refused = client.post(url, {**typed, "breakdown": "channel"})
    assert refused.status_code == 400 and "an indicator already" in refused.content.decode()
    assert client.post(url, {**typed, "code": "Bad Code"}).status_code == 400
    done = client.post(url, {**typed, "code": "victims.identified.channel.online", "breakdown": "channel"})
    assert done.status_code == 302
    latest = call.indicator_set.__class__.objects.order_by("-version").first()
    added = latest.indicators.get(code="victims.identified.channel.online")
    assert (added.total_code, added.breakdown, added.label) == (
        "victims.identified",
        "channel",
        "Victims recruited online",
    )
    assert not call.indicator_set.indicators.filter(code=added.code).exists()
    assert login(people["ee_rep"]).get(url).status_code == 404
