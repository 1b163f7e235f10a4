"""Every workflow is one table (core.workflow): each step is complete, and reachable only as the walk says.

Adding a step is one entry plus its form; these tests enumerate every table, so a step
without a label, a form, a known notice kind or a place in the permission walk fails here.
"""

import pytest

from cases.models import Stage
from cases.workflow import CASE_STAGE_WORKFLOW
from core.workflow import Notice, Transition, UnknownTransition, Workflow
from notifications.kinds import KINDS
from referrals.forms import StepForm
from referrals.workflow import CONSENT_WITHDRAWAL, REFERRAL_WORKFLOW
from tests.access.policy import POLICY
from tests.referrals.test_access import ROWS as REFERRAL_WALK
from trainings.models import RegistrationStatus, TrainingStatus
from trainings.services import EMAIL_SUBJECTS
from trainings.workflow import REGISTRATION_WORKFLOW, RUNNING_STATUSES, TRAINING_WORKFLOW, settings_statuses

# The shape ------------------------------------------------------------------------------

TOY = Workflow(
    name="toy",
    noun="toy",
    states=("new", "done", "gone"),
    transitions=(
        Transition(name="finish", label="Finish", sources=("new",), target="done", by=("maker",)),
        Transition(
            name="drop",
            label="Drop",
            sources=("new", "done"),
            target="gone",
            destructive=True,
            confirmation="Dropping cannot be undone.",
            refusal="Only a new or done toy can be dropped; this one is “{status}”.",
        ),
    ),
)


def test_a_step_that_is_not_in_the_table_is_named_in_the_error():
    with pytest.raises(UnknownTransition, match="“fly” is not a step of the toy workflow"):
        TOY.get("fly")
    assert "fly" not in TOY and "drop" in TOY


def test_available_steps_follow_the_status_and_who_acts():
    assert [t.name for t in TOY.available("new")] == ["finish", "drop"]
    assert [t.name for t in TOY.available("new", "someone else")] == ["drop"]  # drop names nobody: anyone
    assert [t.name for t in TOY.available("done", "maker")] == ["drop"]
    assert TOY.available("gone") == []
    assert TOY.targets("new") == ["done", "gone"]
    assert TOY.between("done", "gone").name == "drop" and TOY.between("gone", "new") is None


def test_refusals_are_said_in_the_workflows_words():
    assert TOY.refusal(TOY.get("finish"), "Gone") == "“Finish” is not possible on a toy that is “Gone”."
    assert TOY.refusal(TOY.get("drop"), "Gone") == "Only a new or done toy can be dropped; this one is “Gone”."


def test_a_table_that_contradicts_itself_does_not_load():
    step = Transition(name="a", label="A", sources=("new",), target="done")
    with pytest.raises(ValueError, match="twice: a"):
        Workflow(name="w", noun="w", transitions=(step, step))
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(name="w", noun="w", states=("new",), transitions=(step,))
    with pytest.raises(ValueError, match="confirmation"):
        Transition(name="b", label="B", sources=("new",), target="gone", destructive=True)
    with pytest.raises(ValueError, match="both grant and revoke"):
        Transition(name="c", label="C", sources=("new",), target="x", grants=True, revokes=True)


def test_the_form_may_be_named_by_path_and_the_button_follows_destructive():
    step = Transition(name="a", label="A", sources=("new",), target="done", form="referrals.forms.ReasonForm")
    assert step.form_class().__name__ == "ReasonForm"
    assert (step.button_class, TOY.get("drop").button_class) == ("btn-primary", "btn-danger")


# Every table ----------------------------------------------------------------------------


def _walked_urls() -> set[str]:
    return set(POLICY)


@pytest.mark.parametrize("step", list(REFERRAL_WORKFLOW), ids=REFERRAL_WORKFLOW.names)
def test_each_referral_step_has_a_label_a_form_a_notice_and_a_place_in_the_walk(step):
    assert step.label and step.label == step.label.strip()
    assert step.form is not None and issubclass(step.form_class(), StepForm)
    assert step.records, "a referral step records an event on the timeline"
    assert [(notice.kind in KINDS, notice.audience) for notice in step.notifies] == [(True, "other side")]
    assert step.by and step.url in _walked_urls()
    # The permission walk posts every step as every visitor (tests/referrals/test_access.py).
    assert f"action {step.name}" in {row.label for row in REFERRAL_WALK if row.name == step.url}
    if step.destructive:
        assert step.confirmation and step.button_class == "btn-danger"


def test_the_normal_path_is_every_step_but_the_branches():
    path = [t.name for t in REFERRAL_WORKFLOW if not t.branch]
    assert path == ["send", "acknowledge", "accept", "start", "complete", "close"]
    # Every destructive step leaves the normal path.
    assert all(t.branch for t in REFERRAL_WORKFLOW if t.destructive)


