"""Points pages and API: the access matrix, scope, query counts, and manual awards that need an
approver who is neither the member nor the proposer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from members.models import Member
from points.models import EntryApproval, ManualAward, PointEntry
from points.services.decisions import PointsRefused, decide_award, propose_award
from points.services.recompute import recompute_points
from tests.access import assert_access
from tests.members.factories import MemberFactory
from tests.points.conftest import held
from tests.volunteers.factories import VolunteerFactory, VolunteerTeamFactory
from volunteers.models import GoodDeed

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def recompute_all():
    recompute_points(members=Member.objects.all(), first=YEAR[0], last=YEAR[1])


@pytest.fixture
def ledger_rows(branch, other_branch, member, colleague):
    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "absent"})
    outsider = MemberFactory(organization=other_branch, full_name="王五")
    held(other_branch, dt.date(2026, 3, 13), rows={outsider: "present"})
    recompute_all()
    return outsider


def test_page_access_matrix(clients, branch, member, ledger_rows):
    ok_for_workbench = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 200,
        "secretary": 200,
        "staff": 200,
    }
    for name in ("points-overview", "points-award-list", "points-approvals", "points-rules"):
        assert_access(clients, reverse(f"staff:{name}"), ok_for_workbench)
    scoped = {**ok_for_workbench, "other_secretary": 404}
    assert_access(clients, reverse("staff:points-branch", args=[branch.pk]), scoped)
    assert_access(clients, reverse("staff:points-member", args=[member.pk]), scoped)
    assert_access(
        clients,
        reverse("staff:points-rule-new"),
        {**ok_for_workbench, "secretary": 403, "other_secretary": 403},
    )


def test_the_member_ledger_shows_each_entry_with_its_source(clients, member, ledger_rows):
    page = clients["secretary"].get(reverse("staff:points-member", args=[member.pk]))
    text = page.content.decode()
    assert "会议2026-03-12" in text and "+2.0" in text
    assert "62.0" in text  # base 60 + present 2


def test_branch_ranking_orders_members_and_reads_the_period(
    clients, branch, member, colleague, ledger_rows
):
    url = reverse("staff:points-branch", args=[branch.pk])
    page = clients["secretary"].get(url, {"period": "2026Q1"})
    rows = list(page.context["rows"])
    assert [(r.full_name, r.total, r.rank) for r in rows] == [
        ("张三", Decimal("62.0"), 1),
        ("李四", Decimal("57.0"), 2),
    ]
    bad = clients["secretary"].get(url, {"period": "2026-13"})
    assert bad.status_code == 200 and bad.context["period"].granularity == "month"


def test_list_pages_do_not_grow_queries_with_rows(clients, branch, django_assert_max_num_queries):
    members = [MemberFactory(organization=branch) for _ in range(3)]
    held(branch, dt.date(2026, 3, 12), rows=dict.fromkeys(members, "present"))
    recompute_all()
    url = reverse("staff:points-branch", args=[branch.pk])
    with django_assert_max_num_queries(12) as few:
        clients["secretary"].get(url)
    more = [MemberFactory(organization=branch) for _ in range(20)]
    held(branch, dt.date(2026, 4, 12), rows=dict.fromkeys(members + more, "present"))
    recompute_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        clients["secretary"].get(url)
    with django_assert_max_num_queries(12):
        clients["staff"].get(reverse("staff:points-overview"))
    with django_assert_max_num_queries(12):
        clients["staff"].get(reverse("staff:points-member", args=[more[0].pk]))
    with django_assert_max_num_queries(10):
        clients["staff"].get("/api/v1/point-entries/?year=2026")


def test_the_api_is_scoped(clients, branch, member, ledger_rows):
    mine = clients["secretary"].get("/api/v1/point-entries/").json()
    assert {row["member"] for row in mine["results"]} <= set(
        Member.objects.filter(organization=branch).values_list("pk", flat=True)
    )
    assert mine["count"] == 4
    assert clients["staff"].get("/api/v1/point-entries/").json()["count"] == 6
    assert clients["resident"].get("/api/v1/point-entries/").status_code == 403
    ranking = clients["secretary"].get(f"/api/v1/point-rankings/{branch.pk}/?period=2026")
    assert ranking.status_code == 200
    assert ranking.json()["members"][0]["total"] == "62.0"
    other = ledger_rows.organization_id
    assert clients["secretary"].get(f"/api/v1/point-rankings/{other}/").status_code == 404
    bad = clients["secretary"].get(f"/api/v1/point-rankings/{branch.pk}/?period=soon")
    assert bad.status_code == 400 and "period" in bad.json()


def test_an_award_counts_once_someone_else_approves_it(clients, secretary, staff, member):
    response = clients["secretary"].post(
        reverse("staff:points-award-new"),
        {"member": member.pk, "day": "2026-07-01", "points": "4", "reason": "抗洪抢险"},
    )
    assert response.status_code == 302
    award = ManualAward.objects.get()
    decide = reverse("staff:points-award-decide", args=[award.pk])
    # The proposer cannot decide their own proposal: nothing written.
    clients["secretary"].post(decide, {"approve": "1"})
    award.refresh_from_db()
    assert award.status == "pending"
    clients["staff"].post(decide, {"approve": "1"})
    award.refresh_from_db()
    assert award.status == "approved" and award.decided_by == staff
    recompute_all()
    entry = PointEntry.objects.get(member=member, source_kind="manual")
    assert (entry.event, entry.points, entry.approved) == ("manual_award", Decimal(4), True)
    assert AuditEntry.objects.filter(action="points.award_approved").count() == 1


def test_a_member_can_neither_propose_nor_approve_their_own_points(staff, secretary, branch):
    me = MemberFactory(organization=branch, phone=secretary.phone or "13812345678")
    if not secretary.phone:
        secretary.phone = me.phone
        secretary.save()
    with pytest.raises(PointsRefused):
        propose_award(
            member=me, day=dt.date(2026, 7, 1), points=Decimal(3), reason="x", actor=secretary
        )
    award = propose_award(
        member=me, day=dt.date(2026, 7, 1), points=Decimal(3), reason="好", actor=staff
    )
    with pytest.raises(PointsRefused):
        decide_award(award=award, approve=True, actor=secretary)
    award.refresh_from_db()
    assert award.status == "pending"


def test_the_account_bound_to_a_member_cannot_approve_their_points(staff, secretary, branch):
    from members.models import BindingStatus, MemberBinding

    me = MemberFactory(organization=branch, phone="13911112222")
    assert secretary.phone != me.phone
    MemberBinding.objects.create(member=me, user=secretary, status=BindingStatus.ACTIVE)
    award = propose_award(
        member=me, day=dt.date(2026, 7, 1), points=Decimal(3), reason="好", actor=staff
    )
    with pytest.raises(PointsRefused):
        decide_award(award=award, approve=True, actor=secretary)
    award.refresh_from_db()
    assert award.status == "pending"


def test_bad_award_input_writes_nothing(clients, member):
    url = reverse("staff:points-award-new")
    for data in (
        {"member": member.pk, "day": "2026-07-01", "points": "0", "reason": "零分"},
        {"member": member.pk, "day": "2099-01-01", "points": "2", "reason": "未来"},
        {"member": member.pk, "day": "2026-07-01", "points": "500", "reason": "太多"},
        {"member": member.pk, "day": "2026-07-01", "points": "2", "reason": "  "},
        {"member": "x", "day": "soon", "points": "many", "reason": "<script>"},
    ):
        response = clients["secretary"].post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert ManualAward.objects.count() == 0


def test_an_other_branch_award_is_not_found(clients, other_branch, staff):
    outsider = MemberFactory(organization=other_branch)
    award = propose_award(
        member=outsider, day=dt.date(2026, 7, 1), points=Decimal(2), reason="好", actor=staff
    )
    response = clients["secretary"].post(
        reverse("staff:points-award-decide", args=[award.pk]), {"approve": "1"}
    )
    assert response.status_code == 404
    award.refresh_from_db()
    assert award.status == "pending"


def test_a_good_deed_counts_once_approved_and_the_approval_outlives_recomputation(
    clients, branch, member
):
    volunteer = VolunteerFactory(sub_district=branch.sub_district, member=member)
    team = VolunteerTeamFactory(community__sub_district=branch.sub_district)
    deed = GoodDeed.objects.create(
        team=team, done_on=dt.date(2026, 5, 4), beneficiary="独居老人", description="代买药品"
    )
    deed.volunteers.set([volunteer])
    recompute_all()
    entry = PointEntry.objects.get(member=member, source_kind="good_deed")
    assert not entry.approved
    response = clients["secretary"].post(reverse("staff:points-entry-approve", args=[entry.pk]))
    assert response.status_code == 302
    assert EntryApproval.objects.count() == 1
    recompute_all()
    recompute_all()
    entry = PointEntry.objects.get(member=member, source_kind="good_deed")
    assert entry.approved and entry.points == Decimal(2)


def test_a_member_sees_total_stars_and_rank_unless_the_sub_district_hides_it(
    branch, member, colleague, ledger_rows, sub_district
):
    from points.models import PointsSettings
    from points.rankings import member_year

    assert member_year(member, 2026) == {"total": Decimal("62.0"), "stars": 1, "rank": 1, "of": 2}
    PointsSettings.objects.create(
        sub_district=sub_district,
        show_rank_to_members=False,
        member_star_thresholds=[50, 55, 58, 61, 62],
    )
    assert member_year(member, 2026) == {
        "total": Decimal("62.0"),
        "stars": 5,
        "rank": None,
        "of": 2,
    }


def test_rule_preview_shows_the_averages_and_saves_nothing(
    client, staff, branch, member, colleague
):
    from points.models import PointRule

    held(branch, dt.date(2026, 3, 12), rows={member: "present", colleague: "present"})
    recompute_all()
    rules_before = PointRule.objects.count()
    entries_before = sorted(PointEntry.objects.values_list("pk", "points"))
    client.force_login(staff)
    response = client.post(
        reverse("staff:points-rule-new"),
        {
            "sub_district": branch.sub_district_id,
            "event": "attendance.general_meeting.present",
            "valid_from": "2026-01-01",
            "points": "5",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    preview = {row["name"]: row for row in response.context["preview"]}
    # Base 60 + present 2 now; with the rule, 60 + 5.
    assert preview[branch.name]["before"] == Decimal("62.0")
    assert preview[branch.name]["after"] == Decimal("65.0")
    assert "按此规则" in response.content.decode()
    # A dry run: the rule, the ledger and the audit trail are as they were.
    assert PointRule.objects.count() == rules_before
    assert sorted(PointEntry.objects.values_list("pk", "points")) == entries_before
    assert not AuditEntry.objects.filter(action="points.rule_set").exists()
