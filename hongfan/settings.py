"""Settings for Hongfan, driven by environment variables.

The embedded default needs no variables at all: SQLite in ./var, a development secret key,
DEBUG on. Production sets HONGFAN_ENV=production, which makes SECRET_KEY, FIELD_ENCRYPTION_KEY,
DATABASE_URL and ALLOWED_HOSTS mandatory and turns on every transport-security setting.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hongfan.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HONGFAN_VAR_DIR", str(BASE_DIR / "var")))

HONGFAN_ENV = env_str("HONGFAN_ENV", "development")
if HONGFAN_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("HONGFAN_ENV must be development, production or test.")
PRODUCTION = HONGFAN_ENV == "production"

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (development only; production requires SECRET_KEY)
SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", _DEV_SECRET)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = (
    env_list("ALLOWED_HOSTS", [])
    if PRODUCTION
    else env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Key for sensitive fields at rest (ID-card numbers, phones, reporter identity, narratives).
# 32 bytes, base64. Development derives one from SECRET_KEY; production must set it.
FIELD_ENCRYPTION_KEY = (
    env_str("FIELD_ENCRYPTION_KEY") if PRODUCTION else env_str("FIELD_ENCRYPTION_KEY", "")
)
# "AES-GCM" (default) or "SM4-GCM" (国密, where the OpenSSL build supports it).
FIELD_ENCRYPTION_ALGORITHM = env_str("FIELD_ENCRYPTION_ALGORITHM", "AES-GCM")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hongfan.core",
    "hongfan.accounts",
    "hongfan.audit",
    "hongfan.workdays",
    "hongfan.org",
    "hongfan.party",
    "hongfan.imports",
    "hongfan.demo",
    "hongfan.notifications",
    "hongfan.loops",
    "hongfan.decisions",
    "hongfan.innovation",
    "hongfan.rectification",
    "hongfan.orglife",
    "hongfan.development",
    "hongfan.dues",
    "hongfan.learning",
    "hongfan.scoring",
    "hongfan.voice",
    "hongfan.integrity",
    "hongfan.clinical",
    "hongfan.outreach",
    "hongfan.budget",
    "hongfan.logistics",
    "hongfan.energy",
    "hongfan.equipment",
    "hongfan.publicity",
    "hongfan.cockpit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hongfan.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hongfan.accounts.middleware.SessionTimeoutMiddleware",
    "hongfan.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "hongfan.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hongfan.urls"
WSGI_APPLICATION = "hongfan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hongfan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hongfan.core.context_processors.navigation",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'hongfan.sqlite3'}"
if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ (git-ignored)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") if PRODUCTION else env_str("DATABASE_URL", _default_db),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout make the embedded default usable by the web process and the
    # task worker at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if HONGFAN_ENV == "test":
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "hongfan.accounts.validators.LengthValidator",
        "OPTIONS": {
            "min_length": env_int("PASSWORD_MIN_LENGTH", 8, minimum=6),
            "max_length": env_int("PASSWORD_MAX_LENGTH", 64, minimum=16),
        },
    },
    {
        "NAME": "hongfan.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CLASSES", 3, minimum=1)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保 2.0 level-3 defaults (SECURITY.md); every one is a setting.
HONGFAN_PASSWORD_MAX_AGE_DAYS = env_int("HONGFAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
HONGFAN_PASSWORD_MAX_AGE_ALL_STAFF = env_bool("HONGFAN_PASSWORD_MAX_AGE_ALL_STAFF", False)
HONGFAN_IDLE_TIMEOUT_MINUTES = env_int("HONGFAN_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
HONGFAN_ADMIN_IDLE_TIMEOUT_MINUTES = env_int("HONGFAN_ADMIN_IDLE_TIMEOUT_MINUTES", 10, minimum=1)
HONGFAN_ABSOLUTE_SESSION_HOURS = env_int("HONGFAN_ABSOLUTE_SESSION_HOURS", 12, minimum=1)
HONGFAN_REQUIRE_2FA = env_bool("HONGFAN_REQUIRE_2FA", True)
HONGFAN_AUDIT_RETENTION_DAYS = env_int("HONGFAN_AUDIT_RETENTION_DAYS", 180, minimum=180)
HONGFAN_UPLOAD_MAX_BYTES = env_int("HONGFAN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
HONGFAN_IMPORT_MAX_BYTES = env_int("HONGFAN_IMPORT_MAX_BYTES", 30 * 1024 * 1024, minimum=1024)

# django-axes: 5 failures -> 5 minutes, counted per username *and* address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 5, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client's address: REMOTE_ADDR, or a header set by the reverse proxy on the same host
# (nginx: proxy_set_header X-Real-IP $remote_addr) when HONGFAN_CLIENT_IP_HEADER names it.
# X-Forwarded-For is never trusted (clients can forge it).
HONGFAN_CLIENT_IP_HEADER = env_str("HONGFAN_CLIENT_IP_HEADER", "")
AXES_IPWARE_META_PRECEDENCE_ORDER = [h for h in (HONGFAN_CLIENT_IP_HEADER, "REMOTE_ADDR") if h]
AXES_VERBOSE = False

SESSION_COOKIE_AGE = HONGFAN_ABSOLUTE_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
# ISO input formats first: HTML date inputs show nothing for 2026/11/24 (hongfan/formats).
FORMAT_MODULE_PATH = ["hongfan.formats"]
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hongfan" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "hongfan" / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if HONGFAN_ENV == "test"
            else env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        )
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hongfan@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log the remote address of requests (anonymous reporters, SECURITY.md).
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # PDF rendering (WeasyPrint) and font subsetting log every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Group robot for integrity reminder letters: kind "wecom" (企业微信) or "dingtalk" (钉钉) and
# the robot's webhook URL; empty URL = letters go to the in-app inbox only.
HONGFAN_INTEGRITY_ROBOT = (
    env_str("HONGFAN_INTEGRITY_ROBOT_KIND", "wecom"),
    env_str("HONGFAN_INTEGRITY_ROBOT_URL", ""),
)

# Where analytic stores (Parquet) and backups live.
HONGFAN_ANALYTICS_DIR = Path(env_str("HONGFAN_ANALYTICS_DIR", str(VAR_DIR / "analytics")))
HONGFAN_BACKUP_DIR = Path(env_str("HONGFAN_BACKUP_DIR", str(VAR_DIR / "backups")))
