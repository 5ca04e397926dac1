"""The administrator's form for the municipality's staff identity provider and its role mappings."""

from __future__ import annotations

from urllib.parse import urlparse

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from django import forms
from django.utils.translation import gettext_lazy as _

from jobunivers.accounts.models import StaffIdentityProvider
from jobunivers.tenancy.roles import MAPPABLE_STAFF_ROLES, Role

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _idp_descriptor_errors(text: str) -> str | None:
    try:
        root = SafeTree.fromstring(text.encode())
    except (SafeTree.ParseError, DefusedXmlException):
        return str(_("The metadata is not valid XML. Paste the whole XML document from the identity provider."))
    descriptors = [root] if root.tag == f"{MD}EntityDescriptor" else list(root.iter(f"{MD}EntityDescriptor"))
    idps = [d for d in descriptors if d.find(f"{MD}IDPSSODescriptor") is not None]
    if len(idps) != 1:
        return str(_("The metadata must describe exactly one identity provider (IDPSSODescriptor)."))
    if idps[0].find(f"{MD}IDPSSODescriptor/{MD}KeyDescriptor/{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate") is None:
        return str(_("The metadata has no signing certificate: we could not check the identity provider's signature."))
    return None


class StaffIdentityProviderForm(forms.ModelForm):
    oidc_client_secret = forms.CharField(
        label=_("Client secret"), required=False, strip=True, max_length=300,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret already saved."))

    class Meta:
        model = StaffIdentityProvider
        fields = ["kind", "is_enabled", "saml_metadata", "oidc_issuer", "oidc_client_id", "oidc_client_secret",
                  "roles_claim", "assurance_claim"]
        widgets = {"saml_metadata": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "roles_claim": _("Leave empty for the usual one: user-system roles from KOMBIT, the groups claim "
                             "from Entra ID and AD FS, 'groups' in OpenID Connect."),
            "assurance_claim": _("Leave empty for the NSIS level attribute (SAML) or 'loa' (OpenID Connect). "
                                 "Sign-ins below NSIS Substantial are always refused."),
            "is_enabled": _("When on, staff can no longer sign in with password and code, except break-glass accounts."),
        }

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret

    def clean_oidc_issuer(self) -> str:
        issuer = self.cleaned_data["oidc_issuer"].strip()
        if not issuer:
            return issuer
        url = urlparse(issuer)
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOOPBACK):
            raise forms.ValidationError(_("The issuer must be an https address, e.g. "
                                          "https://login.microsoftonline.com/<tenant>/v2.0."))
        if not url.hostname:
            raise forms.ValidationError(_("The issuer must be an https address, e.g. "
                                          "https://login.microsoftonline.com/<tenant>/v2.0."))
        return issuer.rstrip("/")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("kombit", "saml"):
            metadata = (data.get("saml_metadata") or "").strip()
            if not metadata:
                self.add_error("saml_metadata", _("Paste the identity provider's SAML metadata."))
            else:
                error = _idp_descriptor_errors(metadata)
                if error:
                    self.add_error("saml_metadata", error)
        if kind == "oidc":
            if not data.get("oidc_issuer") and "oidc_issuer" not in self.errors:
                self.add_error("oidc_issuer", _("Enter the OpenID Connect issuer."))
            if not data.get("oidc_client_id"):
                self.add_error("oidc_client_id", _("Enter the client id registered for Jobunivers."))
            if not data.get("oidc_client_secret") and not self.has_secret:
                self.add_error("oidc_client_secret", _("Enter the client secret."))
        return data


ROLE_CHOICES = [("", "---------")] + [(r.value, r.label) for r in Role if r in MAPPABLE_STAFF_ROLES]


class RoleMappingForm(forms.Form):
    claim_value = forms.CharField(label=_("Role or group in the identity provider"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role in Jobunivers"), choices=ROLE_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        value, role = (data.get("claim_value") or "").strip(), data.get("role")
        if value and not role:
            self.add_error("role", _("Choose the role this gives in Jobunivers."))
        if role and not value:
            self.add_error("claim_value", _("Enter the role or group as the identity provider sends it."))
        data["claim_value"] = value
        return data


RoleMappingFormSet = forms.formset_factory(RoleMappingForm, extra=3, max_num=200, validate_max=True)
