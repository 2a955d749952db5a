"""State only: branch committees move out of `branches` into their own app, above `members`.

The tables stay where they are (each model keeps its `db_table`), so no row is copied; only
Django's idea of which app owns the models changes. See committees/migrations/0002_content_types.py
for the content types.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("branches", "0008_committees_move_out"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CommitteeTerm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_on", models.DateField(verbose_name="elected on")),
                        ("planned_end_on", models.DateField(verbose_name="term ends on")),
                        (
                            "ended_on",
                            models.DateField(blank=True, null=True, verbose_name="ended on"),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="committee_terms",
                                to="branches.organization",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "committee term",
                        "verbose_name_plural": "committee terms",
                        "db_table": "branches_committeeterm",
                        "ordering": ["organization", "-started_on"],
                    },
                ),
                migrations.CreateModel(
                    name="CommitteePosition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "position",
                            models.CharField(
                                choices=[
                                    ("secretary", "Secretary"),
                                    ("deputy_secretary", "Deputy secretary"),
                                    ("organisation", "Organisation member"),
                                    ("publicity", "Publicity member"),
                                    ("discipline", "Discipline member"),
                                    ("member", "Committee member"),
                                ],
                                max_length=20,
                                verbose_name="position",
                            ),
                        ),
                        ("started_on", models.DateField(verbose_name="from")),
                        ("ended_on", models.DateField(blank=True, null=True, verbose_name="until")),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="committee_positions",
                                to="members.member",
                                verbose_name="member",
                            ),
                        ),
                        (
                            "term",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="positions",
                                to="committees.committeeterm",
                                verbose_name="term",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "committee position",
                        "verbose_name_plural": "committee positions",
                        "db_table": "branches_committeeposition",
                        "ordering": ["term", "position", "started_on"],
                    },
                ),
                migrations.CreateModel(
                    name="TermReminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "days_before",
                            models.PositiveSmallIntegerField(verbose_name="days before"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "term",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to="committees.committeeterm",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "term reminder",
                        "verbose_name_plural": "term reminders",
                        "db_table": "branches_termreminder",
                    },
                ),
                migrations.AddConstraint(
                    model_name="committeeterm",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("planned_end_on__gt", models.F("started_on"))),
                        name="committee_term_end_after_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="committeeterm",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("ended_on__isnull", True),
                            ("ended_on__gte", models.F("started_on")),
                            _connector="OR",
                        ),
                        name="committee_term_ended_after_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="committeeterm",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("ended_on__isnull", True)),
                        fields=("organization",),
                        name="committee_one_current_term",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="committeeposition",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("ended_on__isnull", True), ("position", "secretary")),
                        fields=("term",),
                        name="committee_one_secretary",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="committeeposition",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("ended_on__isnull", True)),
                        fields=("term", "member"),
                        name="committee_one_position_per_member",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="termreminder",
                    constraint=models.UniqueConstraint(
                        fields=("term", "days_before"), name="term_reminder_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
