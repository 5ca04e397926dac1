"""Which page each role starts on. Apps own the pages; this is the map."""

from jobunivers.tenancy.roles import Role

START_PAGES = {
    Role.CITIZEN: "citizens:home",
    Role.JOB_JOURNEY_ASSISTANT: "caseworker:home",
    Role.JOB_ADVISER: "caseworker:home",
    Role.PERSONAL_CONSULTANT: "caseworker:home",
    Role.MUNICIPALITY_ADMIN: "tenancy:admin_home",
    Role.VENDOR: "accounts:vendor_home",
    Role.EMPLOYER: "jobs:employer_home",
    Role.PLATFORM_OPERATOR: "tenancy:platform_home",
}
