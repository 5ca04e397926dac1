"""Reads of analytics: a citizen's spells (their own, or staff's access-logged view), the monitoring
aggregates (monitoring.py) and the effect estimates (effect.py).

Staff read a citizen's spells through `access_spells`, which writes the access-log entry in the same
transaction (ADR 0064); missing, another municipality's and forbidden look the same (NotFound).
"""

from __future__ import annotations

from django.db import transaction

from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import SpellView
from .models import ExitReason, OutcomeSource, UnemploymentSpell

SOURCE_ORDER: dict[str, int] = {OutcomeSource.REGISTER: 0, OutcomeSource.STAFF: 1, OutcomeSource.CITIZEN: 2,
                                OutcomeSource.EMPLOYER: 3}


def _spells(citizen_id: int) -> list[SpellView]:
    from jobunivers.taxonomy.selectors import label_of

    sources, reasons = dict(OutcomeSource.choices), dict(ExitReason.choices)
    rows = UnemploymentSpell.all_tenants.filter(citizen_id=citizen_id).values_list(
        "pk", "source", "started_on", "ended_on", "exit_reason", "reference", "job_occupation__preferred_label",
        "job_occupation__preferred_label_da")
    views = [SpellView(id=pk, source=source, source_label=str(sources.get(source, source)), started_on=started_on,
                       ended_on=ended_on, exit_reason=reason, exit_reason_label=str(reasons.get(reason, "")),
                       reference=reference,
                       job_occupation_label=label_of({"preferred_label": label or "", "preferred_label_da": label_da or ""}
                                                     ).text if (label or label_da) else "")
             for pk, source, started_on, ended_on, reason, reference, label, label_da in rows]
    return sorted(views, key=lambda v: (-v.started_on.toordinal(), SOURCE_ORDER.get(v.source, 9), v.id))


def own_spells(*, actor, citizen) -> list[SpellView]:
    """The citizen's own spells from every source, newest first, each labelled by its source."""
    if not permissions.can_report_own_job(actor, citizen):
        raise NotFound
    return _spells(citizen.pk)


@transaction.atomic
def access_spells(*, actor, citizen_id: int, purpose: str):
    """(citizen, spells) for staff of the citizen's municipality, access-logged in the same transaction."""
    from jobunivers.citizens.selectors import access_citizen

    citizen = access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="unemployment spells",
                             permission=permissions.can_record_spell)
    return citizen, _spells(citizen.pk)


# --- Effect of services (aggregates only: no citizen can be seen) ----------------------------------------

SMALL_CELL = 5


def suppressed(count: int) -> int | None:
    """A count from 1 to 4 is not shown (None): no one can be singled out."""
    return None if 0 < count < SMALL_CELL else count


def services_overview(*, actor, municipality_id: int) -> list[tuple[str, str, int | None]]:
    """(service key, label, citizens who used it, 1-4 suppressed) for staff and administrators; counted in
    the database (exposures.service_counts)."""
    from .exposures import service_counts

    if not permissions.can_view_monitoring(actor, municipality_id):
        raise NotFound
    return [(s.key, s.label, suppressed(s.citizens)) for s in service_counts(municipality_id)]


def service_effect(*, actor, municipality_id: int, service_key: str):
    """The comparison of users and non-users of one service (estimates.EffectResult); NotFound for an
    unknown service or an actor who may not see the municipality's figures."""
    from .estimates import service_effect as compute

    if not permissions.can_view_monitoring(actor, municipality_id):
        raise NotFound
    found = compute(municipality_id=municipality_id, service_key=service_key)
    if found is None:
        raise NotFound
    return found


# --- Monitoring (aggregates only) -------------------------------------------------------------------------


def dashboard(*, actor, municipality_id: int):
    """The municipality's dashboard as last stored (snapshots.Dashboard: figures, citizens by track, the use
    of each service, and when they were computed); staff and administrators only. None when there is no
    snapshot yet or only one of an unknown format: the caller has one computed
    (services.dashboard_first_snapshot). A read: nothing is written here (aggregates, no access log)."""
    from .snapshots import dashboard_from_snapshot, latest_snapshot

    if not permissions.can_view_monitoring(actor, municipality_id):
        raise NotFound
    return dashboard_from_snapshot(latest_snapshot(municipality_id))


def national_comparison(*, actor, municipality_id: int, today=None) -> list[tuple[str, str, object]]:
    """(code, name, MunicipalityFigures) of every municipality, by name; for staff and administrators of
    any municipality (aggregates with small cells suppressed, the same as the open data)."""
    if not permissions.can_view_monitoring(actor, municipality_id):
        raise NotFound
    return open_data(today=today)


def open_data(*, today=None) -> list[tuple[str, str, object]]:
    """Every municipality's figures for the open-data export and the national comparison (public: aggregates
    only; the templates and the export suppress counts from 1 to 4). A municipality's figures come from its
    dashboard snapshot of today when there is one (the same numbers its dashboard shows, at most 15 minutes
    old); the others are computed. Memoised in Django's cache for an hour."""
    from django.core.cache import cache
    from django.utils import timezone

    from jobunivers.tenancy.selectors import municipality_choices

    from .monitoring import MunicipalityFigures, OutcomeFigures, figures

    today = today or timezone.localdate()
    key = f"analytics:open-data:{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        from .snapshots import stored_figures

        ids = municipality_ids_by_code()
        by_id = stored_figures(today=today)
        missing = [mid for mid in ids.values() if mid not in by_id]
        if missing:
            by_id.update(figures(today=today, municipality_ids=missing))
        rows = [(code, name, by_id.get(ids[code]) or MunicipalityFigures(ids[code], 0, OutcomeFigures(), 0, 0, 0))
                for code, name in municipality_choices() if code in ids]
        cache.set(key, rows, 3600)
    return rows


def municipality_ids_by_code() -> dict[str, int]:
    from jobunivers.tenancy.selectors import active_municipalities

    return dict(active_municipalities().values_list("code", "id"))
