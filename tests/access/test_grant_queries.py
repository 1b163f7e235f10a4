"""The indexed grant filters (core.grants, used by every access.py) answer exactly what guardian answers.

Over random worlds (users of any role and state, stray team memberships, grants to teams and to
single users, revocations, deactivated accounts) the list access of cases, referrals and trainings
must equal guardian's own permission check of each object combined with the access rule of the model:
- a case: an active NCP of the case's state whose team holds the grant;
- a referral: an active NCP of the sending or receiving state whose team holds the grant;
- a training: anyone with view_all_trainings, else an active trainer holding the grant (guardian's
  has_perm, which counts grants to the user and to their groups).
Cases and referrals are granted to teams only (the services never grant them to a single user), so a
grant to a single user must open nothing there; guardian's checker of the user's groups is the oracle.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.access import access_case, cases_for
from cases.models import Case
from members.models import STATE_ROLES, Role
from members.roles import team_group
from referrals.access import referrals_for
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.members.factories import UserFactory
from tests.referrals.factories import make_referral
from tests.trainings.factories import make_training
from trainings.access import trainings_for
from trainings.models import Training

STATES = ["EE", "LV", "LT"]
ROLES = [Role.NCP, Role.TRAINER, Role.NATIONAL_REPRESENTATIVE, Role.SECRETARIAT, Role.OBSERVER]
PERMS = {
    "case": ["cases.view_case", "cases.change_case"],
    "referral": ["referrals.view_referral", "referrals.change_referral"],
    "training": ["trainings.view_training", "trainings.change_training"],
}

user_spec = st.tuples(st.sampled_from(ROLES), st.sampled_from(STATES), st.booleans())
operation = st.one_of(
    # (kind, user index, team state, team role): a stray membership of another team
    st.tuples(st.just("join"), st.integers(0, 3), st.sampled_from(STATES), st.sampled_from([Role.NCP, Role.TRAINER])),
    # (kind, object kind, object index, grantee: a team's state or a user index, perm index, grant or revoke)
    st.tuples(
        st.just("grant"),
        st.sampled_from(["case", "referral", "training"]),
        st.integers(0, 2),
        st.one_of(st.sampled_from(STATES), st.integers(0, 3)),
        st.integers(0, 1),
        st.booleans(),
    ),
    st.tuples(st.just("leave_teams"), st.integers(0, 3)),
    st.tuples(st.just("deactivate"), st.integers(0, 3)),
)


def _world(make_user):
    """Three cases, three referrals and three trainings made through the services (so with their grants)."""
    ee, lv = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    trainer = make_user(Role.TRAINER)
    cases = [make_case(ee), make_case(ee), make_case(lv)]
    referrals = [
        make_referral(ee, lv.member_state, send=True),
        make_referral(ee, lv.member_state),
        make_referral(lv, ee.member_state, send=True),
    ]
    trainings = [make_training(trainers=[trainer]), make_training(), make_training(trainers=[trainer])]
    return {"case": cases, "referral": referrals, "training": trainings}


def _apply(op, users, objects, demo_states) -> None:
    kind = op[0]
    if kind == "join":
        _, who, state, role = op
        users[who].groups.add(team_group(demo_states[state], role))
    elif kind == "leave_teams":
        users[op[1]].groups.clear()
    elif kind == "deactivate":
        users[op[1]].is_active = False
        users[op[1]].save(update_fields=["is_active"])
    else:
        _, model, index, grantee, perm_index, give = op
        target = team_group(demo_states[grantee], Role.NCP) if isinstance(grantee, str) else users[grantee]
        codename = PERMS[model][perm_index].split(".")[1]
        (assign_perm if give else remove_perm)(codename, target, objects[model][index])


def _team_holds(user, perm: str, obj) -> bool:
    codename = perm.split(".")[1]
    return any(ObjectPermissionChecker(group).has_perm(codename, obj) for group in Group.objects.filter(user=user))


def _expected_cases(user, perm: str) -> set[int]:
    if not (user.is_active and user.role == Role.NCP and user.member_state_id):
        return set()
    return {
        case.pk for case in Case.objects.filter(member_state_id=user.member_state_id) if _team_holds(user, perm, case)
    }


def _expected_referrals(user, perm: str) -> set[int]:
    if not (user.is_active and user.role == Role.NCP and user.member_state_id):
        return set()
    own = {user.member_state_id}
    return {
        referral.pk
        for referral in Referral.objects.all()
        if own & {referral.sending_state_id, referral.receiving_state_id} and _team_holds(user, perm, referral)
    }


def _expected_trainings(user, perm: str) -> set[int]:
    if not user.is_active:
        return set()
    if user.has_perm("trainings.view_all_trainings"):
        return set(Training.objects.values_list("pk", flat=True))
    if user.role != Role.TRAINER:
        return set()
    codename = perm.split(".")[1]
    checker = ObjectPermissionChecker(user)
    return {training.pk for training in Training.objects.all() if checker.has_perm(codename, training)}


class _Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(user_spec, min_size=4, max_size=4), operations=st.lists(operation, max_size=12))
def test_access_lists_answer_what_guardian_answers(make_user, demo_states, specs, operations):
    try:
        with transaction.atomic():
            objects = _world(make_user)
            users = [
                UserFactory(role_name=role, member_state=demo_states[state] if role in STATE_ROLES else None)
                for role, state, _ in specs
            ]
            for op in operations:
                _apply(op, users, objects, demo_states)
            for user in users:
                user.refresh_from_db()
                for perm in PERMS["case"]:
                    assert set(cases_for(user, perm).values_list("pk", flat=True)) == _expected_cases(user, perm)
                for perm in PERMS["referral"]:
                    assert set(referrals_for(user, perm).values_list("pk", flat=True)) == _expected_referrals(
                        user, perm
                    )
                for perm in PERMS["training"]:
                    assert set(trainings_for(user, perm).values_list("pk", flat=True)) == _expected_trainings(
                        user, perm
                    )
            raise _Rollback
    except _Rollback:
        pass


def test_where_only_teams_are_granted_guardian_agrees_exactly(make_user, demo_states):
    """With the grants the services make (team grants only), the fast path is guardian's has_perm itself."""
    ee, lv = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    case = make_case(ee)
    for user in (ee, lv):
        fresh = type(user).objects.get(pk=user.pk)
        expected = fresh.has_perm("cases.view_case", case) and fresh.member_state_id == case.member_state_id
        assert cases_for(fresh).filter(pk=case.pk).exists() == expected
    assert access_case(ee, case.pk) == case


def test_a_grant_to_a_single_user_opens_no_case(make_user):
    ee, other = make_user(Role.NCP, "EE"), make_user(Role.NCP, "EE")
    case = make_case(ee)
    other.groups.clear()
    assign_perm("view_case", other, case)
    assert type(other).objects.get(pk=other.pk).has_perm("cases.view_case", case)  # guardian would open it
    assert not cases_for(other).filter(pk=case.pk).exists()  # the team model does not
