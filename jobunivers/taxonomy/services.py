"""Writes for reference data: postcodes, ESCO (occupations, skills, groups, relations), Danish job titles."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from . import selectors
from .models import Postcode


@dataclass
class PostcodeImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def _rows_from_csv(text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"postcode", "name", "lat", "lon"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationFailed(_("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))})
    return [(f"line {i + 2}", {"code": r["postcode"], "name": r["name"], "lat": r["lat"], "lon": r["lon"],
                               "municipality_code": r.get("municipality_code", "")}) for i, r in enumerate(reader)]


def _rows_from_dawa(text: str) -> list[tuple[str, dict]]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValidationFailed(_("DAWA JSON must be a list of postcodes."))
    rows = []
    for i, item in enumerate(data):
        item = item if isinstance(item, dict) else {}
        centre = item.get("visueltcenter") or [None, None]
        kommuner = item.get("kommuner") or [{}]
        rows.append((f"item {i + 1}", {"code": item.get("nr", ""), "name": item.get("navn", ""),
                                       "lon": centre[0], "lat": centre[1] if len(centre) > 1 else None,
                                       "municipality_code": (kommuner[0] or {}).get("kode", "")}))
    return rows


def postcodes_import(*, text: str, file_format: str = "csv") -> PostcodeImportReport:
    """Import postcodes from the project CSV or DAWA's /postnumre JSON. A broken file changes nothing."""
    try:
        rows = _rows_from_dawa(text) if file_format == "dawa" else _rows_from_csv(text)
    except (json.JSONDecodeError, csv.Error) as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    report = PostcodeImportReport()
    existing = {p.code: p for p in Postcode.objects.all()}
    with transaction.atomic():
        for position, row in rows:
            code = str(row["code"] or "").strip()
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                report.skipped.append(f"{position}: " + _("coordinates are not numbers"))
                continue
            if not (code.isdigit() and len(code) == 4) or not row["name"]:
                report.skipped.append(f"{position}: " + _("needs a 4-digit postcode and a name"))
                continue
            values = {"name": row["name"].strip(), "latitude": lat, "longitude": lon,
                      "municipality_code": str(row["municipality_code"] or "").zfill(4)}
            if code in existing:
                Postcode.objects.filter(pk=existing[code].pk).update(**values)
                report.updated += 1
            else:
                Postcode.objects.create(code=code, **values)
                report.created += 1
    selectors.clear_place_cache()
    return report


# --- ESCO -----------------------------------------------------------------------------------------


@dataclass
class EscoImportReport:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    deprecated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    danish_labels: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0})
        self.counts[kind][what] = self.counts[kind].get(what, 0) + n

    def summary(self) -> str:
        parts = [f"{kind}: {c.get('created', 0)} created, {c.get('updated', 0)} updated" for kind, c in self.counts.items()]
        parts += [f"{kind}: {n} deprecated" for kind, n in self.deprecated.items() if n]
        if self.danish_labels:
            parts.append("project's Danish labels: " + ", ".join(f"{k} {n}" for k, n in self.danish_labels.items()))
        return "; ".join(parts)


def _localise(rows: dict[str, dict], language: str, existing: set[str]) -> dict[str, dict]:
    """Rows read from a Danish ESCO file go to the Danish label fields (source "esco": the official
    labels, never overwritten by the project's translations); a concept that is new gets them as its
    `preferred_label` too, which must not be empty. Other languages keep filling `preferred_label`."""
    if language != "da":
        return rows
    from .models import LabelSource

    for key, data in rows.items():
        data["preferred_label_da"] = data["preferred_label"]
        data["alt_labels_da"] = data["alt_labels"]
        data["labels_da_source"] = LabelSource.ESCO
        if key in existing:
            for name in ("preferred_label", "alt_labels", "description"):
                data.pop(name, None)
    return rows


def _all_search_labels(concept) -> str:
    return _search_labels(concept.preferred_label, [*concept.alt_labels, concept.preferred_label_da, *concept.alt_labels_da])


def _refresh_search_labels(model) -> int:
    """`search_labels` from the English and Danish labels, written where it changed."""
    changed = []
    for concept in model.objects.only("id", "preferred_label", "alt_labels", "preferred_label_da", "alt_labels_da",
                                      "search_labels").iterator(chunk_size=2000):
        labels = _all_search_labels(concept)
        if labels != concept.search_labels:
            concept.search_labels = labels
            changed.append(concept)
    model.objects.bulk_update(changed, ["search_labels"], batch_size=1000)
    return len(changed)


