"""Writes of the agreements app: agreements and their rates, and statements from generation through
the vendor's acceptance, the municipality's two approvals by two different people, to payment.

Every write is atomic and checks `permissions` first; bad input is a Danish ValidationFailed and
writes nothing. Rates of one agreement never overlap: checked here under a lock of the agreement row,
and kept by an exclusion constraint on PostgreSQL. Statements hold no citizen's identity (lines carry
the vendor-facing pseudonym), so their steps are recorded on the statement itself (who and when),
not in the citizen access log (ADR 0085).
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed

from . import engine, permissions, selectors, sources
from .models import Agreement, BilledUse, PaymentModel, Rate, Statement, StatementLine, StatementStatus

REASON_MAX = 1000
REFERENCE_MAX = 100
MAX_AMOUNT_ORE = 10**12  # 10 mia. kr.: a typo guard, not a policy


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _require_admin(actor, municipality_id: int) -> None:
    if not permissions.can_manage_agreements(actor, municipality_id):
        raise NotFound


# Agreements and rates


def agreement_create(*, actor, municipality_id: int, offer_id: int, payment_model: str, billed_use: str = "launched",
                     outcome_weeks: int | None = None, reference: str = "") -> Agreement:
    _require_admin(actor, municipality_id)
    errors: dict[str, list[str]] = {}
    offer = sources.vendor_offer(offer_id)
    if offer is None:
        errors["offer"] = [_("Choose one of the vendors' offers.")]
    if payment_model not in PaymentModel.values:
        errors["payment_model"] = [_("Choose a payment model.")]
    if billed_use not in BilledUse.values:
        errors["billed_use"] = [_("Choose what counts as a use.")]
    weeks = outcome_weeks or 0
    if payment_model == PaymentModel.OUTCOME and not 1 <= weeks <= 104:
        errors["outcome_weeks"] = [_("Give the number of weeks for a result, from 1 to 104.")]
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = [_("The reference can be at most 100 characters.")]
    _refuse(errors)
    assert offer is not None
    if Agreement.objects.filter(offer_id=offer.pk).exists():
        raise ValidationFailed({"offer": [_("There is already an agreement about this offer.")]})
    try:
        with transaction.atomic():
            return Agreement.objects.create(
                municipality_id=municipality_id, vendor_id=offer.vendor_id, offer=offer, payment_model=payment_model,
                billed_use=billed_use, outcome_weeks=weeks if payment_model == PaymentModel.OUTCOME else 0,
                reference=reference, created_by=actor)
    except IntegrityError as error:  # a concurrent create of the same agreement
        raise ValidationFailed({"offer": [_("There is already an agreement about this offer.")]}) from error


def rate_add(*, actor, municipality_id: int, agreement_id: int, valid_from: datetime.date | None,
             valid_to: datetime.date | None, amount_ore: int | None, result_fee_ore: int | None = None) -> Rate:
    """A new price for an agreement from `valid_from` (through `valid_to`, or until further notice)."""
    _require_admin(actor, municipality_id)
    errors: dict[str, list[str]] = {}
    if valid_from is None:
        errors["valid_from"] = [_("Give the first day the rate applies.")]
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("The last day cannot be before the first day.")]
    if amount_ore is None or not 0 <= amount_ore <= MAX_AMOUNT_ORE:
        errors["amount"] = [_("Give an amount in kroner, 0 or more.")]
    if result_fee_ore is not None and not 0 <= result_fee_ore <= MAX_AMOUNT_ORE:
        errors["result_fee"] = [_("Give the result fee in kroner, 0 or more.")]
    _refuse(errors)
    assert valid_from is not None and amount_ore is not None
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound
        if agreement.payment_model == PaymentModel.OUTCOME and result_fee_ore is None:
            raise ValidationFailed({"result_fee": [_("Give the result fee in kroner, 0 or more.")]})
        rate = engine.RatePeriod(valid_from, valid_to, amount_ore, result_fee_ore or 0)
        existing = [engine.RatePeriod(r.valid_from, r.valid_to, r.amount_ore, r.result_fee_ore)
                    for r in agreement.rates.all()]
        try:
            engine.check_no_overlap([*existing, rate])
        except engine.RateOverlap as error:
            raise ValidationFailed({"valid_from": [_(
                "The period overlaps another rate of the agreement. End that rate first, or choose other days."
            )]}) from error
        try:
            with transaction.atomic():
                return Rate.objects.create(
                    municipality_id=municipality_id, agreement=agreement, valid_from=valid_from, valid_to=valid_to,
                    amount_ore=amount_ore,
                    result_fee_ore=(result_fee_ore or 0) if agreement.payment_model == PaymentModel.OUTCOME else 0,
                    created_by=actor)
        except IntegrityError as error:  # the database's exclusion or uniqueness constraint
            raise ValidationFailed({"valid_from": [_(
                "The period overlaps another rate of the agreement. End that rate first, or choose other days."
            )]}) from error


def rate_end(*, actor, municipality_id: int, rate_id: int, valid_to: datetime.date | None) -> Rate:
    """Close an open rate (or move its end), so a new rate can follow it."""
    _require_admin(actor, municipality_id)
    if valid_to is None:
        raise ValidationFailed({"valid_to": [_("Give the last day the rate applies.")]})
    with transaction.atomic():
        rate = Rate.objects.select_related("agreement").filter(pk=rate_id).first()
        if rate is None:
            raise NotFound
        Agreement.objects.select_for_update().filter(pk=rate.agreement_id).first()
        if valid_to < rate.valid_from:
            raise ValidationFailed({"valid_to": [_("The last day cannot be before the first day.")]})
        if _billed_in_approved_statement(rate, valid_to):
            raise ValidationFailed({"valid_to": [_(
                "Days after the new end are already in an approved statement; the rate cannot end before them."
            )]})
        rate.valid_to = valid_to
        rate.save(update_fields=["valid_to", "updated_at"])
        return rate


def _billed_in_approved_statement(rate: Rate, valid_to: datetime.date) -> bool:
    locked = [StatementStatus.FIRST_APPROVAL, StatementStatus.APPROVED, StatementStatus.PAID]
    return StatementLine.objects.filter(agreement_id=rate.agreement_id, statement__status__in=locked,
                                        period_end__gt=valid_to, period_start__gte=rate.valid_from).exists()


# Statements


def _month_start(month: datetime.date) -> datetime.date:
    return month.replace(day=1)


def statement_inputs(*, municipality_id: int, vendor_id: int, month: datetime.date,
                     outcome_evidence: dict[str, datetime.date] | None = None
                     ) -> tuple[list[tuple[Agreement, engine.StatementInputs]], dict[str, datetime.date], int]:
    """The engine's inputs for each of the vendor's agreements in the municipality. The job outcomes come
    from `outcome_evidence` when given (recomputing a stored statement), else from the register data."""
    agreements = list(Agreement.objects.filter(vendor_id=vendor_id).prefetch_related("rates").order_by("pk"))
    evidence: dict[str, datetime.date] = {}
    read = 0
    result = []
    for agreement in agreements:
        terms = engine.Terms(
            payment_model=engine.PaymentModel(agreement.payment_model),
            rates=tuple(engine.RatePeriod(r.valid_from, r.valid_to, r.amount_ore, r.result_fee_ore)
                        for r in agreement.rates.all()),
            use_kind=engine.UseKind(agreement.billed_use), outcome_weeks=agreement.outcome_weeks)
        billable = {engine.PaymentModel.PER_USE: {terms.use_kind},
                    engine.PaymentModel.PER_HOUR: {engine.UseKind.HOUR}}.get(terms.payment_model, set())
        enrolments: list[engine.EnrolmentFacts] = []
        uses: list[engine.Use] = []
        citizens: dict[str, int] = {}
        if terms.payment_model != engine.PaymentModel.FREE:
            enrolments, uses, citizens, count = sources.offer_facts(
                municipality_id=municipality_id, offer_id=agreement.offer_id, year=month.year, month=month.month,
                billable_kinds=billable)
            read += count
        jobs: dict[str, datetime.date] = {}
        if terms.payment_model == engine.PaymentModel.OUTCOME:
            subjects = {e.subject for e in enrolments}
            if outcome_evidence is not None:
                jobs = {s: d for s, d in outcome_evidence.items() if s in subjects}
            else:
                jobs = sources.jobs_found(citizens)
            first, last = engine.month_bounds(month.year, month.month)
            jobs = {s: d for s, d in jobs.items() if first <= d <= last}
            evidence.update(jobs)
        result.append((agreement, engine.StatementInputs(
            year=month.year, month=month.month, terms=terms, enrolments=tuple(enrolments), uses=tuple(uses),
            job_found_on=tuple(sorted(jobs.items())))))
    return result, evidence, read


def combined_fingerprint(parts: list[tuple[Agreement, engine.ComputedStatement]]) -> str:
    digest = hashlib.sha256()
    for agreement, computed in sorted(parts, key=lambda part: part[0].pk):
        digest.update(f"{agreement.pk}:{computed.fingerprint};".encode())
    return digest.hexdigest()


def _compute(*, municipality_id: int, vendor_id: int, month: datetime.date,
             outcome_evidence: dict[str, datetime.date] | None = None):
    inputs, evidence, read = statement_inputs(municipality_id=municipality_id, vendor_id=vendor_id, month=month,
                                              outcome_evidence=outcome_evidence)
    parts = [(agreement, engine.compute(one)) for agreement, one in inputs]
    return parts, evidence, read


def statement_generate(*, actor, municipality_id: int, vendor_id: int, month: datetime.date,
                       now: datetime.datetime | None = None) -> Statement:
    """Compute (or recompute, while the vendor has not accepted it) the month's statement for a vendor."""
    _require_admin(actor, municipality_id)
    now = now or timezone.now()
    month = _month_start(month)
    if month > timezone.localtime(now).date().replace(day=1):
        raise ValidationFailed({"month": [_("A statement can only be made for this month or an earlier one.")]})
    if not sources.vendor_exists(vendor_id) or not Agreement.objects.filter(vendor_id=vendor_id).exists():
        raise ValidationFailed({"vendor": [_("The municipality has no agreement with this vendor.")]})
    parts, evidence, read = _compute(municipality_id=municipality_id, vendor_id=vendor_id, month=month)
    with transaction.atomic():
        statement = Statement.objects.select_for_update().filter(vendor_id=vendor_id, month=month).first()
        if statement is not None and statement.status not in (StatementStatus.GENERATED, StatementStatus.DISPUTED):
            raise ValidationFailed({"month": [_(
                "The statement for this month has been accepted by the vendor and cannot be made again.")]})
        values = {
            "status": StatementStatus.GENERATED, "total_ore": sum(c.total_ore for _a, c in parts),
            "inputs_hash": combined_fingerprint(parts),
            "outcome_evidence": sorted([subject, day.isoformat()] for subject, day in evidence.items()),
            "use_events": read, "generated_at": now, "generated_by": actor, "dispute_reason": "",
        }
        if statement is None:
            try:
                with transaction.atomic():
                    statement = Statement.objects.create(municipality_id=municipality_id, vendor_id=vendor_id,
                                                         month=month, **values)
            except IntegrityError as error:
                raise ConflictError() from error
        else:
            for field, value in values.items():
                setattr(statement, field, value)
            statement.version += 1
            statement.save()
            statement.lines.all().delete()
        StatementLine.objects.bulk_create([
            StatementLine(municipality_id=municipality_id, statement=statement, agreement=agreement,
                          kind=str(line.kind), period_start=line.period_start, period_end=line.period_end,
                          quantity=line.quantity, unit_amount_ore=line.unit_amount_ore, amount_ore=line.amount_ore,
                          subject=line.subject)
            for agreement, computed in parts for line in computed.lines
        ], batch_size=1000)
    return statement


