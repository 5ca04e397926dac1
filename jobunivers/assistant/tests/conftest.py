"""Assistant test fixtures: the real card files, with bag-of-words vectors instead of the model
(tests are about the flow; the eval measures the real retrieval)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from jobunivers.assistant import engine
from jobunivers.assistant.text import words


def fake_vectors(texts, kind):
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in words(text):
            if word in engine.STOP_WORDS:
                continue
            stemmed = engine.stem(word)
            out[row, int(hashlib.sha256(stemmed.encode()).hexdigest(), 16) % 384] += 1.0
        norm = np.linalg.norm(out[row])
        out[row] = out[row] / norm if norm else out[row]
    return out


@pytest.fixture(autouse=True)
def _fake_model(monkeypatch):
    from jobunivers.taxonomy import embeddings

    monkeypatch.setattr(embeddings, "compute", fake_vectors)
    engine.clear()
    yield
    engine.clear()


@pytest.fixture
def cards(db):
    from jobunivers.assistant.cards import load_cards
    from jobunivers.assistant.services import cards_import

    return cards_import(cards=load_cards())


@pytest.fixture
def calibration(monkeypatch):
    """Thresholds for bag-of-words vectors (the real ones are calibrated for the model)."""
    calib = engine.Calibration(min_cosine=0.55, min_margin=0.0, clarify_cosine=0.25)
    monkeypatch.setattr(engine.Calibration, "load", classmethod(lambda cls: calib))
    return calib


@pytest.fixture(autouse=True)
def _local_handoff_channel(settings):
    # The project's default hand-off channel is the dialogue app's (a message thread); these tests are
    # about the assistant's own flow and its fallback channel (assistant.Handoff). The dialogue
    # app's tests drive the same pages through its channel (dialogue/tests/test_handoff.py).
    settings.ASSISTANT_HANDOFF_CHANNEL = "jobunivers.assistant.handoff.LocalHandoffChannel"
