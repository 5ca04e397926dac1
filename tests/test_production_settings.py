import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import DEFAULT_SECRET_KEY


def _check(**kwargs):
    # Import inside: importing production settings runs the check with the environment's values.
    import importlib
    import os
    import sys

    os.environ["SECRET_KEY"] = "x" * 50
    sys.modules.pop("config.settings.production", None)
    module = importlib.import_module("config.settings.production")
    return module.check_production_settings(**kwargs)


def test_production_refuses_demo_login():
    with pytest.raises(ImproperlyConfigured, match="DEMO"):
        _check(debug=False, demo=True, secret_key="y" * 50)


def test_production_refuses_debug():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        _check(debug=True, demo=False, secret_key="y" * 50)


def test_production_refuses_the_default_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _check(debug=False, demo=False, secret_key=DEFAULT_SECRET_KEY)


def test_production_accepts_sane_settings():
    assert _check(debug=False, demo=False, secret_key="z" * 50) is None


def test_importing_production_settings_with_demo_fails(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("DEMO", "1")
    monkeypatch.setenv("SECRET_KEY", "s" * 50)
    sys.modules.pop("config.settings.production", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)


def test_postgres_connections_plan_for_solid_state_disks(monkeypatch):
    from config.settings.base import postgres_options

    # the default, another value, and none at all (for a pooler that refuses start-up options)
    assert postgres_options() == {"options": "-c random_page_cost=1.1"}
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "2")
    assert postgres_options() == {"options": "-c random_page_cost=2.0"}
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "")
    assert postgres_options() == {}
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "2; DROP TABLE x")
    with pytest.raises(ValueError):
        postgres_options()


@pytest.mark.django_db
def test_the_database_connection_uses_the_planner_setting():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
