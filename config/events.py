"""The one place where events are wired to their handlers (see core/events.py).

    from jobunivers.core.events import subscribe
    subscribe(PostingPublished, matching_handlers.on_posting_published)
"""

# Availability checks (issue 8): explicit citizen actions restart the counting period; the staff
# worklist keeps a copy of each state change (availability and caseworker never import each other).
from jobunivers.availability.contracts import AvailabilityStateChanged  # noqa: E402
from jobunivers.availability.services import on_job_log_entry_added  # noqa: E402
from jobunivers.caseworker.handlers import on_availability_state_changed  # noqa: E402
from jobunivers.citizens.contracts import JobLogEntryAdded  # noqa: E402
from jobunivers.core.events import subscribe  # noqa: E402

subscribe(JobLogEntryAdded, on_job_log_entry_added)
subscribe(AvailabilityStateChanged, on_availability_state_changed)

# Segmentation (issue 7): a suggestion when onboarding is completed; notices to citizens are
# delivered by notifications (same layer as segmentation, so the adapter lives here).
from jobunivers.citizens.contracts import OnboardingCompleted  # noqa: E402
from jobunivers.segmentation.contracts import CitizenNotices  # noqa: E402
from jobunivers.segmentation.services import on_onboarding_completed  # noqa: E402


def deliver_segmentation_notices(event: CitizenNotices) -> None:
    import logging

    from jobunivers.core.errors import ValidationFailed
    from jobunivers.notifications.contracts import Kind, Notice
    from jobunivers.notifications.services import notify_many

    try:
        notify_many(municipality_id=event.municipality_id, notices=[
            Notice(citizen_user_id=n.citizen_user_id, kind=Kind.GENERAL, subject_key=n.subject_key,
                   title=n.title, body=n.body, link=n.link) for n in event.notices])
    except ValidationFailed:  # a notice must never undo the decision that caused it
        logging.getLogger(__name__).exception("segmentation notices were refused by notifications")


subscribe(OnboardingCompleted, on_onboarding_completed)
subscribe(CitizenNotices, deliver_segmentation_notices)

# Matching (issues 6, 12): the postings of one write (a whole import run) are matched against
# citizens in batches, and notices are queued through the notifications outbox (one per citizen and
# posting, whatever repeats; at most the cap per citizen across the run).
# Employers (issue 20) link the write's postings to their organisation before matching fans them out
# (fan-out finds followers from the postings themselves, so the order is a convenience, not a need).
from jobunivers.employers.services import on_postings_published as index_organisations  # noqa: E402
from jobunivers.jobs.contracts import PostingsPublished  # noqa: E402
from jobunivers.matching.handlers import on_postings_published  # noqa: E402

subscribe(PostingsPublished, index_organisations)
subscribe(PostingsPublished, on_postings_published)

# Embeddings (issue 12): jobs.services publishes, jobs.tasks queues the work, so services never
# import tasks (no import cycle inside jobs; tests/architecture/test_no_cycles.py).
from jobunivers.jobs.contracts import PostingEmbeddingsWanted  # noqa: E402
from jobunivers.jobs.tasks import on_embeddings_wanted  # noqa: E402

subscribe(PostingEmbeddingsWanted, on_embeddings_wanted)

# Identity (issue 3): the first MitID sign-in creates the citizen's record in the citizens app.
from jobunivers.accounts.events import CitizenSignedIn  # noqa: E402
from jobunivers.citizens.services import on_citizen_signed_in  # noqa: E402

subscribe(CitizenSignedIn, on_citizen_signed_in)

# Advice (issue 20): the personal diagnosis is computed again when the citizen's own facts change.
from jobunivers.advice.tasks import on_facts_changed  # noqa: E402
from jobunivers.citizens.contracts import ProfileChanged  # noqa: E402

subscribe(JobLogEntryAdded, on_facts_changed)
subscribe(ProfileChanged, on_facts_changed)

# Matching (issue 20): the profile's text is embedded when it changes, not on the next start page.
from jobunivers.matching.handlers import on_profile_changed  # noqa: E402

subscribe(ProfileChanged, on_profile_changed)
subscribe(OnboardingCompleted, on_facts_changed)

# Feedback (issue 19): a pulse after each interaction. The apps below publish their own events; feedback's
# handlers read them by attribute (feedback.contracts says which); the learning app's ModuleCompleted is
# its "course or lesson completed".
from jobunivers.assistant.contracts import AnswerGiven  # noqa: E402
from jobunivers.booking.contracts import BookingHeld  # noqa: E402
from jobunivers.caseworker.contracts import SummonsHeld  # noqa: E402
from jobunivers.dialogue.contracts import MessageAnswered  # noqa: E402
from jobunivers.feedback import handlers as feedback_handlers  # noqa: E402
from jobunivers.marketplace.contracts import UseRecorded  # noqa: E402

subscribe(BookingHeld, feedback_handlers.on_booking_held)
subscribe(SummonsHeld, feedback_handlers.on_summons_held)
subscribe(MessageAnswered, feedback_handlers.on_message_answered)
subscribe(AnswerGiven, feedback_handlers.on_answer_given)
subscribe(UseRecorded, feedback_handlers.on_marketplace_use)

from jobunivers.learning.contracts import ModuleCompleted  # noqa: E402

subscribe(ModuleCompleted, feedback_handlers.on_learning_completed)

