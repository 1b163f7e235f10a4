"""A case's stages, one table (DESIGN.md sections 4 and 6).

BSR-TRM measures need not come in order: each entry is one stage a case may move to and
the stages it may come from. Any open case may be closed, with a reason; a closed case
is reopened, with a reason, in the stage it starts again from. cases.services runs any
entry; the stage panel's choices are the table's. Each entry's hook checks and sets what
that stage needs (a reason, the reflection period's dates, the closure's reason); its
refusals name the form field they are about, so the panel shows them at that field.
"""

from datetime import datetime
from typing import TypedDict

from django.core.exceptions import ValidationError

from cases.models import Case, ClosureReason, Stage
from core.workflow import Transition, Workflow
from members.models import Role

S = Stage
OPEN_STAGES = tuple(stage for stage in S.values if stage != S.CLOSED)


class _Move(TypedDict):
    """What every stage move shares (spread into each entry, so the checker sees every field)."""

    by: tuple[str, ...]
    form: str
    url: str


_MOVE: _Move = {"by": (Role.NCP,), "form": "cases.forms.StageMoveForm", "url": "cases:move_stage"}


def _not_identified(case: Case, data: dict, now: datetime) -> list[str]:
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason why the person was not identified."})
    case.not_identified_reason = reason
    return ["not_identified_reason"]


def _reflection_period(case: Case, data: dict, now: datetime) -> list[str]:
    start, end = data.get("reflection_start"), data.get("reflection_end")
    if not start or not end:
        missing = [name for name, value in (("reflection_start", start), ("reflection_end", end)) if not value]
        raise ValidationError(
            {name: "Give the start and end of the reflection and recovery period." for name in missing}
        )
    if end < start:
        raise ValidationError({"reflection_end": "The reflection period cannot end before it starts."})
    case.reflection_start, case.reflection_end = start, end
    return ["reflection_start", "reflection_end"]


def _close(case: Case, data: dict, now: datetime) -> list[str]:
    closure_reason = data.get("closure_reason") or ""
    if closure_reason not in ClosureReason.values:
        raise ValidationError({"closure_reason": "Choose the reason for closing the case."})
    case.closure_reason = closure_reason
    return ["closure_reason"]


def _reopen(case: Case, data: dict, now: datetime) -> list[str]:
    if case.anonymised_at:
        raise ValidationError("This case was anonymised after its retention period and cannot be reopened.")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for reopening the case."})
    case.closure_reason, case.closed_at, case.reopened_reason = "", None, reason
    return ["closure_reason", "closed_at", "reopened_reason"]


def _move(stage: str, sources: tuple[str, ...], **extra) -> Transition:
    return Transition(name=stage, label=S(stage).label, sources=sources, target=stage, **_MOVE, **extra)


def _reopen_in(stage: str) -> Transition:
    return Transition(
        name=f"reopen_{stage}",
        label=f"Reopen in “{S(stage).label}”",
        sources=(S.CLOSED,),
        target=stage,
        by=(Role.NCP,),
        form="cases.forms.ReopenForm",
        url="cases:reopen",
        apply=_reopen,
    )


_ASSISTANCE_FROM = (S.FORMALLY_IDENTIFIED, S.REFLECTION_PERIOD, S.URGENT_ASSISTANCE)
CASE_STAGE_WORKFLOW = Workflow(
    name="case stage",
    noun="case",
    states=tuple(S.values),
    transitions=(
        _move(S.FORMALLY_IDENTIFIED, (S.PRESUMED, S.NOT_IDENTIFIED, S.REFLECTION_PERIOD, S.URGENT_ASSISTANCE)),
        _move(S.NOT_IDENTIFIED, (S.PRESUMED, S.REFLECTION_PERIOD, S.URGENT_ASSISTANCE), apply=_not_identified),
        _move(S.REFLECTION_PERIOD, (S.PRESUMED, S.FORMALLY_IDENTIFIED, S.URGENT_ASSISTANCE), apply=_reflection_period),
        _move(S.URGENT_ASSISTANCE, (S.PRESUMED, S.FORMALLY_IDENTIFIED, S.REFLECTION_PERIOD)),
        _move(S.LONG_TERM_ASSISTANCE, (*_ASSISTANCE_FROM, S.RETURN_PREPARATION, S.FOLLOW_UP)),
        _move(S.RETURN_PREPARATION, (*_ASSISTANCE_FROM, S.LONG_TERM_ASSISTANCE)),
        _move(S.RETURNED, (S.RETURN_PREPARATION,)),
        _move(S.FOLLOW_UP, (S.LONG_TERM_ASSISTANCE, S.RETURNED)),
        # Any open case may be closed, with a reason; closing is not final (it can be reopened).
        _move(S.CLOSED, OPEN_STAGES, stamps=("closed_at",), apply=_close),
        *(_reopen_in(stage) for stage in OPEN_STAGES),
    ),
)
