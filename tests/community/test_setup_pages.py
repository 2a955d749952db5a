"""Workbench forms that set community life up: schools, terms, courses (booking the sessions at
once, all or nothing), award campaigns with categories, jury scores, knowledge contests.
Access matrices (nothing written on a refusal), scope (another sub-district's ids refused),
bad input with Chinese messages and nothing written, the school list's query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from community.contests.models import Contest
from community.models import (
    Campaign,
    Category,
    Course,
    CourseSession,
    JuryScore,
    School,
    Term,
)
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.community.factories import (
    CampaignFactory,
    CategoryFactory,
    ContestFactory,
    NominationFactory,
    QuestionFactory,
    SchoolFactory,
    TermFactory,
)
from tests.venues.factories import RoomFactory
from venues.models import Booking, BookingKind
from venues.services import book_internal

pytestmark = pytest.mark.django_db

REFUSED = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}


def _local(days: float, hour: int = 9) -> str:
    when = timezone.localtime() + dt.timedelta(days=days)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _counts():
    return (
        School.objects.count(),
        Term.objects.count(),
        Course.objects.count(),
        Campaign.objects.count(),
        Category.objects.count(),
        Contest.objects.count(),
        Booking.objects.count(),
    )


def _matrix(clients, url, data, changed, snapshot=_counts):
    """Every refused role gets its status and writes nothing; staff's post is saved."""
    for role, status in REFUSED.items():
        before = snapshot()
        assert clients[role].post(url, data).status_code == status, role
        assert snapshot() == before, role
    assert clients["staff"].post(url, data).status_code == 302
    assert changed()


# --- schools and terms ---------------------------------------------------------------


