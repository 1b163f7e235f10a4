"""Writes on national reporting: the secretariat opens a data call (one return per reporting
state); a state's representatives and NCPs fill in its return, every value kept with who and
when; the return moves through reporting.workflow; the state and the secretariat comment."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import audited_as_by
from core.uploads import PAPER_TYPES, check_upload, store_checked_upload
from core.workflow import Transition, UnknownTransition
from members.expert_group import secretariat_members, state_members
from members.models import MemberState, MemberStateKind, User
from notifications.services import notify
from reporting import published
from reporting.access import SIDE_LABELS, STATE_SIDES, manages, reporting_state, side_of
from reporting.checks import Problem, check_return, has_errors
from reporting.models import (
    DataCall,
    Indicator,
    IndicatorKind,
    IndicatorSet,
    Return,
    ReturnComment,
    ReturnEvent,
    ReturnFile,
    ReturnStatus,
    Value,
    ValueRevision,
    ValueStatus,
)
from reporting.suggestions import suggestions
from reporting.workflow import RETURN_WORKFLOW


def reporting_states() -> QuerySet[MemberState]:
    return MemberState.objects.active().filter(kind=MemberStateKind.CBSS_MEMBER).order_by("name")


def _require_manager(by: User) -> None:
    if not manages(by):
        raise ValidationError("Only the secretariat opens data calls and returns or validates returns.")


@audited_as_by
@transaction.atomic
def data_call_open(
    *, year: int, deadline: datetime.date, by: User, note: str = "", indicator_set: IndicatorSet | None = None
) -> DataCall:
    """Open the yearly call: one return, not started, per reporting state; their members are told."""
    _require_manager(by)
    if DataCall.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is a data call for {year} already."})
    if year > timezone.localdate().year:
        raise ValidationError({"year": "The reference year cannot be in the future."})
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "The deadline must be after today."})
    indicator_set = indicator_set or IndicatorSet.objects.order_by("-version").first()
    if indicator_set is None:
        raise ValidationError("There is no indicator set to ask for.")
    call = DataCall(year=year, deadline=deadline, note=note.strip(), indicator_set=indicator_set, opened_by=by)
    call.full_clean()
    call.save()
    states = list(reporting_states())
    Return.objects.bulk_create(Return(data_call=call, member_state=state) for state in states)
    for created in Return.objects.filter(data_call=call).select_related("member_state"):
        notify(
            recipients=state_members(created.member_state),
            kind="reporting_call_opened",
            text=f"Data call {year}: {created.member_state}'s return is due by {deadline:%d %B %Y}.",
            link=created.get_absolute_url(),
            actor=by,
        )
    return call


@audited_as_by
@transaction.atomic
def data_call_close(*, call: DataCall, by: User, note: str = "") -> DataCall:
    """Close the call: every return not validated is recorded as not reported (RETURN_WORKFLOW's
    "close") and its state is told; the year's region totals are then published over the
    validated returns. Refused while a submitted return waits for the secretariat. A closed
    call is closed again when a validated return was reopened and not validated since."""
    _require_manager(by)
    call = DataCall.objects.select_for_update().get(pk=call.pk)
    transition = RETURN_WORKFLOW.get("close")
    returns = list(Return.objects.select_for_update(of=("self",)).filter(data_call=call).select_related("member_state"))
    # Closed again only when a return reopened since is left (its year is pending meanwhile).
    if call.closed_at is not None and not any(one.status in transition.sources for one in returns):
        raise ValidationError(f"The data call for {call.year} was closed on {call.closed_at:%d %B %Y}.")
    waiting = [one.member_state.name for one in returns if one.status == ReturnStatus.SUBMITTED]
    if waiting:
        raise ValidationError(
            f"Validate or return the submitted return{'s' if len(waiting) > 1 else ''} of {', '.join(waiting)} "
            "first: a submitted return waits for the secretariat's answer."
        )
    unreported = [one for one in returns if one.status in transition.sources]
    if unreported and not note.strip():
        raise ValidationError(
            {"note": "Say why the call is closed before every state's return is validated: the note is kept."}
        )
    now = timezone.now()
    for return_record in unreported:
        from_status = return_record.status
        return_record.status = transition.target
        return_record.changed_at, return_record.changed_by = now, by
        return_record.save(update_fields=["status", "changed_at", "changed_by"])
        _record(return_record, "close", from_status, by, note.strip())
    call.closed_at, call.closed_by, call.closing_note = now, by, note.strip()
    call.save(update_fields=["closed_at", "closed_by", "closing_note"])
    published.record([call.year])
    published.public_figures_changed()
    for return_record in unreported:
        _tell(return_record, transition, by)
    return call


@dataclass(frozen=True)
class Entry:
    """What the form gives for one indicator."""

    status: str = ValueStatus.GIVEN
    number: int | None = None
    text: str = ""
    note: str = ""


def _previous_figures(return_record: Return) -> dict[str, int]:
    """The state's validated figures of the year before, by indicator code (for the warnings)."""
    previous = (
        Return.objects.filter(
            member_state_id=return_record.member_state_id,
            data_call__year=return_record.data_call.year - 1,
            status=ReturnStatus.VALIDATED,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if previous is None:
        return {}
    given = Value.objects.filter(return_record_id=previous, status=ValueStatus.GIVEN, number__isnull=False)
    return {code: number for code, number in given.values_list("indicator__code", "number") if number is not None}


def return_problems(
    return_record: Return, *, indicators: list[Indicator] | None = None, values: list[Value] | None = None
) -> list[Problem]:
    """The checks (reporting.checks) on the return's values as saved (the page passes what it
    has loaded already)."""
    if indicators is None:
        indicators = list(return_record.data_call.indicator_set.indicators.all())
    if values is None:
        values = list(return_record.values.all())
    code_of = {indicator.pk: indicator.code for indicator in indicators}
    values_by_code = {code_of[v.indicator_id]: v for v in values if v.indicator_id in code_of}
    return check_return(
        indicators,
        values_by_code,
        previous=_previous_figures(return_record),
        change_warning=settings.THB_REPORTING_CHANGE_WARNING,
    )


def _record(return_record: Return, step: str, from_status: str, by: User, comment: str = "") -> None:
    ReturnEvent.objects.create(
        return_record=return_record,
        step=step,
        from_status=from_status,
        to_status=return_record.status,
        comment=comment,
        by=by,
    )


@audited_as_by
@transaction.atomic
def return_save(
    *,
    return_record: Return,
    entries: dict[str, Entry],
    by: User,
    publish_unsuppressed: bool | None = None,
    use_suggestion: str = "",
) -> Return:
    """Save the state's values (a draft may be incomplete); each changed value keeps its
    history. The first save starts the return. `use_suggestion` names the one indicator whose
    figure is taken from the state's case files (reporting.suggestions), the member's click."""
    return_record = Return.objects.select_for_update().select_related("data_call").get(pk=return_record.pk)
    state = reporting_state(by)
    if state is None or state.pk != return_record.member_state_id:
        raise ValidationError("Only the state's representatives and NCPs fill in its return.")
    if return_record.status == ReturnStatus.VALIDATED:
        raise ValidationError("This return is validated and locked; the secretariat can reopen it for a correction.")
    if return_record.status == ReturnStatus.SUBMITTED:
        raise ValidationError("This return is submitted: it cannot be changed while the secretariat reviews it.")
    if return_record.status == ReturnStatus.NOT_REPORTED:
        raise ValidationError("The data call was closed before this return was validated: it cannot be changed.")
    if use_suggestion:
        suggested = suggestions(state=state, year=return_record.data_call.year)
        if use_suggestion not in suggested:
            raise ValidationError("There is no figure from the case files for that indicator.")
        kept = entries.get(use_suggestion, Entry())
        entries = {**entries, use_suggestion: Entry(number=suggested[use_suggestion], note=kept.note)}
    indicators = {i.code: i for i in return_record.data_call.indicator_set.indicators.all()}
    unknown = set(entries) - set(indicators)
    if unknown:
        raise ValidationError(f"These are not indicators of this data call: {', '.join(sorted(unknown))}.")
    errors = {}
    for code, entry in entries.items():
        if entry.status not in ValueStatus.values:
            errors[code] = "Choose given, not available or confidential."
        elif entry.number is not None and entry.number < 0:
            errors[code] = "A number cannot be negative."
        elif indicators[code].kind == IndicatorKind.TEXT and entry.number is not None:
            errors[code] = "This section takes text."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = {v.indicator_id: v for v in return_record.values.all()}
    revisions = []
    for code, entry in entries.items():
        indicator = indicators[code]
        number = entry.number if entry.status == ValueStatus.GIVEN else None
        fields = {"status": entry.status, "number": number, "text": entry.text.strip(), "note": entry.note.strip()}
        value = existing.get(indicator.pk)
        if value is None:
            if entry.status == ValueStatus.GIVEN and number is None and not fields["text"] and not fields["note"]:
                continue  # nothing given yet
            value = Value.objects.create(
                return_record=return_record, indicator=indicator, changed_by=by, changed_at=now, **fields
            )
        elif all(getattr(value, name) == new for name, new in fields.items()):
            continue
        else:
            for name, new in fields.items():
                setattr(value, name, new)
            value.changed_by, value.changed_at = by, now
            value.save()
        revisions.append(ValueRevision(value=value, changed_by=by, changed_at=now, **fields))
    ValueRevision.objects.bulk_create(revisions)
    update = ["changed_at", "changed_by"]
    if publish_unsuppressed is not None:
        return_record.publish_unsuppressed = publish_unsuppressed
        update.append("publish_unsuppressed")
    return_record.changed_at, return_record.changed_by = now, by
    if return_record.status == ReturnStatus.NOT_STARTED:
        return_record.status = ReturnStatus.DRAFT
        update.append("status")
        return_record.save(update_fields=update)
        _record(return_record, "start", ReturnStatus.NOT_STARTED, by)
    else:
        return_record.save(update_fields=update)
    return return_record


# What a qualitative section may carry: the documents of a meeting paper.
SECTION_FILE_TYPES = PAPER_TYPES


def _section_of(return_record: Return, code: str, by: User) -> Indicator:
    """The text indicator `code` of a return the state's member `by` may change now."""
    state = reporting_state(by)
    if state is None or state.pk != return_record.member_state_id:
        raise ValidationError("Only the state's representatives and NCPs fill in its return.")
    if return_record.is_locked:
        raise ValidationError(f"This return is “{return_record.get_status_display()}”: its files cannot change now.")
    indicator = return_record.data_call.indicator_set.indicators.filter(code=code, kind=IndicatorKind.TEXT).first()
    if indicator is None:
        raise ValidationError("Files go with a qualitative section of the return.")
    return indicator


@audited_as_by
@transaction.atomic
def return_file_attach(*, return_record: Return, code: str, upload: Any, by: User) -> ReturnFile:
    """A file with a qualitative section (checked first); it replaces the section's file on
    the page, the earlier one is kept."""
    return_record = Return.objects.select_for_update().select_related("data_call").get(pk=return_record.pk)
    indicator = _section_of(return_record, code, by)
    if upload is None:
        raise ValidationError({"file": "Choose the file to add."})
    try:
        checked = check_upload(upload, allowed=SECTION_FILE_TYPES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    record = ReturnFile(return_record=return_record, indicator=indicator, uploaded_by=by)
    store_checked_upload(record, upload, checked)
    Return.objects.filter(pk=return_record.pk).update(changed_at=timezone.now(), changed_by=by)
    return record


@audited_as_by
@transaction.atomic
def return_file_remove(*, return_record: Return, code: str, by: User) -> int:
    """The section's file taken off the return (kept, with who removed it and when)."""
    return_record = Return.objects.select_for_update().select_related("data_call").get(pk=return_record.pk)
    indicator = _section_of(return_record, code, by)
    now = timezone.now()
    removed = ReturnFile.objects.filter(
        return_record=return_record, indicator=indicator, removed_at__isnull=True
    ).update(removed_at=now, removed_by=by)
    if not removed:
        raise ValidationError("This section has no file to remove.")
    Return.objects.filter(pk=return_record.pk).update(changed_at=now, changed_by=by)
    return removed


def return_step_refusal(return_record: Return, step: str, by: User) -> str:
    """Why `by` cannot take the step now, or ""."""
    transition = RETURN_WORKFLOW.get(step)
    side = side_of(by, return_record)
    if side is None or (transition.by and side not in transition.by):
        return f"“{transition.label}” is a step of the {' or the '.join(SIDE_LABELS[one] for one in transition.by)}."
    if return_record.status not in transition.sources:
        return RETURN_WORKFLOW.refusal(transition, return_record.get_status_display())
    return ""


@audited_as_by
@transaction.atomic
def return_transition(*, return_record: Return, step: str, by: User, comment: str = "") -> Return:
    """Take one step of RETURN_WORKFLOW; each taken once from the right status by the right side."""
    try:
        transition = RETURN_WORKFLOW.get(step)
    except UnknownTransition as error:
        raise ValidationError(str(error)) from None
    if step == "start":
        raise ValidationError("A return starts when its first value is saved.")
    if step == "close":
        raise ValidationError("A return is closed with its data call, on the call's page.")
    return_record = (
        Return.objects.select_for_update(of=("self",))
        .select_related("data_call__indicator_set", "member_state")
        .get(pk=return_record.pk)
    )
    refusal = return_step_refusal(return_record, step, by)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    if transition.apply:
        transition.apply(return_record, {"comment": comment}, now)
    if step == "submit" and has_errors(return_problems(return_record)):
        raise ValidationError("Correct the problems marked next to the values before submitting.")
    from_status = return_record.status
    return_record.status = transition.target
    return_record.changed_at, return_record.changed_by = now, by
    update = ["status", "changed_at", "changed_by"]
    if step == "submit":
        return_record.submitted_at = now
        update.append("submitted_at")
    for stamp in transition.stamps:
        setattr(return_record, stamp, now)
        update.append(stamp)
    if step == "reopen":
        return_record.validated_at = None
        update.append("validated_at")
    return_record.save(update_fields=update)
    _record(return_record, step, from_status, by, comment.strip())
    if RETURN_WORKFLOW.get(step).target == ReturnStatus.VALIDATED or from_status == ReturnStatus.VALIDATED:
        published.record([return_record.data_call.year])
        published.public_figures_changed()
    if comment.strip() and side_of(by, return_record) == "secretariat":
        ReturnComment.objects.create(
            return_record=return_record, author=by, from_secretariat=True, text=comment.strip()
        )
    _tell(return_record, transition, by)
    return return_record


def _tell(return_record: Return, transition: Transition, by: User) -> None:
    label = f"{return_record.member_state} {return_record.data_call.year}"
    for notice in transition.notifies:
        if notice.audience == "secretariat":
            recipients = secretariat_members()
        else:
            recipients = state_members(return_record.member_state)
        text = {
            "reporting_return_submitted": f"{label}: the return is submitted.",
            "reporting_return_sent_back": f"{label}: the secretariat returned the return with comments.",
            "reporting_return_validated": f"{label}: the return is validated.",
            "reporting_call_closed": f"{label}: the data call is closed; the return is recorded as not reported.",
        }[notice.kind]
        notify(recipients=recipients, kind=notice.kind, text=text, link=return_record.get_absolute_url(), actor=by)


@audited_as_by
@transaction.atomic
def return_comment_add(*, return_record: Return, text: str, by: User) -> ReturnComment:
    """A comment in the return's thread; the state's answer settles the secretariat's open comments."""
    side = side_of(by, return_record)
    if side is None:
        raise ValidationError("Only the state and the secretariat comment on a return.")
    if not text.strip():
        raise ValidationError({"text": "Write the comment."})
    comment = ReturnComment.objects.create(
        return_record=return_record, author=by, from_secretariat=side == "secretariat", text=text.strip()
    )
    if side in STATE_SIDES:
        ReturnComment.objects.filter(return_record=return_record, from_secretariat=True, resolved=False).update(
            resolved=True
        )
    return comment


def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the states that have not submitted at each of THB_REPORTING_REMINDER_DAYS (14, 7
    and 1) days before the deadline: once per return and reminder, however often the job runs
    (the notices' dedupe key). A submitted or validated return is not reminded; one returned
    with comments is, as it waits for the state again."""
    today = today or timezone.localdate()
    waiting = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.RETURNED)
    notices = 0
    for days in sorted(settings.THB_REPORTING_REMINDER_DAYS):
        due = Return.objects.filter(data_call__deadline=today + datetime.timedelta(days=days), status__in=waiting)
        for return_record in due.select_related("data_call", "member_state"):
            sent = notify(
                recipients=state_members(return_record.member_state),
                kind="reporting_deadline_near",
                text=f"Data call {return_record.data_call.year}: {return_record.member_state}'s return is due "
                f"in {days} day{'s' if days != 1 else ''}, on {return_record.data_call.deadline:%d %B %Y}.",
                link=return_record.get_absolute_url(),
                target=return_record,
                dedupe_prefix=f"return:{return_record.pk}:reminder:{days}",
            )
            notices += len(sent)
    return {"notices": notices}


INDICATOR_FIELDS = ("code", "label", "group", "kind", "total_code", "breakdown", "help_text")


@audited_as_by
@transaction.atomic
def indicator_set_new_version(*, label: str, additions: list[dict[str, str]], by: User) -> IndicatorSet:
    """A new version of the indicators: the latest one's, as they are, plus `additions` (each
    code, label, group and optionally kind, total_code, breakdown, help_text). The versions in
    use by a data call are never changed; the next data call asks for the new one."""
    _require_manager(by)
    latest = IndicatorSet.objects.order_by("-version").first()
    if latest is None:
        raise ValidationError("There is no indicator set to build on.")
    if not additions:
        raise ValidationError("Add at least one indicator: a new version is for what the last one lacks.")
    kept = list(latest.indicators.order_by("position"))
    codes = {indicator.code for indicator in kept}
    new_set = IndicatorSet.objects.create(version=latest.version + 1, label=label.strip() or latest.label)
    indicators = [
        Indicator(
            indicator_set=new_set,
            position=position,
            **{
                name: getattr(old, name)
                for name in ("code", "label", "group", "kind", "total_code", "breakdown", "help_text")
            },
        )
        for position, old in enumerate(kept, start=1)
    ]
    errors = []
    for offset, spec in enumerate(additions, start=len(kept) + 1):
        code = spec.get("code", "").strip()
        if code in codes:
            errors.append(f"“{code}” is an indicator already.")
            continue
        if spec.get("total_code") and spec["total_code"] not in codes:
            errors.append(f"“{code}” breaks down “{spec['total_code']}”, which is not an indicator.")
            continue
        indicator = Indicator(
            indicator_set=new_set, position=offset, **{k: v for k, v in spec.items() if v is not None}
        )
        try:
            indicator.full_clean(exclude=["indicator_set"])
        except ValidationError as error:
            errors.append(f"“{code}”: {' '.join(error.messages)}")
            continue
        codes.add(code)
        indicators.append(indicator)
    if errors:
        raise ValidationError(errors)
    Indicator.objects.bulk_create(indicators)
    # The public tables list the newest set's indicators.
    published.public_figures_changed()
    return new_set
