"""Pages of the segmentation app: the citizen's track, the staff worklist and decision page,
override statistics, the consultant's caseload, and the model cards. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.audit.selectors import profiling_objected
from jobunivers.citizens.selectors import access_citizen, citizen_for_user
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.selectors import consultants_of

from . import permissions, selectors, services
from .explanations import reason_text, tag_text
from .features import FEATURES
from .forms import ConsultantForm, DecisionForm, DisagreeForm, FairnessGroupDefinitionForm
from .models import AgeBand, BenefitType, Decision, Disagreement, EducationLevel, InteractionState, Suggestion
from .register_texts import ATTRIBUTE_TEXTS, FEATURE_TEXTS, GROUP_TEXTS, NEVER_USED_TEXTS, REGISTER_TEXTS

STAFF = tuple(STAFF_ROLES)
STAFF_AND_ADMIN = (*STAFF_ROLES, Role.MUNICIPALITY_ADMIN)


def _errors_to_form(form, error: ValidationFailed) -> None:
    for field, texts in error.messages.items():
        for text in texts:
            form.add_error(None if field == "__all__" or field not in form.fields else field, text)


def _transitions(citizen_id: int, limit: int = 10) -> list[dict]:
    states = dict(InteractionState.choices)
    return [{"at": t.created_at, "from": states.get(t.from_state, t.from_state),
             "to": states.get(t.to_state, t.to_state), "reasons": [reason_text(r) for r in t.reasons]}
            for t in selectors.transitions_for(citizen_id=citizen_id)[:limit]]


def _first_period_end(citizen, suggestion):
    weeks = (suggestion.inputs or {}).get("first_period_weeks") if suggestion else None
    start = citizen.registered_on
    if not weeks or start is None:
        return None, weeks
    return start + timezone.timedelta(weeks=weeks), weeks


# --- Citizen ------------------------------------------------------------------------------


def _my_track_context(request, citizen, disagree_form=None):
    suggestion = selectors.latest_suggestion(citizen_id=citizen.pk)
    decision = selectors.latest_decision(citizen_id=citizen.pk)
    open_requests = selectors.disagreements_for(citizen_id=citizen.pk).filter(status=Disagreement.Status.OPEN)
    first_period_end, first_period_weeks = _first_period_end(citizen, suggestion)
    interaction = selectors.interaction_for(citizen_id=citizen.pk)
    return {
        "citizen": citizen,
        "suggestion": suggestion,
        "tags": [tag_text(code) for code in (suggestion.tags if suggestion else [])],
        "decision": decision,
        "decision_pending": suggestion is not None and suggestion.status == Suggestion.Status.PENDING,
        "open_disagreement": open_requests.filter(kind=Disagreement.Kind.DISAGREEMENT).first(),
        "open_wish": open_requests.filter(kind=Disagreement.Kind.WISH).first(),
        "disagree_form": disagree_form or DisagreeForm(),
        "objected": profiling_objected(user_id=citizen.user_id),
        "consultant": selectors.current_consultant(citizen_id=citizen.pk),
        "interaction": interaction.get_state_display() if interaction else None,
        "transitions": _transitions(citizen.pk),
        "first_period_end": first_period_end,
        "first_period_weeks": first_period_weeks,
        "used": _inputs_used(suggestion),
    }


def _inputs_used(suggestion) -> dict:
    """Which inputs the citizen's suggestion rested on, in plain words (for "Min indsats")."""
    if suggestion is None:
        return {}
    inputs = suggestion.inputs or {}
    card = suggestion.model_version.model_card if suggestion.model_version_id else {}
    score = ([str(FEATURE_TEXTS.get(name, name)).lower() for name in card.get("features", [])]
             if suggestion.risk_score is not None else [])
    return {"answers": bool(inputs.get("answers")), "register": bool(inputs.get("register")), "score": score}


@municipal_view(Role.CITIZEN)
def my_track(request):
    citizen = citizen_for_user(user=request.user)
    if citizen is None:
        raise NotFound
    return render(request, "segmentation/my_track.html", _my_track_context(request, citizen))


