# THB Portal production image: one image for web (gunicorn), worker and beat (Celery).
# Build: docker build -t thb-portal .   Run: see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# gunicorn reads WEB_CONCURRENCY as its default --workers. 3 suits a 2-core host;
# override per host ((2 x cores) + 1 is the usual ceiling), or add containers instead.
ENV WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
# `[tool.setuptools] packages = []` means `pip install .` installs only the
# dependencies; the code runs from /app. All of them ship wheels (psycopg[binary]
# bundles libpq), so no compiler or system packages are needed.
# The build leaves build/ and *.egg-info behind; drop them so they never shadow the copied tree.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# Static files are collected into the image (served by whitenoise). Settings refuse to
# load without these two secrets when DEBUG is off; the values here are throwaway,
# exist only for this RUN step and never reach the runtime environment.
RUN SECRET_KEY=build-only-not-a-secret \
    THB_FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS10aHJvd2F3YXktbm90LXNlY3JldCE= \
    python manage.py collectstatic --noinput

# The code stays owned by root, so the app user cannot modify it. media/ is writable
# only for a single-host setup without S3 (THB_S3_BUCKET unset); compose uses S3.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000

# Host: the first ALLOWED_HOSTS entry, since Django answers 400 to any other host.
# X-Forwarded-Proto: https, so SECURE_SSL_REDIRECT (on by default) does not answer 301.
# A failing check (500) or no answer makes urlopen raise, which exits non-zero.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/health/?format=json', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"

# --worker-tmp-dir: gunicorn's heartbeat files on tmpfs; an overlay-filesystem /tmp can stall workers.
CMD ["gunicorn", "thb_portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
