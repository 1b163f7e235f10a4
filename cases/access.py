"""The only way from a URL id to a case or one of its records.

Each answers 404 both when the object does not exist and when the user may not
see it, so ids cannot be probed. Grants are object permissions of the state's NCP
team (guardian stores them; core.grants reads them as an indexed EXISTS); model-level
permissions and grants to a single user never open a case. The grant alone is not
enough: the user's current role and state must match too, so a grant left behind by a
role or state change (or added by hand) opens nothing.
"""

from typing import TypeVar

from django.db.models import Exists, OuterRef
from django.http import Http404

from cases.models import Case, CaseDocument, CaseGroupObjectPermission, CaseIdentity, CaseQuerySet, CaseRecord
from core.grants import team_granted
from core.types import AnyUser
from members.models import Role

R = TypeVar("R", bound=CaseRecord)


def cases_for(user: AnyUser, perm: str = "cases.view_case") -> CaseQuerySet:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role != Role.NCP or user.member_state_id is None:
        return Case.objects.none()
    # The state filter first: with it the list walks the state's index in order and probes
    # the team's grant per row, instead of hashing every grant of the region.
    return Case.objects.filter(member_state_id=user.member_state_id).filter(
        team_granted(user, perm, group_grants=CaseGroupObjectPermission)
    )


def access_case(user: AnyUser, pk: int, perm: str = "cases.view_case") -> Case:
    # has_identity rides along (one index probe) so the page need not ask again, or decrypt.
    case = (
        cases_for(user, perm)
        .select_related("member_state", "organisation", "case_worker")
        .annotate(has_identity=Exists(CaseIdentity.objects.filter(case=OuterRef("pk"))))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case.")
    return case


def access_case_record(
    user: AnyUser, case_pk: int, model: type[R], pk: int, perm: str = "cases.change_case"
) -> tuple[Case, R]:
    case = access_case(user, case_pk, perm)
    record = model._default_manager.filter(case=case, pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return case, record


def access_case_document(user: AnyUser, case_pk: int, pk: int) -> tuple[Case, CaseDocument]:
    return access_case_record(user, case_pk, CaseDocument, pk, perm="cases.view_case")
