"""A database migrated at the last release before `regional` existed upgrades in place: every
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
from regional.models import Need, RegionalCommittee, RegionalMembership

BEFORE = [
    ("branches", "0005_work_report_claim_release_overdue_reminder"),
    ("reports", "0001_export_jobs"),
    ("regional", None),
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
    assert ("branches", "regionalcommittee") in {
        (m._meta.app_label, m._meta.model_name) for m in old.get_models()
    }
    district = old.get_model("branches", "District").objects.create(name="郑东新区")
    sub_district = old.get_model("branches", "SubDistrict").objects.create(
        district=district, name="如意湖办事处"
    )
    community = old.get_model("branches", "Community").objects.create(
        sub_district=sub_district, name="天路社区"
    )
    unit = old.get_model("branches", "CoBuildingUnit").objects.create(
        sub_district=sub_district, name="郑州市儿童医院党委"
    )
    committee = old.get_model("branches", "RegionalCommittee").objects.create(
        sub_district=sub_district, level="sub_district", name="如意湖大工委"
    )
    committee.communities.add(community)
    seat = old.get_model("branches", "RegionalMembership").objects.create(
        committee=committee, unit=unit, joined_on=dt.date(2017, 1, 1)
    )
    need = old.get_model("branches", "Need").objects.create(
        committee=committee, community=community, title="健康义诊"
    )
    old_types = old.get_model("contenttypes", "ContentType").objects
    content_type = old_types.get(app_label="branches", model="regionalcommittee")
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=content_type, codename="change_regionalcommittee"
    )
    old.get_model("accounts", "AuditEntry").objects.create(
        action="regional_committee.create",
        target_type="branches.regionalcommittee",
        target_id=str(committee.pk),
    )

    migrate(leaf_nodes())

    moved = RegionalCommittee.objects.get(pk=committee.pk)
    assert moved.name == "如意湖大工委"
    assert list(moved.communities.values_list("pk", flat=True)) == [community.pk]
    assert RegionalMembership.objects.get(pk=seat.pk).unit_id == unit.pk
    assert Need.objects.get(pk=need.pk).title == "健康义诊"
    assert ContentType.objects.get(pk=content_type.pk).app_label == "regional"
    assert ContentType.objects.get_for_model(RegionalCommittee).pk == content_type.pk
    assert not ContentType.objects.filter(app_label="branches", model="regionalcommittee").exists()
    assert Permission.objects.get(pk=permission.pk).codename == "change_regionalcommittee"
    assert Permission.objects.get(pk=permission.pk).content_type_id == content_type.pk
    entry = AuditEntry.objects.get(action="regional_committee.create")
    assert entry.target_type == "regional.regionalcommittee"
    assert ContentType.objects.filter(app_label="branches", model="cobuildingunit").exists()
