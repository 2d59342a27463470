"""Django settings for Jiayuan.

Everything that differs between a laptop demo and a city deployment comes from the environment
(see docs/deployment.md): DATABASE_URL, JIAYUAN_TASK_BROKER, JIAYUAN_FIELD_KEY, DJANGO_SECRET_KEY.
The defaults give a zero-set-up SQLite demo under ``var/``.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JIAYUAN_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _secret_from_file(name: str, length: int = 50) -> str:
    """Read a secret kept in ``var/`` for the demo, creating it on first use."""
    path = VAR_DIR / name
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _secret_from_file("secret_key")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Key for personal data encrypted at rest (identity and phone numbers). Production sets it in the
# environment; the demo generates one into var/. Losing it makes the encrypted columns unreadable.
JIAYUAN_FIELD_KEY = os.environ.get("JIAYUAN_FIELD_KEY") or _secret_from_file("field_key", 32)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, no CDN
    "django_filters",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "jiayuan.core",
    "jiayuan.accounts",
    "jiayuan.territory",
    "jiayuan.residents",
    "jiayuan.ledgers",
    "jiayuan.norms",
    "jiayuan.community",
    "jiayuan.party",
    "jiayuan.meetings",
    "jiayuan.cases",
    "jiayuan.disputes",
    "jiayuan.emergencies",
    "jiayuan.disclosure",
    "jiayuan.decisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiayuan.core.middleware.RequestAuditMiddleware",
]

ROOT_URLCONF = "jiayuan.urls"
WSGI_APPLICATION = "jiayuan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "jiayuan.core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiayuan.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles any query it estimates as costly: hundreds of milliseconds spent
    # on short OLTP queries (counts over a district) that run in a few without it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Chinese first, English alongside (switch in the navigation bar).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
# A static file missing from the manifest (e.g. served before collectstatic) must not turn a page into a 500.
WHITENOISE_MANIFEST_STRICT = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiayuan.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min", "public_report": "5/hour", "public_track": "30/hour", "open311": "120/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiayuan (家园) API",
    "DESCRIPTION": "Party-building-led grassroots governance: places, people, roles and audit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RuleStatusEnum": "jiayuan.norms.choices.Status",
        "MeetingStatusEnum": "jiayuan.meetings.choices.MeetingStatus",
        "AttendanceStatusEnum": "jiayuan.meetings.choices.AttendanceStatus",
        "MemberStatusEnum": "jiayuan.party.choices.MemberStatus",
        "CaseStatusEnum": "jiayuan.cases.choices.CaseStatus",
        "CaseActionEnum": "jiayuan.cases.choices.CaseAction",
        "CaseKindEnum": "jiayuan.cases.choices.CaseKind",
        "CaseEventKindEnum": "jiayuan.cases.choices.EventKind",
        "CaseChannelEnum": "jiayuan.cases.choices.CaseChannel",
        "CaseLevelEnum": "jiayuan.cases.choices.CaseLevel",
        "CaseRoutingTargetEnum": "jiayuan.cases.choices.RoutingTarget",
        "CaseVisibilityEnum": "jiayuan.cases.choices.Visibility",
        "DecisionStatusEnum": "jiayuan.decisions.choices.DecisionStatus",
        "DecisionStageEnum": "jiayuan.decisions.choices.StageCode",
        "DecisionStageResultEnum": "jiayuan.decisions.choices.StageResult",
        "DecisionActionEnum": "jiayuan.decisions.choices.DecisionAction",
    },
}

# Audit: field changes through django-auditlog; the request that caused them goes in `cid`.
AUDITLOG_CID_GETTER = "jiayuan.core.middleware.current_request_label"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "jiayuan.core.crypto.mask_generic"

# Background tasks: huey. Embedded SQLite queue by default (no server needed); Redis at scale.
_broker = os.environ.get("JIAYUAN_TASK_BROKER", "")
if _broker.startswith("redis://"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "jiayuan",
        "url": _broker,
        "immediate": _env_bool("JIAYUAN_TASKS_IMMEDIATE", False),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "jiayuan",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": _env_bool("JIAYUAN_TASKS_IMMEDIATE", False),
    }

# Idle workers poll at least once a second, so a graceful stop (Ctrl-C) never waits on a long
# back-off sleep.
HUEY["consumer"] = {"workers": 2, "worker_type": "thread", "max_delay": 1.0}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("JIAYUAN_CACHE_URL", "").startswith("redis://"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["JIAYUAN_CACHE_URL"],
    }

JIAYUAN_DEMO_PASSWORD = os.environ.get("JIAYUAN_DEMO_PASSWORD", "jiayuan-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIAYUAN_LOG_LEVEL", "WARNING")},
}

