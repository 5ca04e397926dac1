"""Anonymous input cannot grow the database or a process's memory: 10,000 distinct unknown first path
segments and 10,000 distinct typeahead prefixes write no row, and the cache stays within its bound.
The cache is made small for the test (500 entries) so that 2,000 distinct inputs of each kind are
four times its bound: the same property as at production's 5,000, at a fifth of the requests."""

from __future__ import annotations

import hashlib
import json
import time

import numpy as np
import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client

from jobunivers.taxonomy import embeddings, selectors
from jobunivers.taxonomy.tests.factories import OccupationFactory

pytestmark = pytest.mark.django_db

DISTINCT = 2_000
CACHE_BOUND = 500


def _rows() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if not model._meta.proxy and model._meta.managed}


def _fake_vectors(texts, kind):
    # A deterministic unit vector per text, without the model: this test is about storage, not meaning.
    out = np.zeros((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        digest = hashlib.sha256(f"{kind}{text}".encode()).digest()
        out[row, [b % embeddings.DIMENSIONS for b in digest[:8]]] = 1.0
        out[row] /= np.linalg.norm(out[row])
    return out


def _postcodes_held() -> int:
    held = selectors._register
    return len(held[1]) if held is not None else 0


def test_unknown_paths_and_typeahead_prefixes_write_nothing_and_the_cache_stays_bounded(municipality, monkeypatch,
                                                                                       settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": CACHE_BOUND}}}
    cache.clear()
    # given a small cache, a municipality, occupations with vectors (so the typeahead's semantic part runs), a warm
    # slug map, and no rate limit in the way
    monkeypatch.setattr(embeddings, "compute", _fake_vectors)
    monkeypatch.setitem(settings.RATE_LIMITS, "api", 10**9)
    for label in ("tømrer", "murer", "sygeplejerske", "chauffør"):
        OccupationFactory(preferred_label=label)
    selectors.embed_occupations()
    client = Client()
    assert client.get("/aarhus/").status_code in (200, 302)
    assert client.get("/api/v1/taxonomy/occupations", {"q": "tømrer"}).status_code == 200
    before = _rows()
    limit = settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"]
    entries_before = len(cache._cache)
    points_before = _postcodes_held()
    # when anonymous visitors ask for 2,000 distinct unknown first path segments
    statuses = {client.get(f"/ukendt-{n}/side/").status_code for n in range(DISTINCT)}
    after_paths = len(cache._cache)
    # and type 2,000 distinct prefixes into the public occupation typeahead
    answers = {client.get("/api/v1/taxonomy/occupations", {"q": f"tøm{n}"}).status_code for n in range(DISTINCT)}
    # then every unknown path is a 404 and every look-up answered
    assert statuses == {404}
    assert answers == {200}
    # and no row was written anywhere
    assert _rows() == before
    # and unknown paths left nothing behind in the cache or in process memory
    assert after_paths == entries_before
    assert _postcodes_held() == points_before  # the register holds postcodes from the database only
    # and the typeahead's memo stays within the cache's bound
    assert len(cache._cache) <= limit < DISTINCT


def test_forged_vendor_callbacks_write_nothing(settings):
    # given a vendor's working reporting key, and no rate limit in the way
    from jobunivers.marketplace import reporting
    from jobunivers.marketplace.models import CallbackKey, Vendor

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 10**9}
    vendor = Vendor.objects.create(name="Kursus ApS", cvr="35000002", launch_salt="x" * 64)
    key = CallbackKey.objects.create(vendor=vendor, key_id="jk_0123456789abcdef", salt="s" * 64)
    client = Client()
    before = _rows()
    # when 600 requests arrive with distinct event ids: forged signatures, unknown keys, no headers
    answers = set()
    for n in range(600):
        body = json.dumps({"event_id": f"e-{n}", "subject": "a" * 32, "offer": n + 1, "kind": "session",
                           "quantity": 1, "occurred_at": "2026-12-05T10:00:00+01:00"}).encode()
        stamp = str(int(time.time()))
        headers = [{"HTTP_X_JOBUNIVERS_KEY": key.key_id, "HTTP_X_JOBUNIVERS_TIMESTAMP": stamp,
                    "HTTP_X_JOBUNIVERS_SIGNATURE": reporting.sign_report(secret="f" * 64, timestamp=stamp, body=body)},
                   {"HTTP_X_JOBUNIVERS_KEY": f"jk_{n:016x}", "HTTP_X_JOBUNIVERS_TIMESTAMP": stamp,
                    "HTTP_X_JOBUNIVERS_SIGNATURE": "sha256=" + "0" * 64},
                   {}][n % 3]
        answers.add(client.post("/api/v1/marketplace/use-events", body, content_type="application/json",
                                **headers).status_code)
    # then every one was refused and no row was written (not even the key's last use)
    assert answers == {401}
    assert _rows() == before
    assert CallbackKey.objects.get(pk=key.pk).last_used_at is None
