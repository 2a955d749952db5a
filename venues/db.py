"""Database pieces of the booking guard that only PostgreSQL can hold.

The exclusion constraint on booking spans is created by a migration operation that does
nothing on SQLite and is deliberately kept out of the migration state: the model state (and so
`makemigrations --check`) is the same on both databases, and SQLite's table rebuilds never meet
an `EXCLUDE` clause they cannot express. See docs/adr/0004-room-booking-integrity.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db.migrations.operations.base import Operation
from django.db.models import Func, Q


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


SPAN_CONSTRAINT_NAME = "venues_span_no_overlapping_hold"


def span_exclusion_constraint() -> ExclusionConstraint:
    """No two holding spans of one physical room part overlap in time ('[)' ranges)."""
    return ExclusionConstraint(
        name=SPAN_CONSTRAINT_NAME,
        expressions=[
            ("room", RangeOperators.EQUAL),
            (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
        ],
        condition=Q(is_holding=True),
    )


class AddConstraintOnPostgresOnly(Operation):
    """Add a PostgreSQL-only constraint to a model's table; a no-op elsewhere and in state."""

    reversible = True

    def __init__(self, model_name: str, constraint_factory: str) -> None:
        self.model_name = model_name
        self.constraint_factory = constraint_factory

    def _constraint(self) -> ExclusionConstraint:
        from django.utils.module_loading import import_string

        return import_string(self.constraint_factory)()

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_constraint(model, self._constraint())

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_constraint(model, self._constraint())

    def describe(self) -> str:
        return f"Add a PostgreSQL-only constraint to {self.model_name}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            f"{self.__class__.__module__}.{self.__class__.__name__}",
            [],
            {"model_name": self.model_name, "constraint_factory": self.constraint_factory},
        )
