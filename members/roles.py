"""Roles are Django groups; this module names them and the per-state team groups."""

from django.contrib.auth.models import Group

from members.models import MemberState, Role


def role_group_name(role: str) -> str:
    return role


def team_group_name(member_state: MemberState, role: str) -> str:
    # One group per state team, so per-object grants do not multiply per user.
    return f"{member_state.code} · {role}"


def team_group(member_state: MemberState, role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=team_group_name(member_state, role))
    return group


# The roles that can reach case data: they need MFA in the session and get a short idle timeout.
CASE_DATA_ROLES = (Role.NCP, Role.SECRETARIAT)


def role_requires_mfa(role: str) -> bool:
    return role in CASE_DATA_ROLES


def role_has_idle_timeout(role: str) -> bool:
    return role in CASE_DATA_ROLES


ALL_ROLES = [role.value for role in Role]