def statement_recompute(*, statement: Statement) -> tuple[str, int]:
    """The fingerprint and total of the statement computed again now from the stored events, rates and
    the job outcomes recorded with it. Equal to the stored ones unless something it was made from changed."""
    evidence = {subject: datetime.date.fromisoformat(day) for subject, day in statement.outcome_evidence}
    with tenant_context(statement.municipality_id):
        parts, _evidence, _read = _compute(municipality_id=statement.municipality_id, vendor_id=statement.vendor_id,
                                           month=statement.month, outcome_evidence=evidence)
    return combined_fingerprint(parts), sum(c.total_ore for _a, c in parts)


def _locked_statement(statement_id: int, expected_version: int | None) -> Statement:
    statement = Statement.objects.select_for_update().filter(pk=statement_id).first()
    if statement is None:
        raise NotFound
    if expected_version is not None and statement.version != expected_version:
        raise ConflictError()
    return statement


def _vendor_statement(actor, statement_id: int, expected_version: int | None) -> Statement:
    # Vendors act nationally, outside any municipality: the statement is found across tenants and then
    # must be one of the actor's own vendors'.
    statement = Statement.all_tenants.select_for_update().filter(pk=statement_id).first()
    if statement is None or not permissions.can_act_for_vendor(actor, statement.vendor_id,
                                                               sources.vendor_ids_of(actor)):
        raise NotFound
    if expected_version is not None and statement.version != expected_version:
        raise ConflictError()
    return statement


