"""What other apps send to and get back from notifications. Frozen dataclasses; no Django imports.

The public entry point is `jobunivers.notifications.services.notify`:

    from jobunivers.notifications.services import notify
    from jobunivers.notifications.contracts import Kind

    result = notify(
        municipality_id=municipality.pk,
        citizen_id=citizen.pk,                 # or citizen_user_id=user.pk (exactly one of the two)
        kind=Kind.SUMMONS,                     # one of KINDS below
        subject_key=f"summons:{summons.pk}",   # what the notice is about; with kind and citizen it is the
                                               # idempotency key: calling notify twice queues nothing new
        title="Du er indkaldt til en samtale", # shown in the in-app inbox only
        body="...",                            # shown in the in-app inbox only
        link="/aarhus/...",                    # where the inbox item leads (a path on this site)
        channels=None,                         # None: the citizen's preferences; or a subset of CHANNELS
    )
    result.created     # False when this notice already existed (nothing was queued again)
    result.queued      # {"email": "queued", "sms": "digest", ...} per channel for a new notice

Guarantees (stable; tests in notifications/tests/test_delivery.py):
- The in-app inbox always gets the notice; e-mail, push and SMS follow the citizen's preferences
  (per kind and channel: right away, daily or weekly digest, off) and quiet hours (push, SMS).
- A citizen never receives the same notice twice on a channel: the outbox has a unique
  (citizen, kind, subject_key, channel) key, also across crashes, retries and concurrent workers.
- Title and body never leave the platform: e-mail, push and SMS carry a neutral text ("You have a
  new message from Jobcenter X") and a link to the inbox, so no sensitive data is sent out.
- notify runs inside the caller's transaction; deliveries are enqueued when it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Channel:
    IN_APP = "in_app"
    EMAIL = "email"
    PUSH = "push"
    SMS = "sms"


CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.PUSH, Channel.SMS)
# Channels the citizen chooses; the inbox is always on.
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.PUSH, Channel.SMS)


class Frequency:
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


FREQUENCIES = (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF)


class Kind:
    JOB_MATCH = "job_match"  # a new or changed posting matches the citizen (matching's fan-out)
    JOB_SUGGESTION = "job_suggestion"  # staff suggest a job to the citizen
    SUMMONS = "summons"  # the job centre summons the citizen to a conversation
    AVAILABILITY = "availability"  # availability deadline near or passed
    MESSAGE = "message"  # a new message in a dialogue with the job centre
    GENERAL = "general"  # news and notices from the job centre (bulk pushes)
    FEEDBACK = "feedback"  # one question about an interaction the citizen just had (feedback's pulse)
    LEARNING = "learning"  # a reminder to continue a learning module the citizen started (learning's nudge)
    COFFEE = "coffee"  # an employer's coffee-meeting invitation that fits the citizen, and its booked time (coffee)
    JOURNEY = "journey"  # a step of the nudge journey the citizen is on (journeys' engine)
    INTERNSHIP = "internship"  # an internship place that fits, the job centre's decision, jobs during/after (internships)


@dataclass(frozen=True)
class KindSpec:
    code: str
    # Default frequency per optional channel when the citizen has not chosen.
    defaults: dict[str, str] = field(default_factory=dict)


KINDS: dict[str, KindSpec] = {
    Kind.JOB_MATCH: KindSpec(Kind.JOB_MATCH, {Channel.EMAIL: Frequency.DAILY, Channel.PUSH: Frequency.OFF,
                                              Channel.SMS: Frequency.OFF}),
    Kind.JOB_SUGGESTION: KindSpec(Kind.JOB_SUGGESTION, {Channel.EMAIL: Frequency.IMMEDIATE,
                                                        Channel.PUSH: Frequency.OFF, Channel.SMS: Frequency.OFF}),
    Kind.SUMMONS: KindSpec(Kind.SUMMONS, {Channel.EMAIL: Frequency.IMMEDIATE, Channel.PUSH: Frequency.OFF,
                                          Channel.SMS: Frequency.IMMEDIATE}),
    Kind.AVAILABILITY: KindSpec(Kind.AVAILABILITY, {Channel.EMAIL: Frequency.IMMEDIATE,
                                                    Channel.PUSH: Frequency.OFF, Channel.SMS: Frequency.OFF}),
    Kind.MESSAGE: KindSpec(Kind.MESSAGE, {Channel.EMAIL: Frequency.IMMEDIATE, Channel.PUSH: Frequency.OFF,
                                          Channel.SMS: Frequency.OFF}),
    Kind.GENERAL: KindSpec(Kind.GENERAL, {Channel.EMAIL: Frequency.WEEKLY, Channel.PUSH: Frequency.OFF,
                                          Channel.SMS: Frequency.OFF}),
    # A pulse is worth little a week later, and never worth a text message or a push by default.
    Kind.FEEDBACK: KindSpec(Kind.FEEDBACK, {Channel.EMAIL: Frequency.DAILY, Channel.PUSH: Frequency.OFF,
                                            Channel.SMS: Frequency.OFF}),
    # A daily nudge: in the inbox always, by e-mail only in the morning digest unless the citizen chooses more.
    Kind.LEARNING: KindSpec(Kind.LEARNING, {Channel.EMAIL: Frequency.DAILY, Channel.PUSH: Frequency.OFF,
                                            Channel.SMS: Frequency.OFF}),
    # An invitation waits for an answer for days; a booked meeting is worth an e-mail at once.
    Kind.COFFEE: KindSpec(Kind.COFFEE, {Channel.EMAIL: Frequency.IMMEDIATE, Channel.PUSH: Frequency.OFF,
                                        Channel.SMS: Frequency.OFF}),
    # A journey's steps are suggestions: in the inbox always, by e-mail in the morning digest unless chosen.
    Kind.JOURNEY: KindSpec(Kind.JOURNEY, {Channel.EMAIL: Frequency.DAILY, Channel.PUSH: Frequency.OFF,
                                          Channel.SMS: Frequency.OFF}),
    # An internship place waits for days; the job centre's decision is worth an e-mail at once.
    Kind.INTERNSHIP: KindSpec(Kind.INTERNSHIP, {Channel.EMAIL: Frequency.IMMEDIATE, Channel.PUSH: Frequency.OFF,
                                                Channel.SMS: Frequency.OFF}),
}


@dataclass(frozen=True)
class NotifyResult:
    notification_id: int
    created: bool
    # channel -> status of the delivery that was queued now ("sent" for the inbox, "queued",
    # "digest", "cancelled"); empty when the notice already existed.
    queued: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """One notice for notify_many (bulk, used by fan-out): the same fields as notify's."""

    citizen_user_id: int
    kind: str
    subject_key: str
    title: str
    body: str = ""
    link: str = ""


@dataclass(frozen=True)
class DeliveryView:
    """A delivery's status as the citizen and staff see it."""

    notification_id: int
    title: str
    kind: str
    channel: str
    status: str
    attempts: int
    reason: str
    created_at: object
    sent_at: object | None


@dataclass(frozen=True)
class OutboxBacklog:
    """Deliveries not yet sent, for the operators' metrics: counts by (status, channel) and how long
    the oldest delivery that is due has waited (None: nothing due). No personal data."""

    by_status_and_channel: dict[tuple[str, str], int]
    oldest_due_seconds: float | None
