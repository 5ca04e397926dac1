"""Every write of analytics: the register import of unemployment spells (all or nothing), a spell
recorded by staff, and the citizen's own "Jeg har fået job". Each source writes its own rows only,
so what the register says is never overwritten by what a person said, or the other way round
(docs/adr/0097-outcomes-kept-apart-by-source.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit

from . import importing, permissions
from .contracts import OutcomeRecorded
from .models import ExitReason, OutcomeSource, UnemploymentSpell

# How far ahead a citizen may say a job starts ("I start on the 1st of next month").
OWN_JOB_DAYS_AHEAD = 92


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def outcomes_import(*, actor=None, municipality_id: int, text: str, file_format: str,
                    today: datetime.date | None = None) -> ImportReport:
    """Load a register file of spells (docs/outcomes-import.md) into the municipality's register rows.

    All or nothing: any bad row and nothing is written; ValidationFailed lists every error with its
    line. A spell already loaded (same reference) is updated, so a later file can close it."""
    if not permissions.can_import_register(actor, municipality_id):
        raise NotFound
    from jobunivers.citizens.selectors import citizen_ids_in

    today = today or timezone.localdate()
    try:
        records = importing.read(text, file_format)
    except importing.UnreadableFile as error:
        raise ValidationFailed(str(error)) from None
    if not records:
        raise ValidationFailed(_("The file holds no spells."))
    rows, errors = importing.parse(records, today=today)
    known = citizen_ids_in(municipality_id=municipality_id, ids={row.citizen_id for row in rows})
    errors += [_("Line %(line)s: there is no citizen %(id)s in this municipality") % {"line": row.line, "id": row.citizen_id}
               for row in rows if row.citizen_id not in known]
    from jobunivers.taxonomy.selectors import occupation_ids_by_esco_code

    occupations = occupation_ids_by_esco_code(row.job_occupation for row in rows if row.job_occupation)
    errors += [_("Line %(line)s: job_occupation %(code)s is no known occupation code (use the ESCO code of the "
                 "occupation, like 2512.4)") % {"line": row.line, "code": row.job_occupation[:40]}
               for row in rows if row.job_occupation and row.job_occupation not in occupations]
    with transaction.atomic():
        existing = {reference: (pk, citizen_id) for pk, reference, citizen_id in UnemploymentSpell.all_tenants.filter(
            municipality_id=municipality_id, source=OutcomeSource.REGISTER,
            reference__in=[row.reference for row in rows]).values_list("pk", "reference", "citizen_id")}
        errors += [_("Line %(line)s: the reference %(reference)s belongs to another citizen")
                   % {"line": row.line, "reference": row.reference}
                   for row in rows if row.reference in existing and existing[row.reference][1] != row.citizen_id]
        if errors:
            raise ValidationFailed({"__all__": errors})
        closed: list[OutcomeRecorded] = []
        new, changed = [], []
        was_open = set(UnemploymentSpell.all_tenants.filter(
            pk__in=[pk for pk, _citizen in existing.values()], ended_on__isnull=True).values_list("pk", flat=True))
        for row in rows:
            spell = UnemploymentSpell(municipality_id=municipality_id, citizen_id=row.citizen_id,
                                      source=OutcomeSource.REGISTER, reference=row.reference,
                                      started_on=row.started_on, ended_on=row.ended_on, exit_reason=row.exit_reason,
                                      job_occupation_id=occupations.get(row.job_occupation))
            if row.reference in existing:
                spell.pk = existing[row.reference][0]
                changed.append(spell)
            else:
                new.append(spell)
            if row.ended_on is not None and (row.reference not in existing or spell.pk in was_open):
                closed.append(OutcomeRecorded(municipality_id=municipality_id, citizen_id=row.citizen_id,
                                              source=OutcomeSource.REGISTER, ended_on=row.ended_on,
                                              exit_reason=row.exit_reason))
        UnemploymentSpell.all_tenants.bulk_create(new, batch_size=1000)
        now = timezone.now()
        for spell in changed:
            spell.updated_at = now
        UnemploymentSpell.all_tenants.bulk_update(changed, ["started_on", "ended_on", "exit_reason", "job_occupation",
                                                            "updated_at"],
                                                  batch_size=1000)
        for event in closed:
            publish_on_commit(event)
    return ImportReport(created=len(new), updated=len(changed))


def _start_of_current_spell(citizen) -> datetime.date:
    """Where a person's report starts: the citizen's registration as unemployed, or their first day here."""
    return citizen.registered_on or timezone.localdate(citizen.created_at)


def _known_occupation(occupation_id: int | None, field: str) -> int | None:
    """The occupation of the job found (optional): an id of an occupation in the taxonomy, or a field error."""
    if occupation_id is None:
        return None
    from jobunivers.taxonomy.selectors import get_occupation

    if get_occupation(occupation_id=occupation_id) is None:
        raise ValidationFailed({field: [_("Choose an occupation from the list.")]})
    return occupation_id


def own_job_report(*, actor, citizen, started_job_on: datetime.date, today: datetime.date | None = None,
                   job_occupation_id: int | None = None) -> UnemploymentSpell:
    """The citizen says "Jeg har fået job" from `started_job_on`: a citizen-labelled spell that ends that
    day with the reason job, and the job's occupation if they give it. Saying it again replaces both."""
    if not permissions.can_report_own_job(actor, citizen):
        raise NotFound
    today = today or timezone.localdate()
    job_occupation_id = _known_occupation(job_occupation_id, "job_occupation")
    started_on = _start_of_current_spell(citizen)
    if started_job_on > today + datetime.timedelta(days=OWN_JOB_DAYS_AHEAD):
        raise ValidationFailed({"started_job_on": [_("The date can be at most three months ahead.")]})
    if started_job_on < started_on:
        raise ValidationFailed({"started_job_on": [
            _("The date is before you registered as unemployed (%(date)s).") % {"date": started_on.strftime("%d.%m.%Y")}]})
    with transaction.atomic():
        spell, _created = UnemploymentSpell.all_tenants.update_or_create(
            citizen=citizen, source=OutcomeSource.CITIZEN, started_on=started_on,
            defaults={"municipality_id": citizen.municipality_id, "ended_on": started_job_on,
                      "exit_reason": ExitReason.JOB, "recorded_by": actor, "job_occupation_id": job_occupation_id})
        publish_on_commit(OutcomeRecorded(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                          source=OutcomeSource.CITIZEN, ended_on=started_job_on,
                                          exit_reason=ExitReason.JOB))
    return spell


