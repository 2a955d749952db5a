from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from accounts.models import AuditEntry
from appraisal import rules
from appraisal.errors import AppraisalRefused
from appraisal.figures import summary_by_branch
from appraisal.models import AppraisalSettings, Campaign, FollowUp, Grade, Participant
from appraisal.services import campaigns
from members.models import Sanction, SanctionKind
from members.timeline import timeline_for
from tests.appraisal.conftest import TODAY
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

E, Q, B, U = Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASICALLY_QUALIFIED, Grade.UNQUALIFIED


def grades_for(campaign: Campaign, *given: str) -> dict[int, str]:
    graded = list(campaign.participants.graded().order_by("member__full_name"))
    return {p.pk: grade for p, grade in zip(graded, given, strict=True)}


def test_probationary_members_take_part_ungraded_and_do_not_vote(campaign, probationary):
    row = campaign.participants.get(member=probationary)
    assert (row.is_graded, row.can_vote) == (False, False)
    assert campaign.participants.graded().count() == 6
    assert campaign.participants.voters().count() == 6


def test_member_under_probation_within_the_party_is_graded_but_does_not_vote(
    branch, full_members, staff
):
    Sanction.objects.create(
        member=full_members[0],
        kind=SanctionKind.PROBATION,
        started_on=dt.date(2026, 6, 1),
        probation_years=1,
        ended_on=dt.date(2027, 6, 1),
        decided_by="上级党委",
        reason="测试",
    )
    campaign = campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    row = campaign.participants.get(member=full_members[0])
    assert (row.is_graded, row.can_vote) == (True, False)


def test_one_campaign_per_branch_and_year(campaign, branch, staff):
    with pytest.raises(AppraisalRefused):
        campaigns.open_campaign(
            organization=branch,
            year=2026,
            opens_on=dt.date(2026, 12, 2),
            closes_on=dt.date(2026, 12, 20),
            actor=staff,
        )
    assert Campaign.objects.count() == 1


def test_window_must_be_in_order(branch, full_members, staff):
    with pytest.raises(AppraisalRefused):
        campaigns.open_campaign(
            organization=branch,
            year=2026,
            opens_on=dt.date(2026, 12, 20),
            closes_on=dt.date(2026, 12, 1),
            actor=staff,
        )
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("excellent", "graded", "allowed"),
    [(1, 3, True), (2, 3, False), (2, 6, True), (3, 6, False), (0, 0, True), (3, 10, True)],
)
def test_excellent_share_at_one_third(excellent, graded, allowed):
    assert rules.excellent_allowed(excellent, graded, 1, 3) is allowed


def test_excellent_exactly_one_third_is_accepted_and_one_more_refused(campaign, staff):
    too_many = grades_for(campaign, E, E, E, Q, Q, Q)
    with pytest.raises(AppraisalRefused, match="2"):
        campaigns.propose_grades(campaign=campaign, grades=too_many, proposed_on=TODAY, actor=staff)
    assert not Participant.objects.exclude(proposed_grade="").exists()
    exactly = grades_for(campaign, E, E, Q, Q, Q, B)
    campaigns.propose_grades(campaign=campaign, grades=exactly, proposed_on=TODAY, actor=staff)
    assert Participant.objects.filter(proposed_grade=E).count() == 2


def test_the_cap_is_a_local_setting(campaign, branch, staff):
    AppraisalSettings.objects.create(
        sub_district_id=branch.sub_district_id, excellent_numerator=1, excellent_denominator=5
    )
    with pytest.raises(AppraisalRefused):
        campaigns.propose_grades(
            campaign=campaign,
            grades=grades_for(campaign, E, E, Q, Q, Q, Q),
            proposed_on=TODAY,
            actor=staff,
        )
    campaigns.propose_grades(
        campaign=campaign,
        grades=grades_for(campaign, E, Q, Q, Q, Q, Q),
        proposed_on=TODAY,
        actor=staff,
    )


def test_probationary_member_cannot_be_given_a_grade(campaign, probationary, staff):
    grades = grades_for(campaign, Q, Q, Q, Q, Q, Q)
    grades[campaign.participants.get(member=probationary).pk] = Q
    with pytest.raises(AppraisalRefused):
        campaigns.propose_grades(campaign=campaign, grades=grades, proposed_on=TODAY, actor=staff)


def test_decision_needs_the_committee_proposal_first(campaign, staff):
    with pytest.raises(AppraisalRefused):
        campaigns.decide_grades(
            campaign=campaign,
            grades=grades_for(campaign, Q, Q, Q, Q, Q, Q),
            decided_on=TODAY,
            actor=staff,
        )
    assert Campaign.objects.get(pk=campaign.pk).decided_on is None


