"""Reference data shared by all municipalities (not tenant-owned): ESCO/ISCO taxonomy and geography.

ESCO concepts are keyed by their URI: a re-import of a newer ESCO version
updates rows in place, and concepts that ESCO deprecates stay in the table
(status "deprecated", optionally `replaced_by`) so that postings, profiles and
plans that point to them keep resolving.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .labels import label_of


class Postcode(models.Model):
    code = models.CharField(_("postcode"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    municipality_code = models.CharField(_("municipality code"), max_length=4, db_index=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ConceptStatus(models.TextChoices):
    RELEASED = "released", _("Released")
    DEPRECATED = "deprecated", _("Deprecated")


class LabelSource(models.TextChoices):
    NONE = "", _("None")
    ESCO = "esco", _("Official ESCO")
    PROJECT = "project", _("The project's translation")


class DanishLabels(models.Model):
    """The concept's Danish labels, beside `preferred_label` (ESCO's label in the import language,
    English for the shared reference data). From the official Danish ESCO download (source "esco",
    always wins) or the project's own translations in `taxonomy/data/danish/` (source "project").
    Read them through `selectors.label_of`, which picks the active language."""

    preferred_label_da = models.CharField(_("Danish preferred label"), max_length=255, blank=True)
    alt_labels_da = models.JSONField(_("Danish alternative labels"), default=list, blank=True)
    labels_da_source = models.CharField(_("source of the Danish labels"), max_length=10, blank=True,
                                        choices=LabelSource.choices, default=LabelSource.NONE)

    class Meta:
        abstract = True


class IscoGroup(DanishLabels):
    """An ISCO-08 group: 1 digit (major) to 4 digits (unit group)."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, unique=True)
    uri = models.CharField(_("URI"), max_length=255, unique=True)
    preferred_label = models.CharField(_("preferred label"), max_length=255)
    alt_labels = models.JSONField(_("alternative labels"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
        verbose_name=_("broader group"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {label_of(self).text}"


class Occupation(DanishLabels):
    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    isco_group = models.ForeignKey(
        IscoGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="occupations",
        verbose_name=_("ISCO-08 group"),
    )
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True, db_index=True)
    esco_code = models.CharField(_("ESCO code"), max_length=40, blank=True)
    preferred_label = models.CharField(_("preferred label"), max_length=255)
    alt_labels = models.JSONField(_("alternative labels"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Lower-cased preferred and alternative labels (English and Danish), one per line: the label look-up searches it.
    search_labels = models.TextField(_("labels for search"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.RELEASED)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces",
        verbose_name=_("replaced by"),
    )
    broader = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="narrower",
        verbose_name=_("broader occupation"),
    )
    is_local = models.BooleanField(_("local occupation (not from ESCO)"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["preferred_label"]
        indexes = [
            models.Index(fields=["status", "preferred_label"]),
            # MAX(updated_at) is the look-up's freshness key, read on every search (taxonomy.selectors._freshness)
            models.Index(fields=["updated_at"], name="occupation_updated"),
        ]

    def __str__(self) -> str:
        return label_of(self).text  # the active language's label (admin, choice fields)

    @property
    def is_deprecated(self) -> bool:
        return self.status == ConceptStatus.DEPRECATED


class SkillGroup(DanishLabels):
    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    code = models.CharField(_("code"), max_length=40, blank=True)
    preferred_label = models.CharField(_("preferred label"), max_length=255)
    alt_labels = models.JSONField(_("alternative labels"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children", verbose_name=_("broader groups")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")
        ordering = ["preferred_label"]

    def __str__(self) -> str:
        return label_of(self).text


class Skill(DanishLabels):
    class SkillType(models.TextChoices):
        SKILL = "skill/competence", _("Skill or competence")
        KNOWLEDGE = "knowledge", _("Knowledge")
        LANGUAGE = "language", _("Language")
        ATTITUDE = "attitude", _("Attitude")
        UNKNOWN = "", _("Not stated")

    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    preferred_label = models.CharField(_("preferred label"), max_length=255)
    alt_labels = models.JSONField(_("alternative labels"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Text used for semantic search (labels and description together).
    search_text = models.TextField(_("text for semantic search"), blank=True)
    search_labels = models.TextField(_("labels for search"), blank=True)
    skill_type = models.CharField(_("skill type"), max_length=20, choices=SkillType.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.RELEASED)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces",
        verbose_name=_("replaced by"),
    )
    groups = models.ManyToManyField(SkillGroup, blank=True, related_name="skills", verbose_name=_("skill groups"))
    broader = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="narrower", verbose_name=_("broader skills")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["preferred_label"]
        indexes = [models.Index(fields=["updated_at"], name="skill_updated")]

    def __str__(self) -> str:
        return label_of(self).text


class RelationType(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class SkillRelation(models.Model):
    """`requiring` needs `required` (ESCO skill-to-skill relation)."""

    requiring = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requires", verbose_name=_("skill"))
    required = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="required_by", verbose_name=_("required skill"))
    relation_type = models.CharField(_("relation"), max_length=20, choices=RelationType.choices)

    class Meta:
        verbose_name = _("skill relation")
        verbose_name_plural = _("skill relations")
        constraints = [models.UniqueConstraint(fields=["requiring", "required"], name="unique_skill_relation")]

    def __str__(self) -> str:
        return f"{self.requiring_id} -> {self.required_id} ({self.relation_type})"


class OccupationSkill(models.Model):
    """ESCO occupation-to-skill relation (essential or optional)."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_relations", verbose_name=_("occupation"))
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_relations", verbose_name=_("skill"))
    relation_type = models.CharField(_("relation"), max_length=20, choices=RelationType.choices)

    class Meta:
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="unique_occupation_skill")]

    def __str__(self) -> str:
        return f"{self.occupation_id} -> {self.skill_id} ({self.relation_type})"


class DanishJobTitle(models.Model):
    """A common Danish job title authored by the project, mapped to ISCO-08 and (where found) ESCO."""

    title = models.CharField(_("job title"), max_length=150, unique=True)
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4)
    occupation_uri = models.CharField(_("ESCO URI"), max_length=255, blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.SET_NULL, null=True, blank=True, related_name="danish_titles",
        verbose_name=_("occupation"),
    )
    search_title = models.CharField(_("title for search"), max_length=150, db_index=True)

    class Meta:
        verbose_name = _("Danish job title")
        verbose_name_plural = _("Danish job titles")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Embedding(models.Model):
    """Cache of text embeddings, keyed by the hash of (kind, text) and the model version.

    Vectors are float32, L2-normalised, stored as raw bytes. Texts are not
    stored: the cache holds no personal data even when a profile text is embedded.
    """

    text_hash = models.CharField(_("text hash"), max_length=64)
    model_version = models.CharField(_("model version"), max_length=60)
    vector = models.BinaryField(_("vector"))
    # "query" (search input, profile texts: purged after EMBEDDING_QUERY_RETENTION_DAYS) or "passage"
    # (documents: occupations, skills, postings; kept). Rows from before the field have "".
    kind = models.CharField(_("kind"), max_length=10, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(fields=["text_hash", "model_version"], name="unique_embedding_per_model")
        ]
        indexes = [models.Index(fields=["kind", "created_at"], name="embedding_kind_age")]

    def __str__(self) -> str:
        return f"{self.text_hash[:12]} ({self.model_version})"
