"""SuppressedAddress moves from home to core; its table (home_suppressedaddress) stays where it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SuppressedAddress",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("email", models.EmailField(max_length=254, unique=True, verbose_name="adresse")),
                        ("reason", models.CharField(choices=[("bounced", "adresse en échec définitif"), ("complained", "signalé comme indésirable"), ("rejected", "refusé par le prestataire"), ("unsubscribed", "désinscription chez le prestataire")], max_length=20, verbose_name="raison")),
                        ("detail", models.TextField(blank=True, verbose_name="détail")),
                        ("events", models.PositiveIntegerField(default=1, verbose_name="événements reçus")),
                        ("first_seen_at", models.DateTimeField(auto_now_add=True, verbose_name="premier événement")),
                        ("last_seen_at", models.DateTimeField(auto_now=True, verbose_name="dernier événement")),
                    ],
                    options={
                        "verbose_name": "adresse bloquée",
                        "verbose_name_plural": "adresses bloquées",
                        "ordering": ["-last_seen_at"],
                        "db_table": "home_suppressedaddress",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
