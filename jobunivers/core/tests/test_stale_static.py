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