# Courses and job clubs (issue 18, ADR 0120): a completed blended course is a "course completed" for the pulse,
# read by the same attributes as a learning module (item_kind "course").
from jobunivers.groups.contracts import CourseCompleted  # noqa: E402

subscribe(CourseCompleted, feedback_handlers.on_learning_completed)

# Internships (issue 18): a pulse after a completed internship. Coffee meetings publish no event when a meeting
# took place (coffee.contracts has only the funnel's counts), so they get no pulse yet.
from jobunivers.internships.contracts import InternshipCompleted  # noqa: E402

subscribe(InternshipCompleted, feedback_handlers.on_internship_completed)


# Learning records (issue 18, ADR 0095): the xAPI statements endpoint of learning asks the marketplace (the
# same layer, so never imported by learning) for the vendor's reporting key, the citizen behind a pseudonym
# and the recording of a completion; this adapter answers with the marketplace's own functions.
from jobunivers.learning import contracts as learning_contracts  # noqa: E402


class MarketplaceVendorGateway(learning_contracts.VendorGateway):
    def authenticate(self, *, key_id, timestamp, signature, body, now):
        from jobunivers.marketplace import reporting

        try:
            key = reporting.authenticate(key_id=key_id, timestamp=timestamp, signature=signature, body=body, now=now)
        except reporting.ReportRefused as error:
            raise learning_contracts.GatewayRefused("key_missing" if error.code == "key_missing"
                                                    else "key_invalid") from None
        return learning_contracts.Reporter(vendor_id=key.vendor_id, key_id=key.key_id)

    def enrolled_citizen(self, *, vendor_id, offer_id, subject):
        from jobunivers.marketplace.selectors import enrolment_for_pseudonym

        found = enrolment_for_pseudonym(vendor_id=vendor_id, offer_id=offer_id, subject=subject)
        if isinstance(found, str):
            raise learning_contracts.GatewayRefused(found)
        municipality_id, citizen_id, enrolment_id = found
        return learning_contracts.EnrolledCitizen(municipality_id=municipality_id, citizen_id=citizen_id,
                                                  enrolment_id=enrolment_id)

    def enrolled_citizens(self, *, vendor_id, keys):
        from jobunivers.marketplace.selectors import enrolments_for_pseudonyms

        return {key: (learning_contracts.GatewayRefused(found) if isinstance(found, str)
                      else learning_contracts.EnrolledCitizen(municipality_id=found[0], citizen_id=found[1],
                                                              enrolment_id=found[2]))
                for key, found in enrolments_for_pseudonyms(vendor_id=vendor_id, keys=keys).items()}

    def record_completion(self, *, vendor_id, offer_id, subject, event_id, occurred_at, via):
        from decimal import Decimal

        from jobunivers.marketplace import reporting

        report = reporting.ReportedUse(event_id=event_id, subject=subject, offer_id=offer_id, kind="completed",
                                       quantity=Decimal(1), occurred_at=occurred_at)
        try:
            reporting.record_reported_use(vendor_id=vendor_id, report=report, via=via)
        except reporting.ReportRefused as error:
            if error.code == "enrolment_ended":
                return  # completed (or left) before: the statement is a record, the enrolment stays as it is
            raise learning_contracts.GatewayRefused(
                error.code if error.code in ("before_enrolment", "month_settled") else "statement_invalid") from None

    def key_used(self, *, key_id, now):
        from jobunivers.marketplace.reporting import callback_key_used

        callback_key_used(key_id=key_id, now=now)


learning_contracts.register_vendor_gateway(MarketplaceVendorGateway())


# Journeys (issue 19): exits when a spell ends in a job (analytics) or the track changes (segmentation), a step's
# condition "completed" from learning, and a journey's "ask for feedback" step handed to feedback's pulse
# (journeys and feedback share a layer, so this adapter joins them).
from jobunivers.analytics.contracts import OutcomeRecorded  # noqa: E402
from jobunivers.journeys import handlers as journey_handlers  # noqa: E402
from jobunivers.journeys.contracts import FeedbackWanted  # noqa: E402
from jobunivers.segmentation.contracts import TrackDecided  # noqa: E402

subscribe(OutcomeRecorded, journey_handlers.on_outcome_recorded)
subscribe(TrackDecided, journey_handlers.on_track_decided)
subscribe(ModuleCompleted, journey_handlers.on_module_completed)


def ask_journey_feedback(event: FeedbackWanted) -> None:
    from jobunivers.feedback.contracts import Interaction
    from jobunivers.feedback.services import pulse_request

    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=event.kind,
        interaction_key=event.interaction_key, service_key=event.service_key, service_label=event.service_label,
        occurred_at=event.occurred_at))


subscribe(FeedbackWanted, ask_journey_feedback)

# The results page of a journey experiment gets its statistics from analytics (a higher layer) through this hook.
from jobunivers.analytics.journey_results import JourneyResultsAnalyser  # noqa: E402
from jobunivers.journeys.contracts import register_results_analyser  # noqa: E402

register_results_analyser(JourneyResultsAnalyser())

# Internships (issue 18, ADR 0125): an internship that led to an ordinary job is an outcome in analytics, as the
# employer's or the job centre's own source (ADR 0097); analytics then publishes OutcomeRecorded for journeys.
from jobunivers.analytics.services import on_internship_job_recorded  # noqa: E402
from jobunivers.internships.contracts import InternshipJobRecorded  # noqa: E402

subscribe(InternshipJobRecorded, on_internship_job_recorded)
