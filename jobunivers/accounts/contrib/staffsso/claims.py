"""What a staff sign-in asserts, whatever the protocol: who, which roles or groups, at which level.

KOMBIT's Context Handler (Fælleskommunal Adgangsstyring) sends the user's user-system roles in
the OIOSAML "basic privilege profile": an attribute whose value is base64-encoded XML, one
PrivilegeGroup per scope (the organisation's CVR number), each with Privilege elements (the
user-system role's entity id) and Constraint elements (data constraints such as KLE numbers).
Entra ID and AD FS send plain attribute values (group object ids or role names); OpenID Connect
sends them as a list claim (`groups` or `roles`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception type; parsing is defusedxml's

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

LOA_ORDER = {"low": 1, "substantial": 2, "high": 3}
REQUIRED_LEVEL = "substantial"  # NSIS "betydelig": staff never sign in below it

# OIOSAML 3 names (KOMBIT Context Handler) and the usual Microsoft claim types (Entra ID, AD FS).
NSIS_LOA = "https://data.gov.dk/concept/core/nsis/loa"
KOMBIT_PRIVILEGES = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
ENTRA_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
FIRST_NAME = ("https://data.gov.dk/model/core/eid/firstName",
              "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "given_name")
LAST_NAME = ("https://data.gov.dk/model/core/eid/lastName",
             "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "family_name")
EMAIL = ("https://data.gov.dk/model/core/eid/email",
         "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email")

DEFAULT_CLAIMS = {  # kind -> (roles claim, assurance claim)
    "kombit": (KOMBIT_PRIVILEGES, NSIS_LOA),
    "saml": (ENTRA_GROUPS, NSIS_LOA),
    "oidc": ("groups", "loa"),
}


class ClaimsRefused(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(reason)


@dataclass(frozen=True)
class StaffClaims:
    municipality_id: int
    provider: str  # "staff_saml" or "staff_oidc"
    subject: str  # the IdP's stable identifier of the person (hashed before it is stored)
    roles: frozenset[str]
    assurance_level: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    constraints: dict = field(default_factory=dict)  # KOMBIT: privilege -> [{"name": ..., "value": ...}]
    next_url: str = ""


def level_of(value) -> str:
    """low/substantial/high from a plain value or an NSIS URI ending in Low/Substantial/High."""
    text = str(value or "").strip().rstrip("/").rsplit("/", 1)[-1].lower()
    return text if text in LOA_ORDER else ""


def require_substantial(level: str) -> None:
    if not level:
        raise ClaimsRefused("assurance", "no NSIS assurance level asserted")
    if LOA_ORDER[level] < LOA_ORDER[REQUIRED_LEVEL]:
        raise ClaimsRefused("assurance", f"level {level} below {REQUIRED_LEVEL}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_privileges(value: str) -> tuple[set[str], dict[str, list[dict[str, str]]]]:
    """(user-system roles, their data constraints) from a basic-privilege-profile attribute value."""
    try:
        xml = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        xml = value.encode()  # some set-ups send the XML itself
    try:
        root = SafeTree.fromstring(xml)
    except (ParseError, DefusedXmlException) as error:
        raise ClaimsRefused("attributes", f"privilege list is not XML: {type(error).__name__}") from None
    if _local(root.tag) != "PrivilegeList":
        raise ClaimsRefused("attributes", "privilege attribute is not a PrivilegeList")
    roles: set[str] = set()
    constraints: dict[str, list[dict[str, str]]] = {}
    for group in root:
        if _local(group.tag) != "PrivilegeGroup":
            continue
        privileges = [(p.text or "").strip() for p in group if _local(p.tag) == "Privilege" and (p.text or "").strip()]
        found = [{"name": c.get("Name", ""), "value": (c.text or "").strip()}
                 for c in group if _local(c.tag) == "Constraint"]
        for privilege in privileges:
            roles.add(privilege)
            if found:
                constraints.setdefault(privilege, []).extend(found)
    return roles, constraints


def first(values, names: tuple[str, ...]) -> str:
    for name in names:
        found = values.get(name)
        if isinstance(found, list | tuple):
            found = found[0] if found else ""
        if found:
            return str(found).strip()
    return ""
