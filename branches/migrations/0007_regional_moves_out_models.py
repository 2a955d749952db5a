"""State only: the regional models leave `branches`.

The tables stay where they are (each model keeps its `db_table`), so no row is copied; only
Django's idea of which app owns the models changes. See regional/migrations/0002_content_types.py
for the content types.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0006_regional_moves_out_fields"),
        ("reports", "0002_committee_in_regional_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="RegionalCommittee",
                ),
                migrations.DeleteModel(
                    name="RegionalMembership",
                ),
                migrations.DeleteModel(
                    name="Resource",
                ),
                migrations.DeleteModel(
                    name="TopicSubmission",
                ),
                migrations.DeleteModel(
                    name="UnitEvaluation",
                ),
                migrations.DeleteModel(
                    name="UnitVisit",
                ),
                migrations.DeleteModel(
                    name="WorkReport",
                ),
            ],
            database_operations=[],
        ),
    ]
