"""The hash of an access-log entry: SHA-256 over the previous hash and the entry's fields.

Changing, inserting or removing an entry anywhere in a municipality's chain
changes every later hash, which `manage.py audit_verify_chain` detects.
"""

from __future__ import annotations

import hashlib
import json
import re

HASHED_FIELDS = ("municipality_id", "sequence", "created_at", "actor_user_id", "actor_kind", "role",
                 "citizen_id", "action", "purpose", "what", "criterion")


def entry_digest(*, previous_hash: str, fields: dict) -> str:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["created_at"] = payload["created_at"].isoformat(timespec="microseconds")
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


# Same pattern as core.logging's filter: ddmmyy-xxxx or ddmmyyxxxx, not inside a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub("[CPR]", text)
