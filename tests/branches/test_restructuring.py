from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import AuditEntry
from branches.models import (
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
)
from branches.services.tree import (
    TreeRuleBroken,
    change_kind,
    dissolve_organization,
    found_organization,
    merge_organizations,
    move_organization,
    rename_organization,
    split_organization,
)
from committees.models import CommitteeTerm
from members.models import Member
from tests.branches.factories import SubDistrictFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def tree(staff):
    """如意湖党工委 with 商务西街 (3 members, 1 group) and 如意湖社区 (2 members), founded 2010."""
    sub_district = staff.role_assignments.get().sub_district
    root = found_organization(
        sub_district=sub_district,
        parent=None,
        name="如意湖党工委",
        kind="work_committee",
        founded_on=D(2010, 1, 1),
        actor=staff,
    )
    west = found_organization(
        sub_district=sub_district,
        parent=root,
        name="商务西街社区党支部",
        kind="branch",
        sector="community",
        founded_on=D(2010, 1, 1),
        actor=staff,
    )
    ruyihu = found_organization(
        sub_district=sub_district,
        parent=root,
        name="如意湖社区党支部",
        kind="branch",
        sector="community",
        founded_on=D(2010, 1, 1),
        actor=staff,
    )
    group = found_organization(
        sub_district=sub_district,
        parent=west,
        name="第一党小组",
        kind="party_group",
        founded_on=D(2011, 1, 1),
        actor=staff,
    )
    for _ in range(3):
        MemberFactory(organization=west, party_group=group)
    for _ in range(2):
        MemberFactory(organization=ruyihu)
    return {"root": root, "west": west, "ruyihu": ruyihu, "group": group, "staff": staff}


def snapshot():
    return (
        list(Organization.objects.values_list("pk", "path", "name", "kind", "status")),
        list(Member.objects.values_list("pk", "organization_id")),
        OrganizationEvent.objects.count(),
        OrganizationPeriod.objects.count(),
        AuditEntry.objects.exclude(action="access.denied").count(),  # refusals are audited
    )


def names_on(day):
    return sorted(OrganizationPeriod.objects.on(day).values_list("name", flat=True))


def test_merging_two_branches_into_a_new_one_keeps_the_history(tree):
    staff = tree["staff"]
    merged = merge_organizations(
        sources=[tree["west"], tree["ruyihu"]],
        new_name="商务区社区党支部",
        on=D(2016, 9, 1),
        actor=staff,
    )
    assert merged.kind == OrganizationKind.BRANCH
    assert Member.objects.filter(organization=merged).count() == 5
    west = Organization.objects.get(pk=tree["west"].pk)
    assert west.status == "archived"
    assert west.merged_into == merged
    assert west.ended_on == D(2016, 9, 1)
    group = Organization.objects.get(pk=tree["group"].pk)
    assert group.get_parent().pk == merged.pk
    assert names_on(D(2015, 1, 1)) == sorted(
        ["如意湖党工委", "商务西街社区党支部", "如意湖社区党支部", "第一党小组"]
    )
    assert names_on(D(2017, 1, 1)) == sorted(["如意湖党工委", "商务区社区党支部", "第一党小组"])
    group_then = OrganizationPeriod.objects.on(D(2015, 1, 1)).get(organization=group)
    assert group_then.parent_id == tree["west"].pk
    assert OrganizationEvent.objects.filter(organization=west, kind=EventKind.MERGED_INTO).exists()
    formed = OrganizationEvent.objects.get(organization=merged, kind=EventKind.MERGED_FROM)
    assert set(formed.related.values_list("pk", flat=True)) == {tree["west"].pk, tree["ruyihu"].pk}
    assert AuditEntry.objects.filter(action="organization.merged", actor=staff).exists()


def test_merging_into_an_existing_branch(tree):
    merged = merge_organizations(
        sources=[tree["ruyihu"]], into=tree["west"], on=D(2016, 9, 1), actor=tree["staff"]
    )
    assert merged.pk == tree["west"].pk
    assert Member.objects.filter(organization=merged).count() == 5
    assert Organization.objects.get(pk=tree["ruyihu"].pk).merged_into_id == merged.pk


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("one", "至少选择两个"),
        ("archived", "已撤销"),
        ("kinds", "同类"),
        ("future", "晚于今天"),
        ("before_history", "之前"),
        ("no_name", "名称"),
    ],
)
def test_refused_merges_change_nothing(tree, case, message):
    staff = tree["staff"]
    kwargs = dict(
        sources=[tree["west"], tree["ruyihu"]], new_name="商务区", on=D(2016, 9, 1), actor=staff
    )
    if case == "one":
        kwargs["sources"] = [tree["west"]]
    elif case == "archived":
        dissolve_organization(organization=tree["group"], on=D(2015, 1, 1), actor=staff)
        kwargs["sources"] = [tree["west"], Organization.objects.get(pk=tree["group"].pk)]
    elif case == "kinds":
        kwargs["sources"] = [tree["west"], tree["group"]]
    elif case == "future":
        kwargs["on"] = D(2999, 1, 1)
    elif case == "before_history":
        kwargs["on"] = D(2009, 1, 1)
    elif case == "no_name":
        kwargs["new_name"] = "  "
    before = snapshot()
    with pytest.raises(TreeRuleBroken) as refused:
        merge_organizations(**kwargs)
    assert message in str(refused.value.message)
    assert snapshot() == before