def test_school_list_access_matrix(clients, school):
    assert_access(
        clients,
        reverse("staff:community-school-list"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_school_list_query_count_does_not_grow(
    client, staff, school, django_assert_max_num_queries
):
    client.force_login(staff)
    TermFactory(school=school)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("staff:community-school-list"))
    for _ in range(4):
        TermFactory(school=SchoolFactory(sub_district=school.sub_district))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff:community-school-list"))
    assert len(response.context["schools"]) == 5


def test_staff_create_a_school(clients, sub_district, work_committee):
    data = {
        "sub_district": sub_district.pk,
        "organization": work_committee.pk,
        "name": "老年大学如意湖分校",
        "partner": "郑州市老年大学",
        "founded_year": 2017,
    }
    _matrix(
        clients,
        reverse("staff:community-school-new"),
        data,
        lambda: School.objects.filter(name="老年大学如意湖分校", founded_year=2017).exists(),
    )
    assert AuditEntry.objects.filter(action="school.created").count() == 1


def test_school_of_another_sub_district_is_refused(
    client, staff, sub_district, other_sub_district_branch
):
    client.force_login(staff)
    response = client.post(
        reverse("staff:community-school-new"),
        {
            "sub_district": other_sub_district_branch.sub_district_id,
            "organization": other_sub_district_branch.pk,
            "name": "别处分校",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not School.objects.exists()
    elsewhere = SchoolFactory(sub_district=other_sub_district_branch.sub_district)
    url = reverse("staff:community-school-edit", args=[elsewhere.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name != "改名"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "此项为必填项"),
        ({"founded_year": "abc"}, "输入整数"),
        ({"founded_year": 1800}, "1949"),
        ({"organization": 999999}, "选择一个有效的选项"),
        ({"name": "<script>alert(1)</script>" * 10}, "100"),
    ],
)
def test_bad_school_input_writes_nothing(
    client, staff, sub_district, work_committee, change, message
):
    client.force_login(staff)
    data = {"sub_district": sub_district.pk, "organization": work_committee.pk, "name": "分校"}
    response = client.post(reverse("staff:community-school-new"), {**data, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not School.objects.exists()


def test_staff_create_and_change_a_term(clients, school):
    data = {
        "school": school.pk,
        "name": "2027年春季学期",
        "starts_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "ends_on": (timezone.localdate() + dt.timedelta(days=120)).isoformat(),
        "enrolment_opens_at": _local(1),
        "enrolment_closes_at": _local(20),
        "max_courses_per_resident": 2,
    }
    _matrix(
        clients,
        reverse("staff:community-term-new"),
        data,
        lambda: Term.objects.filter(name="2027年春季学期").exists(),
    )
    term = Term.objects.get(name="2027年春季学期")
    url = reverse("staff:community-term-edit", args=[term.pk])
    _matrix(
        clients,
        url,
        {**data, "max_courses_per_resident": 3},
        lambda: Term.objects.get(pk=term.pk).max_courses_per_resident == 3,
        snapshot=lambda: Term.objects.get(pk=term.pk).max_courses_per_resident,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": "2020-01-01"}, "最后一天不能早于第一天"),
        ({"enrolment_closes_at": _local(0.5, 8)}, "报名截止时间必须晚于开始时间"),
        ({"starts_on": "not a date"}, "输入一个有效的日期"),
        ({"max_courses_per_resident": 0}, "大于或等于1"),
        ({"returning_first_until": _local(40)}, "报名期内"),
    ],
)
def test_bad_term_input_writes_nothing(client, staff, school, change, message):
    client.force_login(staff)
    data = {
        "school": school.pk,
        "name": "秋季学期",
        "starts_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "ends_on": (timezone.localdate() + dt.timedelta(days=120)).isoformat(),
        "enrolment_opens_at": _local(1),
        "enrolment_closes_at": _local(20),
        "max_courses_per_resident": 2,
    }
    response = client.post(reverse("staff:community-term-new"), {**data, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Term.objects.exists()


# --- courses ---------------------------------------------------------------------------


@pytest.fixture
def term(school):
    return TermFactory(school=school)


@pytest.fixture
def room(school):
    return RoomFactory(hall__sub_district=school.sub_district)


def _course_data(term, room, teacher, **change):
    return {
        "term": term.pk,
        "title": "茶艺",
        "weekday": term.starts_on.weekday(),
        "starts_at": "09:00",
        "ends_at": "11:00",
        "room": room.pk,
        "places": 20,
        "residents_only": "on",
        "fee": "0",
        "attendance_threshold": 75,
        "is_active": "on",
        "teacher_phone": teacher.phone,
        **change,
    }


def test_staff_create_a_course_and_book_its_sessions(clients, term, room):
    teacher = UserFactory(phone="13800000001")
    data = _course_data(term, room, teacher, schedule="on")
    _matrix(
        clients,
        reverse("staff:course-new"),
        data,
        lambda: Course.objects.filter(title="茶艺", teacher=teacher).exists(),
    )
    course = Course.objects.get(title="茶艺")
    assert course.sessions.count() == 8
    assert Booking.objects.filter(room=room, kind=BookingKind.INTERNAL).count() == 8


def test_a_collision_refuses_the_course_with_the_date_and_writes_nothing(
    client, staff, term, room, work_committee
):
    teacher = UserFactory(phone="13800000002")
    day = term.starts_on + dt.timedelta(days=14)
    tz = timezone.get_current_timezone()
    book_internal(
        room=room,
        organization=work_committee,
        booked_by=staff,
        starts_at=dt.datetime.combine(day, dt.time(10), tz),
        ends_at=dt.datetime.combine(day, dt.time(12), tz),
        attendees=5,
        purpose="党员大会",
    )
    client.force_login(staff)
    response = client.post(
        reverse("staff:course-new"), _course_data(term, room, teacher, schedule="on")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert day.isoformat() in page and "未安排任何课次" in page
    assert not Course.objects.exists()
    assert not CourseSession.objects.exists()
    assert Booking.objects.count() == 1


def test_a_course_without_scheduling_books_nothing(client, staff, term, room):
    client.force_login(staff)
    teacher = UserFactory(phone="13800000003")
    response = client.post(reverse("staff:course-new"), _course_data(term, room, teacher))
    assert response.status_code == 302
    assert Course.objects.get().sessions.count() == 0
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"teacher_phone": "13999999999"}, "没有用户使用这个手机号码"),
        ({"ends_at": "08:00"}, "结束时间必须晚于开始时间"),
        ({"places": 0}, "大于或等于"),
        ({"places": 100000}, "500"),
        ({"min_age": 80, "max_age": 60}, "最高年龄不能低于最低年龄"),
        ({"fee": "-5"}, "费用不能为负数"),
        ({"weekday": 9}, "选择一个有效的选项"),
    ],
)
def test_bad_course_input_writes_nothing(client, staff, term, room, change, message):
    client.force_login(staff)
    teacher = UserFactory(phone="13800000004")
    response = client.post(
        reverse("staff:course-new"), _course_data(term, room, teacher, schedule="on", **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode(), response.context["form"].errors
    assert not Course.objects.exists()
    assert not Booking.objects.exists()


def test_room_of_another_sub_district_is_refused(client, staff, term, other_sub_district_branch):
    client.force_login(staff)
    elsewhere = RoomFactory(hall__sub_district=other_sub_district_branch.sub_district)
    teacher = UserFactory(phone="13800000005")
    response = client.post(reverse("staff:course-new"), _course_data(term, elsewhere, teacher))
    assert "选择一个有效的选项" in response.content.decode()
    assert not Course.objects.exists()


def test_a_scheduled_course_keeps_its_slot_and_places_not_below_enrolled(client, staff, course):
    from community.services import courses

    courses.schedule_sessions(course=course, actor=staff)
    Course.objects.filter(pk=course.pk).update(enrolled_count=2)
    client.force_login(staff)
    url = reverse("staff:course-edit", args=[course.pk])
    data = _course_data(course.term, course.room, course.teacher, title="书法提高班")
    data["teacher_phone"] = ""
    course.teacher.phone = "13800000006"
    course.teacher.save()
    data["teacher_phone"] = "13800000006"
    response = client.post(url, {**data, "places": 1})
    assert "不能少于" in response.content.decode()
    response = client.post(url, {**data, "starts_at": "15:00", "ends_at": "17:00"})
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert (course.title, course.starts_at) == ("书法提高班", dt.time(9))


# --- award campaigns and jury ---------------------------------------------------------


def _campaign_data(sub_district, **change):
    return {
        "sub_district": sub_district.pk,
        "title": "最美如意人",
        "kind": "public",
        "nomination_opens_at": _local(1),
        "nomination_closes_at": _local(10),
        "public_vote": "on",
        "vote_opens_at": _local(11),
        "vote_closes_at": _local(20),
        "vote_limit": "per_day",
        "result_rule": "weighted",
        "jury_weight": 40,
        "categories": "敬老孝亲, 3\n邻里互助\n",
        **change,
    }


def test_staff_create_a_campaign_with_categories(clients, sub_district):
    _matrix(
        clients,
        reverse("staff:award-campaign-new"),
        _campaign_data(sub_district),
        lambda: Campaign.objects.filter(title="最美如意人").exists(),
    )
    campaign = Campaign.objects.get()
    assert list(campaign.categories.values_list("name", "winners")) == [
        ("敬老孝亲", 3),
        ("邻里互助", 3),
    ]


def test_changing_categories_keeps_those_with_nominations(client, staff, campaign):
    kept = CategoryFactory(campaign=campaign, name="最美家庭")
    NominationFactory(category=kept)
    CategoryFactory(campaign=campaign, name="空类别")
    client.force_login(staff)
    url = reverse("staff:award-campaign-edit", args=[campaign.pk])
    data = _campaign_data(
        campaign.sub_district,
        nomination_opens_at=_local(-20),
        nomination_closes_at=_local(-10),
        vote_opens_at=_local(-5),
        vote_closes_at=_local(5),
    )
    response = client.post(url, {**data, "categories": "敬老孝亲"})
    assert "已有提名，不能删除" in response.content.decode()
    assert set(campaign.categories.values_list("name", flat=True)) == {"最美家庭", "空类别"}
    response = client.post(url, {**data, "categories": "最美家庭, 2\n敬老孝亲"})
    assert response.status_code == 302
    assert set(campaign.categories.values_list("name", "winners")) == {
        ("最美家庭", 2),
        ("敬老孝亲", 3),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"categories": ""}, "此项为必填项"),
        ({"categories": "甲, 0"}, "获奖名额"),
        ({"categories": "甲\n甲"}, "重复了"),
        ({"nomination_closes_at": _local(0.5, 8)}, "提名截止时间必须晚于开始时间"),
        ({"vote_opens_at": _local(5)}, "提名截止后"),
        ({"vote_opens_at": ""}, "公开投票需要设置投票时间"),
        ({"kind": "honours"}, "两优一先评选没有公开投票"),
        ({"public_vote": "", "result_rule": "votes"}, "评委"),
        ({"jury_weight": 150}, "100"),
    ],
)
def test_bad_campaign_input_writes_nothing(client, staff, sub_district, change, message):
    client.force_login(staff)
    response = client.post(
        reverse("staff:award-campaign-new"), _campaign_data(sub_district, **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Category.objects.exists()


@pytest.fixture
def weighted(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(result_rule="weighted")
    campaign.refresh_from_db()
    return campaign


def test_jury_scores_access_matrix(clients, staff, weighted):
    nomination = NominationFactory(category__campaign=weighted)
    url = reverse("staff:award-jury", args=[weighted.pk])
    _matrix(
        clients,
        url,
        {f"score_{nomination.pk}": "88.5"},
        lambda: list(JuryScore.objects.values_list("juror__username", "score"))
        == [(staff.username, Decimal("88.50"))],
        snapshot=lambda: list(JuryScore.objects.values_list("pk", "score")),
    )
    assert AuditEntry.objects.filter(action="campaign.jury_scored").count() == 1


def test_jury_scores_only_in_weighted_campaigns_and_their_window(client, staff, campaign, clock):
    nomination = NominationFactory(category__campaign=campaign)
    client.force_login(staff)
    url = reverse("staff:award-jury", args=[campaign.pk])
    response = client.post(url, {f"score_{nomination.pk}": "90"})
    assert "只计票数" in response.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(
        result_rule="weighted", nomination_closes_at=timezone.now() + dt.timedelta(days=1)
    )
    response = client.post(url, {f"score_{nomination.pk}": "90"})
    assert "提名截止后" in response.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(
        nomination_closes_at=timezone.now() - dt.timedelta(days=1), published_at=timezone.now()
    )
    response = client.post(url, {f"score_{nomination.pk}": "90"})
    assert "已公布" in response.content.decode()
    assert not JuryScore.objects.exists()


@pytest.mark.parametrize("score", ["101", "-1", "abc", "1e5"])
def test_bad_jury_scores_write_nothing(client, staff, weighted, score):
    nomination = NominationFactory(category__campaign=weighted)
    client.force_login(staff)
    response = client.post(
        reverse("staff:award-jury", args=[weighted.pk]), {f"score_{nomination.pk}": score}
    )
    assert response.status_code == 200
    assert not JuryScore.objects.exists()


def test_jury_page_of_another_sub_district_is_404(client, staff, other_sub_district_branch):
    elsewhere = CampaignFactory(
        sub_district=other_sub_district_branch.sub_district, result_rule="weighted"
    )
    client.force_login(staff)
    assert client.get(reverse("staff:award-jury", args=[elsewhere.pk])).status_code == 404


# --- contests ---------------------------------------------------------------------------


def _contest_data(sub_district, **change):
    return {
        "sub_district": sub_district.pk,
        "title": "党建知识竞赛",
        "opens_at": _local(1),
        "closes_at": _local(8),
        "question_count": 10,
        "time_limit_minutes": 15,
        "attempts_allowed": 2,
        "open_to_residents": "on",
        "open_to_members": "on",
        "local_residents_only": "on",
        **change,
    }


def test_staff_create_a_contest(clients, sub_district):
    _matrix(
        clients,
        reverse("staff:contest-new"),
        _contest_data(sub_district),
        lambda: Contest.objects.filter(title="党建知识竞赛", local_residents_only=True).exists(),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_at": _local(0.5, 8)}, "竞赛的结束时间必须晚于开始时间"),
        ({"open_to_residents": "", "open_to_members": ""}, "请向居民或党员开放"),
        ({"open_to_residents": ""}, "仅在居民参加时适用"),
        ({"question_count": 0}, "大于或等于"),
        ({"question_count": 1000}, "100"),
        ({"time_limit_minutes": 1000}, "240"),
        ({"attempts_allowed": 99}, "20"),
        ({"title": ""}, "此项为必填项"),
    ],
)
def test_bad_contest_input_writes_nothing(client, staff, sub_district, change, message):
    client.force_login(staff)
    response = client.post(reverse("staff:contest-new"), _contest_data(sub_district, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contest.objects.exists()


def test_a_contest_with_attempts_keeps_what_decides_an_attempt(client, staff, sub_district):
    from community.contests import services

    for _ in range(5):
        QuestionFactory(sub_district=sub_district)
    contest = ContestFactory(sub_district=sub_district)
    services.start_attempt(contest=contest, user=UserFactory())
    client.force_login(staff)
    url = reverse("staff:contest-edit", args=[contest.pk])
    data = _contest_data(
        sub_district,
        opens_at=timezone.localtime(contest.opens_at).strftime("%Y-%m-%dT%H:%M"),
        closes_at=_local(3),
        question_count=1,
        title="新标题",
        local_residents_only="",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    contest.refresh_from_db()
    assert contest.title == "新标题"
    assert contest.question_count == 3  # the disabled field kept its value


# --- jury members ----------------------------------------------------------------------


def test_the_campaign_form_sets_the_jury_by_phone(client, staff, sub_district):
    juror = UserFactory(phone="13900000001")
    client.force_login(staff)
    url = reverse("staff:award-campaign-new")
    response = client.post(url, _campaign_data(sub_district, juror_phones="13900000001\n139"))
    assert "以下手机号没有对应的用户：139" in response.content.decode()
    assert not Campaign.objects.exists()
    response = client.post(url, _campaign_data(sub_district, juror_phones=" 13900000001 \n"))
    assert response.status_code == 302
    assert list(Campaign.objects.get().jurors.all()) == [juror]


def test_a_jury_member_scores_on_the_resident_site_and_others_cannot(client, resident, weighted):
    nomination = NominationFactory(category__campaign=weighted)
    url = reverse("public:award-jury", args=[weighted.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"score_{nomination.pk}": "70"}).status_code == 404
    assert not JuryScore.objects.exists()
    weighted.jurors.add(resident)
    assert "jury-card" in client.get(reverse("public:award-campaigns")).content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url, {f"score_{nomination.pk}": "70"}).status_code == 302
    assert list(JuryScore.objects.values_list("juror", "score")) == [(resident.pk, Decimal("70"))]
    response = client.post(url, {f"score_{nomination.pk}": "170"})
    assert response.status_code == 200
    assert list(JuryScore.objects.values_list("juror", "score")) == [(resident.pk, Decimal("70"))]


def test_a_jury_member_cannot_score_outside_the_window(client, resident, weighted):
    nomination = NominationFactory(category__campaign=weighted)
    weighted.jurors.add(resident)
    Campaign.objects.filter(pk=weighted.pk).update(published_at=timezone.now())
    client.force_login(resident)
    url = reverse("public:award-jury", args=[weighted.pk])
    assert "已公布" in client.get(url).content.decode()
    response = client.post(url, {f"score_{nomination.pk}": "70"})
    assert "已公布" in response.content.decode()
    assert not JuryScore.objects.exists()


def test_the_jury_page_of_the_resident_site_answers_every_role_without_error(clients, weighted):
    url = reverse("public:award-jury", args=[weighted.pk])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 404, "other_secretary": 404, "secretary": 404, "staff": 404},
    )
    public_urls = [
        reverse("public:award-nominate", args=[weighted.pk]),
        reverse("public:award-campaigns"),
    ]
    for role in ("anonymous", "resident", "other_secretary", "secretary", "staff"):
        for other in public_urls:
            assert clients[role].get(other).status_code < 500, (role, other)


def _admin_contest_data(contest, **change):
    opens = timezone.localtime(contest.opens_at)
    closes = timezone.localtime(contest.closes_at)
    return {
        "sub_district": contest.sub_district_id,
        "title": contest.title,
        "description": contest.description,
        "topic": contest.topic,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "question_count": contest.question_count,
        "time_limit_minutes": contest.time_limit_minutes,
        "attempts_allowed": contest.attempts_allowed,
        "open_to_residents": "on",
        "open_to_members": "on",
        **change,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question_count": 101}, "100"),
        ({"attempts_allowed": 21}, "20"),
        ({"open_to_residents": "", "open_to_members": ""}, "请向居民或党员开放"),
    ],
)
def test_the_admin_applies_the_contest_rules_of_the_workbench(
    client, superuser, sub_district, change, message
):
    contest = ContestFactory(sub_district=sub_district, question_count=10, attempts_allowed=2)
    client.force_login(superuser)
    url = reverse("admin:community_contest_change", args=[contest.pk])
    response = client.post(url, _admin_contest_data(contest, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    contest.refresh_from_db()
    assert (contest.question_count, contest.attempts_allowed) == (10, 2)


def test_the_admin_keeps_what_decides_an_attempt_once_people_took_part(
    client, superuser, sub_district
):
    from community.contests import services

    for _ in range(5):
        QuestionFactory(sub_district=sub_district)
    contest = ContestFactory(sub_district=sub_district, question_count=3)
    services.start_attempt(contest=contest, user=UserFactory())
    client.force_login(superuser)
    url = reverse("admin:community_contest_change", args=[contest.pk])
    response = client.post(url, _admin_contest_data(contest, question_count=1, title="新标题"))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "新标题"
    assert contest.question_count == 3  # read-only in the admin once an attempt exists
