"""State only: regional party building moves out of `branches` into its own app.

The tables stay where they are (each model keeps its `db_table`), so no row is copied; only
Django's idea of which app owns the models changes. See regional/migrations/0002_content_types.py
for the content types.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("branches", "0006_regional_moves_out_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JointMeeting",
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
                        ("scheduled_on", models.DateField(verbose_name="scheduled on")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        (
                            "quarter",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(4),
                                ],
                                verbose_name="quarter",
                            ),
                        ),
                        (
                            "place",
                            models.CharField(blank=True, max_length=200, verbose_name="place"),
                        ),
                        ("topic", models.CharField(max_length=200, verbose_name="topic")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Planned"),
                                    ("held", "Held"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="planned",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("minutes", models.TextField(blank=True, verbose_name="minutes")),
                        (
                            "reminder_sent_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="reminder sent at"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                    ],
                    options={
                        "verbose_name": "joint meeting",
                        "verbose_name_plural": "joint meetings",
                        "db_table": "branches_jointmeeting",
                        "ordering": ["-scheduled_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="JointSettings",
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
                            "meetings_per_year",
                            models.PositiveSmallIntegerField(
                                default=4,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="joint meetings a year",
                            ),
                        ),
                        (
                            "topic_deadline_days",
                            models.PositiveSmallIntegerField(
                                default=10,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(30),
                                ],
                                verbose_name="topics due (days before the meeting)",
                            ),
                        ),
                        (
                            "meeting_reminder_days",
                            models.PositiveSmallIntegerField(
                                default=3,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="meeting reminder (days before)",
                            ),
                        ),
                        (
                            "action_reminder_days",
                            models.PositiveSmallIntegerField(
                                default=3,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="action item reminder (days before its deadline)",
                            ),
                        ),
                        (
                            "sub_district",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="joint_settings",
                                to="branches.subdistrict",
                                verbose_name="sub-district",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "joint meeting settings",
                        "verbose_name_plural": "joint meeting settings",
                        "db_table": "branches_jointsettings",
                    },
                ),
                migrations.CreateModel(
                    name="ListSnapshot",
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
                        ("data", models.JSONField(default=dict, verbose_name="lists")),
                        (
                            "published_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="published at"),
                        ),
                        (
                            "meeting",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="list_snapshot",
                                to="regional.jointmeeting",
                                verbose_name="meeting",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "published lists",
                        "verbose_name_plural": "published lists",
                        "db_table": "branches_listsnapshot",
                    },
                ),
                migrations.CreateModel(
                    name="RegionalCommittee",
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
                            "level",
                            models.CharField(
                                choices=[
                                    ("sub_district", "Sub-district regional committee"),
                                    ("community", "Community grand party committee"),
                                ],
                                max_length=20,
                                verbose_name="level",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "founded_on",
                            models.DateField(blank=True, null=True, verbose_name="founded on"),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "communities",
                            models.ManyToManyField(
                                blank=True,
                                related_name="regional_committees",
                                to="branches.community",
                                verbose_name="communities",
                            ),
                        ),
                        (
                            "sub_district",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="regional_committees",
                                to="branches.subdistrict",
                                verbose_name="sub-district",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "regional committee",
                        "verbose_name_plural": "regional committees",
                        "db_table": "branches_regionalcommittee",
                        "ordering": ["sub_district", "level", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Need",
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
                            "source",
                            models.CharField(
                                choices=[("community", "Community"), ("residents", "Residents")],
                                default="community",
                                max_length=10,
                                verbose_name="raised by",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="what is needed")),
                        (
                            "place",
                            models.CharField(blank=True, max_length=200, verbose_name="where"),
                        ),
                        ("wanted_by", models.DateField(blank=True, null=True, verbose_name="when")),
                        (
                            "scale",
                            models.CharField(blank=True, max_length=100, verbose_name="scale"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open for claiming"),
                                    ("claimed", "Claimed"),
                                    ("closed", "Closed"),
                                ],
                                default="open",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="claimed at"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "claimed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="claimed_needs",
                                to="branches.cobuildingunit",
                                verbose_name="claimed by",
                            ),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="needs",
                                to="branches.community",
                                verbose_name="community",
                            ),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="needs",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "need",
                        "verbose_name_plural": "needs",
                        "db_table": "branches_need",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.AddField(
                    model_name="jointmeeting",
                    name="committee",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="joint_meetings",
                        to="regional.regionalcommittee",
                        verbose_name="regional committee",
                    ),
                ),
                migrations.CreateModel(
                    name="RegionalMembership",
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
                        ("joined_on", models.DateField(verbose_name="joined on")),
                        (
                            "left_on",
                            models.DateField(blank=True, null=True, verbose_name="left on"),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="memberships",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "committee membership",
                        "verbose_name_plural": "committee memberships",
                        "db_table": "branches_regionalmembership",
                        "ordering": ["committee", "joined_on"],
                    },
                ),
                migrations.AddField(
                    model_name="regionalcommittee",
                    name="units",
                    field=models.ManyToManyField(
                        related_name="regional_committees",
                        through="regional.RegionalMembership",
                        to="branches.cobuildingunit",
                        verbose_name="member units",
                    ),
                ),
                migrations.CreateModel(
                    name="Resolution",
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
                        ("text", models.TextField(verbose_name="resolution")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="resolutions",
                                to="regional.jointmeeting",
                                verbose_name="meeting",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "resolution",
                        "verbose_name_plural": "resolutions",
                        "db_table": "branches_resolution",
                        "ordering": ["meeting", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ActionItem",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("deadline", models.DateField(verbose_name="deadline")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("in_progress", "In progress"),
                                    ("done", "Done"),
                                ],
                                default="open",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "done_on",
                            models.DateField(blank=True, null=True, verbose_name="done on"),
                        ),
                        (
                            "reminder_sent_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="reminder sent at"
                            ),
                        ),
                        (
                            "overdue_reminder_sent_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="overdue reminder sent at"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "owner_community",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="action_items",
                                to="branches.community",
                                verbose_name="owner community",
                            ),
                        ),
                        (
                            "owner_unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="action_items",
                                to="branches.cobuildingunit",
                                verbose_name="owner unit",
                            ),
                        ),
                        (
                            "resolution",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="action_items",
                                to="regional.resolution",
                                verbose_name="resolution",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "action item",
                        "verbose_name_plural": "action items",
                        "db_table": "branches_actionitem",
                        "ordering": ["deadline", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Resource",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("venue", "Venue"),
                                    ("lectures", "Lectures"),
                                    ("doctors", "Doctors"),
                                    ("lawyers", "Lawyers"),
                                    ("volunteers", "Volunteers"),
                                    ("money", "Money"),
                                    ("other", "Other"),
                                ],
                                max_length=12,
                                verbose_name="kind",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="what is offered")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open for claiming"),
                                    ("claimed", "Claimed"),
                                    ("closed", "Closed"),
                                ],
                                default="open",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="claimed at"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "claimed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="claimed_resources",
                                to="branches.community",
                                verbose_name="claimed by",
                            ),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="resources",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="offered_resources",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "resource",
                        "verbose_name_plural": "resources",
                        "db_table": "branches_resource",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Project",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("deadline", models.DateField(verbose_name="deadline")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("in_progress", "In progress"),
                                    ("done", "Done"),
                                    ("released", "Claim released"),
                                ],
                                default="in_progress",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "confirmed_done_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="confirmed done at"
                            ),
                        ),
                        (
                            "released_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="released at"),
                        ),
                        (
                            "release_reason",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="reason for release"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="joint_projects",
                                to="branches.community",
                                verbose_name="community",
                            ),
                        ),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="confirmed by",
                            ),
                        ),
                        (
                            "need",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="project",
                                to="regional.need",
                                verbose_name="need",
                            ),
                        ),
                        (
                            "released_need",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="released_projects",
                                to="regional.need",
                                verbose_name="released need",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="joint_projects",
                                to="branches.cobuildingunit",
                                verbose_name="owner unit",
                            ),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="projects",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                        (
                            "released_resource",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="released_projects",
                                to="regional.resource",
                                verbose_name="released resource",
                            ),
                        ),
                        (
                            "resource",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="project",
                                to="regional.resource",
                                verbose_name="resource",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "project",
                        "verbose_name_plural": "projects",
                        "db_table": "branches_project",
                        "ordering": ["deadline", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="TopicSubmission",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "submitted_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="submitted at"),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="topics",
                                to="regional.jointmeeting",
                                verbose_name="meeting",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="submitted by",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="joint_topics",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "topic submission",
                        "verbose_name_plural": "topic submissions",
                        "db_table": "branches_topicsubmission",
                        "ordering": ["submitted_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AgendaItem",
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
                            models.PositiveSmallIntegerField(default=0, verbose_name="position"),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "action_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="agenda_lines",
                                to="regional.actionitem",
                                verbose_name="action item",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="agenda",
                                to="regional.jointmeeting",
                                verbose_name="meeting",
                            ),
                        ),
                        (
                            "topic",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="regional.topicsubmission",
                                verbose_name="topic",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "agenda item",
                        "verbose_name_plural": "agenda items",
                        "db_table": "branches_agendaitem",
                        "ordering": ["meeting", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="UnitEvaluation",
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
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        (
                            "meetings_expected",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="meetings held"
                            ),
                        ),
                        (
                            "meetings_attended",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="meetings attended"
                            ),
                        ),
                        (
                            "topics_submitted",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="topics submitted"
                            ),
                        ),
                        (
                            "claims_taken",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="claims taken"
                            ),
                        ),
                        (
                            "claims_completed",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="claims completed"
                            ),
                        ),
                        (
                            "score",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="committee score",
                            ),
                        ),
                        ("commended", models.BooleanField(default=False, verbose_name="commended")),
                        (
                            "failed_duties",
                            models.BooleanField(default=False, verbose_name="failed its duties"),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="comment")),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evaluations",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evaluations",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "unit evaluation",
                        "verbose_name_plural": "unit evaluations",
                        "db_table": "branches_unitevaluation",
                        "ordering": ["committee", "-year", "unit__name"],
                    },
                ),
                migrations.CreateModel(
                    name="UnitVisit",
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
                        ("visited_on", models.DateField(verbose_name="visited on")),
                        ("visitors", models.CharField(max_length=200, verbose_name="visitors")),
                        ("needs", models.TextField(blank=True, verbose_name="needs")),
                        ("opinions", models.TextField(blank=True, verbose_name="opinions")),
                        ("follow_up", models.TextField(blank=True, verbose_name="follow-up")),
                        (
                            "follow_up_done_on",
                            models.DateField(
                                blank=True, null=True, verbose_name="follow-up done on"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="visits",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "unit visit",
                        "verbose_name_plural": "unit visits",
                        "db_table": "branches_unitvisit",
                        "ordering": ["-visited_on"],
                    },
                ),
                migrations.CreateModel(
                    name="WorkReport",
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
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("dated", models.DateField(verbose_name="report date")),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("submitted", "Submitted")],
                                default="draft",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("figures", models.JSONField(default=dict, verbose_name="figures")),
                        (
                            "summary",
                            models.TextField(blank=True, verbose_name="summary of the year's work"),
                        ),
                        (
                            "next_year_plan",
                            models.TextField(blank=True, verbose_name="plan for next year"),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="submitted at"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="work_reports",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="submitted by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "work report",
                        "verbose_name_plural": "work reports",
                        "db_table": "branches_workreport",
                        "ordering": ["committee", "-year"],
                    },
                ),
                migrations.CreateModel(
                    name="Attendance",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("present", "Present"),
                                    ("delegate", "Sent a delegate"),
                                    ("absent", "Absent"),
                                ],
                                max_length=10,
                                verbose_name="attendance",
                            ),
                        ),
                        (
                            "attendee",
                            models.CharField(blank=True, max_length=50, verbose_name="attended by"),
                        ),
                        (
                            "reason",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="reason for absence"
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="joint_attendances",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="regional.jointmeeting",
                                verbose_name="meeting",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "attendance",
                        "verbose_name_plural": "attendances",
                        "db_table": "branches_attendance",
                        "ordering": ["meeting", "unit__name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("meeting", "unit"), name="attendance_once_per_unit"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "absent"), _negated=True),
                                    models.Q(("reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="attendance_absence_has_reason",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Pairing",
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
                        ("started_on", models.DateField(verbose_name="from")),
                        ("ended_on", models.DateField(blank=True, null=True, verbose_name="until")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pairings",
                                to="branches.community",
                                verbose_name="community",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pairings",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pairing",
                        "verbose_name_plural": "pairings",
                        "db_table": "branches_pairing",
                        "ordering": ["-started_on"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("ended_on__isnull", True)),
                                fields=("unit", "community"),
                                name="pairing_one_open",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ended_on__isnull", True),
                                    ("ended_on__gte", models.F("started_on")),
                                    _connector="OR",
                                ),
                                name="pairing_in_order",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ProgressNote",
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
                        ("text", models.TextField(verbose_name="progress")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "action_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="regional.actionitem",
                                verbose_name="action item",
                            ),
                        ),
                        (
                            "written_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="written by",
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="regional.project",
                                verbose_name="project",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "progress note",
                        "verbose_name_plural": "progress notes",
                        "db_table": "branches_progressnote",
                        "ordering": ["created_at", "pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("action_item__isnull", False), ("project__isnull", True)
                                    ),
                                    models.Q(
                                        ("action_item__isnull", True), ("project__isnull", False)
                                    ),
                                    _connector="OR",
                                ),
                                name="progress_note_one_subject",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PartTimeMember",
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
                        ("full_name", models.CharField(max_length=50, verbose_name="name")),
                        (
                            "title",
                            models.CharField(
                                blank=True, max_length=60, verbose_name="title in the unit"
                            ),
                        ),
                        ("started_on", models.DateField(verbose_name="from")),
                        ("ended_on", models.DateField(blank=True, null=True, verbose_name="until")),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="part_time_members",
                                to="branches.cobuildingunit",
                                verbose_name="co-building unit",
                            ),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="part_time_members",
                                to="regional.regionalcommittee",
                                verbose_name="regional committee",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "part-time committee member",
                        "verbose_name_plural": "part-time committee members",
                        "db_table": "branches_parttimemember",
                        "ordering": ["committee", "started_on"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ended_on__isnull", True),
                                    ("ended_on__gte", models.F("started_on")),
                                    _connector="OR",
                                ),
                                name="part_time_member_in_order",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="need",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("claimed_by__isnull", True), ("status", "open")),
                            models.Q(
                                models.Q(("status", "open"), _negated=True),
                                ("claimed_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="need_claimed_has_claimer",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="jointmeeting",
                    constraint=models.UniqueConstraint(
                        fields=("committee", "scheduled_on"), name="joint_meeting_one_a_day"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="jointmeeting",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("quarter__gte", 1), ("quarter__lte", 4)),
                        name="joint_meeting_quarter_range",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="regionalmembership",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("left_on__isnull", True)),
                        fields=("committee", "unit"),
                        name="regional_membership_one_open",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="regionalmembership",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("left_on__isnull", True),
                            ("left_on__gte", models.F("joined_on")),
                            _connector="OR",
                        ),
                        name="regional_membership_in_order",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="regionalcommittee",
                    constraint=models.UniqueConstraint(
                        fields=("sub_district", "name"), name="regional_committee_unique_name"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="actionitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("owner_unit__isnull", False), ("owner_community__isnull", True)
                            ),
                            models.Q(
                                ("owner_unit__isnull", True), ("owner_community__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="action_item_one_owner",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="actionitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "done"), _negated=True),
                            ("done_on__isnull", False),
                            _connector="OR",
                        ),
                        name="action_item_done_has_date",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="resource",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("claimed_by__isnull", True), ("status", "open")),
                            models.Q(
                                models.Q(("status", "open"), _negated=True),
                                ("claimed_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="resource_claimed_has_claimer",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="project",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "released"), _negated=True),
                            models.Q(
                                ("need__isnull", True),
                                ("released_at__isnull", False),
                                ("resource__isnull", True),
                                models.Q(("release_reason", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="project_released_is_detached",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="agendaitem",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "action_item"), name="agenda_action_item_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="agendaitem",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "topic"), name="agenda_topic_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="unitevaluation",
                    constraint=models.UniqueConstraint(
                        fields=("committee", "unit", "year"), name="unit_evaluation_once_a_year"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="unitevaluation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("commended", True), ("failed_duties", True), _negated=True
                        ),
                        name="unit_evaluation_not_both",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="unitevaluation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("score__isnull", True), ("score__lte", 100), _connector="OR"
                        ),
                        name="unit_evaluation_score_range",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="workreport",
                    constraint=models.UniqueConstraint(
                        fields=("committee", "year"), name="work_report_once_a_year"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="workreport",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "submitted"), _negated=True),
                            ("submitted_at__isnull", False),
                            _connector="OR",
                        ),
                        name="work_report_submitted_is_dated",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
