"""Settings for the THB Portal.

One file; every knob comes from the environment. With nothing set, the portal runs
in its embedded default (SQLite, eager Celery, local private media, console email)
but only with DEBUG=1: production settings refuse to start without their secrets.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# pytest imports settings itself; test-only relaxations key off this and nothing else.
TESTING = env.bool("THB_TESTING", default="pytest" in sys.modules)
# A developer's checkout keeps local settings in .env (`make install` writes DEBUG=1 there, so
# plain `manage.py` commands work). Real environment variables win; tests never read it, and
# the production image leaves it out (.dockerignore).
if not TESTING and (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"  # noqa: S105

# Field encryption key ring (MultiFernet, newest first). Deliberately independent of
# SECRET_KEY so that rotating one never makes the other's data unreadable.
THB_FIELD_ENCRYPTION_KEYS = env.list("THB_FIELD_ENCRYPTION_KEYS", default=[])
if not THB_FIELD_ENCRYPTION_KEYS:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("THB_FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")
    THB_FIELD_ENCRYPTION_KEYS = ["dGhiLWRldi1rZXktbm90LWZvci1wcm9kdWN0aW9uLXU="]

# MFA can be switched off only for the demo, which itself only runs with DEBUG on.
THB_ENFORCE_MFA = env.bool("THB_ENFORCE_MFA", default=True)
if not THB_ENFORCE_MFA and not (DEBUG or TESTING):
    raise ImproperlyConfigured("THB_ENFORCE_MFA may only be off when DEBUG is on (the demo).")
# Which roles need MFA, and which get the idle timeout below: members.roles.CASE_DATA_ROLES.

# Roles that can reach case data get a short idle timeout.
THB_IDLE_TIMEOUT_SECONDS = env.int("THB_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# ...and, busy or not, end THB_SESSION_MAX_AGE_SECONDS after signing in.
THB_SESSION_MAX_AGE_SECONDS = env.int("THB_SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)
# Activity (the idle timeout's clock, the sessions page's "last seen") is written at most
# this often: a database write on every page makes SQLite lock under a few tabs.
THB_ACTIVITY_WRITE_SECONDS = env.int("THB_ACTIVITY_WRITE_SECONDS", default=5 * 60)

# How many proxies of ours append to X-Forwarded-For (0: none, the header is ignored).
# The login rate limits (allauth) and the audit log's IP both take the hop this names.
THB_TRUSTED_PROXY_COUNT = env.int("THB_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = THB_TRUSTED_PROXY_COUNT

THB_INVITATION_MAX_AGE_DAYS = env.int("THB_INVITATION_MAX_AGE_DAYS", default=7)
# A change that would open case data waits this long for a second person to confirm it.
THB_ACCESS_REQUEST_MAX_AGE_HOURS = env.int("THB_ACCESS_REQUEST_MAX_AGE_HOURS", default=72)
THB_PUBLIC_BASE_URL = env.str("THB_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "guardian",
    "django_filters",
    "django_htmx",
    "template_partials",
    "auditlog",
    "csp",
    "import_export",
    "thb_portal",
    "members",
    "cases",
    "referrals",
    "projects",
    "publications",
    "trainings",
    "meetings",
    "consultations",
    "discussions",
    "reporting",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Listed early so that it sees every response last: signed-in responses are never cached.
    "thb_portal.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.IdleTimeoutMiddleware",
    # allauth's UserSessionsMiddleware, throttled (no write on every GET).
    "members.middleware.ActivityMiddleware",
    "members.middleware.MFAEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thb_portal.middleware.AuditlogMiddleware",
    # Last: allauth's views take a HEAD as a GET (its rate limits counted a HEAD as an attempt).
    "thb_portal.middleware.AllauthHeadAsGetMiddleware",
]

ROOT_URLCONF = "thb_portal.urls"
WSGI_APPLICATION = "thb_portal.wsgi.application"
ASGI_APPLICATION = "thb_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thb_portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default as a real embedded database: readers do not wait for the writer
    # (WAL), a writer waits for the other instead of failing at once, and a transaction takes
    # the write lock when it begins (IMMEDIATE), so that two of them never deadlock on the
    # upgrade from read to write, which SQLite answers with "database is locked" at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("THB_SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# allauth keeps rate limits and TOTP replay protection in the cache, so it must be
# shared by every process: Redis when given, otherwise the database. Never locmem.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("THB_CACHE_PREFIX", default="thb"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "thb_cache",
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "members.backends.ModelBackend",
    # allauth's, refusing an address that is still being changed to (unconfirmed).
    "members.backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing speed only; the suite never measures password strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# allauth: email login, no sign-up (the adapter closes it), shared-cache rate limits.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# A new login email takes effect only once the new address confirms it; the old one is told.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the email or the password asks for the password (or the code) again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_FORMS = {"add_email": "members.account_forms.AddEmailForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # Five failures per account in 15 minutes, and a looser cap per address.
    "login_failed": "20/m/ip,5/15m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[THB Portal] "
ACCOUNT_PREVENT_ENUMERATION = True

MFA_ADAPTER = "members.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "THB Portal"
# allauth refuses an email change (an unverified address) on an account with MFA, against
# sign-up squatting; sign-up is closed here, and NCPs (all with MFA) must be able to change it.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The sessions page shows "last seen"; members.middleware.ActivityMiddleware records it,
# throttled, in place of allauth's middleware.
USERSESSIONS_TRACK_ACTIVITY = True

# guardian: no anonymous user row; object grants go to per-state team groups.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development and tests, serve straight from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Uploaded files are private: MEDIA_URL is never routed, downloads go through views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"

THB_S3_BUCKET = env.str("THB_S3_BUCKET", default="")
if THB_S3_BUCKET:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": THB_S3_BUCKET,
            "endpoint_url": env.str("THB_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("THB_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("THB_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("THB_S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
THB_MAX_UPLOAD_BYTES = env.int("THB_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Publications (reports with many pages) may be larger; their covers much smaller.
THB_PUBLICATION_MAX_UPLOAD_BYTES = env.int("THB_PUBLICATION_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
THB_COVER_MAX_UPLOAD_BYTES = env.int("THB_COVER_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="THB Portal <no-reply@thb-portal.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when given, otherwise tasks run in-process (embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("THB_CELERY_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when Redis is down: fail fast and let the caller decide.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# CELERY_BEAT_SCHEDULE is set from the apps' registered jobs once they are ready (thb_portal.celery).
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default="/tmp/thb-celerybeat-schedule")  # noqa: S108

THB_NOTIFICATION_RETENTION_DAYS = env.int("THB_NOTIFICATION_RETENTION_DAYS", default=365)

# Content-Security-Policy: no inline script or style, everything is vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Transport security: on by default outside DEBUG; tests speak plain HTTP to localhost.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
_https_default = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https_default)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_https_default)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_https_default)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https_default else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_https_default)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # An intended 403 or 404 is one line (method, path, status, user id), not a traceback.
    "filters": {"client_errors": {"()": "thb_portal.log.ClientErrorFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools (certificates) logs every glyph subset at INFO.
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["client_errors"]},
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "core.audit.mask_fully"

# BSR-TRM referrals: acknowledgement deadlines in working days, follow-up reminders after
# completion (months), and how long the receiving state keeps access after closing.
THB_REFERRAL_ACK_WORKING_DAYS = {
    "urgent": env.int("THB_REFERRAL_ACK_DAYS_URGENT", default=1),
    "normal": env.int("THB_REFERRAL_ACK_DAYS_NORMAL", default=5),
}
THB_REFERRAL_FOLLOW_UP_MONTHS = [int(m) for m in env.list("THB_REFERRAL_FOLLOW_UP_MONTHS", default=["3", "6", "12"])]
THB_REFERRAL_ACCESS_DAYS = env.int("THB_REFERRAL_ACCESS_DAYS", default=90)

THB_CASE_RETENTION_DAYS = env.int("THB_CASE_RETENTION_DAYS", default=5 * 365)
# Cells of published statistics with fewer cases than this are suppressed (CTDC uses 11).
THB_STATISTICS_MIN_CELL = env.int("THB_STATISTICS_MIN_CELL", default=11)

PAGE_SIZE = 25
# A search ranks and shows at most this many best matches ("500+ found" past it), so that
# ranking a common word never sorts every match (core.search.BoundedResults).
THB_SEARCH_MAX_RESULTS = env.int("THB_SEARCH_MAX_RESULTS", default=500)
# Days before a meeting's registration closes when states that have not answered are reminded.
THB_MEETING_REMINDER_DAYS = env.int("THB_MEETING_REMINDER_DAYS", default=3)
# Days before a consultation's deadline when states that have not answered are reminded.
THB_CONSULTATION_REMINDER_DAYS = env.int("THB_CONSULTATION_REMINDER_DAYS", default=2)
# How long the author of a discussion post may still change it (the post then shows it was edited).
THB_DISCUSSION_EDIT_MINUTES = env.int("THB_DISCUSSION_EDIT_MINUTES", default=15)
# A state's value that moves more than this share from its validated figure of the year before
# is flagged for a second look before the return is submitted.
THB_REPORTING_CHANGE_WARNING = env.float("THB_REPORTING_CHANGE_WARNING", default=0.5)
# Days before a data call's deadline when the states that have not submitted are reminded.
THB_REPORTING_REMINDER_DAYS = env.list("THB_REPORTING_REMINDER_DAYS", cast=int, default=[14, 7, 1])
# How long a search's ranking is kept (any write to a publication starts them all again); 0: never.
THB_SEARCH_CACHE_SECONDS = env.int("THB_SEARCH_CACHE_SECONDS", default=300)
