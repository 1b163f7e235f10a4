"""A service's `by` is the audit actor, also outside a request (a job, a task, a shell)."""

import ast
import importlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from auditlog.context import set_extra_data
from auditlog.models import LogEntry
from django.db.models import Max
from django.utils import timezone

from cases import services as case_services
from cases.models import Stage
from core.audit import acting_as, current_actor
from members import services as member_services
from members.models import Role, User
from projects import services as project_services
from projects.models import Project
from publications import services as publication_services
from publications.models import Publication, Topic
from referrals import services as referral_services
from tests.cases.factories import make_case
from tests.referrals.factories import make_referral
from tests.trainings.factories import make_training
from trainings import services as training_services

ROOT = Path(__file__).resolve().parents[2]


def entries_written_by(call) -> list[LogEntry]:
    """The audit entries that `call()` writes; it must write some."""
    before = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    call()
    entries = list(LogEntry.objects.filter(pk__gt=before).select_related("content_type", "actor"))
    assert entries, "the call wrote no audit entry"
    return entries


def assert_all_by(entries: list[LogEntry], by: User) -> None:
    assert {(entry.content_type.model, entry.actor) for entry in entries} == {
        (entry.content_type.model, by) for entry in entries
    }


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE")


# One service of each app, called as a job or a shell would: no request, no middleware ---------


def test_a_case_stage_move_outside_a_request_is_by_its_by(ee_ncp, make_user):
    case = make_case(ee_ncp)
    colleague = make_user(Role.NCP, "EE")
    entries = entries_written_by(
        lambda: case_services.case_move_stage(case=case, to_stage=Stage.FORMALLY_IDENTIFIED, by=colleague)
    )
    assert_all_by(entries, colleague)
    assert {entry.content_type.model for entry in entries} == {"case"}
    assert entries[0].actor_email == colleague.email


def test_a_case_created_outside_a_request_is_by_its_by(ee_ncp):
    entries = entries_written_by(lambda: make_case(ee_ncp))
    assert_all_by(entries, ee_ncp)
    assert "case" in {entry.content_type.model for entry in entries}


