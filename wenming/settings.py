"""Project settings. Everything a deployment changes comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("WENMING_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_rate(name, default):
    """"20/3600" → (20, 3600): at most 20 in 3600 seconds."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    count, _, seconds = value.partition("/")
    return int(count), int(seconds or 3600)


def _env_months(name):
    """"market_penalty=3,tax_arrears=" → {"market_penalty": 3, "tax_arrears": None}
    (an empty value: restoration does not apply)."""
    months = {}
    for pair in os.environ.get(name, "").split(","):
        code, _, value = pair.partition("=")
        if code.strip():
            months[code.strip()] = int(value) if value.strip() else None
    return months


def _secret_key():
    key = os.environ.get("WENMING_SECRET_KEY")
    if key:
        return key
    # Generated once and kept beside the database, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("WENMING_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("WENMING_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("WENMING_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "wenming.core",
    "wenming.search",
    "wenming.accounts",
    "wenming.audit",
    "wenming.briefings",
    "wenming.credit",
    "wenming.surveys",
    "wenming.activities",
    "wenming.honors",
    "wenming.campaign",
    "wenming.scoring",
    "wenming.api",
    "wenming.front",
    "wenming.tasks",
    "wenming.inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wenming.core.middleware.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wenming.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so the refusal passes through the security headers above.
    "wenming.core.middleware.QueryNulMiddleware",
]