def _name(path: Path | None) -> str:
    return path.name if path is not None else ""


def _search_labels(preferred: str, alternatives: list[str]) -> str:
    return "\n".join(dict.fromkeys(label.lower() for label in [preferred, *alternatives] if label))


def _upsert(model, rows: dict[str, dict], report: EscoImportReport, kind: str, key: str = "uri") -> dict[str, int]:
    """Create or update rows keyed by `key` (URI or code); returns key -> id for everything in the table."""
    existing = {getattr(o, key): o for o in model.objects.all()}
    create, update = [], []
    fields: set[str] = set()
    for value, data in rows.items():
        obj = existing.get(value)
        if obj is None:
            create.append(model(**{key: value}, **data))
        else:
            changed = False
            for name, new in data.items():
                if getattr(obj, name) != new:
                    setattr(obj, name, new)
                    fields.add(name)
                    changed = True
            if changed:
                update.append(obj)
    model.objects.bulk_create(create, batch_size=500)
    if update:
        model.objects.bulk_update(update, sorted(fields | {"updated_at"}) if hasattr(model, "updated_at") else sorted(fields), batch_size=500)
    report.count(kind, "created", len(create))
    report.count(kind, "updated", len(update))
    return dict(model.objects.values_list(key, "id"))


def _deprecate_missing(model, present: set[str], report: EscoImportReport, kind: str, extra=None) -> None:
    from .models import ConceptStatus

    queryset = model.objects.exclude(uri__in=present).filter(status=ConceptStatus.RELEASED)
    if extra:
        queryset = queryset.filter(**extra)
    report.deprecated[kind] = queryset.update(status=ConceptStatus.DEPRECATED)