def test_a_referral_draft_changed_outside_a_request_is_by_its_by(ee_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    entries = entries_written_by(
        lambda: referral_services.referral_update_draft(referral=referral, by=ee_ncp, data={"urgency": "urgent"})
    )
    assert_all_by(entries, ee_ncp)
    assert entries[-1].changes_dict["urgency"] == ["normal", "urgent"]


def test_a_training_session_added_outside_a_request_is_by_its_by(secretariat):
    training = make_training()
    starts = timezone.now() + timedelta(days=30)
    entries = entries_written_by(
        lambda: training_services.session_add(
            training=training, starts_at=starts, ends_at=starts + timedelta(hours=2), by=secretariat
        )
    )
    assert_all_by(entries, secretariat)
    assert "trainingsession" in {entry.content_type.model for entry in entries}


def test_a_publication_saved_outside_a_request_is_by_its_by(secretariat):
    publication = Publication()
    data = {"title": "Guidelines", "slug": "guidelines", "type": "guidelines", "publication_date": date(2024, 3, 1)}
    topics = Topic.objects.filter(code="identification")
    entries = entries_written_by(
        lambda: publication_services.publication_save(
            publication=publication, data=data, m2m={"topics": topics}, by=secretariat
        )
    )
    assert_all_by(entries, secretariat)
    entries = entries_written_by(
        lambda: publication_services.publication_publish(publication=publication, by=secretariat)
    )
    assert_all_by(entries, secretariat)


def test_a_project_saved_outside_a_request_is_by_its_by(secretariat, demo_states):
    project = Project()
    data = {"title": "Labour Link", "slug": "labour-link", "summary": "Labour exploitation", "funding_source": "eu"}
    entries = entries_written_by(
        lambda: project_services.project_save(
            project=project, data=data, m2m={"partner_states": [demo_states["EE"]]}, by=secretariat
        )
    )
    assert_all_by(entries, secretariat)
    assert len(entries) >= 2  # the row and its partner states


def test_a_role_change_outside_a_request_is_by_its_by(secretariat, make_user):
    observer = make_user(Role.OBSERVER)
    entries = entries_written_by(
        lambda: member_services.user_reassign(
            user=observer, role=Role.TRAINER, member_state=None, organisation=None, by=secretariat
        )
    )
    # The role's fields, the groups (auditlog's signals) and the explicit "role changed" entry.
    assert len(entries) >= 3
    assert_all_by(entries, secretariat)


def test_an_invitation_outside_a_request_is_by_who_invited(secretariat):
    entries = entries_written_by(
        lambda: member_services.user_invite(
            email="new@example.org",
            full_name="New Person",
            role=Role.OBSERVER,
            member_state=None,
            organisation=None,
            invited_by=secretariat,
        )
    )
    assert_all_by(entries, secretariat)


# Inside a request --------------------------------------------------------------------------


def test_in_a_request_by_is_the_actor_and_the_clients_address_is_kept(ee_ncp, make_user):
    """auditlog's middleware context, as a request sets it, around a service acting for someone."""
    case = make_case(ee_ncp)
    colleague = make_user(Role.NCP, "EE")
    context = {"actor": ee_ncp, "remote_addr": "203.0.113.7", "remote_port": 4711}
    with set_extra_data(context_data=context):
        entries = entries_written_by(
            lambda: case_services.case_move_stage(case=case, to_stage=Stage.FORMALLY_IDENTIFIED, by=colleague)
        )
        # Out of the service, the request's own user is the actor again.
        after = entries_written_by(lambda: case_services.case_read_record(case=case, by=None, what="case viewed"))
    assert [(entry.actor, entry.remote_addr, entry.remote_port) for entry in entries] == [
        (colleague, "203.0.113.7", 4711)
    ]
    assert [(entry.actor, entry.remote_addr) for entry in after] == [(ee_ncp, "203.0.113.7")]


# The context itself ------------------------------------------------------------------------


def test_nested_the_innermost_person_acts_and_the_outer_one_comes_back(secretariat, ee_ncp):
    with acting_as(secretariat):
        with acting_as(ee_ncp):
            assert current_actor() == ee_ncp
        assert current_actor() == secretariat
        with acting_as(None):  # a job step with no person changes nothing
            assert current_actor() == secretariat
    assert current_actor() is None


def test_an_entry_given_its_actor_keeps_it(secretariat, ee_ncp):
    case = make_case(ee_ncp)
    with acting_as(secretariat):
        entry = LogEntry.objects.log_create(
            case, force_log=True, action=LogEntry.Action.ACCESS, actor=ee_ncp, changes={}
        )
    assert entry.actor == ee_ncp


def test_outside_any_service_and_request_an_entry_has_no_actor(ee_ncp):
    case = make_case(ee_ncp)
    entry = LogEntry.objects.log_create(case, force_log=True, action=LogEntry.Action.ACCESS, changes={})
    assert entry.actor is None


# Every service that takes `by` sets it as the actor --------------------------------------------


def _services_taking_a_person() -> list[tuple[str, str, str]]:
    """The services (public, keyword-only, as DESIGN §4 has them) that take the person acting.

    Helpers with positional arguments, such as a workflow's effects or a question like
    referrals.services.transition_refusal, run inside a service or write nothing.
    """
    found = []
    # A services module, or a services package once it grows (DESIGN §4).
    for path in sorted([*ROOT.glob("*/services.py"), *ROOT.glob("*/services/*.py")]):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or node.args.args:
                continue
            names = {arg.arg for arg in node.args.kwonlyargs}
            found += [(module, node.name, person) for person in ("by", "invited_by") if person in names]
    return found


def test_every_service_taking_a_person_runs_as_that_person():
    services = _services_taking_a_person()
    assert len(services) > 40
    unwrapped = [
        f"{module}.{name}"
        for module, name, person in services
        if getattr(getattr(importlib.import_module(module), name), "audit_actor_parameter", None) != person
    ]
    assert unwrapped == [], "decorate these with core.audit.audited_as_by (or audit_actor_from)"
