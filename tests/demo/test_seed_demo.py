from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import AuditEntry, RoleAssignment, User
from branches.models import CoBuildingUnit, Organization, OrganizationKind, SubDistrict

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "organizations": Organization.objects.count(),
        "units": CoBuildingUnit.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_seed_demo_builds_the_three_sub_districts_with_their_figures():
    call_command("seed_demo")
    assert set(SubDistrict.objects.values_list("name", flat=True)) == {
        "如意湖办事处",
        "北林路街道",
        "秦岭路街道",
    }
    beilinlu = Organization.objects.filter(sub_district__name="北林路街道")
    assert beilinlu.filter(kind=OrganizationKind.GENERAL_BRANCH).count() == 1
    branches = beilinlu.filter(kind=OrganizationKind.BRANCH)
    assert branches.filter(sector="community").count() == 10
    assert branches.filter(sector="village").count() == 1
    assert (
        branches.filter(sector__in=["non_public_enterprise", "social_organization"]).count() == 19
    )
    qinlinglu = Organization.objects.filter(sub_district__name="秦岭路街道", kind="branch")
    assert qinlinglu.count() == 8
    assert CoBuildingUnit.objects.filter(sub_district__name="如意湖办事处").count() >= 12


def test_demo_accounts_hold_their_roles():
    call_command("seed_demo")
    secretary = User.objects.get(username="lianmeng_secretary")
    visible = Organization.objects.visible_to(secretary)
    assert set(visible.values_list("name", flat=True)) == {
        "联盟新城社区党支部",
        "第一党小组",
        "第二党小组",
    }
    staff = User.objects.get(username="ruyihu_staff")
    assert staff.is_staff
    assert not Organization.objects.visible_to(staff).exclude(sub_district__name="如意湖办事处")
    assert User.objects.get(username="resident").is_resident


def test_seed_demo_creates_the_demo_halls_with_a_month_of_bookings():
    from venues.models import Booking, Room, ServiceHall

    call_command("seed_demo")
    assert set(ServiceHall.objects.values_list("name", flat=True)) == {
        "如意湖楼宇党建商务服务中心",
        "联盟新城社区党群服务中心",
        "国泰一品党群服务中心",
    }
    zones = Room.objects.filter(hall__name="如意湖楼宇党建商务服务中心")
    assert set(zones.values_list("name", flat=True)) == {
        "视频学习区",
        "图书区",
        "休闲吧",
        "运动区",
        "减压区",
    }
    assert Room.objects.filter(parent__name="多功能活动室").count() == 2
    assert Booking.objects.filter(resident__username="resident").exists()
    assert Booking.objects.count() > 30
    bookings = Booking.objects.count()
    call_command("seed_demo")
    assert Booking.objects.count() == bookings


def test_demo_has_a_year_of_meetings_with_the_ruyihu_study_figures(clock):
    import datetime as dt

    from django.db.models import Count

    from activities.models import Meeting

    # late in the year, so that every session of the year lies in the past (the figures were
    # checked only from August, when the suite happened to run then)
    clock.set(dt.date(clock.today.year, 11, 16))
    call_command("seed_demo")
    counts = dict(
        Meeting.objects.filter(organization__sub_district__name="如意湖办事处", kind="lecture")
        .values_list("lecture_kind")
        .annotate(n=Count("pk"))
    )
    assert counts == {"lead_study": 23, "secretary": 4, "expert": 3}
    assert Meeting.objects.filter(kind="theme_day").count() > 0