def esco_import(*, directory: Path, deprecate_missing: bool = True, project_labels: bool = True) -> EscoImportReport:
    """Import ESCO from a directory of CSV files (official download or Tabiya), upserting on URI.

    All in one transaction: a file that cannot be read changes nothing. Concepts of
    an imported kind that are no longer in the files are marked deprecated, not deleted.
    Files of the official Danish download (`*_da.csv`) fill the Danish labels; then, with
    `project_labels`, the project's own Danish labels fill those of every concept that has no
    official Danish label (`danish_labels_import`).
    """
    from . import esco
    from .models import IscoGroup, Occupation, Skill, SkillGroup

    if not directory.is_dir():
        raise ValidationFailed(_("%(path)s is not a directory.") % {"path": directory})
    files = esco.find_files(directory)
    if not (files.occupations or files.isco_groups or files.skills or files.skills_text or files.skill_groups):
        raise ValidationFailed(_("No ESCO files were found in %(path)s.") % {"path": directory})
    report = EscoImportReport()
    try:
        data = {name: esco.read_rows(path) for name, path in vars(files).items() if isinstance(path, Path)}
    except (csv.Error, UnicodeDecodeError) as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    local_ids: dict[str, tuple[str, str]] = {}  # Tabiya ID -> (kind, uri or code)

    with transaction.atomic():
        if "isco_groups" in data:
            rows: dict[str, dict] = {}
            for position, row in enumerate(data["isco_groups"], start=2):
                code = (row.get("code") or "").strip()
                if not code.isdigit() or len(code) > 4:
                    report.skipped.append(f"{_name(files.isco_groups)} line {position}: " + _("ISCO code missing or invalid"))
                    continue
                rows[code] = {"uri": esco.concept_uri(row) or f"http://data.europa.eu/esco/isco/C{code}",
                              "preferred_label": (row.get("preferredlabel") or "").strip()[:255],
                              "alt_labels": esco.split_labels(row.get("altlabels", "")),
                              "description": row.get("description", "")}
                if row.get("id"):
                    local_ids[row["id"]] = ("iscogroup", code)
            rows = _localise(rows, esco.language_of(files.isco_groups), set(IscoGroup.objects.values_list("code", flat=True)))
            code_to_id = _upsert(IscoGroup, rows, report, "isco_groups", key="code")
            # The hierarchy of ISCO codes is in the codes themselves: 7115 < 711 < 71 < 7.
            for code, group_id in code_to_id.items():
                # The nearest broader code that exists (a partial file may skip a level).
                parent_id = next((code_to_id[code[:n]] for n in range(len(code) - 1, 0, -1) if code[:n] in code_to_id), None)
                IscoGroup.objects.filter(pk=group_id).exclude(parent_id=parent_id).update(parent_id=parent_id)
        isco_ids = dict(IscoGroup.objects.values_list("code", "id"))

        if "occupations" in data:
            rows = {}
            for position, row in enumerate(data["occupations"], start=2):
                uri, label = esco.concept_uri(row), (row.get("preferredlabel") or "").strip()
                if not uri or not label:
                    report.skipped.append(f"{_name(files.occupations)} line {position}: " + _("URI or preferred label missing"))
                    continue
                isco_code = (row.get("iscogroupcode") or row.get("iscogroup") or "").strip()
                isco_code = isco_code.rsplit("/C", 1)[-1] if "/" in isco_code else isco_code
                alternatives = esco.split_labels(row.get("altlabels", ""))
                rows[uri] = {"preferred_label": label[:255], "alt_labels": alternatives,
                             "description": row.get("description") or row.get("definition") or "",
                             "isco_code": isco_code[:4], "isco_group_id": isco_ids.get(isco_code[:4]),
                             "esco_code": (row.get("code") or "").strip()[:40], "status": esco.status_of(row),
                             "is_local": (row.get("occupationtype") or "").strip() == "localoccupation"}
                if row.get("id"):
                    local_ids[row["id"]] = ("occupation", uri)
            rows = _localise(rows, esco.language_of(files.occupations), set(Occupation.objects.values_list("uri", flat=True)))
            _upsert(Occupation, rows, report, "occupations")
            if deprecate_missing:
                _deprecate_missing(Occupation, set(rows), report, "occupations", extra={"is_local": False})

        if "skill_groups" in data:
            rows = {}
            for position, row in enumerate(data["skill_groups"], start=2):
                uri, label = esco.concept_uri(row), (row.get("preferredlabel") or "").strip()
                if not uri or not label:
                    report.skipped.append(f"{_name(files.skill_groups)} line {position}: " + _("URI or preferred label missing"))
                    continue
                rows[uri] = {"preferred_label": label[:255], "alt_labels": esco.split_labels(row.get("altlabels", "")),
                             "description": row.get("description", ""), "code": (row.get("code") or "")[:40]}
                if row.get("id"):
                    local_ids[row["id"]] = ("skillgroup", uri)
            rows = _localise(rows, esco.language_of(files.skill_groups), set(SkillGroup.objects.values_list("uri", flat=True)))
            _upsert(SkillGroup, rows, report, "skill_groups")

        skill_rows: dict[str, dict] = {}
        if "skills_text" in data and "skills" not in data:
            for position, row in enumerate(data["skills_text"], start=2):
                uri, text = (row.get("id") or "").strip(), (row.get("description") or "").strip()
                if not uri or not text:
                    report.skipped.append(f"{_name(files.skills_text)} line {position}: " + _("URI or text missing"))
                    continue
                label, description = esco.label_from_skill_text(text)
                skill_rows[uri] = {"preferred_label": label[:255], "description": description, "search_text": text}
        if "skills" in data:
            texts = {(r.get("id") or "").strip(): r.get("description", "") for r in data.get("skills_text", [])}
            for position, row in enumerate(data["skills"], start=2):
                uri, label = esco.concept_uri(row), (row.get("preferredlabel") or "").strip()
                if not uri or not label:
                    report.skipped.append(f"{_name(files.skills)} line {position}: " + _("URI or preferred label missing"))
                    continue
                alternatives = esco.split_labels(row.get("altlabels", ""))
                description = row.get("description") or row.get("definition") or ""
                skill_type = (row.get("skilltype") or "").strip().lower()
                skill_rows[uri] = {
                    "preferred_label": label[:255], "alt_labels": alternatives, "description": description,
                    "search_text": texts.get(uri) or " ".join([label, *alternatives, description]),
                    "skill_type": skill_type if skill_type in Skill.SkillType.values else "",
                    "reuse_level": (row.get("reuselevel") or "").strip()[:30], "status": esco.status_of(row),
                }
                if row.get("id"):
                    local_ids[row["id"]] = ("skill", uri)
        if skill_rows:
            if "skills" in data:
                skill_rows = _localise(skill_rows, esco.language_of(files.skills), set(Skill.objects.values_list("uri", flat=True)))
            _upsert(Skill, skill_rows, report, "skills")
            if deprecate_missing:
                _deprecate_missing(Skill, set(skill_rows), report, "skills")

        _import_relations(data, files, local_ids, report)
        # `search_labels` (English and Danish labels) is written here, not with the rows: a re-import
        # of unchanged English files then changes nothing.
        if project_labels:
            report.danish_labels = danish_labels_import()  # refreshes the search labels too
        else:
            for model in (Occupation, Skill):
                _refresh_search_labels(model)
    return report


