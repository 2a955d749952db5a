"""我的述职评议: a representative of the year-end assessment — a bound member or a resident —
rates every branch's report once, in the window, on /me/; the ratings carry no voter (ADR 0009),
the pages never show what anyone gave, and a round one does not represent is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import AssessmentRound, Rating, RepresentativeTurnout
from assessment.services import year_end
from tests.access import assert_access
from tests.branches.factories import SubDistrictFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(TODAY)
    return clock


def open_round(sub_district, staff, representatives, year=2026, **window):
    return year_end.open_round(
        sub_district=sub_district,
        year=year,
        opens_on=window.get("opens_on", dt.date(2026, 12, 1)),
        closes_on=window.get("closes_on", dt.date(2026, 12, 20)),
        weights=(50, 20, 30),
        representatives=representatives,
        actor=staff,
    )


@pytest.fixture
def assessment_round(sub_district, staff, branch, other_branch, resident, member_user):
    return open_round(sub_district, staff, [resident, member_user])


def stored():
    return (
        RepresentativeTurnout.objects.count(),
        sorted(Rating.objects.values_list("branch_id", "grade")),
    )


def full_ballot(assessment_round, grade="good"):
    return {f"grade_{pk}": grade for pk in assessment_round.branches.values_list("pk", flat=True)}


def test_only_the_round_s_representatives_open_its_ballot(clients, assessment_round):
    url = reverse("public:me-assessment-ballot", args=[assessment_round.pk])
    expected = {
        "anonymous": 302,
        "resident": 200,
        "other_secretary": 404,
        "secretary": 404,
        "staff": 404,  # staff of the sub-district, but not named a representative
        "member": 200,
    }
    assert_access(clients, url, expected)
    # An incomplete ballot: refused for everyone, nothing written.
    one = dict(list(full_ballot(assessment_round).items())[:1])
    assert_access(
        clients,
        url,
        expected | {"resident": 400, "member": 400},
        method="post",
        data=one,
        snapshot=stored,
    )
    assert stored() == (0, [])


def test_the_list_answers_every_signed_in_account(clients, assessment_round):
    url = reverse("public:me-assessment-rounds")
    assert_access(
        clients,
        url,
        {
            "anonymous": 302,
            "resident": 200,
            "other_secretary": 200,
            "secretary": 200,
            "staff": 200,
            "member": 200,
        },
    )
    assert "assessment-round" in clients["resident"].get(url).content.decode()
    assert "assessment-round" not in clients["staff"].get(url).content.decode()


def test_a_resident_rates_once_and_the_ratings_carry_no_voter(clients, assessment_round):
    url = reverse("public:me-assessment-ballot", args=[assessment_round.pk])
    ids = list(assessment_round.branches.values_list("pk", flat=True))
    ballot = {f"grade_{ids[0]}": "good", f"grade_{ids[1]}": "average"}
    response = clients["resident"].post(url, ballot)
    assert response.status_code == 302
    assert response.url == reverse("public:me-assessment-rounds")
    assert stored() == (1, sorted([(ids[0], "good"), (ids[1], "average")]))
    # No column of a rating names or times the voter.
    assert {f.name for f in Rating._meta.concrete_fields} == {"id", "branch", "grade"}
    # The second ballot is a conflict; nothing more is written.
    again = clients["resident"].post(url, full_ballot(assessment_round, "poor"))
    assert again.status_code == 409
    assert stored()[0] == 1 and len(stored()[1]) == 2
    # The page then says the representative rated, and shows no grade given.
    page = clients["resident"].get(url).content.decode()
    assert 'data-testid="rated"' in page and 'data-testid="ballot"' not in page
    # The other representative still rates.
    assert clients["member"].post(url, full_ballot(assessment_round)).status_code == 302
    assert stored()[0] == 2


def test_a_bad_grade_and_a_closed_window_write_nothing(clients, assessment_round, clock):
    url = reverse("public:me-assessment-ballot", args=[assessment_round.pk])
    response = clients["resident"].post(url, full_ballot(assessment_round, "excellent"))
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    assert stored() == (0, [])
    clock.set(dt.date(2026, 12, 21))
    page = clients["resident"].get(url).content.decode()
    assert 'data-testid="ballot"' not in page
    assert clients["resident"].post(url, full_ballot(assessment_round)).status_code == 400
    assert stored() == (0, [])


def test_the_member_home_links_to_a_waiting_rating(clients, assessment_round):
    home = clients["member"].get(reverse("public:me")).content.decode()
    assert reverse("public:me-assessment-rounds") in home
    assert "等待您评议" in home
    # A resident who is not bound to a member also finds it from /me/.
    assert (
        reverse("public:me-assessment-rounds")
        in clients["resident"].get(reverse("public:me")).content.decode()
    )
    assert (
        reverse("public:me-assessment-rounds")
        not in clients["staff"].get(reverse("public:me")).content.decode()
    )


def test_the_list_reads_a_fixed_number_of_queries(client, resident, staff, sub_district, branch):
    client.force_login(resident)
    url = reverse("public:me-assessment-rounds")
    open_round(sub_district, staff, [resident])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for n in range(3):
        open_round(SubDistrictFactory(), staff, [resident], year=2026 - n)
    assert AssessmentRound.objects.count() == 4
    assert count() == one
