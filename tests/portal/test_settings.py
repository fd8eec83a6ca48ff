"""Settings read the environment: each case imports the settings in a fresh interpreter with its own
variables, as a new machine would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": settings.DATABASES["default"].get("HOST", ""),
    "q_broker": "redis" if "redis" in settings.Q_CLUSTER else ("orm" if "orm" in settings.Q_CLUSTER else "?"),
    "q_sync": settings.Q_CLUSTER.get("sync", False),
    "cache": settings.CACHES["default"]["BACKEND"],
    "email_backend": settings.EMAIL_BACKEND,
    "email_file_path": settings.EMAIL_FILE_PATH,
    "anymail": settings.ANYMAIL,
    "debug": settings.DEBUG,
    "site_url": settings.SITE_URL,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "enforce_mfa": settings.PORTAL_ENFORCE_STAFF_MFA,
    "secret_key": getattr(settings, "_wrapped").SECRET_KEY,
}))
"""
MANAGED = [
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "PORTAL_ENFORCE_STAFF_MFA",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest, refused by check --deploy
    "PORTAL_VAR_DIR",
]
STRONG_KEY = "k3y-" + "a1b2c3d4e5" * 6


def load_settings(module: str, **env) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in MANAGED and not key.startswith("ANYMAIL_")
    }
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    code = "import django; django.setup()\n" + PROBE
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_sqlite_orm_broker_database_cache_and_console_mail():
    values = load_settings("portal.settings.base")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("var/db.sqlite3")
    assert values["q_broker"] == "orm"
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["debug"] is False
    assert values["enforce_mfa"] is False


