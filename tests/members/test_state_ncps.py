"""A state's NCPs are one queryset method (User.objects.ncps_of): the case worker's choices,
the referral's receiving contacts and the team asked about an access request read it."""

from cases.forms import CaseForm
from members.models import Role, User
from referrals.forms import AcknowledgeForm
from tests.referrals.factories import make_referral


def test_a_states_ncps_are_its_active_contact_points_and_nobody_else(make_user, demo_states):
    ncp = make_user(Role.NCP, "EE")
    make_user(Role.NCP, "EE", is_active=False)
    make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    make_user(Role.NCP, "LV")
    assert list(User.objects.ncps_of(demo_states["EE"])) == [ncp]
    assert list(User.objects.ncps_of(demo_states["EE"].pk)) == [ncp]


def test_the_case_worker_and_the_receiving_contacts_are_chosen_from_the_states_ncps(make_user, demo_states):
    sender = make_user(Role.NCP, "EE")
    receivers = {make_user(Role.NCP, "LV"), make_user(Role.NCP, "LV")}
    make_user(Role.NCP, "LV", is_active=False)
    make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    case_workers = CaseForm(member_state=demo_states["EE"]).fields["case_worker"].queryset
    assert set(case_workers) == set(User.objects.ncps_of(demo_states["EE"])) == {sender}
    referral = make_referral(sender, demo_states["LV"], send=True)
    form = AcknowledgeForm(referral=referral)
    for name in ("receiving_contact", "receiving_alternate"):
        assert set(form.fields[name].queryset) == set(User.objects.ncps_of(demo_states["LV"])) == receivers
