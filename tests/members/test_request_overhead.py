"""What every signed-in page costs before it does its own work (issue 14 §5: at most 6 queries).

The session, the user with whether MFA is set up (members.backends annotates it, so the MFA
middleware asks nothing more), and the user's permissions in one query: three.
"""

import pytest
from django.urls import reverse

from members.models import Role
from tests.conftest import page_queries

OVERHEAD_BUDGET = 6


@pytest.mark.parametrize("role", [Role.NCP, Role.SECRETARIAT, Role.NATIONAL_REPRESENTATIVE])
def test_a_signed_in_page_costs_three_queries_of_overhead(client, login, make_user, role):
    user = make_user(role, "EE" if role != Role.SECRETARIAT else None)
    browser = login(user)
    url = reverse("members:profile")
    browser.get(url)  # the session's first request records it
    page = page_queries(browser, url)
    overhead = [sql for sql in page.sql if any(t in sql for t in ("django_session", "members_user", "auth_permission"))]
    assert len(overhead) <= OVERHEAD_BUDGET
    assert not [sql for sql in page.sql if sql.lstrip().startswith('SELECT 1 AS "a" FROM "mfa_authenticator"')], (
        "the MFA check rides on the user's own query"
    )
    assert sum('FROM "auth_permission"' in sql for sql in page.sql) <= 1, "the permissions come in one query"


def test_one_query_permissions_answer_as_djangos(make_user):
    from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

    from members.backends import ModelBackend

    for role in Role.values:
        user = make_user(role, "EE" if role in ("ncp", "national_representative") else None)
        assert ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk)) == (
            DjangoModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        )


def test_a_removed_authenticator_sends_the_user_back_to_enrolment(client, login, make_user):
    from allauth.mfa.models import Authenticator

    ncp = make_user(Role.NCP, "EE")
    browser = login(ncp)
    assert browser.get(reverse("members:profile")).status_code == 200
    Authenticator.objects.filter(user=ncp).delete()
    response = browser.get(reverse("members:profile"))
    assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]
