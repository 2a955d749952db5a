"""Party sanctions (党纪处分): dated records on a member, recorded by sub-district staff only,
with their effects: 留党察看 for one or two years, 开除党籍 takes the member off the roll."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from members.models import Member, MemberChange, MembershipState, Sanction
from members.sanctions.services import SanctionRefused, probation_end, record_sanction
from members.timeline import timeline_for
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _held(clock):
    return clock


@pytest.fixture
def member(branch):
    return MemberFactory(organization=branch, full_name="受处分党员")


def sanction(member, kind="warning", started_on=None, actor=None, **extra):
    return record_sanction(
        member=member,
        kind=kind,
        started_on=started_on or dt.date(2026, 1, 10),
        decided_by="街道纪工委",
        reason="违反工作纪律",
        actor=actor,
        **extra,
    )


def state():
    return (
        list(Sanction.objects.values_list("pk", "kind", "started_on", "ended_on")),
        list(Member.objects.values_list("pk", "state", "state_changed_on")),
        MemberChange.objects.count(),
        AuditEntry.objects.filter(action__startswith="member.").count(),
    )


# --- the service -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "last_day"), [(1, dt.date(2027, 1, 9)), (2, dt.date(2028, 1, 9))]
)
def test_probation_lasts_one_or_two_years_to_the_day_before_the_anniversary(
    member, staff, years, last_day
):
    row = sanction(member, "probation", dt.date(2026, 1, 10), staff, probation_years=years)
    assert row.ended_on == last_day
    assert AuditEntry.objects.filter(action="member.sanction_recorded").count() == 1
    assert member.changes.filter(action="sanction").count() == 1


def test_a_probation_begun_on_29_february_ends_on_27_february():
    assert probation_end(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 27)


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("probation", {}, "probation_years"),
        ("probation", {"probation_years": 3}, "probation_years"),
        ("warning", {"probation_years": 1}, "probation_years"),
        ("nonsense", {}, "kind"),
        ("warning", {"started_on": dt.date(2099, 1, 1)}, "started_on"),
        ("warning", {"started_on": dt.date(2004, 1, 1)}, "started_on"),  # before joining
    ],
)
def test_bad_sanctions_are_refused_and_nothing_is_written(member, staff, kind, extra, field):
    before = state()
    with pytest.raises(SanctionRefused) as refused:
        sanction(member, kind, extra.pop("started_on", None), staff, **extra)
    assert refused.value.field == field
    assert state() == before


def test_an_overlapping_probation_is_refused(member, staff):
    sanction(member, "probation", dt.date(2025, 6, 1), staff, probation_years=1)
    before = state()
    with pytest.raises(SanctionRefused):
        sanction(member, "probation", dt.date(2026, 5, 31), staff, probation_years=1)
    assert state() == before
    # The day after the first one ends is free.
    sanction(member, "probation", dt.date(2026, 6, 1), staff, probation_years=1)


def test_expulsion_takes_the_member_off_the_roll_from_its_date(member, staff):
    day = dt.date(2026, 3, 2)
    sanction(member, "expulsion", day, staff)
    member.refresh_from_db()
    assert member.state == MembershipState.LEFT
    assert member.state_changed_on == day
    assert member.changes.filter(action="state").exists()
    assert Member.objects.on_roll(day - dt.timedelta(days=1)).filter(pk=member.pk).exists()
    assert not Member.objects.on_roll(day).filter(pk=member.pk).exists()
    with pytest.raises(SanctionRefused):  # no longer on the roll
        sanction(member, "warning", day, staff)


def test_probation_on_a_day_runs_from_its_first_to_its_last_day(member, staff):
    row = sanction(member, "probation", dt.date(2025, 3, 1), staff, probation_years=1)
    on = Sanction.objects.probation_on
    assert not on(row.started_on - dt.timedelta(days=1)).exists()
    assert on(row.started_on).exists()
    assert on(row.ended_on).exists()
    assert not on(row.ended_on + dt.timedelta(days=1)).exists()
    standing = Member.objects.with_standing_on(row.ended_on).get(pk=member.pk)
    assert standing.on_probation and standing.status_on == "full"


def test_the_sanction_is_on_the_members_timeline_and_record(member, staff, clients):
    sanction(member, "serious_warning", dt.date(2026, 2, 3), staff)
    assert any(e.kind == "sanction" and e.on == dt.date(2026, 2, 3) for e in timeline_for(member))
    body = clients["secretary"].get(reverse("staff:member-detail", args=[member.pk]))
    assert 'data-testid="sanctions"' in body.content.decode()


# --- the page and the API: staff only ------------------------------------------------------------


def test_only_staff_may_open_and_post_the_sanction_page(clients, member):
    url = reverse("staff:sanction-create", args=[member.pk])
    refused = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    assert_access(clients, url, {**refused, "staff": 200})
    data = {
        "kind": "probation",
        "started_on": "2026-01-10",
        "probation_years": "1",
        "decided_by": "街道纪工委",
        "reason": "违纪",
    }
    before = state()
    for role, status in refused.items():
        assert clients[role].post(url, data).status_code == status
        assert state() == before
    assert clients["staff"].post(url, data).status_code == 302
    row = Sanction.objects.get()
    assert (row.kind, row.ended_on) == ("probation", dt.date(2027, 1, 9))


def test_the_page_shows_a_refusal_on_the_form_and_writes_nothing(clients, member):
    url = reverse("staff:sanction-create", args=[member.pk])
    before = state()
    response = clients["staff"].post(
        url,
        {"kind": "probation", "started_on": "2026-01-10", "decided_by": "纪工委", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["probation_years"]
    assert state() == before


def test_the_api_lets_staff_record_and_secretaries_read_their_own(clients, member, staff):
    sanction(member, "warning", dt.date(2026, 1, 5), staff)
    assert_access(
        clients,
        "/api/v1/sanctions/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    assert len(clients["secretary"].get("/api/v1/sanctions/").json()["results"]) == 1
    assert clients["other_secretary"].get("/api/v1/sanctions/").json()["results"] == []
    payload = {
        "member": member.pk,
        "kind": "probation",
        "started_on": "2026-02-01",
        "probation_years": 2,
        "decided_by": "街道纪工委",
        "reason": "违纪",
    }
    before = state()
    response = clients["secretary"].post(
        "/api/v1/sanctions/", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert state() == before
    response = clients["staff"].post("/api/v1/sanctions/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["ended_on"] == "2028-01-31"
    refused = clients["staff"].post(
        "/api/v1/sanctions/", {**payload, "probation_years": None}, content_type="application/json"
    )
    assert refused.status_code == 400


def test_the_member_api_says_a_member_under_probation_has_no_vote(
    clients, member, staff, clock, django_assert_max_num_queries
):
    clock.set(dt.date(2026, 12, 6), 10)
    url = f"/api/v1/members/{member.pk}/"
    assert clients["staff"].get(url).json()["has_voting_rights"] is True
    sanction(member, "probation", dt.date(2026, 6, 1), staff, probation_years=1)
    assert clients["staff"].get(url).json()["has_voting_rights"] is False
    member.refresh_from_db()
    assert not member.has_voting_rights  # unannotated: asks the sanctions itself
    after = Member.objects.with_standing_on(dt.date(2027, 6, 1)).get(pk=member.pk)
    assert after.has_voting_rights  # the day after its last day
    with django_assert_max_num_queries(12):  # the list reads probation in its one query
        rows = clients["staff"].get("/api/v1/members/").json()["results"]
    assert [row["has_voting_rights"] for row in rows] == [False]
