"""The only way from a URL id to a data call or a state's return: each answers 404 both
when it does not exist and when the user may not see it.

A state's return is its representatives' and NCPs' and the secretariat's (the NCPs fill it
in, a representative submits it): no state sees
another's, not even once validated (the region's figures are published through the
disclosure module, not as returns). The reporting states are the CBSS member states."""

from django.http import Http404

from core.types import AnyUser
from members.expert_group import acting_state
from members.models import MemberState, MemberStateKind, Role
from reporting.models import DataCall, Return, ReturnFile

MANAGE = "reporting.manage_reporting"


def manages(user: AnyUser) -> bool:
    """The secretariat, which opens data calls and returns or validates returns."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))


def reporting_state(user: AnyUser) -> MemberState | None:
    """The state a user reports for: the one they act for in the expert group, if it is a CBSS
    member state (the EU sits in the group but reports no national figures)."""
    state = acting_state(user)
    return state if state is not None and state.kind == MemberStateKind.CBSS_MEMBER else None


def is_reporter(user: AnyUser) -> bool:
    return manages(user) or reporting_state(user) is not None


def require_reporter(user: AnyUser) -> None:
    if not is_reporter(user):
        raise Http404("No such page.")


def access_data_call(user: AnyUser, pk: int) -> DataCall:
    """The board of a call is the secretariat's; the states open their own return."""
    if not manages(user):
        raise Http404("No such data call.")
    call = DataCall.objects.select_related("indicator_set", "closed_by").filter(pk=pk).first()
    if call is None:
        raise Http404("No such data call.")
    return call


def access_return(user: AnyUser, pk: int) -> Return:
    returns = Return.objects.select_related("data_call__indicator_set", "member_state", "changed_by")
    if not manages(user):
        state = reporting_state(user)
        if state is None:
            raise Http404("No such return.")
        returns = returns.filter(member_state=state)
    found = returns.filter(pk=pk).first()
    if found is None:
        raise Http404("No such return.")
    return found


def access_return_file(user: AnyUser, pk: int, file_pk: int) -> ReturnFile:
    """A file of a return, for whoever may see the return; a removed one for no one."""
    return_record = access_return(user, pk)
    found = ReturnFile.objects.filter(pk=file_pk, return_record=return_record, removed_at__isnull=True).first()
    if found is None:
        raise Http404("No such file.")
    return found


def may_edit(user: AnyUser, return_record: Return) -> bool:
    state = reporting_state(user)
    return state is not None and state.pk == return_record.member_state_id and not return_record.is_locked


# The sides of a return's workflow (reporting.workflow). The state's NCPs fill in the draft
# (they keep the case files its victim figures are counted from); one of its national
# representatives submits it on the state's behalf.
REPRESENTATIVE = "representative"
NCP = "ncp"
STATE_SIDES = (REPRESENTATIVE, NCP)
SECRETARIAT = "secretariat"
SIDE_LABELS = {REPRESENTATIVE: "state's national representatives", NCP: "state's NCPs", SECRETARIAT: "secretariat"}


def side_of(user: AnyUser, return_record: Return) -> str | None:
    """The workflow's side a user takes on this return: one of STATE_SIDES, SECRETARIAT or None."""
    if manages(user):
        return SECRETARIAT
    state = reporting_state(user)
    if state is not None and state.pk == return_record.member_state_id:
        return REPRESENTATIVE if getattr(user, "role", None) == Role.NATIONAL_REPRESENTATIVE else NCP
    return None
