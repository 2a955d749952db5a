"""A database migrated at the last release before `committees` existed upgrades in place: every
row stays, the content types change app label (keeping their ids, so permissions and admin log
entries stay linked), and audit entries are relabelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import AuditEntry
from committees.models import CommitteePosition, CommitteeTerm, TermReminder

BEFORE = [
    ("branches", "0007_regional_moves_out_models"),
    ("committees", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the applied migrations leave them (the old layout, after migrating back).
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_old_layout_upgrades_keeping_every_row_and_reference():
    old = migrate(BEFORE)
    assert ("branches", "committeeterm") in {
        (m._meta.app_label, m._meta.model_name) for m in old.get_models()
    }
    assert "committees" not in {m._meta.app_label for m in old.get_models()}
    district = old.get_model("branches", "District").objects.create(name="郑东新区")
    sub_district = old.get_model("branches", "SubDistrict").objects.create(
        district=district, name="如意湖办事处"
    )
    branch = old.get_model("branches", "Organization").objects.create(
        sub_district=sub_district,
        name="天路社区党支部",
        kind="branch",
        sector="community",
        path="0001",
        depth=1,
        founded_on=dt.date(2008, 1, 1),
    )
    member = old.get_model("members", "Member").objects.create(
        organization=branch, full_name="王洁茹", status="full"
    )
    term = old.get_model("branches", "CommitteeTerm").objects.create(
        organization=branch, started_on=dt.date(2021, 12, 10), planned_end_on=dt.date(2026, 12, 10)
    )
    position = old.get_model("branches", "CommitteePosition").objects.create(
        term=term, member=member, position="secretary", started_on=dt.date(2021, 12, 10)
    )
    reminder = old.get_model("branches", "TermReminder").objects.create(term=term, days_before=90)
    old_types = old.get_model("contenttypes", "ContentType").objects
    content_types = {
        model: old_types.get(app_label="branches", model=model).pk
        for model in ("committeeterm", "committeeposition", "termreminder")
    }
    permission = old.get_model("auth", "Permission").objects.get(
        content_type_id=content_types["committeeterm"], codename="add_committeeterm"
    )
    old.get_model("accounts", "AuditEntry").objects.create(
        action="committee.term_started",
        target_type="branches.committeeterm",
        target_id=str(term.pk),
    )

    migrate(leaf_nodes())

    moved = CommitteeTerm.objects.get(pk=term.pk)
    assert (moved.organization_id, moved.started_on) == (branch.pk, dt.date(2021, 12, 10))
    assert moved.planned_end_on == dt.date(2026, 12, 10)
    held = CommitteePosition.objects.get(pk=position.pk)
    assert (held.term_id, held.member_id, held.position) == (term.pk, member.pk, "secretary")
    assert TermReminder.objects.get(pk=reminder.pk).days_before == 90
    for model, pk in content_types.items():
        assert ContentType.objects.get(pk=pk).app_label == "committees"
        assert not ContentType.objects.filter(app_label="branches", model=model).exists()
    assert ContentType.objects.get_for_model(CommitteeTerm).pk == content_types["committeeterm"]
    kept = Permission.objects.get(pk=permission.pk)
    assert kept.codename == "add_committeeterm"
    assert kept.content_type_id == content_types["committeeterm"]
    entry = AuditEntry.objects.get(action="committee.term_started")
    assert entry.target_type == "committees.committeeterm"
    assert ContentType.objects.filter(app_label="branches", model="organization").exists()