def test_unqualified_opens_a_follow_up_with_the_local_deadline(campaign, staff, full_members):
    grades = grades_for(campaign, E, Q, Q, Q, B, U)
    campaigns.propose_grades(campaign=campaign, grades=grades, proposed_on=TODAY, actor=staff)
    campaigns.decide_grades(campaign=campaign, grades=grades, decided_on=TODAY, actor=staff)
    follow_up = FollowUp.objects.get()
    assert follow_up.participant.final_grade == U
    assert follow_up.deadline == dt.date(2027, 6, 10)
    assert AuditEntry.objects.filter(action="appraisal.decided").count() == 1
    # Decided: nothing of the campaign changes any more.
    with pytest.raises(AppraisalRefused):
        campaigns.propose_grades(campaign=campaign, grades=grades, proposed_on=TODAY, actor=staff)
    campaigns.close_follow_up(follow_up=follow_up, outcome="整改合格", closed_on=TODAY, actor=staff)
    with pytest.raises(AppraisalRefused):
        campaigns.close_follow_up(follow_up=follow_up, outcome="再次", closed_on=TODAY, actor=staff)


def test_decided_grades_reach_the_member_record_and_the_figures(
    campaign, staff, full_members, probationary, branch
):
    grades = grades_for(campaign, E, Q, Q, Q, B, U)
    campaigns.propose_grades(campaign=campaign, grades=grades, proposed_on=TODAY, actor=staff)
    summary = summary_by_branch([branch.pk], 2026)[branch.pk]
    assert summary.decided is False and summary.grades[E] == 0
    campaigns.decide_grades(campaign=campaign, grades=grades, decided_on=TODAY, actor=staff)

    summary = summary_by_branch([branch.pk], 2026)[branch.pk]
    assert (summary.participants, summary.graded, summary.decided) == (7, 6, True)
    assert summary.grades == {E: 1, Q: 3, B: 1, U: 1}
    # A report of a quarter that ended the day before shows no grade yet.
    earlier = summary_by_branch([branch.pk], 2026, decided_by=TODAY - dt.timedelta(days=1))
    assert earlier[branch.pk].decided is False and earlier[branch.pk].grades[E] == 0
    titles = [event.title for event in timeline_for(full_members[0])]
    assert any("优秀" in title or "Excellent" in title for title in titles), titles
    titles = [event.title for event in timeline_for(probationary)]
    assert any("2026" in title for title in titles), titles


def test_paper_tally_refuses_more_grades_than_ballots(campaign, staff):
    first = campaign.participants.graded().first()
    with pytest.raises(AppraisalRefused):
        campaigns.record_paper_tally(
            campaign=campaign, ballots=3, counts={first.pk: {E: 2, Q: 2}}, actor=staff
        )
    with pytest.raises(AppraisalRefused):
        campaigns.record_paper_tally(campaign=campaign, ballots=7, counts={}, actor=staff)
    campaigns.record_paper_tally(
        campaign=campaign, ballots=5, counts={first.pk: {E: 2, Q: 3}}, actor=staff
    )
    campaign.refresh_from_db()
    assert campaign.paper_ballots == 5
    assert campaign.paper_tallies.count() == 2


def test_self_assessment_is_kept(campaign, full_members, staff):
    row = campaign.participants.get(member=full_members[0])
    campaigns.record_self_assessment(participant=row, text="  认真学习  ", actor=staff)
    row.refresh_from_db()
    assert row.self_assessment == "认真学习"
    with pytest.raises(AppraisalRefused):
        campaigns.record_self_assessment(participant=row, text="   ", actor=staff)


def test_only_members_on_the_roll_when_the_window_opens_take_part(branch, staff, full_members):
    MemberFactory(
        organization=branch,
        joined_on=dt.date(2026, 12, 5),
        confirmed_on=None,
        status="probationary",
    )
    campaign = campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    assert campaign.participants.count() == 6


def test_add_months_clamps_to_month_end():
    assert rules.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert rules.add_months(dt.date(2026, 12, 10), 6) == dt.date(2027, 6, 10)


def test_no_table_joins_a_voter_to_a_grade():
    """Ballot secrecy by the schema: the table with grades has no voter, member, user or time
    column, and the table with voters has no grade and no time."""
    with connection.cursor() as cursor:
        vote_columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "appraisal_vote")
        }
        turnout_columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, "appraisal_turnout")
        }
    assert vote_columns == {"id", "campaign_id", "appraisee_id", "grade"}
    assert turnout_columns == {"id", "campaign_id", "voter_id"}


def test_the_quarterly_pack_shows_the_appraisal_per_branch(work_committee, staff):
    from django.utils import translation

    from branches.services.tree import found_organization
    from reports.figures import build_figures, table_of
    from reports.scope import ReportScope

    branch = found_organization(
        sub_district=work_committee.sub_district,
        parent=work_committee,
        name="评议支部",
        kind="branch",
        sector="community",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    MemberFactory.create_batch(4, organization=branch)
    MemberFactory(
        organization=branch,
        status="probationary",
        joined_on=dt.date(2026, 3, 1),
        confirmed_on=None,
    )
    campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    with translation.override("en"):
        figures = build_figures(ReportScope(sub_district=work_committee.sub_district), 2026, 4)
    rows = {r[0]: r[1:] for r in table_of(figures, "appraisal", "per_branch")["rows"]}
    # Four full members graded, the probationary member takes part; nothing decided yet.
    assert rows["评议支部"] == [5, 4, 0, 0, 0, 0, "Under way"]
