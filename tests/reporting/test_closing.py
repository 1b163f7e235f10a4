"""Closing a data call (the states not validated by then are not reported, and the year's
region totals are published over the others), and every publication kept, so that a
correction after publication gives no hidden cell away by its difference."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.disclosure import HIDDEN
from members.models import Role
from notifications.models import Notification
from reporting import services
from reporting.access import may_edit
from reporting.apps import publish_after_migrate
from reporting.figures import PENDING, Figures, public_tables, validated_figures
from reporting.models import DataCall, Indicator, Publication, ReturnEvent, ReturnStatus
from reporting.published import publication_cells, published_tables
from reporting.services import Entry
from tests.reporting.factories import complete_entries, open_call, return_of
from tests.reporting.test_figures import _every_state, _identified, _validated

YEAR = timezone.localdate().year - 1


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        **{code: make_user(Role.NATIONAL_REPRESENTATIVE, code) for code in ("EE", "LV", "LT")},
    }


def _report(people, call, code, identified):
    record = return_of(call, code)
    entries = complete_entries(call, victims_identified=identified)
    for part in ("sex.female", "age.child", "citizenship.own", "form.sexual"):
        entries[f"victims.identified.{part}"] = Entry(number=identified)
    services.return_save(return_record=record, entries=entries, by=people[code])
    services.return_transition(return_record=record, step="submit", by=people[code])
    return record


def _identified_table(**options):
    table = public_tables(validated_figures(), _identified(), **options)[0]
    return dict((name, cells[-1]) for name, cells in table.rows), table.total[-1]


def test_closing_a_call_records_the_rest_as_not_reported_and_publishes_the_years_totals(people, make_user):
    everyone = _every_state(people, make_user)
    call = open_call(people["secretariat"], YEAR)
    for code in ("EE", "LV"):
        services.return_transition(
            return_record=_report(people, call, code, everyone[code]), step="validate", by=people["secretariat"]
        )
    lithuania = _report(people, call, "LT", 30)
    assert _identified_table()[1] == PENDING
    # A submitted return waits for the secretariat's answer: no closing over it.
    with pytest.raises(ValidationError, match="Lithuania"):
        services.data_call_close(call=call, note="Lithuania has no figures", by=people["secretariat"])
    services.return_transition(return_record=lithuania, step="validate", by=people["secretariat"])
    # The states not validated are named in a note kept with the call.
    with pytest.raises(ValidationError, match="Say why"):
        services.data_call_close(call=call, by=people["secretariat"])
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.data_call_close(call=call, note="Closing", by=people["EE"])

    services.data_call_close(call=call, note="The round-up report goes to print.", by=people["secretariat"])
    call.refresh_from_db()
    assert call.closed_by == people["secretariat"] and call.closing_note == "The round-up report goes to print."
    statuses = dict(call.returns.values_list("member_state__code", "status"))
    assert {statuses[code] for code in ("EE", "LV", "LT")} == {ReturnStatus.VALIDATED}
    assert {status for code, status in statuses.items() if code not in ("EE", "LV", "LT")} == {
        ReturnStatus.NOT_REPORTED
    }
    assert ReturnEvent.objects.filter(step="close", comment="The round-up report goes to print.").count() == 7
    assert Notification.objects.filter(kind="reporting_call_closed", recipient=people["DK"]).exists()
    assert not Notification.objects.filter(kind="reporting_call_closed", recipient=people["EE"]).exists()
    # The year is complete: its region total is published over the validated returns.
    assert _identified_table()[1] != PENDING
    # A return not reported is locked: neither saved nor submitted, and closed once.
    denmark = return_of(call, "DK")
    assert not may_edit(people["DK"], denmark)
    with pytest.raises(ValidationError, match="cannot be submitted"):
        services.return_transition(return_record=denmark, step="submit", by=people["DK"])
    with pytest.raises(ValidationError, match="was closed on"):
        services.data_call_close(call=call, note="again", by=people["secretariat"])


def test_a_return_reopened_after_closing_makes_its_year_pending_again(people, make_user):
    _every_state(people, make_user)
    call = open_call(people["secretariat"], YEAR)
    estonia, latvia = _report(people, call, "EE", 40), _report(people, call, "LV", 30)
    for record in (estonia, latvia):
        services.return_transition(return_record=record, step="validate", by=people["secretariat"])
    services.data_call_close(call=call, note="Only Estonia and Latvia reported.", by=people["secretariat"])
    assert _identified_table()[1] != PENDING
    services.return_transition(return_record=estonia, step="reopen", comment="A typo", by=people["secretariat"])
    assert _identified_table()[1] == PENDING
    # Estonia does not answer: the call is closed again without it, and the year is complete.
    services.data_call_close(call=call, note="Estonia withdrew its figures.", by=people["secretariat"])
    assert return_of(call, "EE").status == ReturnStatus.NOT_REPORTED and _identified_table()[1] != PENDING
    with pytest.raises(ValidationError, match="was closed on"):
        services.data_call_close(call=call, note="again", by=people["secretariat"])


def test_the_close_page_confirms_first_names_who_is_not_reported_and_keeps_the_note_on_a_refusal(people, login):
    call = open_call(people["secretariat"], YEAR)
    _report(people, call, "EE", 40)
    client = login(people["secretariat"])
    url = reverse("reporting:call_close", args=[call.pk])
    page = client.get(url).content.decode()
    assert (
        "cannot be undone" in page and "Latvia (not started)" in page and "Estonia" not in page.split("not-reported")[1]
    )
    refused = client.post(url, {"note": "Printing the report"})
    assert refused.status_code == 400 and "Estonia" in refused.content.decode()
    assert "Printing the report" in refused.content.decode()
    call.refresh_from_db()
    assert call.closed_at is None
    # The step is the call's: a return's own step URL does not take it.
    step = reverse("reporting:return_step", args=[return_of(call, "LV").pk, "close"])
    assert client.post(step, {"comment": "x"}).status_code == 404


def test_a_correction_after_publication_gives_the_old_count_away_to_no_one(people, make_user, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    _validated(people, YEAR, _every_state(people, make_user, LV=3))
    before, total_before = _identified_table()
    assert before["Latvia"] == HIDDEN and isinstance(total_before, int)
    assert Publication.objects.filter(year=YEAR).exists()
    # Latvia's 3 were recorded in error: its return is reopened and corrected to 0.
    latvia = return_of(DataCall.objects.get(year=YEAR), "LV")
    services.return_transition(
        return_record=latvia, step="reopen", comment="Three were counted twice", by=people["secretariat"]
    )
    zero = complete_entries(latvia.data_call, victims_identified=0)
    for part in ("sex.female", "age.child", "citizenship.own", "form.sexual"):
        zero[f"victims.identified.{part}"] = Entry(number=0)
    services.return_save(return_record=latvia, entries=zero, by=people["LV"])
    services.return_transition(return_record=latvia, step="submit", by=people["LV"])
    services.return_transition(return_record=latvia, step="validate", by=people["secretariat"])

    after, total_after = _identified_table()
    assert after["Latvia"] == 0  # a 0 names no one and is shown
    # Shown in full, the new total would give the old count away: total before − total after.
    naive, naive_total = _identified_table(earlier=[])
    assert HIDDEN not in naive.values() and total_before - naive_total == 3
    # Kept against the first publication, the difference is not there to take.
    assert total_after == HIDDEN or HIDDEN in after.values()
    assert Publication.objects.filter(year=YEAR).count() >= 2


def test_a_publication_is_kept_only_when_the_public_cells_change(people, make_user, client):
    _validated(people, YEAR, _every_state(people, make_user))
    kept = Publication.objects.count()
    assert kept >= 1
    # Reading the figures writes nothing.
    client.get(reverse("reporting:region"))
    assert Publication.objects.count() == kept
    # A comment changes no cell: no new publication.
    services.return_comment_add(
        return_record=return_of(DataCall.objects.get(year=YEAR), "EE"), text="Thanks", by=people["EE"]
    )
    assert Publication.objects.count() == kept


def _correct(people, record, identified):
    """The secretariat reopens a validated return; the state corrects it and submits it again."""
    services.return_transition(return_record=record, step="reopen", comment="A correction", by=people["secretariat"])
    _report(people, record.data_call, record.member_state.code, identified)


class _Year:
    """One year of one indicator, published step by step as the services would (in memory)."""

    def __init__(self, k=11):
        self.k, self.kept, self.validations = k, [], {}
        self.indicators = [Indicator(code="v", kind="number")]

    def publish(self, numbers, *, complete):
        for state in numbers:  # a state whose value is new is a new validation
            if self.validations.get(state, (None,))[0] != numbers[state]:
                self.validations[state] = (numbers[state], len(self.kept))
        figures = Figures(
            numbers={("v", state, 2020): n for state, n in numbers.items()},
            not_given={},
            years=[2020],
            states=[(state, state) for state in sorted(numbers)],
            unsuppressed=set(),
            complete_years=frozenset([2020]) if complete else frozenset(),
            versions={(state, 2020): f"{state}@{self.validations[state][1]}" for state in numbers},
        )
        cells = publication_cells(figures, self.indicators, k=self.k, earlier=list(self.kept))
        self.kept.append(Publication(year=2020, cells=cells, k=self.k, complete=complete))
        return {state: value if shown else HIDDEN for _, state, value, shown, _ in cells}


def test_a_total_equal_to_an_earlier_one_by_chance_is_not_taken_as_already_shown():
    """A 20, B 5, C 30 (total 55); A corrected to 25 (total 60); B's return reopened and the
    call closed without it: the total is 55 again, over other returns. Taken as the 55 shown
    before, it would be shown, giving A's 25 (55 − 30) and so B's 5 (60 − 25 − 30)."""
    year = _Year()
    first = year.publish({"A": 20, "B": 5, "C": 30}, complete=True)
    assert first["B"] == HIDDEN and first["region"] == 55
    year.publish({"B": 5, "C": 30}, complete=False)  # A reopened
    assert year.publish({"A": 25, "B": 5, "C": 30}, complete=True)["region"] == 60
    year.publish({"A": 25, "C": 30}, complete=False)  # B reopened
    last = year.publish({"A": 25, "C": 30}, complete=True)  # the call closed again
    assert last["A"] == HIDDEN
    assert HIDDEN in (last["region"], last["C"])


def test_what_a_change_of_k_shows_is_kept_and_protects_a_later_correction():
    """k 11: A's 7 hidden, with B's 20 to protect it. k 5 (refreshed at a deploy): both shown.
    A corrected to 3 (k 11 again): B's 20 was seen, so it cannot be what hides A's 3."""
    year = _Year()
    year.publish({"A": 7, "B": 20, "C": 30}, complete=True)
    year.k = 5
    assert year.publish({"A": 7, "B": 20, "C": 30}, complete=True) == {"A": 7, "B": 20, "C": 30, "region": 57}
    year.k = 11
    year.publish({"B": 20, "C": 30}, complete=False)  # A reopened
    last = year.publish({"A": 3, "B": 20, "C": 30}, complete=True)
    assert last["A"] == HIDDEN and last["B"] == 20 and HIDDEN in (last["region"], last["C"])


def _published():
    """The public page's table of identified victims (from the kept publications), last year."""
    table = next(one for one in published_tables() if one.indicator.code == "victims.identified")
    return dict((name, cells[-1]) for name, cells in table.rows), table.total[-1]


def test_figures_validated_before_publications_were_kept_are_published_after_migrate(people, client):
    """The first publications of an upgrade: migrate's refresh records them (and nothing twice)."""
    call = open_call(people["secretariat"], YEAR)
    record = _report(people, call, "EE", 40)
    services.return_transition(return_record=record, step="validate", by=people["secretariat"])
    Publication.objects.all().delete()  # as before the upgrade
    assert published_tables()[0].years == []  # nothing to show: no publication kept
    publish_after_migrate(sender=None)
    assert _published()[0]["Estonia"] == 40
    count = Publication.objects.count()
    publish_after_migrate(sender=None)
    assert Publication.objects.count() == count


def test_a_return_not_reported_cannot_be_saved_by_the_service(people):
    call = open_call(people["secretariat"], YEAR)
    services.data_call_close(call=call, note="No one reported.", by=people["secretariat"])
    with pytest.raises(ValidationError, match="closed before this return was validated"):
        services.return_save(
            return_record=return_of(call, "EE"), entries={"victims.identified": Entry(number=9)}, by=people["EE"]
        )
