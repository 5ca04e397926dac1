"""Local identity providers for staff sign-in tests: NemLog-in's LocalIdP playing KOMBIT's Context
Handler or Entra ID (SAML), and the local OIDC provider with group claims."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from jobunivers.accounts.contrib.nemlogin import config as oiosaml
from jobunivers.accounts.contrib.nemlogin.testing import Answer, LocalIdP

from . import claims

CITIZEN_ONLY = (oiosaml.ATTR_SPEC_VERSION, oiosaml.ATTR_CPR)
KOMBIT_CVR = "29189846"


def privileges_value(roles, *, constraints: dict | None = None, cvr: str = KOMBIT_CVR) -> str:
    """A basic-privilege-profile attribute value as KOMBIT's Context Handler sends it (base64 XML)."""
    items = []
    for role in roles:
        found = "".join(f"<Constraint Name={quoteattr(name)}>{escape(value)}</Constraint>"
                        for name, value in (constraints or {}).get(role, []))
        items.append(f"<Privilege>{escape(role)}</Privilege>{found}")
    groups = "".join(f'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:{cvr}">{item}</PrivilegeGroup>'
                     for item in items)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList '
           'xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{groups}</bpp:PrivilegeList>')
    return base64.b64encode(xml.encode()).decode()


def kombit_answer(idp: LocalIdP, redirect_url: str, *, roles=(), person: str = "kombit-user-1",
                  loa: str = "Substantial", constraints: dict | None = None, **kwargs) -> Answer:
    extra = {claims.KOMBIT_PRIVILEGES: [privileges_value(roles, constraints=constraints)]} if roles else {}
    extra.update(kwargs.pop("extra", {}))
    omit = CITIZEN_ONLY + tuple(kwargs.pop("omit", ()))
    return idp.answer(redirect_url, loa=loa, first_name=kwargs.pop("first_name", "Sara"),
                      last_name=kwargs.pop("last_name", "Sagsbehandler"), extra=extra, omit=omit,
                      name_id=f"https://data.gov.dk/model/core/eid/professional/uuid/{person}", **kwargs)


def entra_answer(idp: LocalIdP, redirect_url: str, *, groups=(), person: str = "entra-user-1",
                 loa: str = "Substantial", **kwargs) -> Answer:
    extra = {claims.ENTRA_GROUPS: list(groups)} if groups else {}
    return idp.answer(redirect_url, loa=loa, first_name="Erik", last_name="Entra", extra=extra,
                      omit=CITIZEN_ONLY + tuple(kwargs.pop("omit", ())), name_id=person, **kwargs)
