"""Personal data held by the foundation apps, registered here because audit sits on the same
layer as accounts and below citizens: the models are looked up by label when the citizen
exports or erases, never imported (see docs/adr/0010-personal-data-registry.md).

Registered: accounts.User, accounts.CitizenIdentity, tenancy.Membership, citizens.Citizen
(the base model; the citizen journey registers its own models in citizens/privacy.py),
and audit's own consents, objections and erasure receipts.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jobunivers.tenancy.models import Membership

from .models import Consent, ErasureRequest, ProfilingObjection
from .privacy import Shown, exempt_from_personal_data, register_personal_data, shown_as


def _iso(value):
    return value.isoformat() if value is not None else None


# accounts.User -------------------------------------------------------------------------

def export_user(user) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": getattr(user, "phone", ""),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def erase_user(user) -> None:
    # The account row stays (other records point at it) but says nothing about the person.
    User = get_user_model()
    User.objects.filter(pk=user.pk).update(
        username=f"erased-{user.pk}", first_name="", last_name="", email="", phone="", is_active=False,
        password="!erased",  # noqa: S106 - unusable: no password hash matches "!"
    )


register_personal_data(
    get_user_model(), category=_("Your account"), purpose="help", export=export_user, erase=erase_user,
    keep_reason=_("An empty account number is kept so that the access log and decisions still add up."),
)


# accounts.CitizenIdentity (the protected CPR number) -------------------------------------

IDENTITY_PROVIDERS = {"nemlogin": _("MitID (NemLog-in)"), "oidc": _("MitID (through a broker)"),
                      "demo": _("Demo sign-in"), "staff_saml": _("The municipality's login (SAML)"),
                      "staff_oidc": _("The municipality's login (OpenID Connect)")}
# The eIDAS levels of assurance MitID signs in with.
ASSURANCE_LEVELS = {"low": _("low"), "substantial": _("substantial"), "high": _("high")}

def export_identity(user) -> dict | list:
    if not apps.is_installed("jobunivers.accounts") or "citizenidentity" not in apps.all_models["accounts"]:
        return []
    identity = apps.get_model("accounts", "CitizenIdentity").objects.filter(user=user).first()
    if identity is None:
        return []
    return {"identity_provider": identity.provider, "cpr_number": identity.cpr_masked(),
            "assurance_level": identity.assurance_level, "last_verified_at": _iso(identity.last_verified_at)}


def erase_identity(user) -> None:
    if "citizenidentity" in apps.all_models["accounts"]:
        apps.get_model("accounts", "CitizenIdentity").objects.filter(user=user).delete()


register_personal_data(
    "accounts.CitizenIdentity", category=_("Your MitID identity"), purpose="help",
    export=export_identity, erase=erase_identity,
    fields={"identity_provider": Shown(_("Signed in with"), choices=IDENTITY_PROVIDERS),
            "cpr_number": _("CPR number (hidden)"),
            "assurance_level": Shown(_("Level of assurance"), choices=ASSURANCE_LEVELS)},
)


def export_sso_sessions(user) -> list[dict]:
    SamlSession = apps.get_model("accounts", "SamlSession")
    return [{"identity_provider": s.provider, "signed_in_at": _iso(s.created_at)}
            for s in SamlSession.objects.filter(user=user).order_by("created_at")]


register_personal_data(
    "accounts.SamlSession", category=_("Your MitID sign-ins"), purpose="help", export=export_sso_sessions,
    fields={"identity_provider": Shown(_("Signed in with"), choices=IDENTITY_PROVIDERS),
            "signed_in_at": _("Signed in")},
    erase=lambda user: apps.get_model("accounts", "SamlSession").objects.filter(user=user).delete(),
)


# accounts.StaffIdentity and BreakGlassSignIn (staff single sign-on, ADR 0080) -------------

def export_staff_identities(user) -> list[dict]:
    StaffIdentity = apps.get_model("accounts", "StaffIdentity")
    return [{"identity_provider": i.provider, "roles_at_last_sign_in": i.claimed_roles,
             "last_sign_in_at": _iso(i.last_sign_in_at)}
            for i in StaffIdentity.all_tenants.filter(user=user).order_by("created_at")]


register_personal_data(
    "accounts.StaffIdentity", category=_("Your staff sign-in"), purpose="help", export=export_staff_identities,
    fields={"identity_provider": Shown(_("Signed in with"), choices=IDENTITY_PROVIDERS),
            "roles_at_last_sign_in": _("Roles or groups at the last sign-in"),
            "last_sign_in_at": _("Last sign-in")},
    erase=lambda user: apps.get_model("accounts", "StaffIdentity").all_tenants.filter(user=user).delete(),
)


def export_break_glass(user) -> list[dict]:
    BreakGlassSignIn = apps.get_model("accounts", "BreakGlassSignIn")
    return [{"signed_in_at": _iso(b.created_at)}
            for b in BreakGlassSignIn.all_tenants.filter(user=user).order_by("created_at")]


register_personal_data(
    "accounts.BreakGlassSignIn", category=_("Your break-glass sign-ins"), purpose="help", export=export_break_glass,
    fields={"signed_in_at": _("Signed in")}, erase=None,
    keep_reason=_("Sign-ins with a break-glass account are kept as a security record for the municipality."),
)


# tenancy.Membership -----------------------------------------------------------------------

def export_memberships(user) -> list[dict]:
    return [
        {"municipality": m.municipality.name if m.municipality else None, "role": m.role,
         "active": m.is_active, "since": _iso(m.created_at)}
        for m in Membership.objects.filter(user=user).select_related("municipality").order_by("created_at")
    ]


def erase_memberships(user) -> None:
    from jobunivers.tenancy.permissions import forget_roles

    Membership.objects.filter(user=user).update(is_active=False)
    forget_roles()


register_personal_data(
    Membership, category=_("Your job centre"), purpose="help", export=export_memberships, erase=erase_memberships,
    fields={"active": shown_as(Membership, "is_active"), "since": Shown(_("Since"))},
    keep_reason=_("Which job centre you belonged to is kept (inactive) for as long as the access log is kept."),
)


# citizens.Citizen (base model) ------------------------------------------------------------

def export_citizen(user) -> list[dict]:
    Citizen = apps.get_model("citizens", "Citizen")
    return [
        {"municipality": c.municipality.name, "postcode": getattr(c.postcode, "code", None) if c.postcode_id else None,
         "birth_year": c.birth_year, "gender": c.gender, "registered_on": _iso(c.registered_on)}
        for c in Citizen.all_tenants.filter(user=user).select_related("municipality", "postcode")
    ]


def erase_citizen(user) -> None:
    Citizen = apps.get_model("citizens", "Citizen")
    Citizen.all_tenants.filter(user=user).update(postcode=None, birth_year=None, gender="other")


register_personal_data(
    "citizens.Citizen", category=_("Your citizen profile"), purpose="help", export=export_citizen,
    erase=erase_citizen,
    keep_reason=_("The date you registered as unemployed is kept: the job centre must document its "
                  "decisions for 5 years (Act on an Active Employment Effort)."),
)


def citizen_ids_of(user) -> list[int]:
    """The citizen records of a user, in every municipality (for the access log on Mine data)."""
    if not apps.is_installed("jobunivers.citizens"):
        return []
    Citizen = apps.get_model("citizens", "Citizen")
    return list(Citizen.all_tenants.filter(user=user).values_list("pk", flat=True))


# audit's own --------------------------------------------------------------------------

def export_consents(user) -> list[dict]:
    return [{"purpose": c.purpose, "given": c.given, "changed_at": _iso(c.changed_at)}
            for c in Consent.objects.filter(user=user).order_by("purpose")]


register_personal_data(
    Consent, category=_("Your consents"), purpose="help", export=export_consents,
    erase=lambda user: Consent.objects.filter(user=user).delete(),
)


def export_objection(user) -> list[dict]:
    return [{"objects_to_profiling": o.objected, "changed_at": _iso(o.changed_at)}
            for o in ProfilingObjection.objects.filter(user=user)]


register_personal_data(
    ProfilingObjection, category=_("Your objection to profiling"), purpose="help", export=export_objection,
    fields={"objects_to_profiling": shown_as(ProfilingObjection, "objected")},
    erase=lambda user: ProfilingObjection.objects.filter(user=user).delete(),
)

exempt_from_personal_data(
    ErasureRequest, reason="receipt of an erasure (user id, time, what was erased); no personal data"
)
