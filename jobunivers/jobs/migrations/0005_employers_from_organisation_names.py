"""Employer records for the organisation names employer memberships and their postings carried, so that
ownership moves from a free-text name to a record without any employer losing their postings."""

from django.db import migrations


def forwards(apps, schema_editor):
    Membership = apps.get_model("tenancy", "Membership")
    Employer = apps.get_model("jobs", "Employer")
    EmployerAccount = apps.get_model("jobs", "EmployerAccount")
    JobPosting = apps.get_model("jobs", "JobPosting")
    employers = {}
    for membership in Membership.objects.filter(role="employer").exclude(organisation=""):
        name = membership.organisation.strip()
        if name not in employers:
            employers[name] = Employer.objects.create(name=name, cvr=None)
        EmployerAccount.objects.get_or_create(membership=membership, defaults={"employer": employers[name]})
    for name, employer in employers.items():
        JobPosting.objects.filter(source="employer", owner_organisation=name, owner_employer__isnull=True).update(
            owner_employer=employer)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0004_employer_employeraccount_jobposting_owner_employer"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