def volunteer_counts() -> dict[str, int]:
    from volunteers.models import (
        Enrollment,
        GoodDeed,
        ServiceActivity,
        TeamMembership,
        Volunteer,
        VolunteerTeam,
        Wish,
    )

    return {
        "teams": VolunteerTeam.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "memberships": TeamMembership.objects.count(),
        "activities": ServiceActivity.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "good_deeds": GoodDeed.objects.count(),
        "wishes": Wish.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_seed_demo_creates_the_volunteer_teams_with_a_year_of_activities():
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from volunteers.models import (
        Enrollment,
        EnrollmentStatus,
        ServiceActivity,
        VolunteerTeam,
        Wish,
        WishStatus,
    )

    call_command("seed_demo")
    first = volunteer_counts()
    assert set(
        VolunteerTeam.objects.filter(community__name="联盟新城社区").values_list("name", flat=True)
    ) == {"金嗓子宣传队", "手拉手互助队", "和平鸽调解队", "大明星演出队", "小扫把环保队"}
    assert VolunteerTeam.objects.get(name="喜洋洋艺术团").community.name == "天路社区"
    assert VolunteerTeam.objects.filter(community__sub_district__name="如意湖办事处").count() == 6
    year_ago = timezone.now() - timezone.timedelta(days=365)
    for team in VolunteerTeam.objects.all():
        months = (
            ServiceActivity.objects.filter(team=team, starts_at__gte=year_ago)
            .annotate(month=TruncMonth("starts_at"))
            .values("month")
            .distinct()
            .count()
        )
        assert months >= 12, team
        assert team.good_deeds.exists()
    # Counters match the places actually taken.
    assert not ServiceActivity.objects.annotate(
        taken=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.SIGNED_UP))
    ).exclude(taken=F("signed_up_count"))
    assert set(Wish.objects.values_list("status", flat=True)) == set(WishStatus.values)
    resident_hours = Enrollment.objects.filter(volunteer__user__username="resident").aggregate(
        minutes=Sum("credit_minutes")
    )["minutes"]
    assert resident_hours and resident_hours > 0
    assert Enrollment.objects.filter(honour_minutes__gt=0).exists()
    call_command("seed_demo")
    assert volunteer_counts() == first


def test_the_last_quarters_report_pack_reads_the_published_beilinlu_figures():
    from django.utils import translation

    from reports.figures import build_figures, section
    from reports.scope import ReportScope
    from reports.services import last_finished_quarter

    call_command("seed_demo")
    year, number = last_finished_quarter()
    with translation.override("en"):
        figures = build_figures(
            ReportScope(sub_district=SubDistrict.objects.get(name="北林路街道")), year, number
        )
    organisation = section(figures, "organisation")["figures"]
    assert organisation["general_branches"] == 1
    assert organisation["community_branches"] == 10
    assert organisation["village_branches"] == 1
    assert organisation["two_new_branches"] == 19
    assert organisation["members"] == 1044


def test_the_quarter_the_report_page_offers_first_has_hall_and_in_service_figures(client):
    """A newcomer opens the report page, keeps the quarter it offers and builds the pack: the
    demo fills that quarter (relative to today, so it stays true), not only the current one."""
    from django.urls import reverse
    from django.utils import translation

    from reports.figures import build_figures, section
    from reports.scope import ReportScope

    call_command("seed_demo")
    client.force_login(User.objects.get(username="ruyihu_staff"))
    form = client.get(reverse("staff:report_request")).context["form"]
    year, number = form["year"].value(), int(form["quarter"].value())
    with translation.override("en"):
        figures = build_figures(
            ReportScope(sub_district=SubDistrict.objects.get(name="如意湖办事处")), year, number
        )
    halls = section(figures, "venues")["figures"]
    assert halls["bookings"] > 20 and halls["hours_booked"] > 0 and halls["hours_used"] > 0
    in_service = section(figures, "in_service")["figures"]
    assert in_service["registered"] > 100
    assert in_service["services"] > 100 and in_service["hours"] > 0
    assert 0 < in_service["behind"] < in_service["registered"]


def test_demo_has_a_campaign_open_for_nominations_with_a_weighted_result():
    from community.models import Campaign

    call_command("seed_demo")
    campaign = Campaign.objects.nominating().get(title="十佳志愿者")
    assert campaign.result_rule == "weighted"
    assert campaign.categories.count() == 2


def test_demo_jury_scores_the_most_beautiful_campaign_each_juror_on_their_own():
    from community.models import Campaign, JuryScore, Nomination

    call_command("seed_demo")
    campaign = Campaign.objects.get(title="最美如意人")
    assert campaign.result_rule == "weighted" and campaign.jurors.count() == 3
    scores = JuryScore.objects.filter(nomination__category__campaign=campaign)
    assert scores.filter(juror__isnull=True).count() == 0
    assert set(scores.values_list("juror", flat=True)) == set(
        campaign.jurors.values_list("pk", flat=True)
    )
    counts = set(
        Nomination.objects.filter(category__campaign=campaign)
        .with_jury()
        .values_list("jury_count", flat=True)
    )
    assert counts == {2, 3}  # the third juror has not scored one category yet