def own_job_report_withdraw(*, actor, citizen, spell_id: int) -> None:
    """The citizen takes back their own report (never a row from the register or the job centre)."""
    if not permissions.can_report_own_job(actor, citizen):
        raise NotFound
    deleted, _rows = UnemploymentSpell.all_tenants.filter(pk=spell_id, citizen=citizen,
                                                          source=OutcomeSource.CITIZEN).delete()
    if not deleted:
        raise NotFound


def staff_spell_record(*, actor, citizen, started_on: datetime.date | None, ended_on: datetime.date | None,
                       exit_reason: str, today: datetime.date | None = None,
                       job_occupation_id: int | None = None) -> UnemploymentSpell:
    """Staff record a spell they learnt of (a phone call, an employer's message), labelled as the job
    centre's; the same start again replaces the end. Access-logged as a change of the citizen's data."""
    if not permissions.can_record_spell(actor, citizen):
        raise NotFound
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if started_on is None:
        errors["started_on"] = [_("Enter the day the unemployment started.")]
    elif started_on > today:
        errors["started_on"] = [_("The start cannot lie in the future.")]
    if ended_on is not None and ended_on > today:
        errors["ended_on"] = [_("The end cannot lie in the future.")]
    elif ended_on is not None and started_on is not None and ended_on < started_on:
        errors["ended_on"] = [_("The end is before the start.")]
    if exit_reason and exit_reason not in ExitReason.values:
        errors["exit_reason"] = [_("Choose job, education or other reason.")]
    elif ended_on is not None and not exit_reason:
        errors["exit_reason"] = [_("Choose why the unemployment ended.")]
    elif exit_reason and ended_on is None:
        errors["ended_on"] = [_("Enter the day the unemployment ended, or leave the reason empty.")]
    if job_occupation_id is not None and exit_reason != ExitReason.JOB:
        errors["job_occupation"] = [_("Give the occupation only when the unemployment ended with a job.")]
    if errors:
        raise ValidationFailed(errors)
    job_occupation_id = _known_occupation(job_occupation_id, "job_occupation")
    assert started_on is not None  # noqa: S101 (checked above)
    with transaction.atomic():
        spell, _created = UnemploymentSpell.all_tenants.update_or_create(
            citizen=citizen, source=OutcomeSource.STAFF, started_on=started_on,
            defaults={"municipality_id": citizen.municipality_id, "ended_on": ended_on,
                      "exit_reason": exit_reason, "recorded_by": actor, "job_occupation_id": job_occupation_id})
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              what="unemployment spells", purpose="help", action="change")
        if ended_on is not None:
            publish_on_commit(OutcomeRecorded(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                              source=OutcomeSource.STAFF, ended_on=ended_on, exit_reason=exit_reason))
    return spell


def on_internship_job_recorded(event) -> None:
    """An internship led to an ordinary job (internships.contracts.InternshipJobRecorded, wired in config/events.py):
    the spell ends with the reason job, as its own source: the employer's word under "employer", a caseworker's
    under "staff" (ADR 0097, ADR 0125). Recording it again replaces the date."""
    from jobunivers.citizens.selectors import citizen_of

    citizen = citizen_of(municipality_id=event.municipality_id, citizen_id=event.citizen_id)
    if citizen is None:
        return
    source = OutcomeSource.EMPLOYER if event.recorded_by_kind == "employer" else OutcomeSource.STAFF
    started_on = _start_of_current_spell(citizen)
    ended_on = max(event.job_from, started_on)
    with transaction.atomic():
        UnemploymentSpell.all_tenants.update_or_create(
            citizen=citizen, source=source, started_on=started_on,
            defaults={"municipality_id": citizen.municipality_id, "ended_on": ended_on,
                      "exit_reason": ExitReason.JOB, "recorded_by_id": event.recorded_by_user_id})
        publish_on_commit(OutcomeRecorded(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                          source=source, ended_on=ended_on, exit_reason=ExitReason.JOB))
