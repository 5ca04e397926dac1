"""An OpenAI-compatible chat endpoint the municipality runs itself (ASSISTANT_GENERATOR = "openai_compatible",
ASSISTANT_GENERATOR_URL = https://…/v1/chat/completions, ASSISTANT_GENERATOR_MODEL). Short timeout: the card's
own text is shown if the endpoint is slow or down."""

from __future__ import annotations

import requests
from django.conf import settings

from ... import registry


@registry.register("openai_compatible")
class OpenAICompatible:
    def rephrase(self, *, prompt: str) -> str:
        response = requests.post(
            settings.ASSISTANT_GENERATOR_URL, timeout=float(getattr(settings, "ASSISTANT_GENERATOR_TIMEOUT", 3)),
            json={"model": getattr(settings, "ASSISTANT_GENERATOR_MODEL", ""), "temperature": 0,
                  "messages": [{"role": "user", "content": prompt}]})
        response.raise_for_status()
        return str(response.json()["choices"][0]["message"]["content"])
