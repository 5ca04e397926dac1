"""Every existing municipality gets its theme and settings row (new ones get them on creation,
tenancy.signals), so the selectors can read without writing."""

from django.db import migrations


def create_missing(apps, schema_editor):
    Municipality = apps.get_model("tenancy", "Municipality")
    Theme = apps.get_model("tenancy", "Theme")
    MunicipalitySettings = apps.get_model("tenancy", "MunicipalitySettings")
    for municipality in Municipality.objects.filter(theme__isnull=True):
        Theme.objects.create(municipality=municipality, display_name=f"Jobcenter {municipality.name}")
    for municipality in Municipality.objects.filter(settings__isnull=True):
        MunicipalitySettings.objects.create(municipality=municipality)


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0004_retention_periods"),
    ]

    operations = [
        migrations.RunPython(create_missing, migrations.RunPython.noop),
    ]