@municipal_view(Role.CITIZEN)
@require_POST
def my_track_disagree(request):
    citizen = citizen_for_user(user=request.user)
    suggestion = selectors.latest_suggestion(citizen_id=citizen.pk) if citizen else None
    if suggestion is None:
        raise NotFound
    form = DisagreeForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_disagree(actor=request.user, suggestion_id=suggestion.pk,
                                         comment=form.cleaned_data["comment"])
        except ValidationFailed as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you. A staff member will look at your comment before deciding."))
            return redirect("segmentation:my_track")
    return render(request, "segmentation/my_track.html", _my_track_context(request, citizen, form), status=400)


@municipal_view(Role.CITIZEN)
@require_POST
def my_track_wish(request):
    citizen = citizen_for_user(user=request.user)
    suggestion = selectors.latest_suggestion(citizen_id=citizen.pk) if citizen else None
    if suggestion is None:
        raise NotFound
    try:
        services.suggestion_disagree(actor=request.user, suggestion_id=suggestion.pk, comment="",
                                     kind=Disagreement.Kind.WISH)
    except ValidationFailed as error:
        messages.error(request, " ".join(t for texts in error.messages.values() for t in texts))
    else:
        messages.success(request, _("Thank you. We will contact you."))
    return redirect("segmentation:my_track")


# --- Staff ----------------------------------------------------------------------------------


@municipal_view(*STAFF_AND_ADMIN)
@citizen_data_view
def worklist(request):
    data = selectors.access_worklist(actor=request.user, municipality_id=request.municipality_id)
    return render(request, "segmentation/worklist.html", {
        "pending": data.pending, "disagreements": data.disagreements, "unassigned": data.unassigned,
        "stats": data.stats,
    })


@municipal_view()
@citizen_data_view
def suggestion_detail(request, suggestion_id: int):
    suggestion = selectors.access_suggestion(actor=request.user, suggestion_id=suggestion_id)
    citizen = access_citizen(actor=request.user, id=suggestion.citizen_id, purpose="help",
                             what="segmentation: suggestion, inputs and decisions",
                             permission=permissions.can_view_suggestion)
    tracks = list(selectors.tracks_for())
    language = get_language() or "da"
    initial = {"track": suggestion.track_id}
    form = DecisionForm(initial=initial, tracks=tracks, language=language)
    if request.method == "POST":
        form = DecisionForm(request.POST, tracks=tracks, language=language)
        if form.is_valid():
            try:
                services.decision_make(actor=request.user, suggestion_id=suggestion.pk,
                                       track_id=form.cleaned_data["track"], reason=form.cleaned_data["reason"])
            except ValidationFailed as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The decision was saved and the citizen has been told."))
                return redirect("segmentation:suggestion_detail", suggestion_id=suggestion.pk)
    consultants = [(m.user_id, m.user.get_full_name() or m.user.username)
                   for m in consultants_of(municipality_id=request.municipality_id)]
    register = (suggestion.inputs or {}).get("register") or {}
    answers = (suggestion.inputs or {}).get("answers") or {}
    return render(request, "segmentation/suggestion_detail.html", {
        "suggestion": suggestion, "citizen": citizen, "form": form,
        "status_code": 400 if request.method == "POST" else 200,
        "tags": [tag_text(code) for code in suggestion.tags],
        "register": sorted(register.items()), "answers": sorted(answers.items()),
        "first_period_weeks": (suggestion.inputs or {}).get("first_period_weeks"),
        "decisions": selectors.decisions_for(citizen_id=citizen.pk),
        "disagreements": selectors.disagreements_for(citizen_id=citizen.pk),
        "newer": selectors.latest_suggestion(citizen_id=citizen.pk),
        "consultant": selectors.current_consultant(citizen_id=citizen.pk),
        "consultant_history": selectors.consultant_history(citizen_id=citizen.pk),
        "consultant_form": ConsultantForm(consultants=consultants),
        "transitions": _transitions(citizen.pk),
    }, status=400 if request.method == "POST" else 200)


