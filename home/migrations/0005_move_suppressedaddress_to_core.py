"""SuppressedAddress now belongs to core (core 0001); the table is kept, only the state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_schedules"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SuppressedAddress")],
            database_operations=[],
        ),
    ]