def _import_relations(data, files, local_ids, report) -> None:
    from .models import IscoGroup, Occupation, OccupationSkill, Skill, SkillGroup, SkillRelation

    occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    group_ids = dict(SkillGroup.objects.values_list("uri", "id"))
    isco_by_uri = dict(IscoGroup.objects.values_list("uri", "id"))

    def resolve(row, id_column, uri_column):
        """(kind, uri) of one end of a relation, by Tabiya ID or by URI."""
        if row.get(id_column):
            return local_ids.get(row[id_column].strip())
        uri = (row.get(uri_column) or "").strip()
        return ("uri", uri) if uri else None

    unresolved = 0
    if "occupation_hierarchy" in data:
        for row in data["occupation_hierarchy"]:
            child = resolve(row, "childid", "concepturi")
            parent = resolve(row, "parentid", "broaderuri")
            if not child or not parent:
                unresolved += 1
                continue
            child_uri, parent_uri = child[1], parent[1]
            if child_uri in occupation_ids and parent_uri in occupation_ids:
                Occupation.objects.filter(pk=occupation_ids[child_uri]).update(broader_id=occupation_ids[parent_uri])
    if "skill_hierarchy" in data:
        group_links, skill_group_links, broader_links = set(), set(), set()
        for row in data["skill_hierarchy"]:
            child = resolve(row, "childid", "concepturi")
            parent = resolve(row, "parentid", "broaderuri")
            if not child or not parent:
                unresolved += 1
                continue
            child_uri, parent_uri = child[1], parent[1]
            if child_uri in group_ids and parent_uri in group_ids:
                group_links.add((group_ids[child_uri], group_ids[parent_uri]))
            elif child_uri in skill_ids and parent_uri in group_ids:
                skill_group_links.add((skill_ids[child_uri], group_ids[parent_uri]))
            elif child_uri in skill_ids and parent_uri in skill_ids:
                broader_links.add((skill_ids[child_uri], skill_ids[parent_uri]))
            else:
                unresolved += 1
        group_through = SkillGroup.parents.through
        group_through.objects.bulk_create(
            [group_through(from_skillgroup_id=c, to_skillgroup_id=p) for c, p in group_links],
            ignore_conflicts=True, batch_size=1000)
        member_through = Skill.groups.through
        member_through.objects.bulk_create(
            [member_through(skill_id=c, skillgroup_id=p) for c, p in skill_group_links],
            ignore_conflicts=True, batch_size=1000)
        broader_through = Skill.broader.through
        broader_through.objects.bulk_create(
            [broader_through(from_skill_id=c, to_skill_id=p) for c, p in broader_links],
            ignore_conflicts=True, batch_size=1000)
    if "skill_relations" in data:
        relations = []
        for row in data["skill_relations"]:
            requiring = resolve(row, "requiringid", "originalskilluri")
            required = resolve(row, "requiredid", "relatedskilluri")
            relation = (row.get("relationtype") or "").strip().lower()
            if not requiring or not required or requiring[1] not in skill_ids or required[1] not in skill_ids:
                unresolved += 1
                continue
            relations.append(SkillRelation(requiring_id=skill_ids[requiring[1]], required_id=skill_ids[required[1]],
                                           relation_type="essential" if relation == "essential" else "optional"))
        SkillRelation.objects.bulk_create(relations, ignore_conflicts=True, batch_size=1000)
    if "occupation_skills" in data:
        links = []
        for row in data["occupation_skills"]:
            occupation = resolve(row, "occupationid", "occupationuri")
            skill = resolve(row, "skillid", "skilluri")
            relation = (row.get("relationtype") or "").strip().lower()
            if not occupation or not skill or occupation[1] not in occupation_ids or skill[1] not in skill_ids:
                unresolved += 1
                continue
            links.append(OccupationSkill(occupation_id=occupation_ids[occupation[1]], skill_id=skill_ids[skill[1]],
                                         relation_type="essential" if relation == "essential" else "optional"))
        OccupationSkill.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)
    del isco_by_uri
    if unresolved:
        report.skipped.append(
            _("%(count)d relations refer to concepts that are not in these files and were left out.") % {"count": unresolved}
        )


