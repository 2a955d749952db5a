"""The portal's one settings file, read from environment variables.

Every variable is listed with its default in `.env.example`. Bad values stop start-up with a
message naming the variable (see `config/env.py`). Development defaults are safe only with
DEBUG=true; production (DEBUG=false) requires SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "branches",
    "members",
    "committees",
    "activities",
    "volunteers",
    "venues",
    "dues",
    "regional",
    "appraisal",
    "grids",
    "community",
    "governance",
    "assessment",
    "points",
    "selfservice",
    "reports",
    "charts",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.AuditDenialsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Read-your-writes and the replica views (config/dbrouter.py); inert without a replica.
    "config.dbrouter.ReplicaMiddleware",
    # Last, so it sees the response of a locked-out sign-in (see accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

# Bench mode (bench/load.py): a query-count header on every response and two floor views.
# Never in production: the header tells a stranger how much work a page does.
BENCH_MODE = env_bool("BENCH_MODE", False)
if BENCH_MODE:
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://) or SQLite.")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The report replica (config/dbrouter.py): a streaming replica of the primary that report builds
# and the heavy read-only exports read from; every write, migration and transaction stays on the
# primary. Unset: the `replica` alias is a copy of `default` that nothing is routed to (and in
# tests a mirror of it, so the routing can be tested on one PostgreSQL).
REPORT_DATABASE_URL = env_str("REPORT_DATABASE_URL")
REPORT_READS_FROM_REPLICA = bool(REPORT_DATABASE_URL)
if REPORT_DATABASE_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            REPORT_DATABASE_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"REPORT_DATABASE_URL is not a database URL we understand: {exc}"
        ) from exc
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql" or (
        DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured(
            "REPORT_DATABASE_URL must point to a PostgreSQL replica of a PostgreSQL DATABASE_URL."
        )
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
else:
    DATABASES["replica"] = dict(DATABASES["default"])
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.dbrouter.ReportReplicaRouter"]
# Read-your-writes: after a request that saved something, the same browser reads only from the
# primary for this many seconds (longer than the replica's lag ever is in normal running).
REPORT_PRIMARY_PIN_SECONDS = env_int("REPORT_PRIMARY_PIN_SECONDS", 30, minimum=1, maximum=3600)
# A build in a worker waits up to this long for the replica to replay what the primary had
# committed when it started; a replica further behind (or down) is skipped: the primary is read.
REPORT_REPLICA_WAIT_SECONDS = env_int("REPORT_REPLICA_WAIT_SECONDS", 10, minimum=0, maximum=300)
# The heavy read-only views (GET) whose reads go to the replica: URL names, namespaced.
REPORT_REPLICA_VIEWS = env_list(
    "REPORT_REPLICA_VIEWS",
    ["staff:member-export", "staff:joint-work-report-docx", "workreport-docx"],
)

# --- Users ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked username before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after-login"
LOGOUT_REDIRECT_URL = "public:home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, minimum=300)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Everyone: 2 of 4 character classes and 6 different characters; workbench users 3 classes.
    {
        "NAME": "accounts.passwords.CharacterVarietyValidator",
        "OPTIONS": {"min_classes": 2, "min_distinct": 6, "workbench_min_classes": 3},
    },
]

# --- Sign-in lockout (django-axes, see accounts/lockout.py) -----------------------------------
# Within LOGIN_FAILURE_WINDOW_MINUTES, AXES_FAILURE_LIMIT failures of one username from one IP
# lock that username on that IP, and LOGIN_IP_FAILURE_LIMIT failures from one IP (any usernames:
# password spraying) lock the IP; either for AXES_COOLOFF_TIME. The real user on another device
# still gets in, and nobody can lock a known user out from elsewhere.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=3, maximum=20)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20, minimum=AXES_FAILURE_LIMIT)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=5))
if timedelta(minutes=LOGIN_FAILURE_WINDOW_MINUTES) > AXES_COOLOFF_TIME:
    # The failures behind a lock must have left the window when it ends (accounts/lockout.py).
    raise ImproperlyConfigured(
        "LOGIN_LOCKOUT_MINUTES must be at least LOGIN_FAILURE_WINDOW_MINUTES."
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# axes.W006 warns that an attacker may rotate user agents or cookies; our handler counts by
# username and IP (neither agent nor cookie), so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_HANDLER = "accounts.lockout.WindowedLockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_VERBOSE = False  # axes' own log lines name the username; the audit table keeps it instead
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Sessions -------------------------------------------------------------------------------
# Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request and
# STAFF_SESSION_MAX_HOURS in all; residents keep theirs for RESIDENT_SESSION_DAYS.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=5, maximum=240)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1, maximum=24)
RESIDENT_SESSION_DAYS = env_int("RESIDENT_SESSION_DAYS", 14, minimum=1, maximum=90)
# Revealing a full ID number or exporting personal data asks for the password again unless it
# was entered within this many minutes.
PASSWORD_CONFIRM_MINUTES = env_int("PASSWORD_CONFIRM_MINUTES", 10, minimum=1, maximum=60)

# --- Two-factor sign-in (django-otp) ---------------------------------------------------------
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "党建工作平台")
OTP_STATIC_BACKUP_CODES = 10

# --- Audit log ------------------------------------------------------------------------------
# Entries older than this are deleted by the prune_audit_entries beat task; never below 180.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=180)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
# Uploads are kept outside the static root and served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10_485_760, minimum=1_048_576)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis:// or rediss://, got {REDIS_URL!r}."
    )
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "visibility_timeout": 3600,
    }
else:
    # Embedded broker for `make run` on a bare machine: kombu's filesystem transport.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing from a request (config.celery.send_after_commit): one connection attempt, no
# retries, then the broker is taken as down for a while and the periodic scans do the work.
CELERY_PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1}
CELERY_PUBLISH_SKIP_SECONDS = env_int("CELERY_PUBLISH_SKIP_SECONDS", 15, minimum=0, maximum=600)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Three queues, so a district's report builds never hold up a verification SMS and a long
# recompute never holds up a report (docker-compose.yml runs one worker per queue; `make run`'s
# worker and the test workers, started without -Q, consume them all):
# - notifications: the outbox deliveries and every reminder or warning scan (small, urgent);
# - reports: report packs, exports, imports and generated documents (long, memory-hungry, read
#   from the report replica when there is one);
# - recomputes: recomputed figures (compliance, points, rankings), certificates, and the
#   housekeeping scans (expiries, no-shows, pruning), the default for a task no route names.
# First match wins; beat's tasks are routed by the same table. tests/config/test_celery_queues.py
# checks every registered task lands on a queue a worker consumes.
CELERY_QUEUE_NAMES = ("notifications", "reports", "recomputes")
CELERY_TASK_QUEUE_ROUTES = [
    ("accounts.tasks.deliver_*", "notifications"),
    ("*.tasks.remind_*", "notifications"),
    ("*.tasks.send_*", "notifications"),
    ("*.tasks.warn_*", "notifications"),
    ("*.tasks.*notify*", "notifications"),
    ("reports.tasks.*", "reports"),
    ("*.tasks.*export*", "reports"),
    ("*.tasks.*import*", "reports"),
    ("*.tasks.build_feedback_letters", "reports"),
    ("*.tasks.*recompute*", "recomputes"),
    ("*.tasks.*certificate*", "recomputes"),
    ("*", "recomputes"),
]
CELERY_TASK_ROUTES = ([(pattern, {"queue": queue}) for pattern, queue in CELERY_TASK_QUEUE_ROUTES],)
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in CELERY_QUEUE_NAMES]
CELERY_TASK_DEFAULT_QUEUE = "recomputes"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "warn-due-opinions": {
        "task": "governance.tasks.warn_due_opinions",
        "schedule": 900.0,
    },
    "close-unrated-opinions": {
        "task": "governance.tasks.close_unrated_opinions",
        "schedule": 3600.0,
    },
    "scan-rectifications": {
        "task": "assessment.tasks.scan_rectifications",
        "schedule": 900.0,
    },
    "notify-published-rankings": {
        "task": "assessment.tasks.notify_published_rankings",
        "schedule": 900.0,
    },
    "deliver-pending-emails": {
        "task": "accounts.tasks.deliver_pending_emails",
        "schedule": 120.0,
    },
    "remind-joint-meetings": {
        "task": "regional.tasks.remind_joint_meetings",
        "schedule": 900.0,
    },
    "bill-dues": {
        "task": "dues.tasks.bill_dues",
        "schedule": crontab(hour=0, minute=30),
    },
    "remind-dues": {
        "task": "dues.tasks.remind_dues",
        "schedule": crontab(hour=9, minute=0),
    },
    "warn-missing-joint-meetings": {
        "task": "regional.tasks.warn_missing_joint_meetings",
        "schedule": crontab(hour=8, minute=10),
    },
    "remind-ending-terms": {
        "task": "committees.tasks.remind_ending_terms",
        "schedule": crontab(hour=7, minute=30),
    },
    "expire-member-transfers": {
        "task": "members.tasks.expire_transfers",
        "schedule": 3600.0,
    },
    "escalate-disputes": {
        "task": "grids.tasks.escalate_disputes",
        "schedule": crontab(hour=7, minute=20),
    },
    "warn-missing-meetings": {
        "task": "activities.tasks.warn_missing_meetings",
        "schedule": crontab(hour=8, minute=0),
    },
    "warn-missing-talks": {
        "task": "activities.tasks.warn_missing_talks",
        "schedule": crontab(hour=8, minute=10),
    },
    "remind-upcoming-meetings": {
        "task": "activities.tasks.remind_upcoming_meetings",
        "schedule": 300.0,
    },
    "remind-members": {
        "task": "activities.tasks.remind_members",
        "schedule": 300.0,
    },
    "score-expired-contest-attempts": {
        "task": "community.tasks.score_expired_attempts",
        "schedule": 300.0,
    },
    "remind-appraisal-voters": {
        "task": "appraisal.tasks.remind_voters",
        "schedule": crontab(hour=9, minute=5),
    },
    "tell-members-of-reviews": {
        "task": "selfservice.tasks.tell_members_of_reviews",
        "schedule": 300.0,
    },
    "deliver-pending-webhooks": {
        "task": "accounts.tasks.deliver_pending_webhooks",
        "schedule": 120.0,
    },
    "remind-development-deadlines": {
        "task": "members.tasks.remind_development_deadlines",
        "schedule": crontab(hour=7, minute=45),
    },
    # The first day after a quarter ends: feedback letters on in-service members' services.
    "build-feedback-letters": {
        "task": "members.tasks.build_feedback_letters",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=2, minute=30),
    },
    "prune-audit-entries": {
        "task": "accounts.tasks.prune_audit_entries",
        "schedule": crontab(hour=3, minute=15),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 6 * 3600.0,
    },
    "deliver-pending-sms": {
        "task": "accounts.tasks.deliver_pending_sms",
        "schedule": 120.0,
    },
    "send-booking-reminders": {
        "task": "venues.tasks.send_booking_reminders",
        "schedule": 300.0,
    },
    "release-no-shows": {
        "task": "venues.tasks.release_no_shows",
        "schedule": 120.0,
    },
    "expire-waitlist-offers": {
        "task": "venues.tasks.expire_waitlist_offers",
        "schedule": 120.0,
    },
    "mark-volunteer-no-shows": {
        "task": "volunteers.tasks.mark_no_shows",
        "schedule": 600.0,
    },
    "build-pending-certificates": {
        "task": "volunteers.tasks.build_pending_certificates",
        "schedule": 300.0,
    },
    # The day after a quarter ends, early: every sub-district's report pack for that quarter.
    "schedule-quarterly-reports": {
        "task": "reports.tasks.schedule_quarterly_reports",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=2, minute=0),
    },
    "resume-stalled-imports": {
        "task": "members.tasks.resume_stalled_imports",
        "schedule": 120.0,
    },
    "resume-stalled-exports": {
        "task": "reports.tasks.resume_stalled_exports",
        "schedule": 120.0,
    },
    "remove-expired-exports": {
        "task": "reports.tasks.remove_expired_exports",
        "schedule": crontab(hour=3, minute=15),
    },
    # Nightly: every sub-district's member points of this year recomputed from the sources
    # (repairs a lost after-commit message; make-up study becomes overdue with the date).
    "recompute-points-nightly": {
        "task": "points.tasks.recompute_points_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
}

# --- Report pack --------------------------------------------------------------------------
# The address of the portal as users reach it, for links in emails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# Formats the quarterly schedule builds for every sub-district.
REPORT_SCHEDULED_FORMATS = env_list("REPORT_SCHEDULED_FORMATS", ["pack"])
if not set(REPORT_SCHEDULED_FORMATS) <= {"pack", "xlsx", "docx", "csv"}:
    raise ImproperlyConfigured(
        "REPORT_SCHEDULED_FORMATS takes pack, xlsx, docx and csv, comma-separated."
    )
# Files of reports asked for by hand are removed this many days after they are built
# (scheduled reports are kept).
REPORT_FILE_DAYS = env_int("REPORT_FILE_DAYS", 90, minimum=1)
# A queued job no worker started within this time, or a running one silent this long, is
# handed to a worker again by the periodic scan.
REPORT_QUEUED_GRACE_SECONDS = env_int("REPORT_QUEUED_GRACE_SECONDS", 120, minimum=10)
REPORT_STALE_SECONDS = env_int("REPORT_STALE_SECONDS", 600, minimum=30)
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 3, minimum=1, maximum=10)

# --- Volunteer service (local figures) ------------------------------------------------------
# Sign-in by code opens this many minutes before an activity starts.
VOLUNTEER_SIGN_IN_EARLY_MINUTES = env_int("VOLUNTEER_SIGN_IN_EARLY_MINUTES", 30, minimum=0)
# Sign-out stays possible this long after the end; after it, no-shows are marked.
VOLUNTEER_SIGN_OUT_GRACE_MINUTES = env_int(
    "VOLUNTEER_SIGN_OUT_GRACE_MINUTES", 120, minimum=0, maximum=24 * 60
)

# --- Member points (local figures; a sub-district's own thresholds override them) ---------
# Year totals for one to five stars (星级党员) and branch ratings for one to five (支部创星).
POINTS_MEMBER_STAR_THRESHOLDS = [
    int(x) for x in env_list("POINTS_MEMBER_STAR_THRESHOLDS", ["60", "70", "80", "85", "90"])
]
POINTS_BRANCH_STAR_THRESHOLDS = [
    int(x) for x in env_list("POINTS_BRANCH_STAR_THRESHOLDS", ["60", "70", "80", "85", "90"])
]
if len(POINTS_MEMBER_STAR_THRESHOLDS) != 5 or len(POINTS_BRANCH_STAR_THRESHOLDS) != 5:
    raise ImproperlyConfigured("POINTS_*_STAR_THRESHOLDS need five whole numbers, ascending.")

# --- Service halls ---------------------------------------------------------------------------
# Largest hall or room photo (bytes) an upload may be.
VENUE_PHOTO_MAX_BYTES = env_int("VENUE_PHOTO_MAX_BYTES", 5_242_880, minimum=65_536)
# Largest photo in pixels (width x height); larger ones are refused as possible decompression bombs.
VENUE_PHOTO_MAX_PIXELS = env_int(
    "VENUE_PHOTO_MAX_PIXELS", 40_000_000, minimum=1_000_000, maximum=178_956_970
)

# --- Cache ----------------------------------------------------------------------------------
# One cache shared by every web and worker process: API throttle counters and the summaries of
# the heavy staff pages (config/pagecache.py). Redis when REDIS_URL is set; a file cache under
# var/ otherwise, so `make run`'s server and worker still share it; "locmem" for the test suite.
# An unreachable Redis never fails a request: django-redis ignores its errors (and logs them),
# reads miss and pages are built afresh.
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL") or REDIS_URL
CACHE_BACKEND = env_choice(
    "CACHE_BACKEND", "redis" if CACHE_REDIS_URL else "file", ("redis", "file", "locmem")
)
if CACHE_BACKEND == "redis" and not CACHE_REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "CACHE_BACKEND=redis needs REDIS_URL or CACHE_REDIS_URL (redis://…)."
    )
if CACHE_BACKEND == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif CACHE_BACKEND == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a cached page summary may live (seconds; 0 turns the page cache off). Writes invalidate
# it at once; the lifetime only bounds what a write made while the cache was down can leave.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600, minimum=0, maximum=86_400)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS ------------------------------------------------------------------------------------
# The dev backend writes messages (verification codes included) to the log, and refuses to run
# unless DEBUG is on; the locmem backend keeps them in memory for tests. Production sets a real
# gateway's backend; until then messages stay in the outbox, marked failed with a clear error.
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "accounts.sms.DevLogBackend" if DEBUG else "accounts.sms.UnconfiguredBackend",
)
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 600, minimum=60, maximum=3600)
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60, minimum=0)
SMS_CODE_MAX_PER_HOUR = env_int("SMS_CODE_MAX_PER_HOUR", 5, minimum=1)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
# Budgets on who may ask for codes (kept in PostgreSQL, atomic; see send_verification_code):
# per IP one code per SMS_CODE_IP_INTERVAL_SECONDS and SMS_CODE_MAX_PER_IP_PER_HOUR an hour,
# and SMS_CODE_MAX_PER_HOUR_TOTAL an hour for the whole site (a ceiling on the SMS bill).
SMS_CODE_IP_INTERVAL_SECONDS = env_int("SMS_CODE_IP_INTERVAL_SECONDS", 10, minimum=0)
SMS_CODE_MAX_PER_IP_PER_HOUR = env_int("SMS_CODE_MAX_PER_IP_PER_HOUR", 10, minimum=1)
SMS_CODE_MAX_PER_HOUR_TOTAL = env_int("SMS_CODE_MAX_PER_HOUR_TOTAL", 300, minimum=1)

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The cookie lives as long as the longest session (a resident's); staff limits are enforced by
# accounts.middleware.SessionLimitsMiddleware.
SESSION_COOKIE_AGE = RESIDENT_SESSION_DAYS * 24 * 3600
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts, styles, fonts and images from our own origin only; no inline
# script or style anywhere (templates put JS in static/ files). See docs/adr/0006-security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- REST API -------------------------------------------------------------------------------
API_THROTTLE_RATES = {
    "anonymous": env_str("API_THROTTLE_ANONYMOUS", "60/min"),
    "resident": env_str("API_THROTTLE_RESIDENT", "120/min"),
}
for _scope, _rate in API_THROTTLE_RATES.items():
    _count, _sep, _period = _rate.partition("/")
    if not (_count.isdigit() and _period[:1] in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(
            f"API_THROTTLE_{_scope.upper()} must look like 60/min (N/sec, N/min, N/hour, N/day), "
            f"got {_rate!r}."
        )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.ProjectAutoSchema",
    # Anonymous callers and residents are throttled; staff are not (they are few and known).
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttling.AnonymousRateThrottle",
        "accounts.throttling.ResidentRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "EXCEPTION_HANDLER": "accounts.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# The API's schema and docs are open to anyone in development; in production only to signed-in
# users (they map every endpoint and field, which an anonymous visitor has no need to see).
API_SCHEMA_PUBLIC = env_bool("API_SCHEMA_PUBLIC", DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Sub-district Party Building Portal API",
    "DESCRIPTION": "Street-level party-building portal: organisations, members, meetings, "
    "volunteers and service halls.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Who may read /api/schema/ and /api/docs/: see API_SCHEMA_PUBLIC.
    "SERVE_PERMISSIONS": ["config.schema.SchemaAccess"],
    # Several models have a "kind", "status" or "state" field with different choices; name each.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "branches.models.OrganizationKind",
        "MeetingKindEnum": "activities.models.MeetingKind",
        "MeetingStatusEnum": "activities.models.MeetingStatus",
        "AttendanceStatusEnum": "activities.models.AttendanceStatus",
        "OrganizationEventKindEnum": "branches.models.EventKind",
        "OrganizationStatusEnum": "branches.models.OrganizationStatus",
        "MemberStatusEnum": "members.models.MemberStatus",
        "MembershipStateEnum": "members.models.MembershipState",
        "TransferStateEnum": "members.models.TransferState",
        "ActionItemStatusEnum": "regional.models.ActionStatus",
        "ListItemStatusEnum": "regional.models.ItemStatus",
        "ProjectStatusEnum": "regional.models.ProjectStatus",
        "VoteMethodEnum": "activities.models.VoteMethod",
        "DuesPaymentMethodEnum": "dues.models.PaymentMethod",
        "AppraisalGradeEnum": "appraisal.models.Grade",
        "OpinionCategoryEnum": "governance.models.Category",
        "OpinionStateEnum": "governance.models.OpinionState",
        "MemberCategoryEnum": "members.models.Category",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: JSON lines on stdout, never personal data --------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "accounts.logging.RedactPersonalData"},
        "refusal_without_traceback": {"()": "accounts.logging.RefusalWithoutTraceback"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A 403 or 404 is a warning line; only a 5xx carries a traceback.
        "django.request": {"filters": ["refusal_without_traceback"]},
        "axes": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

PORTAL_NAME = _("Sub-district Party Building Portal")

# --- Member ID numbers: encryption at rest and the keyed hash that keeps them unique -----------
# MEMBER_ID_ENCRYPTION_KEYS: comma-separated Fernet keys; the first encrypts, all decrypt (so a
# key can be rotated). MEMBER_ID_HASH_KEY: the HMAC key of the uniqueness hash; changing it makes
# every stored hash stale, so it is never rotated without re-hashing. Both required in production.
MEMBER_ID_ENCRYPTION_KEYS = env_list("MEMBER_ID_ENCRYPTION_KEYS", [])
MEMBER_ID_HASH_KEY = env_str("MEMBER_ID_HASH_KEY")
if not MEMBER_ID_ENCRYPTION_KEYS or not MEMBER_ID_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MEMBER_ID_ENCRYPTION_KEYS and MEMBER_ID_HASH_KEY must be set when DEBUG is false "
            "(they protect members' ID-card numbers). Generate a key with: python3 -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    import base64
    import hashlib

    # Development only: keys derived from the (development) SECRET_KEY.
    MEMBER_ID_ENCRYPTION_KEYS = MEMBER_ID_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"member-id-encryption:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
    MEMBER_ID_HASH_KEY = (
        MEMBER_ID_HASH_KEY or hashlib.sha256(f"member-id-hash:{SECRET_KEY}".encode()).hexdigest()
    )
for _key in MEMBER_ID_ENCRYPTION_KEYS:
    try:
        from cryptography.fernet import Fernet

        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "MEMBER_ID_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from None
if len(MEMBER_ID_HASH_KEY) < 32:
    raise ImproperlyConfigured("MEMBER_ID_HASH_KEY must be at least 32 characters long.")

# Largest roster file (bytes) the import accepts.
MEMBER_IMPORT_MAX_BYTES = env_int("MEMBER_IMPORT_MAX_BYTES", 5_242_880, minimum=65_536)
# Budgets of every spreadsheet import (members.tabular): a file is refused, or reading stops,
# long before a hostile workbook can hold a worker. See docs/architecture.md.
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 33_554_432, minimum=1_048_576)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000, minimum=10)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 40, minimum=20, maximum=16_384)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 200_000, minimum=100)
IMPORT_MAX_EMPTY_RUN = env_int("IMPORT_MAX_EMPTY_RUN", 500, minimum=10)
# A roster with more data rows than this is imported by a worker (members.importjobs), not in
# the request; a queued job not started after the grace, or silent for the stale time, is
# handed to a worker again by the periodic scan, at most IMPORT_MAX_ATTEMPTS times.
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 300, minimum=1)
IMPORT_QUEUED_GRACE_SECONDS = env_int("IMPORT_QUEUED_GRACE_SECONDS", 120, minimum=10)
IMPORT_STALE_SECONDS = env_int("IMPORT_STALE_SECONDS", 300, minimum=30)
IMPORT_MAX_ATTEMPTS = env_int("IMPORT_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
# Largest member photo (bytes).
MEMBER_PHOTO_MAX_BYTES = env_int("MEMBER_PHOTO_MAX_BYTES", 2_097_152, minimum=65_536)

# --- Members as users (党员端, selfservice) ------------------------------------------------------
# Failed binding requests (name + ID tail) an account may make in a day; invitation links' life.
MEMBER_BINDING_MAX_FAILURES = env_int("MEMBER_BINDING_MAX_FAILURES", 5, minimum=1, maximum=50)
MEMBER_INVITE_DAYS = env_int("MEMBER_INVITE_DAYS", 7, minimum=1, maximum=60)
# Meeting check-in: a code lives CHECKIN_CODE_SECONDS; check-in opens CHECKIN_OPEN_MINUTES before
# the start and closes CHECKIN_CLOSE_MINUTES after it (or after the end when one is planned).
CHECKIN_CODE_SECONDS = env_int("CHECKIN_CODE_SECONDS", 60, minimum=15, maximum=900)
CHECKIN_OPEN_MINUTES = env_int("CHECKIN_OPEN_MINUTES", 30, minimum=0, maximum=240)
CHECKIN_CLOSE_MINUTES = env_int("CHECKIN_CLOSE_MINUTES", 60, minimum=0, maximum=480)
# Wrong check-in codes: CHECKIN_MAX_WRONG_CODES of one member at one meeting, or
# CHECKIN_MAX_WRONG_CODES_PER_IP from one address, within CHECKIN_WRONG_CODE_WINDOW_MINUTES lock
# check-in until the oldest of them leaves the window (a six-digit code cannot be guessed).
CHECKIN_MAX_WRONG_CODES = env_int("CHECKIN_MAX_WRONG_CODES", 5, minimum=1, maximum=50)
CHECKIN_MAX_WRONG_CODES_PER_IP = env_int(
    "CHECKIN_MAX_WRONG_CODES_PER_IP", 20, minimum=CHECKIN_MAX_WRONG_CODES, maximum=500
)
CHECKIN_WRONG_CODE_WINDOW_MINUTES = env_int(
    "CHECKIN_WRONG_CODE_WINDOW_MINUTES", 10, minimum=1, maximum=240
)
# Members are reminded of a make-up study this many days before it is due (meetings: the lead
# times of activities.LocalSettings, 24 h and 2 h by default).
MEMBER_MAKE_UP_REMIND_DAYS = env_int("MEMBER_MAKE_UP_REMIND_DAYS", 3, minimum=0, maximum=60)
