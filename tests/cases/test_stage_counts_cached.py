"""The list's per-stage counts are kept per user for a minute, and start again at any case write."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import ExploitationForm, Stage
from tests.cases.factories import make_case


def _stage_count(response, stage: str) -> int:
    return next(item["count"] for item in response.context["stage_counts"] if item["stage"] == stage)


def test_a_second_view_does_not_count_again_and_a_new_case_counts_at_once(ncp_client, ee_ncp):
    make_case(ee_ncp)
    first = ncp_client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as captured:
        second = ncp_client.get(reverse("cases:list"))
    assert _stage_count(second, Stage.PRESUMED) == _stage_count(first, Stage.PRESUMED) == 1
    assert not [q for q in captured.captured_queries if 'GROUP BY "cases_case"."stage"' in q["sql"]]
    make_case(ee_ncp)  # through the service: its save makes the counts stale
    assert _stage_count(ncp_client.get(reverse("cases:list")), Stage.PRESUMED) == 2


def test_a_stage_move_shows_in_the_counts_at_once(ncp_client, ee_ncp):
    case = make_case(ee_ncp)
    ncp_client.get(reverse("cases:list"))
    services.case_move_stage(case=case, by=ee_ncp, to_stage=Stage.FORMALLY_IDENTIFIED, reason="Police.")
    response = ncp_client.get(reverse("cases:list"))
    assert _stage_count(response, Stage.PRESUMED) == 0 and _stage_count(response, Stage.FORMALLY_IDENTIFIED) == 1


def test_each_user_has_counts_of_their_own(client, login, ee_ncp, make_user):
    make_case(ee_ncp)
    login(ee_ncp)
    assert _stage_count(client.get(reverse("cases:list")), Stage.PRESUMED) == 1
    colleague = make_user("ncp", "EE")
    colleague.groups.clear()  # no team membership: no grant, whatever the cache holds for others
    login(colleague)
    assert _stage_count(client.get(reverse("cases:list")), Stage.PRESUMED) == 0


def test_the_counts_start_again_when_the_write_commits(ee_ncp, django_capture_on_commit_callbacks):
    # A reader between the save and the commit sees the old cases under the new version; the
    # second start, at commit, keeps what it cached from being served.
    from django.core.cache import cache

    key = f"cases:version:{ee_ncp.member_state_id}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_case(ee_ncp)
        at_save = cache.get(key)
    assert callbacks, "the write asks to start the counts again at commit"
    assert cache.get(key) != at_save


def test_deleting_a_case_with_its_grants_starts_the_counts_again(ee_ncp):
    from django.core.cache import cache

    case = make_case(ee_ncp)
    key = f"cases:version:{ee_ncp.member_state_id}"
    before = cache.get(key)
    case.delete()  # cascades to the grants, whose case may not be loaded
    assert cache.get(key) != before


def _counted(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_the_lists_count_is_kept_too_each_filter_its_own_and_a_new_case_counts_at_once(ncp_client, ee_ncp):
    make_case(ee_ncp)
    make_case(ee_ncp, forms=["sexual"])
    assert ncp_client.get(reverse("cases:list")).context["page"].paginator.count == 2
    with CaptureQueriesContext(connection) as captured:
        again = ncp_client.get(reverse("cases:list"))
    assert again.context["page"].paginator.count == 2 and _counted(captured) == []
    # A filter is another count, not the unfiltered one.
    assert (
        ncp_client.get(reverse("cases:list"), {"form": ExploitationForm.objects.get(code="sexual").pk})
        .context["page"]
        .paginator.count
        == 1
    )
    make_case(ee_ncp)
    assert ncp_client.get(reverse("cases:list")).context["page"].paginator.count == 3
