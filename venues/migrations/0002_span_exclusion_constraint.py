"""PostgreSQL guard against double booking: btree_gist and the exclusion constraint on spans.

Both operations do nothing on SQLite (`make run`), where the booking service serialises its
transaction instead; neither changes the migration state.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

import venues.db


class Migration(migrations.Migration):
    dependencies = [
        ("venues", "0001_initial"),
    ]

    operations = [
        BtreeGistExtension(),
        venues.db.AddConstraintOnPostgresOnly(
            model_name="bookingspan",
            constraint_factory="venues.db.span_exclusion_constraint",
        ),
    ]
