"""State only: branch committees (terms, positions, term reminders) leave `branches`.

The tables stay where they are (each model keeps its `db_table`), so no row is copied; only
Django's idea of which app owns the models changes. See committees/migrations/0002_content_types.py
for the content types.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0007_regional_moves_out_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="committeeterm",
                    name="organization",
                ),
                migrations.RemoveField(
                    model_name="termreminder",
                    name="term",
                ),
                migrations.DeleteModel(
                    name="CommitteePosition",
                ),
                migrations.DeleteModel(
                    name="CommitteeTerm",
                ),
                migrations.DeleteModel(
                    name="TermReminder",
                ),
            ],
            database_operations=[],
        ),
    ]
