"""Microlearning (issue 18, ADR 0093): modules of short lessons with a quiz each, the citizen's enrolment and
progress, and the learning records (xAPI statements) vendors report for their marketplace offers.

Modules, lessons and questions are content, not personal data. The national library
(`owner_municipality` empty) is shared by every municipality; a municipality may add its own modules, which
only its citizens see (the marketplace separates its national library and local offers the same way).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel, TimeStampedModel

LESSON_MINUTES_MAX = 12


def _shown(danish, english):
    """The English text when the reader reads English and there is one, else the Danish (Danish first)."""
    return english if english and (get_language() or "").startswith("en") else danish


class ModuleStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Module(TimeStampedModel):
    """A module of lessons. Loaded from the data files (national) or a municipality's own file (local)."""

    owner_municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("municipality (own module)"),
                                           help_text=_("Empty for the national library."))
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_da = models.CharField(_("summary (Danish)"), max_length=500)
    summary_en = models.CharField(_("summary (English)"), max_length=500)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    legal_refs = models.JSONField(_("legal references"), default=list, blank=True)
    last_reviewed = models.DateField(_("last reviewed"))
    owner = models.CharField(_("written by"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=ModuleStatus.choices,
                              default=ModuleStatus.PUBLISHED)

    class Meta:
        verbose_name = _("learning module")
        verbose_name_plural = _("learning modules")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(owner_municipality__isnull=True),
                                    name="learning_national_module_key_once"),
            models.UniqueConstraint(fields=["owner_municipality", "key"], condition=Q(owner_municipality__isnull=False),
                                    name="learning_local_module_key_once"),
        ]

    def __str__(self) -> str:
        return self.title_da

    @property
    def title(self) -> str:
        return _shown(self.title_da, self.title_en)

    @property
    def summary(self) -> str:
        return _shown(self.summary_da, self.summary_en)


