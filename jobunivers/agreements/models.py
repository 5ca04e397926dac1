"""Agreements between a municipality and a vendor about one offer, their rates with validity periods,
and the monthly statements computed from the marketplace's use events (ADR 0085).

Money is whole øre in integers. The statement engine (`engine.py`) owns the rules; these tables keep
what was agreed, and what was computed, with the fingerprint of the inputs it was computed from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantOwnedModel


class PaymentModel(models.TextChoices):
    FLAT = "flat", _("Flat rate per month")
    SUBSCRIPTION = "subscription", _("Subscription per enrolled citizen per month")
    PER_USE = "per_use", _("Pay per use")
    PER_HOUR = "per_hour", _("Per hour of follow-up")
    OUTCOME = "outcome", _("Outcome-based (base fee and result fee)")
    FREE = "free", _("Free")


class BilledUse(models.TextChoices):
    LAUNCHED = "launched", _("Each launch")
    SESSION = "session", _("Each session")


class Agreement(TenantOwnedModel):
    """The municipality's agreement with a vendor about one of the vendor's offers."""

    vendor = models.ForeignKey("marketplace.Vendor", on_delete=models.PROTECT, related_name="payment_agreements",
                               verbose_name=_("vendor"))
    offer = models.ForeignKey("marketplace.Offer", on_delete=models.PROTECT, related_name="payment_agreements",
                              verbose_name=_("offer"))
    payment_model = models.CharField(_("payment model"), max_length=20, choices=PaymentModel.choices)
    billed_use = models.CharField(_("what counts as a use"), max_length=20, choices=BilledUse.choices,
                                  default=BilledUse.LAUNCHED)
    outcome_weeks = models.PositiveSmallIntegerField(
        _("weeks for a result"), default=0,
        help_text=_("Outcome-based: the result fee is paid when the citizen gets a job within this many weeks."))
    reference = models.CharField(_("agreement reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["vendor_id", "offer_id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "offer"], name="agreements_one_per_offer"),
            models.CheckConstraint(
                condition=~Q(payment_model="outcome") | Q(outcome_weeks__gte=1, outcome_weeks__lte=104),
                name="agreements_outcome_weeks"),
        ]

    def __str__(self) -> str:
        return f"{self.get_payment_model_display()} #{self.pk}"


class Rate(TenantOwnedModel):
    """One price of an agreement, valid from `valid_from` through `valid_to` (inclusive; empty: until
    further notice). Rates of one agreement never overlap: the services check it, and on PostgreSQL an
    exclusion constraint keeps it (migration 0002)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="rates",
                                  verbose_name=_("agreement"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    amount_ore = models.BigIntegerField(_("amount (øre)"))
    result_fee_ore = models.BigIntegerField(_("result fee (øre)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["agreement_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "valid_from"], name="agreements_rate_start_once"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="agreements_rate_period_ordered"),
            models.CheckConstraint(condition=Q(amount_ore__gte=0) & Q(result_fee_ore__gte=0),
                                   name="agreements_rate_not_negative"),
        ]


class StatementStatus(models.TextChoices):
    GENERATED = "generated", _("Generated")
    DISPUTED = "disputed", _("Disputed by the vendor")
    ACCEPTED = "accepted", _("Accepted by the vendor")
    FIRST_APPROVAL = "first_approval", _("Approved by one person")
    APPROVED = "approved", _("Approved by the municipality")
    PAID = "paid", _("Paid")


class Statement(TenantOwnedModel):
    """What the municipality owes one vendor for one month, over all their agreements. Reproducible:
    `inputs_hash` is the fingerprint of the agreements, rates, use events and outcome evidence it was
    computed from, and `outcome_evidence` keeps the job outcomes used (register data may change)."""

    vendor = models.ForeignKey("marketplace.Vendor", on_delete=models.PROTECT, related_name="statements",
                               verbose_name=_("vendor"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=20, choices=StatementStatus.choices,
                              default=StatementStatus.GENERATED)
    total_ore = models.BigIntegerField(_("total (øre)"), default=0)
    inputs_hash = models.CharField(_("fingerprint of the inputs"), max_length=64)
    outcome_evidence = models.JSONField(_("job outcomes used"), default=list, blank=True)
    use_events = models.PositiveIntegerField(_("use events read"), default=0)
    generated_at = models.DateTimeField(_("generated"))
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("generated by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))
    dispute_reason = models.CharField(_("reason for dispute"), max_length=1000, blank=True)
    first_approved_at = models.DateTimeField(_("first approval"), null=True, blank=True)
    first_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("first approved by"))
    second_approved_at = models.DateTimeField(_("second approval"), null=True, blank=True)
    second_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+", verbose_name=_("second approved by"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("marked paid by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-month", "vendor_id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "vendor", "month"], name="agreements_statement_once"),
            # The two approvals are by two different people (the four-eyes rule).
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True) | ~Q(second_approved_by=F("first_approved_by")),
                name="agreements_two_different_approvers"),
        ]


class LineKind(models.TextChoices):
    FLAT = "flat", _("Flat rate")
    SUBSCRIPTION = "subscription", _("Subscription (days)")
    USE = "use", _("Uses")
    HOUR = "hour", pgettext_lazy("billed", "Hours")
    BASE_FEE = "base_fee", _("Base fee")
    RESULT_FEE = "result_fee", _("Result fee")


class StatementLine(TenantOwnedModel):
    """One line of a statement. `subject` is the citizen's pseudonym towards the vendor, on lines that
    are about one enrolment (subscription, base and result fees); usage lines are totals."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines",
                                  verbose_name=_("statement"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("agreement"))
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    unit_amount_ore = models.BigIntegerField(_("unit price (øre)"))
    amount_ore = models.BigIntegerField(_("amount (øre)"))
    subject = models.CharField(_("pseudonymous citizen"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement_id", "agreement_id", "period_start", "id"]
