"""A stale collected manifest (a file added after collectstatic) must not turn pages into 500s."""

import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import storages
from django.utils.functional import empty


@pytest.fixture
def stale_manifest(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": "x"}))
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "jobunivers.core.storage.StaticStorage"}}
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty  # re-made from the settings above
    yield
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty


def test_an_unknown_page_is_a_404_with_a_stale_manifest(client, municipality, stale_manifest):
    response = client.get(f"/{municipality.slug}/no-such-page/")
    assert response.status_code == 404
    assert "/static/vendor/dkfds/css/dkfds.min.css" in response.content.decode()


@pytest.fixture
def collected(settings, tmp_path):
    """A collected folder as collectstatic leaves it: each file, its hashed copy and the manifest."""
    files = {"app.css": "app.0123456789ab.css", "dkfds.min.css.map": "dkfds.min.css.abcdef012345.map"}
    for name, hashed in files.items():
        (tmp_path / name).write_text("x")
        (tmp_path / hashed).write_text("x")
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": files, "version": "1.1", "hash": "x"}))
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "jobunivers.core.storage.StaticStorage"}}
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty
    yield
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty


def test_starting_the_static_files_middleware_raises_no_false_alarm(collected, caplog):
    from jobunivers.core.storage import StaticFilesMiddleware

    # WhiteNoise guesses "dkfds.min.map" from "dkfds.min.css.map": a name the manifest does not hold
    with caplog.at_level("WARNING", logger="jobunivers.core.storage"):
        middleware = StaticFilesMiddleware(lambda request: None)
    assert [r.getMessage() for r in caplog.records if r.name == "jobunivers.core.storage"] == []
    # the hashed copies are still served as immutable, the plain names are not
    assert middleware.immutable_file_test("", "/static/app.0123456789ab.css") is True
    assert middleware.immutable_file_test("", "/static/app.css") is False
    assert middleware.immutable_file_test("", "/static/dkfds.min.css.abcdef012345.map") is True
    # and a file a template asks for that was never collected is still logged
    assert staticfiles_storage.url("new.css") == "/static/new.css"
    assert [r.getMessage() for r in caplog.records] == [
        "static file new.css is missing from the collected files: run collectstatic"]
