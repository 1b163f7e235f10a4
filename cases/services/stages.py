"""A case's stage moves and its reopening, each an entry of the stage table (cases.workflow)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseStatus, ClosureReason, Stage
from cases.workflow import CASE_STAGE_WORKFLOW
from core.audit import audited_as_by
from core.workflow import Transition
from members.models import User


def allowed_stage_moves(case: Case) -> list[str]:
    """The stages an open case may move to now (cases.workflow); a closed one is reopened instead."""
    return [] if case.is_closed else CASE_STAGE_WORKFLOW.targets(case.stage)


def _status_for(stage: str, closure_reason: str) -> str:
    if stage == Stage.CLOSED:
        return CaseStatus.CLOSED_REFERRED if closure_reason == ClosureReason.REFERRED else CaseStatus.CLOSED
    if stage == Stage.FOLLOW_UP:
        return CaseStatus.FOLLOW_UP
    return CaseStatus.ACTIVE


@audited_as_by
@transaction.atomic
def case_move_stage(
    *,
    case: Case,
    to_stage: str,
    by: User,
    reason: str = "",
    closure_reason: str = "",
    reflection_start: date | None = None,
    reflection_end: date | None = None,
) -> Case:
    """Move a case to another stage, if that move is allowed from where it is now."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_stage not in Stage.values:
        raise ValidationError(f"“{to_stage}” is not a stage.")
    step = CASE_STAGE_WORKFLOW.between(case.stage, to_stage)
    if case.is_closed:
        raise ValidationError("The case is closed. Reopen it, with a reason, before moving it.")
    if step is None:
        raise ValidationError(f"A case cannot move from “{Stage(case.stage).label}” to “{Stage(to_stage).label}”.")
    data = {
        "reason": reason,
        "closure_reason": closure_reason,
        "reflection_start": reflection_start,
        "reflection_end": reflection_end,
    }
    return _take_stage_step(case, step, data)


@audited_as_by
@transaction.atomic
def case_reopen(*, case: Case, to_stage: str, reason: str, by: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed:
        raise ValidationError("Only a closed case can be reopened.")
    step = CASE_STAGE_WORKFLOW.between(Stage.CLOSED, to_stage)
    if step is None:
        raise ValidationError("Choose the stage the reopened case starts in.")
    return _take_stage_step(case, step, {"reason": reason})


def _take_stage_step(case: Case, step: Transition, data: dict[str, Any]) -> Case:
    """Take one entry of the stage table on the locked case: its hook checks and sets what
    the stage needs; the stage, its status and the time of the change always follow."""
    now = timezone.now()
    update = ["stage", "status", "stage_changed_at"]
    for name in step.stamps:
        setattr(case, name, now)
        update.append(name)
    if step.apply:
        update += step.apply(case, data, now)
    case.stage = step.target
    case.status = _status_for(step.target, case.closure_reason)
    case.stage_changed_at = now
    case.save(update_fields=update)
    return case