def test_merging_across_sub_districts_needs_a_superuser(tree, superuser):
    other_root = found_organization(
        sub_district=SubDistrictFactory(),
        parent=None,
        name="北林路街道党工委",
        kind="work_committee",
        founded_on=D(2010, 1, 1),
        actor=superuser,
    )
    other = found_organization(
        sub_district=other_root.sub_district,
        parent=other_root,
        name="鑫苑社区党支部",
        kind="branch",
        founded_on=D(2010, 1, 1),
        actor=superuser,
    )
    before = snapshot()
    with pytest.raises(TreeRuleBroken):
        merge_organizations(
            sources=[other], into=tree["west"], on=D(2016, 1, 1), actor=tree["staff"]
        )
    assert snapshot() == before
    merge_organizations(sources=[other], into=tree["west"], on=D(2016, 1, 1), actor=superuser)


def test_moving_under_its_own_descendant_is_refused(tree):
    before = snapshot()
    with pytest.raises(TreeRuleBroken, match="自己"):
        move_organization(
            organization=tree["west"], new_parent=tree["group"], on=D(2016, 1, 1), actor=None
        )
    assert snapshot() == before


def test_a_party_group_cannot_go_under_a_committee(tree):
    before = snapshot()
    with pytest.raises(TreeRuleBroken, match="不能"):
        move_organization(
            organization=tree["group"], new_parent=tree["root"], on=D(2016, 1, 1), actor=None
        )
    assert snapshot() == before


def test_moving_a_group_to_another_branch_is_dated(tree):
    move_organization(
        organization=tree["group"], new_parent=tree["ruyihu"], on=D(2016, 1, 1), actor=None
    )
    group = Organization.objects.get(pk=tree["group"].pk)
    assert group.get_parent().pk == tree["ruyihu"].pk
    then = OrganizationPeriod.objects.on(D(2015, 6, 1)).get(organization=group)
    now = OrganizationPeriod.objects.on(D(2016, 6, 1)).get(organization=group)
    assert (then.parent_id, now.parent_id) == (tree["west"].pk, tree["ruyihu"].pk)


def test_rename_keeps_the_old_name_for_past_dates(tree):
    rename_organization(
        organization=tree["ruyihu"], name="如意湖新区社区党支部", on=D(2018, 3, 1), actor=None
    )
    assert "如意湖社区党支部" in names_on(D(2018, 2, 28))
    assert "如意湖新区社区党支部" in names_on(D(2018, 3, 1))


def test_a_branch_becomes_a_general_branch_and_back_only_when_its_children_allow(tree):
    change_kind(organization=tree["ruyihu"], kind="general_branch", on=D(2018, 1, 1), actor=None)
    assert Organization.objects.get(pk=tree["ruyihu"].pk).kind == "general_branch"
    with pytest.raises(TreeRuleBroken, match="第一党小组"):
        change_kind(organization=tree["west"], kind="general_branch", on=D(2018, 1, 1), actor=None)


def test_splitting_moves_the_chosen_members(tree):
    members = list(Member.objects.filter(organization=tree["ruyihu"]).values_list("pk", flat=True))
    parts = split_organization(
        source=tree["ruyihu"],
        parts=[("如意湖东社区党支部", members[:1]), ("如意湖西社区党支部", members[1:])],
        on=D(2019, 1, 1),
        actor=None,
        archive_source=True,
    )
    assert [Member.objects.filter(organization=p).count() for p in parts] == [1, 1]
    assert Organization.objects.get(pk=tree["ruyihu"].pk).status == "archived"


def test_split_refuses_strangers_and_leftovers(tree):
    west_member = Member.objects.filter(organization=tree["west"]).first()
    ruyihu_members = list(
        Member.objects.filter(organization=tree["ruyihu"]).values_list("pk", flat=True)
    )
    before = snapshot()
    with pytest.raises(TreeRuleBroken):
        split_organization(
            source=tree["ruyihu"], parts=[("甲", [west_member.pk])], on=D(2019, 1, 1), actor=None
        )
    with pytest.raises(TreeRuleBroken):
        split_organization(
            source=tree["ruyihu"],
            parts=[("甲", ruyihu_members[:1])],
            on=D(2019, 1, 1),
            actor=None,
            archive_source=True,
        )
    assert snapshot() == before


def test_dissolving_needs_an_empty_organisation(tree):
    with pytest.raises(TreeRuleBroken, match="党员"):
        dissolve_organization(organization=tree["ruyihu"], on=D(2019, 1, 1), actor=None)
    Member.objects.filter(organization=tree["ruyihu"]).delete()
    dissolved = dissolve_organization(organization=tree["ruyihu"], on=D(2019, 1, 1), actor=None)
    assert dissolved.status == "archived"
    assert "如意湖社区党支部" not in names_on(D(2019, 1, 2))


def test_archiving_ends_the_committee_term(tree):
    from committees.services.terms import start_committee_term

    start_committee_term(organization=tree["ruyihu"], started_on=D(2015, 1, 1), actor=None)
    merge_organizations(sources=[tree["ruyihu"]], into=tree["west"], on=D(2016, 9, 1), actor=None)
    assert CommitteeTerm.objects.get(organization=tree["ruyihu"]).ended_on == D(2016, 9, 1)
