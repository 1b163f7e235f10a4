import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_sends_a_strict_content_security_policy(client, db):
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_templates_have_no_inline_script_or_style(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "<script>" not in html and "<script type" not in html
    assert " style=" not in html and "<style" not in html


def _settings_import(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THB_", "SECRET_KEY", "DEBUG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "thb_portal.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "THB_FIELD_ENCRYPTION_KEYS must be set"),
        (
            {
                "DEBUG": "0",
                "SECRET_KEY": "x" * 60,
                "THB_FIELD_ENCRYPTION_KEYS": "dGhiLWRldi1rZXktbm90LWZvci1wcm9kdWN0aW9uLXU=",
                "THB_ENFORCE_MFA": "0",
            },
            "THB_ENFORCE_MFA may only be off",
        ),
    ],
)
def test_production_settings_refuse_to_start_without_their_secrets(env, message):
    result = _settings_import(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_start_with_their_secrets():
    result = _settings_import(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "THB_FIELD_ENCRYPTION_KEYS": "dGhiLWRldi1rZXktbm90LWZvci1wcm9kdWN0aW9uLXU=",
        }
    )
    assert result.returncode == 0, result.stderr


def test_health_reports_database_cache_broker_and_storage(client, db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    response = client.get(reverse("health"), {"format": "json"})
    assert response.status_code == 200, response.content
    checks = " ".join(response.json())
    for name in ("Database", "Cache", "Storage", "Broker"):
        assert name in checks


@pytest.mark.redis
def test_health_reports_a_broker_that_does_not_answer(client, db, settings, broker):
    """Against the tests' own broker, which this test stops and starts again. The Celery app
    is left alone: the check opens a connection of its own each time."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker.url
    from thb_portal.celery import app

    assert app.conf.broker_url == broker.url, "the check must look at the broker this test stops"
    assert client.get(reverse("health"), {"format": "json"}).status_code == 200
    broker.stop()
    try:
        response = client.get(reverse("health"), {"format": "json"})
    finally:
        broker.start()
    assert response.status_code == 500
    assert "Broker unavailable" in response.content.decode()


def test_field_encryption_raises_instead_of_returning_ciphertext(settings):
    from cryptography.fernet import Fernet

    from core.encryption import DecryptionError, decrypt_text, encrypt_text, reencrypt_text

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.THB_FIELD_ENCRYPTION_KEYS = [old_key]
    token = encrypt_text("secret value")
    settings.THB_FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    rotated = reencrypt_text(token)
    settings.THB_FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypt_text(rotated) == "secret value"
    with pytest.raises(DecryptionError):
        decrypt_text(token)