def test_only_sending_grants_and_only_the_two_withdrawals_revoke():
    assert [t.name for t in REFERRAL_WORKFLOW if t.grants] == ["send"]
    assert {t.name for t in REFERRAL_WORKFLOW if t.revokes} == {"withdraw", CONSENT_WITHDRAWAL.name}
    assert CONSENT_WITHDRAWAL.revokes and CONSENT_WITHDRAWAL.target == "consent_withdrawn"


# The case's stages: the moves BSR-TRM allows (DESIGN.md section 6), as they were before the table.
_ASSISTANCE = {"urgent_assistance", "long_term_assistance", "return_preparation"}
STAGE_MOVES = {
    "presumed": {"formally_identified", "not_identified", "reflection_period", "urgent_assistance"},
    "formally_identified": {"reflection_period", *_ASSISTANCE},
    "not_identified": {"formally_identified"},
    "reflection_period": {"formally_identified", "not_identified", *_ASSISTANCE},
    "urgent_assistance": {"formally_identified", "not_identified", "reflection_period", *_ASSISTANCE},
    "long_term_assistance": {"return_preparation", "follow_up"},
    "return_preparation": {"long_term_assistance", "returned"},
    "returned": {"follow_up"},
    "follow_up": {"long_term_assistance"},
}


def test_the_stage_table_allows_exactly_the_bsr_trm_moves_and_reopening_from_closed():
    for stage in Stage.values:
        moves = {t.target for t in CASE_STAGE_WORKFLOW.available(stage)}
        if stage == Stage.CLOSED:
            # Reopened, with a reason, in any stage but closed.
            assert moves == set(Stage.values) - {Stage.CLOSED}
            assert {t.url for t in CASE_STAGE_WORKFLOW.available(stage)} == {"cases:reopen"}
        else:
            assert moves == (STAGE_MOVES[stage] - {stage}) | {Stage.CLOSED}, stage
            assert {t.url for t in CASE_STAGE_WORKFLOW.available(stage)} == {"cases:move_stage"}


# Trainings: the moves as they were before the tables. Completed, cancelled, rejected and
# cancelled registrations are final.
TRAINING_MOVES = {
    "planned": {"open", "closed", "completed", "cancelled"},
    "open": {"planned", "closed", "completed", "cancelled"},
    "closed": {"open", "completed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
}
REGISTRATION_MOVES = {
    "registered": {"confirmed", "rejected", "cancelled"},
    "confirmed": {"attended", "no_show", "cancelled"},
    "waitlisted": {"confirmed", "cancelled"},
    "attended": {"no_show"},
    "no_show": {"attended"},
    "rejected": set(),
    "cancelled": set(),
}


def test_the_training_tables_allow_exactly_the_moves_they_did():
    assert {status: set(TRAINING_WORKFLOW.targets(status)) for status in TrainingStatus.values} == TRAINING_MOVES
    assert {
        status: set(REGISTRATION_WORKFLOW.targets(status)) for status in RegistrationStatus.values
    } == REGISTRATION_MOVES
    assert RUNNING_STATUSES == ("planned", "open", "closed")
    # The settings form offers every step but completing, which has its own page.
    assert settings_statuses("open") == ["open", "planned", "closed", "cancelled"]
    assert [t.name for t in TRAINING_WORKFLOW if t.destructive] == ["complete", "cancel"]


EVERY_TABLE = [REFERRAL_WORKFLOW, CASE_STAGE_WORKFLOW, TRAINING_WORKFLOW, REGISTRATION_WORKFLOW]


def _steps():
    return [(workflow, step) for workflow in EVERY_TABLE for step in workflow]


@pytest.mark.parametrize(("workflow", "step"), _steps(), ids=lambda value: getattr(value, "name", ""))
def test_every_step_of_every_table_has_a_label_a_form_a_known_notice_and_a_walked_url(workflow, step):
    assert step.label and step.by, step.name
    assert step.form is None or step.form_class() is not None
    assert step.effects is None or callable(step.effects_function())
    assert step.url in _walked_urls(), f"{workflow.name}: {step.name} is taken at {step.url}, which the walk lacks"
    for notice in step.notifies:
        assert isinstance(notice, Notice) and notice.kind in _notice_kinds(notice.audience), (step.name, notice)
    if step.destructive:
        assert step.confirmation and step.button_class == "btn-danger"


def _notice_kinds(audience: str) -> set[str]:
    if audience in ("participant", "participants"):
        # Participants are not users: their emails have kinds of their own (trainings.services).
        return set(EMAIL_SUBJECTS)
    return set(KINDS)