def statement_accept(*, actor, statement_id: int, expected_version: int | None = None,
                     now: datetime.datetime | None = None) -> Statement:
    """The vendor accepts the statement as its invoice basis."""
    with transaction.atomic():
        statement = _vendor_statement(actor, statement_id, expected_version)
        if statement.status != StatementStatus.GENERATED:
            raise ValidationFailed(_("Only a statement waiting for the vendor can be accepted."))
        now = now or timezone.now()
        # Accepting settles the month (later reports for it are refused), so the month must be over: a
        # statement made during the month is a preview of what has been used so far.
        if not selectors.month_over(statement, timezone.localtime(now).date()):
            raise ValidationFailed(_("A statement can be accepted when its month is over."))
        statement.status = StatementStatus.ACCEPTED
        statement.accepted_at, statement.accepted_by = now, actor
        statement.version += 1
        statement.save()
        return statement


def statement_dispute(*, actor, statement_id: int, reason: str,
                      expected_version: int | None = None) -> Statement:
    """The vendor disagrees; the municipality looks at it and generates the statement again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say what is wrong with the statement.")]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [_("The reason can be at most 1000 characters.")]})
    with transaction.atomic():
        statement = _vendor_statement(actor, statement_id, expected_version)
        if statement.status != StatementStatus.GENERATED:
            raise ValidationFailed(_("Only a statement waiting for the vendor can be disputed."))
        statement.status, statement.dispute_reason = StatementStatus.DISPUTED, reason
        statement.version += 1
        statement.save()
        return statement


def statement_approve(*, actor, municipality_id: int, statement_id: int, expected_version: int | None = None,
                      now: datetime.datetime | None = None) -> Statement:
    """One of the municipality's two approvals; the second must be by another person (four eyes)."""
    _require_admin(actor, municipality_id)
    now = now or timezone.now()
    with transaction.atomic():
        statement = _locked_statement(statement_id, expected_version)
        if statement.status == StatementStatus.ACCEPTED:
            statement.status = StatementStatus.FIRST_APPROVAL
            statement.first_approved_at, statement.first_approved_by = now, actor
        elif statement.status == StatementStatus.FIRST_APPROVAL:
            if statement.first_approved_by_id == actor.pk:
                raise ValidationFailed(_("Another person must give the second approval."))
            statement.status = StatementStatus.APPROVED
            statement.second_approved_at, statement.second_approved_by = now, actor
        else:
            raise ValidationFailed(_("Only a statement the vendor has accepted can be approved."))
        statement.version += 1
        statement.save()
        return statement


def statement_mark_paid(*, actor, municipality_id: int, statement_id: int, expected_version: int | None = None,
                        now: datetime.datetime | None = None) -> Statement:
    _require_admin(actor, municipality_id)
    with transaction.atomic():
        statement = _locked_statement(statement_id, expected_version)
        if statement.status != StatementStatus.APPROVED:
            raise ValidationFailed(_("Only a statement approved by two people can be marked paid."))
        statement.status = StatementStatus.PAID
        statement.paid_at, statement.paid_by = now or timezone.now(), actor
        statement.version += 1
        statement.save()
        return statement


# Retention

RETENTION_YEARS = 5  # bogføringsloven § 12: accounting records are kept five years after the financial year


def statements_purge(*, municipality_id: int, today: datetime.date | None = None) -> int:
    """Delete paid statements (and their lines) whose financial year ended more than five years ago."""
    today = today or timezone.localdate()
    before = datetime.date(today.year - RETENTION_YEARS, 1, 1)
    old = Statement.all_tenants.filter(municipality_id=municipality_id, status=StatementStatus.PAID, month__lt=before)
    with transaction.atomic():
        StatementLine.all_tenants.filter(statement__in=old).delete()
        count, _deleted = old.delete()
    return count
