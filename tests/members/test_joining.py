from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail  # noqa: F401  (emails go through the outbox rows)
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutgoingEmail
from members import joining, rules
from members.errors import StepNotAllowed
from members.models import (
    ActivistReview,
    Development,
    DevelopmentReminder,
    Member,
    MemberChange,
    Stage,
)
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def years_ago(years: float) -> dt.date:
    return TODAY() - dt.timedelta(days=int(365.25 * years))


@pytest.fixture
def applicant(secretary, branch):
    return joining.register_applicant(
        actor=secretary,
        organization=branch,
        full_name="入党申请人",
        applied_on=years_ago(3),
        birth_date=dt.date(1995, 3, 1),
    )


@pytest.fixture
def sponsors(branch):
    return [MemberFactory(organization=branch), MemberFactory(organization=branch)]


def to_candidate(actor, development):
    joining.record_talk(actor=actor, development=development, on=development.applied_on)
    development = joining.take_step(
        actor=actor, development=development, target="activist", on=years_ago(2.8)
    )
    return joining.take_step(
        actor=actor, development=development, target="candidate", on=years_ago(1.5)
    )


def to_probationary(actor, development, sponsors):
    development = to_candidate(actor, development)
    joining.set_sponsors(actor=actor, development=development, sponsors=sponsors)
    joining.record_training(
        actor=actor, development=development, completed_on=years_ago(1.4), hours=24
    )
    joining.record_vote(actor=actor, development=development, on=years_ago(1.3))
    return joining.take_step(
        actor=actor, development=development, target="probationary", on=years_ago(1.25)
    )


def test_the_whole_journey_ends_with_a_full_member_who_votes(secretary, applicant, sponsors):
    development = to_probationary(secretary, applicant, sponsors)
    member = development.member
    assert member.status == "probationary" and not member.has_voting_rights
    assert member.joined_on == development.voted_on
    assert development.probation_ends_on == rules.add_months(development.voted_on, 12)
    development = joining.take_step(
        actor=secretary, development=development, target="full", on=TODAY()
    )
    member.refresh_from_db()
    assert member.status == "full" and member.confirmed_on == TODAY()
    assert member.has_voting_rights
    assert MemberChange.objects.filter(member=member, action="stage").count() == 2
    assert MemberChange.objects.filter(member=member, action="updated").exists()
    assert AuditEntry.objects.filter(action="development.step").count() == 4


def test_steps_out_of_order_are_refused_with_the_rule(secretary, applicant):
    with pytest.raises(StepNotAllowed, match="顺序"):
        joining.take_step(actor=secretary, development=applicant, target="candidate", on=TODAY())
    applicant.refresh_from_db()
    assert applicant.stage == Stage.APPLICANT


def test_a_candidate_too_early_is_refused(secretary, applicant):
    joining.take_step(actor=secretary, development=applicant, target="activist", on=years_ago(0.5))
    with pytest.raises(StepNotAllowed, match="一年"):
        joining.take_step(actor=secretary, development=applicant, target="candidate", on=TODAY())
    assert Development.objects.get(pk=applicant.pk).stage == Stage.ACTIVIST


def test_admission_needs_sponsors_training_and_a_vote(secretary, applicant, sponsors):
    development = to_candidate(secretary, applicant)
    with pytest.raises(StepNotAllowed, match="二十四学时"):
        joining.record_vote(actor=secretary, development=development, on=TODAY())
    joining.record_training(
        actor=secretary, development=development, completed_on=TODAY(), hours=30
    )
    with pytest.raises(StepNotAllowed, match="介绍人"):
        joining.record_vote(actor=secretary, development=development, on=TODAY())
    with pytest.raises(StepNotAllowed, match="介绍人"):
        joining.set_sponsors(actor=secretary, development=development, sponsors=sponsors[:1])
    with pytest.raises(StepNotAllowed, match="介绍人"):
        joining.take_step(
            actor=secretary, development=development, target="probationary", on=TODAY()
        )
    assert not Member.objects.filter(full_name="入党申请人").exists()