class Lesson(TimeStampedModel):
    """One lesson of at most 12 minutes: a text, optionally a video link, and a short quiz."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module"))
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveSmallIntegerField(_("order"))
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(1),
                                                                         MaxValueValidator(LESSON_MINUTES_MAX)])
    body_da = models.TextField(_("text (Danish)"), max_length=12000)
    body_en = models.TextField(_("text (English)"), max_length=12000, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "key"], name="learning_lesson_key_once"),
            models.UniqueConstraint(fields=["module", "position"], name="learning_lesson_position_once"),
            models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=LESSON_MINUTES_MAX),
                                   name="learning_lesson_at_most_12_minutes"),
        ]

    def __str__(self) -> str:
        return self.title_da

    @property
    def title(self) -> str:
        return _shown(self.title_da, self.title_en)

    @property
    def body(self) -> str:
        return _shown(self.body_da, self.body_en)


class Question(TimeStampedModel):
    """A multiple-choice question of a lesson's quiz; `correct` is the index of the right choice."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("lesson"))
    position = models.PositiveSmallIntegerField(_("order"))
    text_da = models.CharField(_("question (Danish)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    choices_da = models.JSONField(_("choices (Danish)"))
    choices_en = models.JSONField(_("choices (English)"), default=list, blank=True)
    correct = models.PositiveSmallIntegerField(_("right choice"))
    explanation_da = models.CharField(_("explanation (Danish)"), max_length=1000)
    explanation_en = models.CharField(_("explanation (English)"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["lesson_id", "position"]
        constraints = [models.UniqueConstraint(fields=["lesson", "position"], name="learning_question_position_once")]

    @property
    def text(self) -> str:
        return _shown(self.text_da, self.text_en)

    @property
    def choices(self) -> list[str]:
        return list(_shown(self.choices_da, self.choices_en))

    @property
    def explanation(self) -> str:
        return _shown(self.explanation_da, self.explanation_en)


class EnrolmentStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the job centre")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Left")


class ModuleEnrolment(TenantOwnedModel):
    """A citizen follows a module. `share_progress`: the citizen lets the job centre see lessons and quiz
    results (the plan item, which the job centre sees anyway, only says enrolled, in progress or done)."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("module"))
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)  # empty while only suggested
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("left"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))
    share_progress = models.BooleanField(_("the job centre may see my progress"), default=False)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))
    suggested_at = models.DateTimeField(_("suggested"), null=True, blank=True)
    nudges_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_nudged_on = models.DateField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment in a learning module")
        verbose_name_plural = _("enrolments in learning modules")
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["citizen", "module"], name="learning_one_enrolment_per_module")]
        indexes = [models.Index(fields=["municipality", "status", "last_activity_at"], name="learning_enrol_msl")]

    @property
    def is_started(self) -> bool:
        """Enrolled or completed: the lessons and the quiz are open to the citizen."""
        return self.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class LessonProgress(TenantOwnedModel):
    """How far a citizen got in one lesson: read, quiz answered (best score), passed."""

    enrolment = models.ForeignKey(ModuleEnrolment, on_delete=models.CASCADE, related_name="progress",
                                  verbose_name=_("enrolment"))
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("quiz attempts"), default=0)
    best_score = models.PositiveSmallIntegerField(_("best quiz score"), default=0)
    last_score = models.PositiveSmallIntegerField(_("last quiz score"), default=0)
    last_answers = models.JSONField(_("last answers"), default=list, blank=True)
    passed_at = models.DateTimeField(_("quiz passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress in a lesson")
        verbose_name_plural = _("progress in lessons")
        ordering = ["enrolment_id", "lesson__position"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_progress_once")]
class Statement(TenantOwnedModel):
    """One learning record (an xAPI statement) a vendor reported for a citizen enrolled in its offer.

    Stored as the validated JSON the vendor sent, plus the fields it is looked up by. `subject` is the
    citizen's pseudonym towards the vendor (the `sub` of the signed launch); `citizen` is nulled when the
    citizen is erased, as the marketplace's use events are."""

    statement_id = models.UUIDField(_("statement id"))
    vendor = models.ForeignKey("marketplace.Vendor", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("vendor"))
    offer = models.ForeignKey("marketplace.Offer", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("offer"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("citizen"))
    subject = models.CharField(_("pseudonymous citizen"), max_length=64)
    verb = models.CharField(_("verb"), max_length=200)
    timestamp = models.DateTimeField(_("happened"))
    stored = models.DateTimeField(_("stored"))
    data = models.JSONField(pgettext_lazy("xAPI", "statement"))
    via = models.CharField(_("reported with key"), max_length=40)

    class Meta:
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        ordering = ["-stored", "-id"]
        constraints = [models.UniqueConstraint(fields=["vendor", "statement_id"],
                                               name="learning_statement_id_once_per_vendor")]
        indexes = [models.Index(fields=["vendor", "stored"], name="learning_stmt_vendor_stored"),
                   models.Index(fields=["offer", "subject"], name="learning_stmt_offer_subject")]




# --- Interview practice (issue 18, ADR 0114) -------------------------------------------------------------

class InterviewStatus(models.TextChoices):
    ANSWERING = "answering", _("Answering the questions")
    REVIEWING = "reviewing", _("Reviewing the answers")
    DONE = "done", _("Done")


class InterviewSession(TenantOwnedModel):
    """A citizen practises a job interview for one job: the questions drawn from the bank (kept as they were
    asked, so a later change of the bank's texts does not change a session), then a self-review."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    job_title = models.CharField(_("job"), max_length=200)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True)
    posting_id = models.PositiveBigIntegerField(_("job ad"), null=True, blank=True)
    group_key = models.CharField(_("group of questions"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InterviewStatus.choices,
                              default=InterviewStatus.ANSWERING)
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("self-review saved"), null=True, blank=True)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("interview practice")
        verbose_name_plural = _("interview practices")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["citizen", "started_at"], name="learning_interview_citizen"),
                   models.Index(fields=["municipality", "status", "started_at"], name="learning_interview_msl")]

    def __str__(self) -> str:
        return self.job_title


class InterviewAnswer(TenantOwnedModel):
    """One question of a practice and the citizen's answer: a text, or "answered aloud" (a recording stays
    on the citizen's device unless they share it: InterviewRecording), and which of the points they covered."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="answers",
                                verbose_name=_("interview practice"))
    position = models.PositiveSmallIntegerField(_("order"))
    question_key = models.CharField(_("question"), max_length=40)
    question_text = models.CharField(_("question text"), max_length=200)
    points = models.JSONField(_("what a good answer covers"), default=list)
    tip = models.CharField(_("tip"), max_length=200)
    text = models.TextField(_("answer"), max_length=3000, blank=True)
    spoken = models.BooleanField(_("answered aloud"), default=False)
    covered = models.JSONField(_("points covered"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer in an interview practice")
        verbose_name_plural = _("answers in interview practices")
        ordering = ["session_id", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="learning_interview_answer_once")]


class InterviewRecording(TenantOwnedModel):
    """A recording of one answer that the citizen chose to share with their job centre's advisers (ADR 0135).
    The bytes live under PRIVATE_MEDIA_ROOT/interview under a random name, served only through a view; the
    type was decided from the content. One per answer: sharing again replaces it; withdrawing deletes it."""

    answer = models.OneToOneField(InterviewAnswer, on_delete=models.CASCADE, related_name="recording",
                                  verbose_name=_("answer in an interview practice"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    storage_name = models.CharField(_("stored as"), max_length=100, unique=True)
    content_type = models.CharField(_("file type"), max_length=40)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    shared_at = models.DateTimeField(_("shared"))
    consent_version = models.CharField(_("version of the consent text"), max_length=20)

    class Meta:
        verbose_name = _("shared recording of an interview answer")
        verbose_name_plural = _("shared recordings of interview answers")
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["citizen", "shared_at"], name="learning_recording_citizen")]

    def __str__(self) -> str:
        return self.storage_name