def test_database_url_switches_to_postgresql():
    values = load_settings(
        "portal.settings.base", DATABASE_URL="postgres://portal:pw@db.example.org:5432/portal"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("portal", "db.example.org")


def test_redis_url_switches_the_broker_and_the_cache():
    values = load_settings("portal.settings.base", REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["q_broker"] == "redis"
    assert values["cache"] == "core.cache.FailOpenRedisCache"  # a Redis outage does not fail pages


def test_email_variables_switch_the_backend():
    values = load_settings("portal.settings.base", EMAIL_FILE_PATH="/tmp/outbox")  # noqa: S108
    assert values["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    values = load_settings(
        "portal.settings.base",
        EMAIL_BACKEND="anymail.backends.brevo.EmailBackend",
        ANYMAIL_BREVO_API_KEY="xkeysib-123",
        ANYMAIL_WEBHOOK_SECRET="brevo:secret",
    )
    assert values["email_backend"] == "anymail.backends.brevo.EmailBackend"
    assert values["anymail"] == {"BREVO_API_KEY": "xkeysib-123", "WEBHOOK_SECRET": "brevo:secret"}


def test_test_settings_run_tasks_synchronously_with_locmem_mail():
    values = load_settings("portal.settings.test")
    assert values["q_sync"] is True
    assert values["email_backend"] == "django.core.mail.backends.locmem.EmailBackend"


def test_production_refuses_to_start_without_a_secret_key():
    environment = {key: value for key, value in os.environ.items() if key not in MANAGED}
    environment["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("flag", ["1", "true"])
def test_production_settings_read_the_environment(flag):
    values = load_settings(
        "portal.settings.production",
        SECRET_KEY=STRONG_KEY,
        SITE_URL="https://portail.transiscope.org/",
        ALLOWED_HOSTS="portail.transiscope.org",
        PORTAL_ENFORCE_STAFF_MFA=flag,
    )
    assert values["debug"] is False
    assert values["site_url"] == "https://portail.transiscope.org"
    assert values["allowed_hosts"] == ["portail.transiscope.org"]
    assert values["enforce_mfa"] is True


@pytest.mark.parametrize(("flag", "enforced"), [(None, True), ("0", False)])
def test_production_enforces_two_factor_authentication_unless_told_not_to(flag, enforced):
    """Issue 14: production settings default PORTAL_ENFORCE_STAFF_MFA to on."""
    env = {"PORTAL_ENFORCE_STAFF_MFA": flag} if flag is not None else {}
    values = load_settings(
        "portal.settings.production",
        SECRET_KEY=STRONG_KEY,
        SITE_URL="https://portail.transiscope.org/",
        ALLOWED_HOSTS="portail.transiscope.org",
        **env,
    )
    assert values["enforce_mfa"] is enforced


def test_check_deploy_is_clean_with_production_settings():
    environment = {key: value for key, value in os.environ.items() if key not in MANAGED}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portail.transiscope.org",
        SITE_URL="https://portail.transiscope.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def start(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with only the given settings variables."""
    environment = {key: value for key, value in os.environ.items() if key not in MANAGED}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_dev_settings_make_a_random_secret_once_and_keep_it(tmp_path):
    first = load_settings("portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    stored = (tmp_path / "dev-secret-key").read_text().strip()
    assert first["secret_key"] == stored
    assert len(stored) >= 50
    assert stored != "dev-only-secret-key-not-for-production"
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o077 == 0
    assert load_settings("portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))["secret_key"] == stored
    other = tmp_path / "other"
    assert load_settings("portal.settings.dev", PORTAL_VAR_DIR=str(other))["secret_key"] != stored


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "court",
        "x" * 60,
        "django-insecure-" + "a1b2c3d4e5" * 5,
        "dev-only-secret-key-not-for-production",
    ],
)
def test_production_refuses_a_missing_weak_or_known_secret(tmp_path, key):
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "PORTAL_VAR_DIR": str(tmp_path)}
    if key is not None:
        env["SECRET_KEY"] = key
    result = start("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_key_this_machine_generated_for_development(tmp_path):
    dev_key = load_settings("portal.settings.dev", PORTAL_VAR_DIR=str(tmp_path))["secret_key"]
    result = start(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        PORTAL_VAR_DIR=str(tmp_path),
        SECRET_KEY=dev_key,
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


@pytest.mark.parametrize("module", ["portal.wsgi", "portal.asgi"])
def test_servers_default_to_production_and_refuse_to_start_without_a_secret(tmp_path, module):
    result = start(f"import {module}", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_manage_py_without_settings_signs_with_no_known_key(tmp_path):
    result = start(
        "import runpy, sys; sys.argv = ['manage.py', 'diffsettings', '--output', 'unified'];"
        " runpy.run_path('manage.py', run_name='__main__')",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "dev-only-secret-key-not-for-production" not in result.stdout
    assert (tmp_path / "dev-secret-key").read_text().strip() in result.stdout


def test_check_fails_in_production_with_an_anymail_backend_and_no_webhook_secret(tmp_path):
    result = start(
        "import sys, runpy; sys.argv = ['manage.py', 'check'];"
        " runpy.run_path('manage.py', run_name='__main__')",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        PORTAL_VAR_DIR=str(tmp_path),
        SECRET_KEY=STRONG_KEY,
        EMAIL_BACKEND="anymail.backends.brevo.EmailBackend",
        ANYMAIL_BREVO_API_KEY="xkeysib-123",
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr


def test_manage_py_on_a_machine_with_a_secret_key_runs_production_settings(tmp_path):
    code = (
        "import runpy, sys; sys.argv = ['manage.py', 'shell', '-c',"
        " 'from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)'];"
        " runpy.run_path('manage.py', run_name='__main__')"
    )
    result = start(code, PORTAL_VAR_DIR=str(tmp_path), SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="portail.example")
    assert result.returncode == 0, result.stderr
    assert "portal.settings.production False" in result.stdout
    weak = start(code, PORTAL_VAR_DIR=str(tmp_path), SECRET_KEY="court")
    assert weak.returncode != 0 and "SECRET_KEY" in weak.stderr
