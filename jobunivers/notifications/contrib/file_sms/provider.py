"""Development SMS provider: appends each text message as one JSON line to a file.

Like real gateways that take a client reference, it ignores a second message with the same
reference, so tests can show what a deduplicating provider does after an interrupted send.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings

from jobunivers.notifications.sms import ProviderError, SmsProvider, sms_providers


def outbox_path() -> Path:
    configured = getattr(settings, "NOTIFICATIONS_SMS_FILE", "") or os.environ.get("NOTIFICATIONS_SMS_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "sms" / "outbox.jsonl"


def read_messages(path: Path | None = None) -> list[dict]:
    path = path or outbox_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@sms_providers.register("file")
class FileSmsProvider(SmsProvider):
    deduplicates_by_reference = True

    def send(self, *, to: str, text: str, reference: str) -> str:
        digits = to.replace(" ", "").lstrip("+")
        if not digits.isdigit() or not 8 <= len(digits) <= 15:
            raise ProviderError("invalid phone number", permanent=True)
        path = outbox_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            provider_reference = "file-" + hashlib.sha256(reference.encode()).hexdigest()[:16]
            with path.open("a+", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.seek(0)
                if any(json.loads(line).get("reference") == reference for line in handle if line.strip()):
                    return provider_reference
                handle.write(json.dumps({"to": to, "text": text, "reference": reference}, ensure_ascii=False) + "\n")
            return provider_reference
        except OSError as error:
            raise ProviderError(str(error)) from error