ROOT_URLCONF = "wenming.urls"
WSGI_APPLICATION = "wenming.wsgi.application"

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
                "wenming.front.context_processors.navigation",
                "wenming.front.context_processors.city",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("WENMING_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'wenming.sqlite3'}",
        conn_max_age=int(os.environ.get("WENMING_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a periodic job writes; the busy
    # timeout makes the writer wait instead of failing with "database is locked".
    # Connections persist like PostgreSQL's (WENMING_DB_CONN_MAX_AGE): a new
    # one per request cost a search about 3 ms, opening the file, reading
    # the schema and starting with an empty page cache.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    # Tests use a database file as production does, not Django's shared
    # in-memory database: there a table lock held by one thread (the task
    # worker of a browser test) fails another (the live server) at once
    # with "table is locked" instead of waiting out the busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-wenming.sqlite3")}
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: 5 failures in 15 minutes per user and IP.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("WENMING_PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
if os.environ.get("WENMING_S3_BUCKET"):
    # Production object storage; needs the `s3` extra (django-storages).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["WENMING_S3_BUCKET"],
            "endpoint_url": os.environ.get("WENMING_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("WENMING_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("WENMING_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Backup archives made from the web (系统备份) hold the whole database: kept
# apart from the media files (so the next backup does not copy them and no
# web server configured for /media/ serves them). With several app machines
# this must be a directory they share, like the media store.
BACKUP_DIR = Path(os.environ.get("WENMING_BACKUP_DIR", DATA_DIR / "backups")).resolve()
STORAGES["backups"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                       "OPTIONS": {"location": str(BACKUP_DIR), "base_url": None}}
# Archives kept from the web page; older ones are removed as new ones finish.
WENMING_BACKUPS_KEPT = _env_int("WENMING_BACKUPS_KEPT", 10)
# Serve straight from the finders so a fresh checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Upload limits: requests over these are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WENMING_MAX_UPLOAD_BYTES = int(os.environ.get("WENMING_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# Photos on one record (a problem's stage, a nomination, an activity report).
WENMING_MAX_PHOTOS = int(os.environ.get("WENMING_MAX_PHOTOS", "9"))

# The city the platform serves, as users read it (e.g. 周口市); empty gives
# generic wording. Deployment data (units, series, rolls) carries the rest.
WENMING_CITY_NAME = os.environ.get("WENMING_CITY_NAME", "").strip()

# Public forms: a signed token older than MAX_AGE or younger than MIN_SECONDS
# is refused, and each form is limited per address and hour.
WENMING_PUBLIC_FORM_MAX_AGE = _env_int("WENMING_PUBLIC_FORM_MAX_AGE", 2 * 3600)
WENMING_PUBLIC_FORM_MIN_SECONDS = _env_int("WENMING_PUBLIC_FORM_MIN_SECONDS", 3)
WENMING_CITIZEN_REPORTS_PER_HOUR = _env_int("WENMING_CITIZEN_REPORTS_PER_HOUR", 5)
WENMING_PUBLIC_NOMINATIONS_PER_HOUR = _env_int("WENMING_PUBLIC_NOMINATIONS_PER_HOUR", 5)
WENMING_PUBLIC_OBJECTIONS_PER_HOUR = _env_int("WENMING_PUBLIC_OBJECTIONS_PER_HOUR", 5)
# (online survey responses, seconds) per address.
WENMING_SURVEY_RATE_LIMIT = _env_rate("WENMING_SURVEY_RATE_LIMIT", (20, 3600))
# Open311 POSTs without an API key (staff create keys under /api/keys/) are
# open like the web form, limited per address; set to 1 to require a key.
WENMING_OPEN311_REQUIRE_KEY = os.environ.get("WENMING_OPEN311_REQUIRE_KEY", "") == "1"
# The city's bounding box, "south,west,north,east" in WGS-84 degrees: Open311
# refuses coordinates outside it. Empty: anywhere in China.
WENMING_CITY_BOUNDS = os.environ.get("WENMING_CITY_BOUNDS", "").strip()

# The problem map's base layer: a tile URL template with {z}, {x}, {y} (the
# office's own tile server, or 天地图 with its key: ...&tk=KEY). The browser
# loads the tiles from there; empty draws a schematic of districts instead.
# WENMING_MAP_DATUM says what the tiles are drawn in: wgs84 (天地图, OSM) or
# gcj02 (高德, 腾讯). Pages drawing the map allow that server in img-src.
WENMING_MAP_TILES = os.environ.get("WENMING_MAP_TILES", "").strip()
WENMING_MAP_DATUM = os.environ.get("WENMING_MAP_DATUM", "wgs84").strip().lower()
WENMING_MAP_ATTRIBUTION = os.environ.get("WENMING_MAP_ATTRIBUTION", "").strip()

# Liaison notifications through a WeCom or DingTalk group robot.
WENMING_WEBHOOK_URL = os.environ.get("WENMING_WEBHOOK_URL", "")
WENMING_WEBHOOK_KIND = os.environ.get("WENMING_WEBHOOK_KIND", "wecom")
WENMING_WEBHOOK_SECRET = os.environ.get("WENMING_WEBHOOK_SECRET", "")

# 短信 through the office's SMS gateway (see wenming/inbox/sms.py): none (log
# only), http (signed JSON POST to WENMING_SMS_URL) or a backend class's path.
WENMING_SMS_BACKEND = os.environ.get("WENMING_SMS_BACKEND", "none").strip() or "none"
WENMING_SMS_URL = os.environ.get("WENMING_SMS_URL", "").strip()
WENMING_SMS_SECRET = os.environ.get("WENMING_SMS_SECRET", "")
WENMING_SMS_TIMEOUT = _env_int("WENMING_SMS_TIMEOUT", 5)

# Credit lists: the number prefix (〔year〕N号 follows), the publishing office
# (empty: the 文明办 unit), the public notice days and restoration overrides.
WENMING_CREDIT_NUMBER_PREFIX = os.environ.get("WENMING_CREDIT_NUMBER_PREFIX", "文明信")
WENMING_CREDIT_ISSUER = os.environ.get("WENMING_CREDIT_ISSUER", "")
WENMING_CREDIT_NOTICE_DAYS = _env_int("WENMING_CREDIT_NOTICE_DAYS", 7)
WENMING_CREDIT_RESTORATION_MONTHS = _env_months("WENMING_CREDIT_RESTORATION_MONTHS")

# Civilized-unit titles expiring within these days are listed.
WENMING_TITLE_EXPIRY_DAYS = _env_int("WENMING_TITLE_EXPIRY_DAYS", 90)
# Archive search counts matches up to this many ("超过10000篇"): an exact
# count of a common word reads its whole list in the index on every page.
WENMING_SEARCH_COUNT_CAP = _env_int("WENMING_SEARCH_COUNT_CAP", 10_000)
# A page of search results is kept this many seconds in the "search" cache,
# under the index's version (any write to the index makes a new one); 0: off.
WENMING_SEARCH_CACHE_SECONDS = _env_int("WENMING_SEARCH_CACHE_SECONDS", 3600)

# Each process keeps its own caches (no cache server on a user's machine).
# "search": pages of search results, about 13 KB each (at most about 27 MB).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
               "LOCATION": "search", "OPTIONS": {"MAX_ENTRIES": 2000}},
}

# Imported spreadsheets are read as a stream and refused as soon as they pass
# one of these, before the whole file is in memory.
WENMING_IMPORT_MAX_ROWS = _env_int("WENMING_IMPORT_MAX_ROWS", 200_000)
WENMING_IMPORT_MAX_COLUMNS = _env_int("WENMING_IMPORT_MAX_COLUMNS", 100)
WENMING_IMPORT_MAX_CELLS = _env_int("WENMING_IMPORT_MAX_CELLS", 3_000_000)

# Background tasks (imports, screening, compilations): queued in the database,
# run by `wenming worker` processes, one task at a time each, every worker
# process capped at WENMING_TASK_MEMORY_MB of address space.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("WENMING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
WENMING_TASK_MEMORY_MB = _env_int("WENMING_TASK_MEMORY_MB", 2048)

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("WENMING_HTTPS")
CSRF_COOKIE_SECURE = _env_bool("WENMING_HTTPS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"


def _client_errors_in_one_line(record):
    # Django logs a refused request (403 PermissionDenied, 400 BadRequest)
    # with the traceback of the exception that refused it; that is the
    # check doing its job, not a fault, so the log keeps only its line.
    if getattr(record, "status_code", 500) < 500:
        record.exc_info = record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": lambda: _client_errors_in_one_line}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["client_errors_in_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("WENMING_LOG_LEVEL", "WARNING")},
}