DANISH_LABELS = Path(__file__).parent / "data" / "danish"
DANISH_LABEL_FILES = {"occupations": "occupations_da.csv", "isco_groups": "isco_groups_da.csv",
                      "skill_groups": "skill_groups_da.csv", "skills": "skills_da.csv"}


def danish_labels_import(*, directory: Path | None = None) -> dict[str, int]:
    """Load the project's own Danish labels (taxonomy/data/danish/, keyed by concept URI) into every
    concept that has no official Danish ESCO label; the official labels (source "esco") always win.
    Returns, per kind, how many concepts got new or changed Danish labels. Files that are absent are
    skipped; URIs that are not imported are ignored (a partial ESCO import is fine)."""
    from django.utils import timezone

    from . import esco
    from .models import IscoGroup, LabelSource, Occupation, Skill, SkillGroup

    directory = directory or DANISH_LABELS
    now = timezone.now()
    models: dict[str, Any] = {"occupations": Occupation, "isco_groups": IscoGroup, "skill_groups": SkillGroup, "skills": Skill}
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind, name in DANISH_LABEL_FILES.items():
            path = directory / name
            if not path.is_file():
                continue
            try:
                rows = esco.read_rows(path)
            except (csv.Error, UnicodeDecodeError) as error:
                raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
            labels = {}
            for row in rows:
                uri, label = esco.concept_uri(row), (row.get("preferredlabel") or "").strip()
                if uri and label:
                    labels[uri] = (label[:255], esco.split_labels(row.get("altlabels", "")))
            model = models[kind]
            changed = []
            for concept in model.objects.filter(uri__in=list(labels)).exclude(labels_da_source=LabelSource.ESCO).only(
                    "id", "uri", "preferred_label_da", "alt_labels_da", "labels_da_source", "updated_at"):
                label, alternatives = labels[concept.uri]
                if (concept.preferred_label_da, concept.alt_labels_da, concept.labels_da_source) != (
                        label, alternatives, LabelSource.PROJECT):
                    concept.preferred_label_da, concept.alt_labels_da = label, alternatives
                    concept.labels_da_source = LabelSource.PROJECT
                    concept.updated_at = now  # look-up caches reload on a change of the newest update
                    changed.append(concept)
            model.objects.bulk_update(changed, ["preferred_label_da", "alt_labels_da", "labels_da_source", "updated_at"],
                                      batch_size=1000)
            counts[kind] = len(changed)
        for model in (Occupation, Skill):
            _refresh_search_labels(model)
    return counts


def danish_titles_import(*, path: Path | None = None) -> int:
    """Load the project's list of Danish job titles (taxonomy/data/danish_job_titles.csv), resolving ESCO URIs."""
    from .models import DanishJobTitle, Occupation

    path = path or Path(__file__).parent / "data" / "danish_job_titles.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    occupations = dict(Occupation.objects.filter(uri__in=[r["esco_uri"] for r in rows]).values_list("uri", "id"))
    with transaction.atomic():
        for row in rows:
            DanishJobTitle.objects.update_or_create(
                title=row["title"].strip(),
                defaults={"isco_code": row["isco_code"].strip(), "occupation_uri": row["esco_uri"].strip(),
                          "occupation_id": occupations.get(row["esco_uri"].strip()),
                          "search_title": row["title"].strip().lower()},
            )
    return len(rows)


# --- retention ---------------------------------------------------------------------------------------------


def query_embeddings_purge(*, retention_days: int, now=None) -> int:
    """Delete cached vectors of query texts (search input, profile texts) older than the period.

    They hold no text, only a hash and a vector, but a profile's vector is still derived from a
    person's words; whatever is needed again is recomputed. Passage vectors (occupations, skills,
    postings) are reference data and stay. Not per municipality: the cache is shared."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    from .models import Embedding

    # Rows from before `kind` existed ("") may be either; they are purged too (recomputed when needed).
    return delete_in_chunks(Embedding.objects.filter(kind__in=("query", ""), created_at__lt=cutoff(retention_days, now)))
