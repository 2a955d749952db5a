from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import OutgoingEmail
from activities.models import Talk, TalkContact, TalkForm
from activities.talks import TalkRefused, compliance_for, record_talk, warn_missing_talks
from committees.models import CommitteePosition, CommitteeTerm, Position
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(TODAY)


@pytest.fixture
def board(branch):
    """A branch of six: secretary, deputy, one committee member, three members."""
    people = [MemberFactory(organization=branch, full_name=f"成员{i}") for i in range(6)]
    term = CommitteeTerm.objects.create(
        organization=branch, started_on=dt.date(2024, 1, 1), planned_end_on=dt.date(2029, 1, 1)
    )
    for member, position in zip(
        people[:3], [Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.MEMBER], strict=True
    ):
        CommitteePosition.objects.create(
            term=term, member=member, position=position, started_on=dt.date(2024, 1, 1)
        )
    return people


def talk(branch, a, b, day=dt.date(2026, 5, 1)):
    return record_talk(
        organization=branch,
        first=a,
        second=b,
        held_on=day,
        form=TalkForm.PHONE,
        topic="谈心",
        actor=None,
    )


def test_required_pairs_of_a_branch(branch, board):
    secretary, deputy, third, m1, m2, m3 = board
    TalkContact.objects.create(member=m3, committee_member=deputy)
    report = compliance_for([branch], 2026, TODAY)[branch.pk]
    # 3 committee pairs; m1, m2 with the secretary, m3 with the deputy.
    assert report.required_pairs == 6
    assert len(report.missing_pairs) == 6
    assert len(report.silent) == 6
    assert not report.met

    talk(branch, secretary, deputy)
    talk(branch, third, secretary)  # recorded either way round
    talk(branch, deputy, third)
    talk(branch, m1, secretary)
    talk(branch, secretary, m2)
    report = compliance_for([branch], 2026, TODAY)[branch.pk]
    assert [(p.first, p.second) for p in report.missing_pairs] == [(deputy, m3)]
    assert report.silent == [m3]
    talk(branch, m3, deputy)
    report = compliance_for([branch], 2026, TODAY)[branch.pk]
    assert report.met and report.talks == 6


def test_talks_of_another_year_do_not_count(branch, board):
    talk(branch, board[0], board[1], day=dt.date(2025, 12, 31))
    report = compliance_for([branch], 2026, TODAY)[branch.pk]
    assert report.talks == 0 and len(report.missing_pairs) == 6


def test_a_contact_who_left_the_committee_hands_the_member_to_the_secretary(branch, board):
    secretary, deputy, third, m1, m2, m3 = board
    TalkContact.objects.create(member=m3, committee_member=deputy)
    CommitteePosition.objects.filter(member=deputy).update(ended_on=dt.date(2026, 6, 1))
    report = compliance_for([branch], 2026, TODAY)[branch.pk]
    pairs = {(p.first.pk, p.second.pk) for p in report.missing_pairs}
    assert (secretary.pk, m3.pk) in pairs and (deputy.pk, m3.pk) not in pairs


def test_compliance_queries_do_not_grow_with_branches(
    branch, other_branch, board, django_assert_max_num_queries
):
    for i in range(5):
        MemberFactory(organization=other_branch, full_name=f"他支部{i}")
    with django_assert_max_num_queries(4):
        reports = compliance_for([branch, other_branch], 2026, TODAY)
    assert len(reports[other_branch.pk].silent) == 5


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("second", {"same": True}),
        ("held_on", {"held_on": TODAY + dt.timedelta(days=1)}),
        ("topic", {"topic": "  "}),
    ],
)
def test_bad_talks_are_refused(branch, board, field, kwargs):
    second = board[0] if kwargs.get("same") else board[1]
    with pytest.raises(TalkRefused) as refused:
        record_talk(
            organization=branch,
            first=board[0],
            second=second,
            held_on=kwargs.get("held_on", TODAY),
            form=TalkForm.FACE_TO_FACE,
            topic=kwargs.get("topic", "谈心"),
            actor=None,
        )
    assert refused.value.field == field
    assert not Talk.objects.exists()


def test_a_member_of_another_branch_is_refused(branch, other_branch, board):
    stranger = MemberFactory(organization=other_branch)
    with pytest.raises(TalkRefused):
        talk(branch, board[0], stranger)
    assert not Talk.objects.exists()


def test_warns_once_before_the_year_closes(branch, board, secretary, clock):
    assert warn_missing_talks(today=dt.date(2026, 12, 20)) == 0  # 11 days left: not yet
    assert warn_missing_talks(today=dt.date(2026, 12, 24)) == 1  # 7 days left
    assert OutgoingEmail.objects.filter(to=secretary.email, subject__contains="谈心").exists()
    assert warn_missing_talks(today=dt.date(2026, 12, 25)) == 0


def test_no_warning_when_every_pair_has_talked(branch, board, secretary):
    secretary_m, deputy, third, m1, m2, m3 = board
    for a, b in [
        (secretary_m, deputy),
        (secretary_m, third),
        (deputy, third),
        (secretary_m, m1),
        (secretary_m, m2),
        (secretary_m, m3),
    ]:
        talk(branch, a, b)
    assert warn_missing_talks(today=dt.date(2026, 12, 24)) == 0
