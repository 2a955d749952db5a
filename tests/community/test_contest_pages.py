"""Pages and API of knowledge contests: a resident takes a contest on the resident pages; right
answers and scores appear in no page and no API answer before the window closes; the staff
pages' access matrices (nothing changes on a refusal); query counts that do not grow."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from community.contests import imports, services
from community.contests.models import Attempt, Question
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.community.factories import ContestFactory, QuestionFactory

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "这是正确答案的选项"


@pytest.fixture
def contest(sub_district):
    for i in range(4):
        QuestionFactory(
            sub_district=sub_district,
            options=["错选项甲", SECRET_ANSWER, "错选项乙"],
            answer="B",
            explanation=f"解析{i}：见党章",
        )
    return ContestFactory(sub_district=sub_district)


def test_resident_takes_a_contest_on_the_resident_pages(client, resident, contest, clock):
    client.force_login(resident)
    page = client.get(reverse("public:contest-list"))
    assert contest.title in page.content.decode()
    response = client.post(reverse("public:contest-start", args=[contest.pk]))
    attempt = Attempt.objects.get()
    assert response.url == reverse("public:contest-attempt", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    assert page.count('data-testid="question"') == 3
    assert "解析" not in page  # explanations and right answers wait for the close
    client.post(response.url, {"action": "save", "q1": "B"})
    client.post(response.url, {"action": "submit", "q2": "B", "q3": "A"})
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == 2
    page = client.get(response.url).content.decode()
    assert 'data-testid="submitted"' in page
    assert 'data-testid="right-answer"' not in page
    detail = client.get(reverse("public:contest-detail", args=[contest.pk])).content.decode()
    assert "2 / 3" not in detail
    clock.advance(days=2)
    page = client.get(response.url).content.decode()
    assert 'data-testid="score"' in page
    assert page.count('data-testid="right-answer"') == 3
    detail = client.get(reverse("public:contest-detail", args=[contest.pk])).content.decode()
    assert 'data-testid="rank-row"' in detail


def test_late_submission_on_the_page_says_so(client, resident, contest, clock):
    client.force_login(resident)
    client.post(reverse("public:contest-start", args=[contest.pk]))
    attempt = Attempt.objects.get()
    clock.advance(minutes=11)
    response = client.post(
        reverse("public:contest-attempt", args=[attempt.pk]),
        {"action": "submit", "q1": "B", "q2": "B", "q3": "B"},
        follow=True,
    )
    attempt.refresh_from_db()
    assert attempt.late and attempt.score == 0
    assert "限时" in response.content.decode()


def test_an_attempt_page_is_its_owners_only(client, contest):
    owner = UserFactory()
    attempt = services.start_attempt(contest=contest, user=owner)
    client.force_login(UserFactory())
    url = reverse("public:contest-attempt", args=[attempt.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit", "q1": "B"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_api_shows_no_answer_or_score_before_the_close(client, resident, contest, clock):
    attempt = services.start_attempt(contest=contest, user=resident)
    services.submit_attempt(attempt=attempt, user=resident, answers={1: "B"})
    client.force_login(resident)
    body = client.get("/api/v1/contest-attempts/").content.decode()
    assert "解析" not in body
    row = client.get("/api/v1/contest-attempts/").json()["results"][0]
    assert row["score"] is None
    assert all(q["right_answer"] is None and q["is_correct"] is None for q in row["questions"])
    assert client.get("/api/v1/contests/").json()["results"][0]["id"] == contest.pk
    clock.advance(days=2)
    row = client.get("/api/v1/contest-attempts/").json()["results"][0]
    assert row["score"] == 1
    assert [q["right_answer"] for q in row["questions"]] == ["B", "B", "B"]


def test_api_lists_only_my_attempts(client, resident, contest):
    services.start_attempt(contest=contest, user=UserFactory())
    client.force_login(resident)
    assert client.get("/api/v1/contest-attempts/").json()["results"] == []
    client.logout()
    assert client.get("/api/v1/contest-attempts/").status_code in (401, 403)


def test_staff_pages_access_matrix(clients, contest):
    matrix = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200}
    assert_access(clients, reverse("staff:contest-list"), {**matrix, "staff": 200})
    assert_access(
        clients, reverse("staff:contest-detail", args=[contest.pk]), {**matrix, "staff": 200}
    )


def test_staff_of_another_sub_district_sees_nothing(client, contest):
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory
    from tests.branches.factories import SubDistrictFactory

    stranger = UserFactory()
    RoleAssignmentFactory(
        user=stranger, role=Role.SUB_DISTRICT_STAFF, sub_district=SubDistrictFactory()
    )
    client.force_login(stranger)
    assert client.get(reverse("staff:contest-detail", args=[contest.pk])).status_code == 404
    assert client.get(reverse("staff:contest-list")).context["contests"].count() == 0


def _upload(rows):
    workbook = Workbook()
    with translation.override("zh-hans"):
        workbook.active.append(imports.headings())
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "questions.xlsx"
    return buffer


def test_import_page_is_for_sub_district_staff(clients, sub_district):
    url = reverse("staff:contest-question-import")
    row = ["单选", "党的最高理想是？", "共产主义", "小康", None, None, None, None, "A", "党章", ""]
    refused = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for role, status in refused.items():
        response = clients[role].post(
            url, {"sub_district": sub_district.pk, "file": _upload([row])}
        )
        assert response.status_code == status, role
        assert not Question.objects.exists(), role
    response = clients["staff"].post(url, {"sub_district": sub_district.pk, "file": _upload([row])})
    assert response.status_code == 302
    assert Question.objects.filter(sub_district=sub_district).count() == 1
    assert clients["staff"].get(reverse("staff:contest-question-template")).status_code == 200


def test_import_page_lists_row_errors_and_writes_nothing(client, staff, sub_district):
    client.force_login(staff)
    bad = ["单选", "问题", "甲", "乙", None, None, None, None, "E", "", ""]
    response = client.post(
        reverse("staff:contest-question-import"),
        {"sub_district": sub_district.pk, "file": _upload([bad])},
    )
    assert response.status_code == 400
    assert 'data-testid="import-errors"' in response.content.decode()
    assert not Question.objects.exists()


def test_staff_ranking_query_count_does_not_grow(
    client, staff, contest, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("staff:contest-detail", args=[contest.pk])

    def take_part():
        user = UserFactory()
        attempt = services.start_attempt(contest=contest, user=user)
        services.submit_attempt(attempt=attempt, user=user, answers={1: "B"})

    take_part()
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for _ in range(5):
        take_part()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 6


def test_public_contest_list_query_count_does_not_grow(
    client, resident, sub_district, django_assert_max_num_queries
):
    client.force_login(resident)
    ContestFactory(sub_district=sub_district)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("public:contest-list"))
    for _ in range(5):
        ContestFactory(sub_district=sub_district)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("public:contest-list"))
    assert len(response.context["rows"]) == 6
