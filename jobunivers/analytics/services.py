"""Every write of analytics: the register import of unemployment spells (all or nothing), a spell
recorded by staff, and the citizen's own "Jeg har fået job". Each source writes its own rows only,
so what the register says is never overwritten by what a person said, or the other way round
(docs/adr/0097-outcomes-kept-apart-by-source.md). And the results dashboard's stored snapshot: its refresh
(one at a time per municipality), the first visit's computation and the staff's "Opdater tallene nu" (ADR 0155).
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


# --- The results dashboard's snapshot (snapshots.py, ADR 0155) -------------------------------------------

# Single-flight: a refresh holds this cache key while it computes, so two refreshes of one municipality
# never run at once (the 15-minute beat, the button and a first visit can meet). The cache is Redis in
# production, shared by every web process and worker; `cache.add` is atomic there. The lock expires by
# itself, long after the slowest computation (about 3 s on SQLite at 117,000 citizens), should a worker die.
REFRESH_LOCK_SECONDS = 300
# A first visit that finds another refresh running waits this long for its snapshot before computing itself.
FIRST_VISIT_WAIT_SECONDS = 20.0


def _refresh_lock_key(municipality_id: int) -> str:
    return f"analytics:dashboard-refresh:{municipality_id}"


def dashboard_snapshot_refresh(*, actor=None, municipality_id: int, today: datetime.date | None = None):
    """Compute the municipality's dashboard and store it as a new snapshot (snapshots.snapshot_store, one
    transaction with the retention of older snapshots). `actor` None is the scheduler; a person must be
    allowed to see the figures. Returns the snapshot, or None when a refresh of the municipality is already
    running (it stores the snapshot; nothing is computed twice)."""
    import secrets

    from django.core.cache import cache

    from .snapshots import snapshot_store

    if actor is not None and not permissions.can_refresh_dashboard(actor, municipality_id):
        raise NotFound
    key, token = _refresh_lock_key(municipality_id), secrets.token_hex(8)
    if not cache.add(key, token, REFRESH_LOCK_SECONDS):
        return None
    try:
        return snapshot_store(municipality_id=municipality_id, today=today)
    finally:
        if cache.get(key) == token:  # not a later refresh's lock, had this one outlived its expiry
            cache.delete(key)


def dashboard_first_snapshot(*, actor, municipality_id: int):
    """The first visit to a dashboard with no (readable) snapshot: compute and store one now. If another
    refresh is running, wait for its snapshot; after FIRST_VISIT_WAIT_SECONDS compute regardless, since the
    page must show figures. Returns the snapshot."""
    import time

    from .snapshots import dashboard_from_snapshot, latest_snapshot, snapshot_store

    if not permissions.can_view_monitoring(actor, municipality_id):
        raise NotFound
    deadline = time.monotonic() + FIRST_VISIT_WAIT_SECONDS
    while True:
        snapshot = dashboard_snapshot_refresh(actor=actor, municipality_id=municipality_id)
        if snapshot is not None:
            return snapshot
        time.sleep(0.2)
        snapshot = latest_snapshot(municipality_id)
        if dashboard_from_snapshot(snapshot) is not None:
            return snapshot
        if time.monotonic() > deadline:
            return snapshot_store(municipality_id=municipality_id)


def dashboard_refresh_request(*, actor, municipality_id: int) -> None:
    """The dashboard's "Opdater tallene nu": schedule a refresh of the municipality's snapshot (after the
    request's transaction commits). Only those who see the dashboard may ask; everyone else gets NotFound,
    as for the page."""
    from functools import partial

    from .tasks import refresh_dashboard

    if not permissions.can_refresh_dashboard(actor, municipality_id):
        raise NotFound
    transaction.on_commit(partial(refresh_dashboard.delay, municipality_id))
