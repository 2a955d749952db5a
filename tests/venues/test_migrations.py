from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from venues.db import SPAN_CONSTRAINT_NAME

pytestmark = pytest.mark.django_db


def test_no_missing_migrations_on_this_database():
    # Raises SystemExit(1) when the models and migrations disagree.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_the_exclusion_constraint_exists_on_postgresql_only():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "venues_bookingspan")
    if connection.vendor == "postgresql":
        assert SPAN_CONSTRAINT_NAME in constraints
    else:
        assert SPAN_CONSTRAINT_NAME not in constraints
