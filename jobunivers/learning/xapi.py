"""Learning records as xAPI statements (ADR 0095): the subset of xAPI 1.0.3 this platform accepts, checked
before anything is written.

A statement is one JSON object with
- `actor`: an Agent identified by an account: {"objectType": "Agent" (optional), "account": {"homePage":
  SITE_URL, "name": <the citizen's pseudonym from the signed launch, 32 hex digits>}}. No names, e-mail
  addresses (mbox) or other identifiers: the vendor knows the citizen by the pseudonym only.
- `verb`: {"id": one of VERBS, "display": {"en-US": "…"} (optional)}.
- `object`: an Activity whose id is the vendor's offer, SITE_URL + "/xapi/activities/offer/<offer id>", or a
  part of it ("…/offer/<offer id>/<anything>"); `definition` (optional: name, description, type). Only a
  completion of the offer itself (verb completed, or result completion true) completes the enrolment.
- optional `id` (a UUID: the same id again is stored once), `timestamp` (ISO 8601 with a time zone; now when
  absent), `result` ({score: {scaled, raw, min, max}, success, completion, duration}), `context`
  ({registration (UUID), platform, language}) and `version` ("1.0.x").
Anything else (attachments, authority, stored, voided statements, sub-statements) is refused by name.

A body holds one statement or a list of at most MAX_STATEMENTS; at most MAX_BODY_BYTES.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

MAX_BODY_BYTES = 64 * 1024
MAX_STATEMENTS = 50
MAX_STATEMENT_BYTES = 8 * 1024
VERBS = {
    "http://adlnet.gov/expapi/verbs/" + name for name in (
        "attempted", "attended", "answered", "completed", "experienced", "failed", "initialized", "launched",
        "passed", "progressed", "scored", "terminated")
}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
SUBJECT_RE = re.compile(r"^[0-9a-f]{32}$")
DURATION_RE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TOP_LEVEL = {"id", "actor", "verb", "object", "result", "context", "timestamp", "version"}


def activity_root() -> str:
    return settings.SITE_URL.rstrip("/") + "/xapi/activities/offer/"


def activity_id(offer_id: int) -> str:
    return f"{activity_root()}{offer_id}"


@dataclass(frozen=True)
class ParsedStatement:
    """One checked statement: what it is looked up by, and the JSON to store (with its id)."""

    statement_id: uuid.UUID
    subject: str
    verb: str
    offer_id: int
    timestamp: datetime.datetime
    timestamp_given: bool
    completes: bool
    data: dict[str, Any]


class StatementRefused(Exception):
    """A refused request: a stable `code`, the HTTP status, and messages per statement and field."""

    def __init__(self, code: str, errors: dict[str, list[Any]] | None = None):
        super().__init__(code)
        self.code = code
        self.status = ERRORS[code][0]
        self.errors = errors or {}


ERRORS: dict[str, tuple[int, Any]] = {
    "key_missing": (401, gettext_lazy("Give the key id, the timestamp and the signature in the request headers.")),
    "key_invalid": (401, gettext_lazy("The key is unknown, revoked or expired, or the signature does not match.")),
    "body_too_large": (413, gettext_lazy("The body may be at most 64 KB.")),
    "json_invalid": (400, gettext_lazy("The body must be one statement or a list of statements, in JSON and UTF-8.")),
    "too_many": (400, gettext_lazy("Send at most 50 statements at a time.")),
    "statement_invalid": (400, gettext_lazy("A statement is not valid; see the fields. Nothing was stored.")),
    "offer_unknown": (403, gettext_lazy("A statement is about an offer that is not yours. Nothing was stored.")),
    "subject_unknown": (404, gettext_lazy("No citizen with this pseudonym is enrolled in the offer. Nothing was "
                                          "stored.")),
    "id_reused": (409, gettext_lazy("A statement id was already used for another statement. Nothing was stored.")),
    "query_invalid": (400, gettext_lazy("A query parameter is not valid; see the fields.")),
    "before_enrolment": (422, gettext_lazy("The event happened before the citizen enrolled.")),
    "month_settled": (409, gettext_lazy("You have already accepted the statement for the month of this event, so it "
                                        "can no longer be billed. Ask the municipality to correct it.")),
}


def _text(value, *, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit and "\x00" not in value


def _language_map(value, *, limit: int = 500) -> bool:
    return (isinstance(value, dict) and 0 < len(value) <= 10
            and all(_text(k, limit=20) and LANGUAGE_RE.match(k) and _text(v, limit=limit) for k, v in value.items()))


def parse_time(value) -> datetime.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e9


def _check_result(result, add) -> bool:
    """Checks `result`; True when it says the activity was completed."""
    if not isinstance(result, dict):
        add("result", gettext_lazy("Give the result as an object."))
        return False
    for key in sorted(set(result) - {"score", "success", "completion", "duration"}):
        add(f"result.{str(key)[:40]}", gettext_lazy("This field is not accepted here."))
    score = result.get("score")
    if score is not None:
        if not isinstance(score, dict) or set(score) - {"scaled", "raw", "min", "max"} or not all(
                _number(v) for v in score.values()):
            add("result.score", gettext_lazy("Give scaled, raw, min and max as numbers."))
        else:
            if "scaled" in score and not -1 <= score["scaled"] <= 1:
                add("result.score.scaled", gettext_lazy("Scaled must be from -1 to 1."))
            low, high = score.get("min"), score.get("max")
            if low is not None and high is not None and low > high:
                add("result.score", gettext_lazy("Min must not be above max."))
            raw = score.get("raw")
            if raw is not None and (low is not None and raw < low or high is not None and raw > high):
                add("result.score.raw", gettext_lazy("Raw must lie between min and max."))
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            add(f"result.{key}", gettext_lazy("Give true or false."))
    if "duration" in result and not (isinstance(result["duration"], str) and len(result["duration"]) <= 40
                                     and DURATION_RE.match(result["duration"])):
        add("result.duration", gettext_lazy("Give an ISO 8601 duration, e.g. PT12M30S."))
    return result.get("completion") is True


def check_statement(raw, *, now: datetime.datetime) -> tuple[ParsedStatement | None, dict[str, list[Any]]]:
    """One statement checked field by field: (the parsed statement, {}) or (None, errors by field)."""
    errors: dict[str, list[Any]] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if not isinstance(raw, dict):
        return None, {"statement": [gettext_lazy("Give each statement as a JSON object.")]}
    if len(json.dumps(raw, separators=(",", ":"), ensure_ascii=False).encode("utf-8")) > MAX_STATEMENT_BYTES:
        return None, {"statement": [gettext_lazy("A statement may be at most 8 KB.")]}
    for key in sorted(set(raw) - TOP_LEVEL):
        add(str(key)[:40], gettext_lazy("This field is not accepted by this service."))
    statement_id = uuid.uuid4()
    if "id" in raw:
        try:
            statement_id = uuid.UUID(str(raw["id"])) if isinstance(raw["id"], str) else None  # type: ignore[assignment]
        except ValueError:
            statement_id = None  # type: ignore[assignment]
        if statement_id is None:
            add("id", gettext_lazy("Give the id as a UUID."))
    actor, subject = raw.get("actor"), ""
    account = actor.get("account") if isinstance(actor, dict) else None
    if not isinstance(actor, dict) or set(actor) - {"objectType", "account"} or actor.get("objectType", "Agent") != "Agent" \
            or not isinstance(account, dict) or set(account) != {"homePage", "name"}:
        add("actor", gettext_lazy("Give the actor as an Agent with only an account {homePage, name}."))
    elif account["homePage"] != settings.SITE_URL.rstrip("/") or not (isinstance(account["name"], str)
                                                                     and SUBJECT_RE.match(account["name"])):
        add("actor.account", gettext_lazy("homePage must be this platform's address and name the citizen's "
                                          "pseudonym from the signed launch (32 hex digits)."))
    else:
        subject = account["name"]
    verb = raw.get("verb")
    if not isinstance(verb, dict) or verb.get("id") not in VERBS or set(verb) - {"id", "display"} or (
            "display" in verb and not _language_map(verb["display"], limit=100)):
        add("verb", gettext_lazy("Give a verb with an id from the ADL vocabulary (completed, progressed, ...)."))
    obj, offer_id, whole_offer = raw.get("object"), 0, False
    if not isinstance(obj, dict) or set(obj) - {"objectType", "id", "definition"} \
            or obj.get("objectType", "Activity") != "Activity" or not _text(obj.get("id"), limit=500):
        add("object", gettext_lazy("Give the object as an Activity with an id."))
    else:
        rest = obj["id"][len(activity_root()):] if obj["id"].startswith(activity_root()) else ""
        head = rest.split("/", 1)[0]
        if not head.isdigit() or not 1 <= int(head) < 2**63 or head != str(int(head)):
            add("object.id", gettext_lazy("The activity id must be %(root)s<your offer's id>, optionally followed "
                                          "by /<part>.") % {"root": activity_root()})
        else:
            offer_id, whole_offer = int(head), rest == head
        definition = obj.get("definition")
        if definition is not None and (not isinstance(definition, dict)
                                       or set(definition) - {"name", "description", "type"}
                                       or any(not _language_map(definition[k]) for k in ("name", "description")
                                              if k in definition)
                                       or ("type" in definition and not _text(definition["type"], limit=500))):
            add("object.definition", gettext_lazy("Give name and description as language maps and type as an IRI."))
    completes = False
    if "result" in raw:
        completes = _check_result(raw["result"], add)
    context = raw.get("context")
    if context is not None:
        if not isinstance(context, dict) or set(context) - {"registration", "platform", "language"}:
            add("context", gettext_lazy("Only registration, platform and language are accepted in the context."))
        else:
            try:
                if "registration" in context:
                    uuid.UUID(str(context["registration"]))
            except ValueError:
                add("context.registration", gettext_lazy("Give the registration as a UUID."))
            if "platform" in context and not _text(context["platform"], limit=100):
                add("context.platform", gettext_lazy("Give the platform as a short text."))
            if "language" in context and not (_text(context["language"], limit=20)
                                              and LANGUAGE_RE.match(context["language"])):
                add("context.language", gettext_lazy("Give the language as a code, e.g. da-DK."))
    if "version" in raw and not (isinstance(raw["version"], str) and VERSION_RE.match(raw["version"])):
        add("version", gettext_lazy("Only xAPI version 1.0.x is accepted."))
    timestamp = now
    if "timestamp" in raw:
        found = parse_time(raw["timestamp"])
        if found is None:
            add("timestamp", gettext_lazy("Give the time as ISO 8601 with a time zone, e.g. 2026-12-05T10:30:00+01:00."))
        elif found > now + datetime.timedelta(minutes=1):
            add("timestamp", gettext_lazy("The time is in the future."))
        else:
            timestamp = found
    if errors:
        return None, errors
    verb_id = verb["id"]  # type: ignore[index]
    data = {key: raw[key] for key in sorted(raw) if key != "id"}
    data["id"] = str(statement_id)
    data["timestamp"] = timestamp.isoformat()
    return ParsedStatement(statement_id=statement_id, subject=subject, verb=verb_id, offer_id=offer_id,
                           timestamp=timestamp, timestamp_given="timestamp" in raw,
                           # Only the offer itself completes: a completed part (a module of a course) is a record.
                           completes=whole_offer and (verb_id == COMPLETED or completes), data=data), {}


def parse_body(body: bytes, *, now: datetime.datetime) -> list[ParsedStatement]:
    """The statements of a POST body, all checked; StatementRefused names every problem by index and field."""
    if len(body) > MAX_BODY_BYTES:
        raise StatementRefused("body_too_large")
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=lambda _c: None)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise StatementRefused("json_invalid") from None
    if isinstance(data, list) and not data or not isinstance(data, list | dict):
        raise StatementRefused("json_invalid")
    items = data if isinstance(data, list) else [data]
    if len(items) > MAX_STATEMENTS:
        raise StatementRefused("too_many")
    parsed, errors = [], {}
    for index, item in enumerate(items):
        statement, problems = check_statement(item, now=now)
        for field, messages in problems.items():
            errors[f"{index}.{field}" if isinstance(data, list) else field] = messages
        if statement is not None:
            parsed.append(statement)
    if errors:
        raise StatementRefused("statement_invalid", errors)
    ids = [s.statement_id for s in parsed]
    if len(set(ids)) != len(ids):
        raise StatementRefused("statement_invalid", {"id": [gettext_lazy("Two statements have the same id.")]})
    return parsed
