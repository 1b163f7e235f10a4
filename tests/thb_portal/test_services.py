import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection

from members.models import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
def test_cache_is_redis_and_shared_between_processes():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    cache.set("shared-probe", "from-the-test-process", 30)
    code = "import django; django.setup(); from django.core.cache import cache; print(cache.get('shared-probe'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "from-the-test-process"


@pytest.mark.postgres
def test_email_uniqueness_ignores_case_in_the_database(db):
    assert connection.vendor == "postgresql"
    User.objects.create(email="Case@Example.org", full_name="A")
    with pytest.raises(IntegrityError):
        User.objects.create(email="case@example.org", full_name="B")