def test_sponsors_must_be_full_members(secretary, applicant, branch):
    development = to_candidate(secretary, applicant)
    probationary = MemberFactory(organization=branch, status="probationary", confirmed_on=None)
    with pytest.raises(StepNotAllowed):
        joining.set_sponsors(
            actor=secretary,
            development=development,
            sponsors=[probationary, MemberFactory(organization=branch)],
        )
    assert development.sponsors.count() == 0


def test_approval_beyond_six_months_of_the_vote_is_refused(secretary, applicant, sponsors):
    development = to_candidate(secretary, applicant)
    joining.set_sponsors(actor=secretary, development=development, sponsors=sponsors)
    joining.record_training(
        actor=secretary, development=development, completed_on=years_ago(1.4), hours=24
    )
    joining.record_vote(actor=secretary, development=development, on=years_ago(1.3))
    with pytest.raises(StepNotAllowed, match="六个月"):
        joining.take_step(
            actor=secretary, development=development, target="probationary", on=TODAY()
        )


def test_confirmation_before_probation_ends_is_refused(secretary, applicant, sponsors):
    development = to_probationary(secretary, applicant, sponsors)
    joining.extend_probation(actor=secretary, development=development, months=12)
    with pytest.raises(StepNotAllowed, match="预备期"):
        joining.take_step(actor=secretary, development=development, target="full", on=TODAY())
    assert Member.objects.get(pk=development.member_id).status == "probationary"


@pytest.mark.parametrize("months", [5, 13])
def test_extension_outside_6_to_12_months_is_refused(secretary, applicant, sponsors, months):
    development = to_probationary(secretary, applicant, sponsors)
    with pytest.raises(StepNotAllowed, match="六个月至一年"):
        joining.extend_probation(actor=secretary, development=development, months=months)


def test_probation_is_extended_only_once(secretary, applicant, sponsors):
    development = to_probationary(secretary, applicant, sponsors)
    ends = development.probation_ends_on
    development = joining.extend_probation(actor=secretary, development=development, months=6)
    assert development.probation_ends_on == rules.add_months(ends, 6)
    with pytest.raises(StepNotAllowed, match="一次"):
        joining.extend_probation(actor=secretary, development=development, months=6)


def test_other_branch_cannot_take_steps(other_secretary, applicant):
    with pytest.raises(StepNotAllowed):
        joining.take_step(
            actor=other_secretary, development=applicant, target="activist", on=TODAY()
        )


def test_under_18_cannot_apply(secretary, branch):
    with pytest.raises(StepNotAllowed, match="十八"):
        joining.register_applicant(
            actor=secretary,
            organization=branch,
            full_name="少年",
            applied_on=TODAY(),
            birth_date=TODAY() - dt.timedelta(days=365 * 16),
        )
    assert not Development.objects.exists()


def test_activist_reviews_move_the_review_deadline(secretary, branch):
    development = joining.register_applicant(
        actor=secretary, organization=branch, full_name="积极分子", applied_on=years_ago(1)
    )
    joining.take_step(
        actor=secretary, development=development, target="activist", on=years_ago(0.6)
    )
    rows = Development.objects.with_last_review()
    (item,) = joining.due_items(rows, until=TODAY())
    assert item.kind == "review" and item.overdue
    joining.record_review(actor=secretary, development=development, on=TODAY(), note="良好")
    assert joining.due_items(Development.objects.with_last_review(), until=TODAY()) == []
    assert ActivistReview.objects.count() == 1


def test_reminders_are_sent_once_per_due_item(secretary, branch):
    secretary.email = "sec@example.org"
    secretary.save()
    joining.register_applicant(
        actor=secretary, organization=branch, full_name="待谈话", applied_on=TODAY()
    )
    assert joining.send_development_reminders(today=TODAY()) == 0  # talk due in 31 days
    later = TODAY() + dt.timedelta(days=5)
    assert joining.send_development_reminders(today=later) == 1
    assert joining.send_development_reminders(today=later) == 0
    assert DevelopmentReminder.objects.filter(sent_at__isnull=False).count() == 1
    email = OutgoingEmail.objects.get()
    assert email.to == "sec@example.org" and "待谈话" in email.subject


