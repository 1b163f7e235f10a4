"""The role step underneath every role change, and what a role change does once decided.

user_set_role keeps the role group, the state team group and is_staff in step with the
user's role; only system actions with no second person (the demo seeder, test factories)
call it directly. A person's change goes through members.services.users or an invitation,
which first decide whether it needs a second person (four-eyes, DESIGN §5); the
underscored steps here apply it then, for those modules and for a confirmed access request.
"""

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from guardian.models import UserObjectPermissionBase

from members.models import STATE_ROLES, STATELESS_ROLES, MemberState, Organisation, Role, User
from members.roles import ALL_ROLES, role_group_name, team_group
from members.services._common import audit_log
from notifications.services import notify

# Roles that read case data (NCP), or that confirm who may (the secretariat: were it given
# at once, one secretariat member could make a second account that confirms for them).
CONFIRMED_ROLES = (Role.NCP, Role.SECRETARIAT)


def validate_role_assignment(*, role: str, member_state: MemberState | None, organisation: Organisation | None) -> None:
    errors: dict[str, str] = {}
    if role not in ALL_ROLES:
        errors["role"] = f"Unknown role “{role}”."
    elif role in STATE_ROLES and member_state is None:
        errors["member_state"] = f"A {Role(role).label.lower()} must belong to a member state."
    elif role in STATELESS_ROLES and member_state is not None:
        errors["member_state"] = f"The {Role(role).label.lower()} role belongs to no member state."
    if (
        organisation is not None
        and member_state is not None
        and organisation.member_state_id not in (None, member_state.pk)
    ):
        errors["organisation"] = "The organisation belongs to another member state."
    if errors:
        raise ValidationError(errors)


def _team_groups() -> QuerySet[Group]:
    return Group.objects.filter(name__contains=" · ")


@transaction.atomic
def user_set_role(
    *,
    user: User,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation | None = None,
) -> User:
    validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
    user.role = role
    user.member_state = member_state
    user.organisation = organisation
    user.is_staff = role == Role.SECRETARIAT
    user.save(update_fields=["role", "member_state", "organisation", "is_staff"])

    role_groups = Group.objects.filter(name__in=[role_group_name(r) for r in ALL_ROLES])
    user.groups.remove(*role_groups, *_team_groups())
    user.groups.add(Group.objects.get(name=role_group_name(role)))
    # A deactivated user keeps no team membership (the team's grants open case data);
    # reactivation puts it back.
    if member_state is not None and role in STATE_ROLES and user.is_active:
        user.groups.add(team_group(member_state, role))
    return user


def role_change_needs_confirmation(*, user: User, role: str, member_state: MemberState | None) -> bool:
    """Whether giving `user` this role and state opens case data (or its confirmation) to them."""
    if role not in CONFIRMED_ROLES:
        return False
    state_pk = member_state.pk if member_state is not None else None
    return not (user.pk is not None and user.role == role and user.member_state_id == state_pk)


def user_grants_revoke(*, user: User) -> int:
    """Remove every per-object permission given to the user personally; returns how many.

    Each app keeps its grants in its own direct-foreign-key model, so they are found by
    their base class: members needs to know no app.
    """
    revoked = 0
    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            revoked += model.objects.filter(user=user).delete()[0]
    return revoked


def _apply_role(
    *, user: User, role: str, member_state: MemberState | None, organisation: Organisation | None, by: User | None
) -> User:
    before = {"role": user.role, "member_state": user.member_state_id, "organisation": user.organisation_id}
    user_set_role(user=user, role=role, member_state=member_state, organisation=organisation)
    after = {"role": user.role, "member_state": user.member_state_id, "organisation": user.organisation_id}
    revoked = 0
    if (before["role"], before["member_state"]) != (after["role"], after["member_state"]):
        # The grants came with the old role or state; they do not carry over.
        revoked = user_grants_revoke(user=user)
    changes = {name: [str(before[name]), str(after[name])] for name in before if before[name] != after[name]}
    audit_log(user, by=by, what=f"role changed; {revoked} personal grant(s) revoked", changes=changes)
    where = f" for {member_state.name}" if member_state else ""
    notify(
        recipients=[user],
        kind="role_changed",
        text=f"Your role in the THB Portal is now {Role(role).label}{where}",
        link=reverse("dashboard"),
        actor=by,
    )
    return user


def _apply_reactivation(*, user: User, by: User | None) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    if user.role:
        # Puts the team membership that deactivation removed back.
        user_set_role(user=user, role=user.role, member_state=user.member_state, organisation=user.organisation)
    audit_log(user, by=by, what="reactivated")
    return user
