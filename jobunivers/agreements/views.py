"""Pages: the municipality administrator's agreements, rates and statements; the vendor's portal with
its agreements, statements (CSV and PDF) and usage aggregates. Thin: parse, call a selector or service,
render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import Role

from . import exports, selectors, services
from .forms import AgreementForm, DisputeForm, RateEndForm, RateForm, StatementForm
from .models import StatementStatus


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


# The municipality administrator


@require_http_methods(["GET", "POST"])
@municipal_view()
def admin_agreements(request):
    offers = selectors.offers_without_agreement(actor=request.user, municipality_id=request.municipality_id)
    form = AgreementForm(offers=offers)
    if request.method == "POST":
        form = AgreementForm(request.POST, offers=offers)
        if form.is_valid():
            try:
                agreement = services.agreement_create(actor=request.user, municipality_id=request.municipality_id,
                                                      offer_id=form.cleaned_data["offer"], **{
                                                          name: form.cleaned_data[name] for name in (
                                                              "payment_model", "billed_use", "outcome_weeks",
                                                              "reference")})
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The agreement is made. Give it a rate from the day it applies."))
                return redirect("agreements:admin_agreement", agreement_id=agreement.pk)
    return render(request, "agreements/admin_agreements.html", {
        "agreements": selectors.agreements_for_admin(actor=request.user, municipality_id=request.municipality_id),
        "form": form,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@municipal_view()
def admin_agreement(request, agreement_id: int):
    agreement = selectors.access_agreement(actor=request.user, municipality_id=request.municipality_id,
                                           agreement_id=agreement_id)
    form = RateForm(payment_model=agreement.payment_model)
    if request.method == "POST":
        form = RateForm(request.POST, payment_model=agreement.payment_model)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rate_add(actor=request.user, municipality_id=request.municipality_id,
                                  agreement_id=agreement.pk, valid_from=data["valid_from"], valid_to=data["valid_to"],
                                  amount_ore=data["amount"], result_fee_ore=data["result_fee"])
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The rate is saved."))
                return redirect("agreements:admin_agreement", agreement_id=agreement.pk)
    return render(request, "agreements/admin_agreement.html", {
        "agreement": agreement, "rates": agreement.rates.all(), "form": form, "end_form": RateEndForm(),
    }, status=400 if form.errors else 200)


@require_POST
@municipal_view()
def rate_end(request, rate_id: int):
    rate = selectors.access_rate(actor=request.user, municipality_id=request.municipality_id, rate_id=rate_id)
    form = RateEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed({"valid_to": [_("Give the last day the rate applies.")]})
        services.rate_end(actor=request.user, municipality_id=request.municipality_id, rate_id=rate.pk,
                          valid_to=form.cleaned_data["valid_to"])
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("The rate now ends on the day you chose."))
    return redirect("agreements:admin_agreement", agreement_id=rate.agreement_id)


@require_http_methods(["GET", "POST"])
@municipal_view()
def admin_statements(request):
    vendors = selectors.vendors_with_agreements(actor=request.user, municipality_id=request.municipality_id)
    form = StatementForm(vendors=vendors)
    if request.method == "POST":
        form = StatementForm(request.POST, vendors=vendors)
        if form.is_valid():
            try:
                statement = services.statement_generate(
                    actor=request.user, municipality_id=request.municipality_id,
                    vendor_id=form.cleaned_data["vendor"], month=form.cleaned_data["month"])
            except ValidationFailed as error:
                error.add_to_form(form)
            except ConflictError:
                form.add_error(None, _("Someone else made the statement at the same time. Try again."))
            else:
                messages.success(request, _("The statement is made and waits for the vendor."))
                return redirect("agreements:admin_statement", statement_id=statement.pk)
    return render(request, "agreements/admin_statements.html", {
        "statements": selectors.statements_for_admin(actor=request.user, municipality_id=request.municipality_id),
        "form": form,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@municipal_view()
def admin_statement(request, statement_id: int):
    statement = selectors.access_statement_as_admin(actor=request.user, municipality_id=request.municipality_id,
                                                    statement_id=statement_id)
    check = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        step = {"approve": services.statement_approve, "paid": services.statement_mark_paid}.get(action)
        if step is None and action != "check":
            raise NotFound
        if step is not None:
            try:
                step(actor=request.user, municipality_id=request.municipality_id, statement_id=statement.pk,
                     expected_version=_version(request))
            except ValidationFailed as error:
                for texts in error.messages.values():
                    for text in texts:
                        messages.error(request, text)
            except ConflictError:
                messages.error(request, _("The statement was changed by someone else. Look at it again."))
            else:
                messages.success(request, _("Saved."))
            return redirect("agreements:admin_statement", statement_id=statement.pk)
        fingerprint, total = services.statement_recompute(statement=statement)
        check = {"same": fingerprint == statement.inputs_hash and total == statement.total_ore, "total": total}
    return render(request, "agreements/statement.html", {
        "statement": statement, "lines": selectors.lines_of(statement), "check": check, "as_admin": True,
        "can_approve": statement.status in (StatementStatus.ACCEPTED, StatementStatus.FIRST_APPROVAL)
        and statement.first_approved_by_id != request.user.pk,
        "can_pay": statement.status == StatementStatus.APPROVED,
    })


def _download(statement, kind: str) -> HttpResponse:
    if kind not in ("csv", "pdf"):
        raise NotFound
    lines = selectors.lines_of(statement)
    name = f"opgoerelse-{statement.month:%Y-%m}-{statement.pk}"
    if kind == "csv":
        response = HttpResponse(exports.statement_csv(statement, lines), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.statement_pdf(statement, lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@municipal_view()
def admin_statement_download(request, statement_id: int, kind: str):
    statement = selectors.access_statement_as_admin(actor=request.user, municipality_id=request.municipality_id,
                                                    statement_id=statement_id)
    return _download(statement, kind)


# The vendor


@national_view(Role.VENDOR)
def vendor_agreements(request):
    return render(request, "agreements/vendor_agreements.html", {
        "agreements": selectors.agreements_for_vendor(actor=request.user)})


@national_view(Role.VENDOR)
def vendor_statements(request):
    return render(request, "agreements/vendor_statements.html", {
        "statements": selectors.statements_for_vendor(actor=request.user)})


@require_http_methods(["GET", "POST"])
@national_view(Role.VENDOR)
def vendor_statement(request, statement_id: int):
    statement = selectors.access_statement_as_vendor(actor=request.user, statement_id=statement_id)
    dispute_form = DisputeForm()
    accept_errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                try:
                    services.statement_accept(actor=request.user, statement_id=statement.pk,
                                              expected_version=_version(request))
                except ValidationFailed as error:
                    accept_errors = [str(text) for texts in error.messages.values() for text in texts]
                    raise
            elif action == "dispute":
                dispute_form = DisputeForm(request.POST)
                services.statement_dispute(actor=request.user, statement_id=statement.pk,
                                           reason=request.POST.get("reason", ""), expected_version=_version(request))
            else:
                raise NotFound
        except ValidationFailed as error:
            if not accept_errors:
                error.add_to_form(dispute_form)
        except ConflictError:
            dispute_form.add_error(None, _("The statement was changed by the municipality. Look at it again."))
        else:
            messages.success(request, _("Saved."))
            return redirect("agreements:vendor_statement", statement_id=statement.pk)
    return render(request, "agreements/statement.html", {
        "statement": statement, "lines": selectors.lines_of(statement), "as_admin": False,
        "dispute_form": dispute_form, "can_answer": statement.status == StatementStatus.GENERATED,
        "month_over": selectors.month_over(statement), "accept_errors": accept_errors,
    }, status=400 if dispute_form.errors or accept_errors else 200)


@national_view(Role.VENDOR)
def vendor_statement_download(request, statement_id: int, kind: str):
    statement = selectors.access_statement_as_vendor(actor=request.user, statement_id=statement_id)
    return _download(statement, kind)


@national_view(Role.VENDOR)
def vendor_usage(request):
    return render(request, "agreements/vendor_usage.html", {"cells": selectors.usage_for_vendor(actor=request.user)})
