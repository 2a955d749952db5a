"""State only: an export job's committee now points at `regional.RegionalCommittee`.

The tables stay where they are (each model keeps its `db_table`), so no row is copied; only
Django's idea of which app owns the models changes. See regional/migrations/0002_content_types.py
for the content types.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regional", "0001_initial"),
        ("reports", "0001_export_jobs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="exportjob",
                    name="committee",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="export_jobs",
                        to="regional.regionalcommittee",
                        verbose_name="regional committee",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
