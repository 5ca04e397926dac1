from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class User(AbstractUser):
    """A person who signs in. Roles come from tenancy.Membership; citizen data lives in citizens."""

    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("demo persona"), default=False)
    # May sign in with password and TOTP even where the municipality signs staff in through its own
    # identity provider (ADR 0080). Set by a platform operator; every such sign-in is recorded.
    is_break_glass = models.BooleanField(_("break-glass account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class CitizenIdentity(models.Model):
    """The CPR number a national eID asserted for a user, stored protected.

    `cpr_hash` is a keyed HMAC (settings.CPR_HASH_KEY) so a returning citizen is
    found without decrypting anything; `cpr_encrypted` is Fernet-encrypted with
    settings.CPR_ENCRYPTION_KEY. Neither is shown in the admin list, URLs or logs.
    """

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="citizen_identity", verbose_name=_("user")
    )
    provider = models.CharField(_("identity provider"), max_length=40)
    cpr_hash = models.CharField(_("CPR look-up key"), max_length=64, unique=True)
    cpr_encrypted = models.BinaryField(_("CPR number (encrypted)"))
    assurance_level = models.CharField(_("assurance level of the last login"), max_length=20, blank=True)
    last_verified_at = models.DateTimeField(_("last login"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen identity")
        verbose_name_plural = _("citizen identities")

    def __str__(self) -> str:
        return f"{self.provider}: {self.cpr_masked()}"

    def cpr_masked(self) -> str:
        """Birth date part only (ddmmyy-xxxx): what the citizen sees of their own number."""
        from .cpr import decrypt_cpr

        return decrypt_cpr(bytes(self.cpr_encrypted))[:6] + "-xxxx"


class SamlRequest(models.Model):
    """An AuthnRequest we sent, waiting for its answer. Consumed once: a replayed response is refused.

    Kept in the database, not the session: the answer arrives as a cross-site POST,
    which does not carry a SameSite=Lax session cookie.
    """

    request_id = models.CharField(_("request id"), max_length=100, unique=True)
    provider = models.CharField(_("identity provider"), max_length=40)
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    browser_binding = models.CharField(_("browser binding (hash)"), max_length=64)
    next_url = models.CharField(_("where to go afterwards"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    consumed_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in request")
        verbose_name_plural = _("sign-in requests")

    def __str__(self) -> str:
        return self.request_id


class SeenAssertion(models.Model):
    """Assertion ids already accepted, kept until they expire, so none is accepted twice."""

    assertion_id = models.CharField(_("assertion id"), max_length=200, unique=True)
    not_on_or_after = models.DateTimeField(_("valid until"), db_index=True)

    class Meta:
        verbose_name = _("accepted assertion")
        verbose_name_plural = _("accepted assertions")

    def __str__(self) -> str:
        return self.assertion_id


class SamlSession(models.Model):
    """Which Django session belongs to which IdP session, for single logout."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    provider = models.CharField(_("identity provider"), max_length=40)
    name_id = models.TextField(_("name id (serialised)"))
    session_index = models.CharField(_("session index"), max_length=200, blank=True)
    session_key = models.CharField(_("session key"), max_length=40, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on session")
        verbose_name_plural = _("single sign-on sessions")

    def __str__(self) -> str:
        return f"{self.provider}:{self.pk}"


class StaffUnlock(models.Model):
    """A municipality administrator lifted a staff member's sign-in lock-out (the audit record).

    Ids only, no names: the record says who unlocked whom and when, and outlives either account.
    """

    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor_user_id = models.BigIntegerField(_("administrator (user id)"))
    staff_user_id = models.BigIntegerField(_("staff member (user id)"))
    attempts_cleared = models.PositiveIntegerField(_("failed attempts cleared"))

    class Meta:
        verbose_name = _("staff unlock")
        verbose_name_plural = _("staff unlocks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.actor_user_id} unlocked {self.staff_user_id}"


class StaffIdentityProvider(models.Model):
    """The identity provider a municipality signs its staff in with (ADR 0080).

    One per municipality, edited by its administrator. Not personal data: the IdP's public
    metadata or OIDC client registration, and which claim carries the roles.
    """

    class Kind(models.TextChoices):
        KOMBIT = "kombit", _("KOMBIT Context Handler (SAML, user-system roles)")
        SAML = "saml", _("Entra ID or AD FS (SAML)")
        OIDC = "oidc", _("Entra ID or another OpenID Connect provider (group claims)")

    municipality = models.OneToOneField(
        "tenancy.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("identity provider"), max_length=20, choices=Kind.choices)
    is_enabled = models.BooleanField(_("staff sign in through it"), default=False)
    saml_metadata = models.TextField(_("the identity provider's SAML metadata (XML)"), blank=True)
    oidc_issuer = models.CharField(_("OpenID Connect issuer"), max_length=300, blank=True)
    oidc_client_id = models.CharField(_("client id"), max_length=200, blank=True)
    oidc_client_secret = models.CharField(_("client secret"), max_length=300, blank=True)
    roles_claim = models.CharField(_("claim with the roles or groups"), max_length=300, blank=True)
    assurance_claim = models.CharField(_("claim with the NSIS assurance level"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("staff identity provider")
        verbose_name_plural = _("staff identity providers")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.kind}"


class StaffRoleMapping(models.Model):
    """A role or group the municipality's identity provider asserts, and the platform role it gives."""

    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    claim_value = models.CharField(_("role or group in the identity provider"), max_length=300)
    role = models.CharField(_("role in Jobunivers"), max_length=40)

    class Meta:
        verbose_name = _("staff role mapping")
        verbose_name_plural = _("staff role mappings")
        ordering = ["claim_value", "role"]
        constraints = [models.UniqueConstraint(fields=["municipality", "claim_value", "role"],
                                               name="unique_staff_role_mapping")]

    def __str__(self) -> str:
        return f"{self.claim_value} -> {self.role}"


class StaffIdentity(TenantOwnedModel):
    """Which person at the municipality's identity provider a staff account belongs to.

    `subject_hash` is a SHA-256 of the IdP's stable identifier (SAML NameID or OIDC `sub`), so the
    identifier itself (often an e-mail address) is not kept. `constraints` are KOMBIT data
    constraints of the last sign-in (e.g. KLE numbers), kept for display, not enforced yet.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    provider = models.CharField(_("identity provider"), max_length=40)
    subject_hash = models.CharField(_("identifier at the identity provider (hash)"), max_length=64)
    claimed_roles = models.JSONField(_("roles or groups at the last sign-in"), default=list, blank=True)
    constraints = models.JSONField(_("data constraints at the last sign-in"), default=dict, blank=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff identity")
        verbose_name_plural = _("staff identities")
        constraints = [models.UniqueConstraint(fields=["municipality", "subject_hash"],
                                               name="unique_staff_identity_subject")]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.provider}:{self.user_id}"


class BreakGlassSignIn(TenantOwnedModel):
    """A break-glass account signed in with password and TOTP in a municipality that uses its own IdP."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))

    class Meta:
        verbose_name = _("break-glass sign-in")
        verbose_name_plural = _("break-glass sign-ins")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.user_id}@{self.created_at:%Y-%m-%d %H:%M}"