PAGE = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200}
RECORD = {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200}


def test_pages_access_matrix(clients, applicant):
    assert_access(clients, reverse("staff:development-list"), PAGE)
    assert_access(clients, reverse("staff:development-list") + "?tab=all", PAGE)
    assert_access(clients, reverse("staff:development-create"), PAGE)
    assert_access(clients, reverse("staff:development-detail", args=[applicant.pk]), RECORD)


def test_step_form_access_matrix(clients, applicant):
    assert_access(
        clients,
        reverse("staff:development-detail", args=[applicant.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 400, "staff": 400},
        method="post",
        data={"action": "step", "step-on": (TODAY() + dt.timedelta(days=1)).isoformat()},
        snapshot=lambda: list(Development.objects.values()),
    )


def test_a_refused_step_shows_the_reason_and_changes_nothing(clients, applicant):
    url = reverse("staff:development-detail", args=[applicant.pk])
    before = list(Development.objects.values())
    response = clients["secretary"].post(
        url, {"action": "step", "step-on": (TODAY() + dt.timedelta(days=2)).isoformat()}
    )
    assert response.status_code == 400
    assert "晚于今天" in response.content.decode()
    response = clients["secretary"].post(url, {"action": "step", "step-on": "not a date"})
    assert response.status_code == 400
    response = clients["secretary"].post(url, {"action": "vote", "vote-on": TODAY()})
    assert response.status_code == 404  # no vote at the applicant stage
    assert list(Development.objects.values()) == before
    ok = clients["secretary"].post(url, {"action": "talk", "talk-on": TODAY().isoformat()})
    assert ok.status_code == 302
    assert Development.objects.get(pk=applicant.pk).talked_on == TODAY()


def test_create_page_records_an_application(clients, branch):
    response = clients["secretary"].post(
        reverse("staff:development-create"),
        {"organization": branch.pk, "full_name": "新申请人", "applied_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assert Development.objects.get().full_name == "新申请人"
    bad = clients["secretary"].post(
        reverse("staff:development-create"),
        {"organization": branch.pk, "full_name": "", "applied_on": "x"},
    )
    assert bad.status_code == 200 and Development.objects.count() == 1


def test_due_list_queries_do_not_grow(clients, secretary, branch, django_assert_max_num_queries):
    for n in range(30):
        joining.register_applicant(
            actor=secretary, organization=branch, full_name=f"申请人{n}", applied_on=years_ago(0.2)
        )
    with django_assert_max_num_queries(12):
        response = clients["secretary"].get(reverse("staff:development-list"))
    assert response.status_code == 200 and "申请人29" in response.content.decode()
    with django_assert_max_num_queries(12):
        clients["secretary"].get(reverse("staff:development-list") + "?tab=all")


def test_member_list_stage_filter(clients, secretary, applicant, sponsors):
    to_probationary(secretary, applicant, sponsors)
    page = clients["secretary"].get(reverse("staff:member-list") + "?stage=probationary")
    text = page.content.decode()
    assert "入党申请人" in text and sponsors[0].full_name not in text


API = {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200}


def test_api_access_matrix(clients, applicant):
    assert_access(clients, "/api/v1/developments/", API)
    assert_access(
        clients,
        f"/api/v1/developments/{applicant.pk}/",
        {**API, "other_secretary": 404},
    )
    assert_access(
        clients,
        f"/api/v1/developments/{applicant.pk}/act/",
        {"anonymous": 403, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
        method="post",
        data={"action": "talk", "on": TODAY().isoformat()},
        content_type="application/json",
        snapshot=lambda: list(Development.objects.values()),
    )


def test_api_refuses_a_step_too_early_with_the_reason(clients, applicant):
    response = clients["secretary"].post(
        f"/api/v1/developments/{applicant.pk}/act/",
        {"action": "step", "on": (TODAY() + dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Development.objects.get(pk=applicant.pk).stage == Stage.APPLICANT
    missing = clients["secretary"].post(
        f"/api/v1/developments/{applicant.pk}/act/",
        {"action": "extend"},
        content_type="application/json",
    )
    assert missing.status_code == 400
