"""The signed launch's key is no longer stored: the column keeps a salt the key is derived from (with a
key derived from SECRET_KEY). A vendor's existing random value becomes its salt; the vendor makes its key
on the reporting-keys page (no vendor could see the stored value, so no integration depends on it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0003_callback_keys"),
    ]

    operations = [
        migrations.RenameField(model_name="vendor", old_name="launch_secret", new_name="launch_salt"),
        migrations.AlterField(
            model_name="vendor", name="launch_salt",
            field=models.CharField(editable=False, max_length=64, verbose_name="launch key salt"),
        ),
        migrations.AddField(
            model_name="vendor", name="launch_key_made_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="launch key made"),
        ),
    ]
