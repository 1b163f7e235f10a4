"""The moves of a state's return, one table (core.workflow): the state starts and submits;
the secretariat returns it with comments, validates it, or reopens a validated one for a
correction; closing the data call records every return not validated as not reported.
Every move is a ReturnEvent, with who, when and why."""

from django.core.exceptions import ValidationError

from core.workflow import Notice, Transition, Workflow
from reporting.access import REPRESENTATIVE, SECRETARIAT, STATE_SIDES
from reporting.models import ReturnStatus

S = ReturnStatus


def _comment_required(what: str):
    def apply(return_record, data, now):
        if not (data.get("comment") or "").strip():
            raise ValidationError({"comment": what})
        return ()

    return apply


RETURN_WORKFLOW = Workflow(
    name="return",
    noun="return",
    states=tuple(S.values),
    transitions=(
        Transition(
            name="start",
            label="Start the return",
            sources=(S.NOT_STARTED,),
            target=S.DRAFT,
            by=STATE_SIDES,
            # Taken by the first save of a value, not from a button.
            url="reporting:return",
        ),
        Transition(
            name="submit",
            label="Submit to the secretariat",
            sources=(S.DRAFT, S.RETURNED),
            target=S.SUBMITTED,
            # On the state's behalf: its national representatives (DESIGN.md section 5).
            by=(REPRESENTATIVE,),
            url="reporting:return_step",
            confirmation="The secretariat is told; the return cannot be changed unless it is returned to you.",
            notifies=(Notice(kind="reporting_return_submitted", audience="secretariat"),),
            refusal="This return is “{status}”: it cannot be submitted now.",
        ),
        Transition(
            name="send_back",
            label="Return with comments",
            sources=(S.SUBMITTED,),
            target=S.RETURNED,
            by=(SECRETARIAT,),
            url="reporting:return_step",
            apply=_comment_required("Say what the state should look at: the comment is sent with the return."),
            notifies=(Notice(kind="reporting_return_sent_back", audience="state"),),
        ),
        Transition(
            name="validate",
            label="Validate",
            sources=(S.SUBMITTED,),
            target=S.VALIDATED,
            by=(SECRETARIAT,),
            url="reporting:return_step",
            stamps=("validated_at",),
            confirmation="The figures become part of the region's tables and the return is locked.",
            notifies=(Notice(kind="reporting_return_validated", audience="state"),),
        ),
        Transition(
            name="reopen",
            label="Reopen for a correction",
            sources=(S.VALIDATED,),
            target=S.RETURNED,
            by=(SECRETARIAT,),
            url="reporting:return_step",
            branch=True,
            apply=_comment_required("Say why the validated return is reopened: it is kept with the return."),
            confirmation="The figures leave the region's tables until the return is validated again.",
            notifies=(Notice(kind="reporting_return_sent_back", audience="state"),),
        ),
        # Taken for every return not validated when the secretariat closes the call (on the
        # call's page, reporting.services.data_call_close), never for one return alone.
        Transition(
            name="close",
            label="Close the data call",
            sources=(S.NOT_STARTED, S.DRAFT, S.RETURNED),
            target=S.NOT_REPORTED,
            by=(SECRETARIAT,),
            url="reporting:call_close",
            branch=True,
            destructive=True,
            confirmation=(
                "The states whose return is not validated are recorded as not reported and can no longer "
                "submit it; the year's region totals are published over the validated returns. "
                "This cannot be undone."
            ),
            notifies=(Notice(kind="reporting_call_closed", audience="state"),),
        ),
    ),
)