@municipal_view()
@citizen_data_view
def consultant_assign_view(request, citizen_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    citizen = access_citizen(actor=request.user, id=citizen_id, purpose="help",
                             what="segmentation: assigned a personal job consultant",
                             permission=permissions.can_assign_consultant)
    consultants = [(m.user_id, m.user.get_full_name() or m.user.username)
                   for m in consultants_of(municipality_id=request.municipality_id)]
    form = ConsultantForm(request.POST, consultants=consultants)
    back = selectors.latest_suggestion(citizen_id=citizen.pk)
    if form.is_valid():
        try:
            services.consultant_assign(actor=request.user, citizen_id=citizen.pk,
                                       consultant_user_id=form.cleaned_data["consultant"],
                                       reason=form.cleaned_data["reason"])
        except ValidationFailed as error:
            messages.error(request, " ".join(t for texts in error.messages.values() for t in texts))
        else:
            messages.success(request, _("The consultant was assigned and the citizen has been told."))
    else:
        messages.error(request, _("Choose a consultant and give a reason."))
    if back is not None:
        return redirect("segmentation:suggestion_detail", suggestion_id=back.pk)
    return redirect("segmentation:worklist")


@municipal_view(*STAFF_AND_ADMIN)
def override_statistics_view(request):
    stats = selectors.override_statistics(municipality_id=request.municipality_id)
    since = timezone.now() - timezone.timedelta(days=stats.window_days)
    by_track = (Decision.objects.filter(created_at__gte=since).values("track__name_da", "track__name_en")
                .annotate(total=Count("id"), changed=Count("id", filter=Q(changed=True)))
                .order_by("track__name_da"))
    english = (get_language() or "").startswith("en")
    rows = [{"track": r["track__name_en"] if english and r["track__name_en"] else r["track__name_da"],
             "total": r["total"], "changed": r["changed"]} for r in by_track]
    staff = selectors.override_statistics_by_staff(municipality_id=request.municipality_id)
    return render(request, "segmentation/override_statistics.html", {"stats": stats, "rows": rows, "staff": staff})


@municipal_view(Role.PERSONAL_CONSULTANT)
@citizen_data_view
def caseload(request):
    assignments = selectors.access_caseload(actor=request.user, municipality_id=request.municipality_id)
    recent = timezone.now() - timezone.timedelta(days=7)
    capacity = request.municipality.settings.consultant_capacity if hasattr(request.municipality, "settings") \
        else None
    return render(request, "segmentation/caseload.html", {
        "assignments": assignments, "recent": recent, "capacity": capacity, "count": len(assignments),
    })


def _card_context(version):
    card = version.model_card or {}
    reasons = card.get("feature_reasons") or {f.name: f.reason for f in FEATURES}
    return {"version": version, "card": card,
            "features": [(name, reasons.get(name, "")) for name in card.get("features", [])],
            "at_thresholds": selectors.threshold_rows(card)}


@municipal_view(*STAFF_AND_ADMIN)
def active_model_card(request):
    version = selectors.active_model()
    context = _card_context(version) if version else {"version": None}
    return render(request, "segmentation/model_card.html", {**context, "national": False})


@national_view(Role.PLATFORM_OPERATOR)
def model_registry(request):
    if request.method == "POST":
        try:
            version_id = int(request.POST.get("version_id", ""))
        except ValueError:
            version_id = 0
        try:
            version = services.model_promote(actor=request.user, version_id=version_id)
        except ValidationFailed as error:
            messages.error(request, " ".join(t for texts in error.messages.values() for t in texts))
        else:
            messages.success(request, _("Version %(v)s is now the active model.") % {"v": version.version})
        return redirect("segmentation:model_registry")
    return render(request, "segmentation/model_registry.html", {"versions": selectors.model_versions()})


@national_view(Role.PLATFORM_OPERATOR)
def model_card(request, version_id: int):
    version = selectors.access_model_version(version_id=version_id)
    return render(request, "segmentation/model_card.html", {**_card_context(version), "national": True})


# --- The municipality's own fairness groups ---------------------------------------------------

GROUP_FIELDS = ("key", "name_da", "name_en", "description")


@municipal_view(Role.MUNICIPALITY_ADMIN)
def fairness_groups_view(request):
    """The municipality administrator registers (or removes) a group for the fairness figures."""
    errors: list[str] = []
    form: dict[str, str] = {}
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                group_id = int(request.POST.get("remove", ""))
            except ValueError:
                group_id = 0
            try:
                services.fairness_group_remove(actor=request.user, group_id=group_id)
            except NotFound:
                raise Http404 from None
            messages.success(request, _("The group is removed."))
            return redirect("segmentation:fairness_groups")
        form = {name: request.POST.get(name, "") for name in GROUP_FIELDS}
        definition = {**{name: request.POST.get(name, "") for name in ("postcode_from", "postcode_to")},
                      **{name: request.POST.getlist(name) for name in DEFINITION_CHOICES}}
        try:
            group = services.fairness_group_register(actor=request.user, municipality_id=request.municipality_id,
                                                     **form, **definition)
        except ValidationFailed as failed:
            errors = [text for texts in failed.messages.values() for text in texts]
            # shown again as entered (the errors are listed above the form)
            definition_form = FairnessGroupDefinitionForm(initial=definition)
        else:
            messages.success(request, _("The group is added. It is measured in the next monthly review.")
                             if group.is_defined else
                             _("The group is added. Its values come with the next register data import."))
            return redirect("segmentation:fairness_groups")
    else:
        definition_form = FairnessGroupDefinitionForm()
    groups = [(group, definition_text(group.definition()) if group.is_defined else "")
              for group in selectors.fairness_groups(municipality_id=request.municipality_id)]
    return render(request, "segmentation/fairness_groups.html",
                  {"groups": groups, "errors": errors, "form": form, "definition_form": definition_form},
                  status=400 if errors else 200)


DEFINITION_CHOICES = {"age_bands": AgeBand, "benefit_types": BenefitType, "education_levels": EducationLevel}


def definition_text(definition: dict | None) -> str:
    """A defined group in plain words: "postcodes 8210-8220; age bands 50-54 years, 55-59 years"."""
    if not definition:
        return ""
    parts = []
    if definition.get("postcode_from") is not None:
        parts.append(_("postcodes %(first)04d-%(last)04d") % {"first": definition["postcode_from"],
                                                             "last": definition["postcode_to"]})
    headings = {"age_bands": _("age bands"), "benefit_types": _("benefit types"),
                "education_levels": _("education levels")}
    for name, choices in DEFINITION_CHOICES.items():
        if definition.get(name):
            labels = dict(choices.choices)
            parts.append(f"{headings[name]}: " + ", ".join(str(labels.get(v, v)) for v in definition[name]))
    return "; ".join(parts)


# --- Public algorithm register (no login) -----------------------------------------------------


def _public_municipality(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404
    return municipality


def algorithm_register(request):
    """The public register entry of the screening model: purpose, legal basis, inputs, version,
    data, accuracy, calibration, fairness with intervals, how a person decides and how to object,
    last review and who is responsible. Anyone may read it; it names no person."""
    municipality = _public_municipality(request)
    entry = selectors.algorithm_register(municipality=municipality)
    model = entry["model"]
    return render(request, "segmentation/algorithm_register.html", {
        "entry": entry, "model": model, "municipality": municipality,
        "at_thresholds": selectors.threshold_rows(model or {}),
        "inputs": [(row["name"], FEATURE_TEXTS.get(row["name"], row["reason"])) for row in entry["inputs"]],
        "never_used": [NEVER_USED_TEXTS.get(name, name) for name in entry["never_used"]],
        "texts": _register_texts(municipality),
        "gap_rows": _gap_rows(model),
        "mitigation_rows": _mitigation_rows(model),
        "evaluated_rows": _evaluated_rows(model),
        "municipal_review_rows": _review_rows(entry["municipal_review"], names=_group_names(entry)),
        "national_review_rows": _review_rows(entry["monthly_review"]),
    })


def _gap_rows(model) -> list[dict]:
    """Each gap above the bound, for a plain sentence: at which threshold, which group is flagged
    falsely how many times as often as which, with the interval."""
    rows = []
    for values in ((model or {}).get("at_thresholds") or {}).values():
        for _name, result in sorted((values.get("fairness") or {}).items()):
            if result.get("status") != "exceeds":
                continue
            ci = result.get("ratio_ci") or [None, None]
            rows.append({"threshold": values.get("threshold"), "ratio": result.get("largest_ratio"),
                         "low": ci[0], "high": ci[1],
                         "highest": GROUP_TEXTS.get(result.get("highest"), result.get("highest")),
                         "lowest": GROUP_TEXTS.get(result.get("lowest"), result.get("lowest"))})
    return rows


def _points(cost) -> float | None:
    """An accuracy cost (a share) as percentage points, for plain language."""
    return None if cost is None else round(float(cost) * 100, 1)


def _mitigation_rows(model) -> list[dict]:
    """Per production threshold: correctly classified without and with the mitigation in use,
    the cost in percentage points, and the thresholds per group."""
    mitigation = (model or {}).get("mitigation")
    if not mitigation:
        return []
    before = model.get("unmitigated_accuracy") or {}
    rows = []
    for level, threshold in (model.get("production_thresholds") or {}).items():
        rows.append({"key": level, "threshold": threshold, "before": before.get(level),
                     "after": (model.get("at_thresholds") or {}).get(level, {}).get("accuracy"),
                     "cost_points": _points((mitigation.get("accuracy_cost") or {}).get(level)),
                     "thresholds": sorted(((mitigation.get("thresholds") or {}).get(level) or {}).items())})
    return rows


def _evaluated_rows(model) -> list[dict]:
    rows = []
    for option in (model or {}).get("mitigations_evaluated") or []:
        for level, values in (option.get("at_thresholds") or {}).items():
            rows.append({"method": option["method"], "attribute": option["attribute"], "level": level,
                         "allowed": option.get("allowed_in_decisions"), "accuracy": values.get("accuracy"),
                         "cost_points": _points(values.get("accuracy_cost")),
                         "ratios": sorted((name, result.get("largest_ratio"), result.get("status"))
                                          for name, result in (values.get("fairness") or {}).items())})
    return rows


def _group_names(entry) -> dict[str, str]:
    english = (get_language() or "").startswith("en")
    names = {}
    for g in entry.get("municipal_groups") or []:
        name = g["name_en"] if english and g["name_en"] else g["name_da"]
        # a group the municipality defined: what defines it, in plain words
        names[g["key"]] = f"{name} ({definition_text(g['definition'])})" if g.get("definition") else name
    return names


def _review_rows(review, *, names: dict[str, str] | None = None) -> list[dict]:
    """A monthly review's largest ratios per attribute and threshold, with interval and status;
    attributes in plain words (the municipality's own groups by the name it gave them)."""
    names = {**{key: str(text) for key, text in ATTRIBUTE_TEXTS.items()}, **(names or {})}
    rows = []
    for level, values in ((review or {}).get("at_thresholds") or {}).items():
        for name, result in sorted((values.get("fairness") or {}).items()):
            rows.append({"level": level, "key": name, "threshold": values.get("threshold"),
                         "attribute": names.get(name, name),
                         "ratio": result.get("largest_ratio"), "ci": result.get("ratio_ci") or [None, None],
                         "status": result.get("status"),
                         "groups": [{"label": GROUP_TEXTS.get(value, value), "n": row.get("n"),
                                     "n_not_unemployed": row.get("n_not_unemployed"),
                                     "rate": row.get("false_high_risk_rate"),
                                     "ci": row.get("false_high_risk_ci") or [None, None],
                                     "too_small": bool(row.get("too_small"))}
                                    for value, row in sorted((result.get("groups") or {}).items())]})
    return rows


def _register_texts(municipality) -> dict[str, str]:
    texts = {key: str(value) for key, value in REGISTER_TEXTS.items()}
    texts["responsible"] = texts["responsible"] % {"municipality": municipality.name}
    return texts


def algorithm_register_json(request):
    municipality = _public_municipality(request)
    entry = selectors.algorithm_register(municipality=municipality)
    response = JsonResponse({**entry, **_register_texts(municipality), "language": get_language()},
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Second review ----------------------------------------------------------------------------


@municipal_view(*STAFF)
@citizen_data_view
def second_review_list(request):
    """The month's sampled decisions for a second staff member's review, and recording one."""
    error = None
    if request.method == "POST":
        try:
            review_id = int(request.POST.get("review_id", ""))
        except ValueError:
            review_id = 0
        agrees = request.POST.get("agrees")
        if agrees not in ("yes", "no"):
            error = _("Choose whether you agree with the decision.")
        else:
            try:
                services.second_review_record(actor=request.user, review_id=review_id,
                                              agrees=agrees == "yes", comment=request.POST.get("comment", ""))
            except ValidationFailed as failed:
                error = " ".join(text for texts in failed.messages.values() for text in texts)
            else:
                messages.success(request, _("Your review is recorded."))
                return redirect("segmentation:second_review")
    reviews = selectors.access_second_reviews(actor=request.user, municipality_id=request.municipality_id)
    return render(request, "segmentation/second_review.html", {"reviews": reviews, "error": error}, status=400 if error else 200)
