"""Grants follow roles: a role or state change takes the old grants away, and the access
functions check the current role, so a grant left behind opens nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases.access import cases_for
from members import services
from members.models import Role
from referrals.access import referrals_for
from tests.cases.factories import make_case
from tests.referrals.factories import make_referral
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.access import trainings_for
from trainings.models import Attendance, RegistrationStatus


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def trained(make_user):
    trainer = make_user(Role.TRAINER)
    # Under way: certificates count only sessions that have started.
    training = make_training(trainers=[trainer], start_in_days=-3)
    attended = RegistrationFactory(training=training, status=RegistrationStatus.ATTENDED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    return trainer, training, attended


def trainer_urls(training, attended) -> list[str]:
    return [
        reverse("trainings:export_csv", args=[training.pk]),
        reverse("trainings:certificate", args=[training.pk, attended.pk]),
        reverse("trainings:certificates", args=[training.pk]),
    ]


def test_a_former_trainer_can_no_longer_export_participants_nor_download_certificates(client, secretariat, trained):
    trainer, training, attended = trained
    client.force_login(trainer)
    assert [client.get(url).status_code for url in trainer_urls(training, attended)] == [200, 200, 200]
    services.user_reassign(user=trainer, role=Role.OBSERVER, member_state=None, organisation=None, by=secretariat)
    assert [client.get(url).status_code for url in trainer_urls(training, attended)] == [404, 404, 404]


def test_a_role_change_revokes_every_personal_grant(secretariat, trained):
    from trainings.models import TrainingUserObjectPermission

    trainer, _, _ = trained
    assert TrainingUserObjectPermission.objects.filter(user=trainer).exists()
    services.user_reassign(user=trainer, role=Role.OBSERVER, member_state=None, organisation=None, by=secretariat)
    assert not TrainingUserObjectPermission.objects.filter(user=trainer).exists()
    assert set(trainer.groups.values_list("name", flat=True)) == {"observer"}


def test_a_stale_training_grant_opens_nothing_once_the_role_has_changed(client, secretariat, trained):
    trainer, training, attended = trained
    services.user_reassign(user=trainer, role=Role.OBSERVER, member_state=None, organisation=None, by=secretariat)
    # Put a grant back by hand, as a forgotten row would be.
    assign_perm("trainings.view_training", trainer, training)
    assign_perm("trainings.change_training", trainer, training)
    trainer.refresh_from_db()
    assert not trainings_for(trainer).exists()
    client.force_login(trainer)
    assert [client.get(url).status_code for url in trainer_urls(training, attended)] == [404, 404, 404]


def test_an_ncp_moved_from_ee_to_lv_no_longer_opens_ee_cases(make_user, login, secretariat, demo_states):
    mover, colleague = make_user(Role.NCP, "EE"), make_user(Role.NCP, "EE")
    case = make_case(colleague)
    client = login(mover)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    access_request = services.user_reassign(
        user=mover, role=Role.NCP, member_state=demo_states["LV"], organisation=None, by=secretariat
    )
    mover.refresh_from_db()
    assert mover.member_state.code == "EE"  # still waiting
    services.access_request_confirm(access_request=access_request, by=make_user(Role.NCP, "LV"))
    mover.refresh_from_db()
    assert mover.member_state.code == "LV"
    assert set(mover.groups.values_list("name", flat=True)) == {"ncp", "LV · ncp"}
    client = login(mover)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case not in cases_for(mover)


def test_a_stale_case_grant_opens_nothing(make_user, login, demo_states):
    ee_ncp, lv_ncp = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    case = make_case(ee_ncp)
    # A grant by hand to the LV NCP personally, and the EE team group joined by hand.
    assign_perm("cases.view_case", lv_ncp, case)
    lv_ncp.groups.add(Group.objects.get(name="EE · ncp"))
    assert not cases_for(lv_ncp).exists()
    assert login(lv_ncp).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # Nor for someone whose role is no longer NCP, though still in the team group.
    observer = make_user(Role.OBSERVER)
    observer.groups.add(Group.objects.get(name="EE · ncp"))
    assert not cases_for(observer).exists()


def test_a_stale_referral_grant_opens_nothing(make_user, secretariat, demo_states):
    ee_ncp = make_user(Role.NCP, "EE")
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    lt_ncp = make_user(Role.NCP, "LT")
    assign_perm("referrals.view_referral", lt_ncp, referral)
    lt_ncp.groups.add(Group.objects.get(name="EE · ncp"))
    assert not referrals_for(lt_ncp).exists()
    role, state = Role.NATIONAL_REPRESENTATIVE, demo_states["EE"]
    services.user_reassign(user=ee_ncp, role=role, member_state=state, organisation=None, by=secretariat)
    ee_ncp.refresh_from_db()
    assert not referrals_for(ee_ncp).exists()


def test_deactivation_removes_the_user_from_the_team_groups(make_user, secretariat):
    ncp = make_user(Role.NCP, "EE")
    services.user_deactivate(user=ncp, by=secretariat)
    assert not ncp.groups.filter(name__contains=" · ").exists()
