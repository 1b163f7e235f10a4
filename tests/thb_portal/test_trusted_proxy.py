"""One setting, THB_TRUSTED_PROXY_COUNT, names the client's address for the login rate
limits (allauth) and for the audit log alike; the client cannot choose it."""

import os
import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from members.models import Role, User
from tests.thb_portal.test_security import ROOT

SPOOFED = "203.0.113.66"
PROXY_SAW = "198.51.100.7"
ONE_PROXY = override_settings(THB_TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)


def save_profile(client, user, **headers):
    response = client.post(
        reverse("members:profile"),
        {"full_name": "Kadri Kask", "position": "", "phone": "", "languages": ""},
        headers=headers,
    )
    assert response.status_code == 302
    return (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk))
        .order_by("-pk")
        .first()
    )


def fail_logins(client, count: int, forwarded_for) -> bytes:
    """`count` failed logins, each for another account (so only the per-IP limit can bite)."""
    content = b""
    for n in range(count):
        xff = forwarded_for(n)
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-password"},
            headers={"X-Forwarded-For": xff} if xff else {},
        )
        content = response.content
    return content


THROTTLED = b"Too many failed login attempts"


def test_without_a_trusted_proxy_a_spoofed_forwarded_for_is_not_the_audited_address(client, make_user):
    user = make_user(Role.OBSERVER)
    client.force_login(user)
    entry = save_profile(client, user, **{"X-Forwarded-For": SPOOFED})
    assert entry.remote_addr == "127.0.0.1"


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_spoofed_forwarded_for_does_not_escape_the_per_ip_login_limit(client):
    # 20 per minute per IP: a new "address" in X-Forwarded-For each time must not reset it.
    content = fail_logins(client, 21, lambda n: f"203.0.113.{n}")
    assert THROTTLED in content


@ONE_PROXY
def test_behind_one_proxy_the_audit_log_records_the_hop_the_proxy_appended(client, make_user):
    user = make_user(Role.OBSERVER)
    client.force_login(user)
    entry = save_profile(client, user, **{"X-Forwarded-For": f"{SPOOFED}, {PROXY_SAW}"})
    assert entry.remote_addr == PROXY_SAW


@ONE_PROXY
@pytest.mark.django_db
def test_behind_one_proxy_the_login_limit_is_per_client_not_site_wide(client):
    # Everyone arrives from the proxy's own address; the limit keys on the hop it appended.
    content = fail_logins(client, 21, lambda n: f"{SPOOFED}{n % 3}, {PROXY_SAW}")
    assert THROTTLED in content
    response = client.post(
        reverse("account_login"),
        {"login": "someone.else@example.org", "password": "wrong-password"},
        headers={"X-Forwarded-For": "198.51.100.8"},
    )
    assert THROTTLED not in response.content


@ONE_PROXY
def test_behind_one_proxy_a_request_that_bypassed_it_is_recorded_by_its_own_address(client, make_user):
    user = make_user(Role.OBSERVER)
    client.force_login(user)
    assert save_profile(client, user).remote_addr == "127.0.0.1"


def test_the_one_setting_sets_allauths_proxy_count():
    env = {k: v for k, v in os.environ.items() if not k.startswith("THB_")}
    env.update({"DJANGO_SETTINGS_MODULE": "thb_portal.settings", "THB_TESTING": "1", "THB_TRUSTED_PROXY_COUNT": "2"})
    code = "import django; django.setup(); from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
