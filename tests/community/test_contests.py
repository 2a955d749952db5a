"""Knowledge contests: the draw, the window, attempts allowed (also in parallel on PostgreSQL),
who may take part, scoring, the server's time limit (late answers not counted), attempts that
ran out, rankings per person and per branch."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from community.contests import rules, services
from community.contests.models import Attempt, AttemptQuestion, Entrant, QuestionKind
from community.errors import AttemptClosed, ContestRefused
from tests.accounts.factories import UserFactory
from tests.community.factories import ContestFactory, QuestionFactory
from tests.parallel import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(sub_district):
    for _ in range(5):
        QuestionFactory(sub_district=sub_district)
    return ContestFactory(sub_district=sub_district)


def _answer_all(attempt, right=True):
    answers = {}
    for row in attempt.questions.select_related("question"):
        if right:
            answers[row.position] = row.question.answer
        else:
            answers[row.position] = "D" if row.question.answer != "D" else "C"
    return answers


def test_start_draws_distinct_questions_from_the_pool(contest, sub_district):
    QuestionFactory(sub_district=sub_district, is_active=False)
    QuestionFactory(sub_district=sub_district, topic="别的专题")
    contest.topic = "党章党规"
    contest.save()
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    drawn = list(attempt.questions.select_related("question"))
    assert [r.position for r in drawn] == [1, 2, 3]
    assert len({r.question_id for r in drawn}) == 3
    assert all(r.question.is_active and r.question.topic == "党章党规" for r in drawn)
    assert attempt.deadline == attempt.started_at + dt.timedelta(minutes=10)
    assert Entrant.objects.get(user=user).attempts_started == 1


def test_too_small_a_pool_refuses_the_start(sub_district):
    QuestionFactory(sub_district=sub_district)
    contest = ContestFactory(sub_district=sub_district, question_count=3)
    with pytest.raises(ContestRefused):
        services.start_attempt(contest=contest, user=UserFactory())
    assert not Attempt.objects.exists()


def test_start_only_inside_the_window(contest, clock):
    user = UserFactory()
    clock.advance(days=-2)
    with pytest.raises(ContestRefused, match="开始"):
        services.start_attempt(contest=contest, user=user)
    clock.advance(days=4)
    with pytest.raises(ContestRefused):
        services.start_attempt(contest=contest, user=user)
    assert not Attempt.objects.exists()
    assert not Entrant.objects.exists()


def test_attempts_allowed_and_a_running_attempt_is_resumed(contest, clock):
    user = UserFactory()
    first = services.start_attempt(contest=contest, user=user)
    assert services.start_attempt(contest=contest, user=user) == first
    services.submit_attempt(attempt=first, user=user, answers={})
    second = services.start_attempt(contest=contest, user=user)
    assert second.number == 2
    services.submit_attempt(attempt=second, user=user, answers={})
    with pytest.raises(ContestRefused, match="2"):
        services.start_attempt(contest=contest, user=user)
    assert Attempt.objects.count() == 2


def test_deadline_is_the_window_end_when_that_comes_first(contest, clock):
    clock.set(timezone.localdate(contest.closes_at), 10)
    contest.closes_at = timezone.now() + dt.timedelta(minutes=4)
    contest.save()
    attempt = services.start_attempt(contest=contest, user=UserFactory())
    assert attempt.deadline == contest.closes_at
    assert attempt.allowed_seconds == 240


def test_members_only_contest(contest, member_user, resident, branch, other_sub_district_branch):
    contest.open_to_residents = False
    contest.save()
    with pytest.raises(ContestRefused, match="党员"):
        services.start_attempt(contest=contest, user=resident)
    services.start_attempt(contest=contest, user=member_user)
    entrant = Entrant.objects.get(user=member_user)
    assert entrant.organization == branch
    assert entrant.member is not None
    assert Entrant.objects.count() == 1


def test_a_member_of_another_sub_district_takes_part_as_a_resident(
    contest, other_sub_district_branch
):
    from members.models import BindingStatus, MemberBinding
    from tests.members.factories import MemberFactory

    stranger = UserFactory()
    MemberBinding.objects.create(
        member=MemberFactory(organization=other_sub_district_branch),
        user=stranger,
        status=BindingStatus.ACTIVE,
    )
    services.start_attempt(contest=contest, user=stranger)
    assert Entrant.objects.get(user=stranger).organization is None


def test_score_counts_exact_answers_of_every_kind(sub_district, clock):
    QuestionFactory(sub_district=sub_district, kind=QuestionKind.SINGLE, answer="B")
    QuestionFactory(
        sub_district=sub_district,
        kind=QuestionKind.MULTIPLE,
        options=["一", "二", "三", "四"],
        answer="AC",
    )
    QuestionFactory(
        sub_district=sub_district,
        kind=QuestionKind.TRUE_FALSE,
        options=["正确", "错误"],
        answer="B",
    )
    contest = ContestFactory(sub_district=sub_district, question_count=3)
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    answers = {}
    for row in attempt.questions.select_related("question"):
        if row.question.kind == QuestionKind.MULTIPLE:
            answers[row.position] = ["C", "A"]  # order does not matter
        elif row.question.kind == QuestionKind.SINGLE:
            answers[row.position] = ["A"]  # wrong
        else:
            answers[row.position] = ["B"]
    clock.advance(minutes=3)
    attempt = services.submit_attempt(attempt=attempt, user=user, answers=answers)
    assert attempt.score == 2
    assert attempt.seconds == 180
    assert not attempt.late
    entrant = Entrant.objects.get(user=user)
    assert (entrant.best_score, entrant.best_seconds) == (2, 180)


def test_a_multiple_choice_half_right_is_wrong(sub_district):
    QuestionFactory(
        sub_district=sub_district,
        kind=QuestionKind.MULTIPLE,
        options=["一", "二", "三"],
        answer="AB",
    )
    contest = ContestFactory(sub_district=sub_district, question_count=1)
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    assert services.submit_attempt(attempt=attempt, user=user, answers={1: ["A"]}).score == 0


def test_bad_answers_are_refused_and_nothing_is_saved(contest):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    with pytest.raises(ContestRefused):
        services.save_answers(attempt=attempt, user=user, answers={1: ["A"], 2: ["Z"]})
    with pytest.raises(ContestRefused):
        services.save_answers(attempt=attempt, user=user, answers={1: ["A", "B"]})
    assert not AttemptQuestion.objects.exclude(answer="").exists()


def test_late_answers_are_not_counted_but_answers_saved_in_time_are(contest, clock):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    right = _answer_all(attempt)
    services.save_answers(attempt=attempt, user=user, answers={1: right[1]})
    clock.advance(minutes=10, seconds=rules.GRACE.total_seconds() + 1)
    with pytest.raises(AttemptClosed, match="不计分"):
        services.save_answers(attempt=attempt, user=user, answers=right)
    attempt = services.submit_attempt(attempt=attempt, user=user, answers=right)
    assert attempt.late
    assert attempt.score == 1
    assert attempt.submitted_at == attempt.deadline
    assert AttemptQuestion.objects.exclude(answer="").count() == 1


def test_a_submission_within_the_grace_counts(contest, clock):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    clock.advance(minutes=10, seconds=rules.GRACE.total_seconds() - 2)
    attempt = services.submit_attempt(attempt=attempt, user=user, answers=_answer_all(attempt))
    assert (attempt.late, attempt.score) == (False, 3)


def test_submitting_twice_or_someone_elses_attempt_is_refused(contest):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    with pytest.raises(AttemptClosed):
        services.submit_attempt(attempt=attempt, user=UserFactory(), answers={})
    services.submit_attempt(attempt=attempt, user=user, answers={})
    with pytest.raises(AttemptClosed):
        services.submit_attempt(attempt=attempt, user=user, answers=_answer_all(attempt))
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_an_attempt_that_ran_out_is_scored_with_its_saved_answers(contest, clock):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    right = _answer_all(attempt)
    services.save_answers(attempt=attempt, user=user, answers={1: right[1], 2: right[2]})
    clock.advance(minutes=30)
    assert services.finish_overdue(contest=contest) == 1
    attempt.refresh_from_db()
    assert (attempt.score, attempt.seconds, attempt.late) == (2, 600, False)
    assert attempt.submitted_at == attempt.deadline
    assert Entrant.objects.get(user=user).best_score == 2
    # The next start sees the attempt finished and begins the second one.
    assert services.start_attempt(contest=contest, user=user).number == 2


def test_rankings_per_person_and_per_branch(contest, clock, branch, other_branch):
    from members.models import BindingStatus, MemberBinding
    from tests.members.factories import MemberFactory

    def member_of(org, name):
        user = UserFactory(full_name=name)
        MemberBinding.objects.create(
            member=MemberFactory(organization=org, full_name=name),
            user=user,
            status=BindingStatus.ACTIVE,
        )
        return user

    people = [
        (member_of(branch, "张三"), 3, 5),
        (member_of(branch, "李四"), 1, 2),
        (member_of(other_branch, "王五"), 3, 3),
        (UserFactory(full_name="居民甲"), 2, 1),
    ]
    for user, right_count, minutes in people:
        attempt = services.start_attempt(contest=contest, user=user)
        answers = _answer_all(attempt)
        wrong = _answer_all(attempt, right=False)
        given = {p: (answers[p] if p <= right_count else wrong[p]) for p in answers}
        clock.advance(minutes=minutes)
        services.submit_attempt(attempt=attempt, user=user, answers=given)
        clock.advance(minutes=-minutes)
    ranking = list(services.person_ranking(contest))
    assert [(e.display_name, e.best_score) for e in ranking] == [
        ("王五", 3),  # as many right as 张三, in less time
        ("张三", 3),
        ("居民甲", 2),
        ("李四", 1),
    ]
    branches = services.branch_ranking(contest)
    assert [(b["name"], b["participants"], b["average"], b["top"]) for b in branches] == [
        (other_branch.name, 1, 3.0, 3),
        (branch.name, 2, 2.0, 3),
    ]
    assert branches[1]["members"] == 2


def test_best_attempt_counts(contest, clock):
    user = UserFactory()
    first = services.start_attempt(contest=contest, user=user)
    services.submit_attempt(attempt=first, user=user, answers=_answer_all(first))
    second = services.start_attempt(contest=contest, user=user)
    services.submit_attempt(attempt=second, user=user, answers={})
    assert Entrant.objects.get(user=user).best_score == 3


def test_names_on_the_public_ranking_are_masked():
    assert rules.masked_name("张淑芬") == "张*芬"
    assert rules.masked_name("王洁") == "王*"
    assert rules.masked_name("欧阳娜娜") == "欧**娜"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under test")
def test_parallel_starts_cannot_exceed_the_attempts_allowed(sub_district):
    for _ in range(4):
        QuestionFactory(sub_district=sub_district)
    contest = ContestFactory(sub_district=sub_district, attempts_allowed=2)
    user = UserFactory()
    first = services.start_attempt(contest=contest, user=user)
    services.submit_attempt(attempt=first, user=user, answers={})
    # Ten parallel starts (and ten parallel first starts of another person): one new each.
    other = UserFactory()
    calls = [partial(services.start_attempt, contest=contest, user=user) for _ in range(10)]
    calls += [partial(services.start_attempt, contest=contest, user=other) for _ in range(10)]
    outcomes = run_together(calls)
    assert all(isinstance(o, (Attempt, ContestRefused)) for o in outcomes), outcomes
    assert Attempt.objects.filter(entrant__user=user).count() == 2
    assert Attempt.objects.filter(entrant__user=other).count() == 1
    assert Entrant.objects.get(user=user).attempts_started == 2
    assert Entrant.objects.get(user=other).attempts_started == 1
    assert AttemptQuestion.objects.count() == 3 * 3


def test_the_quarterly_pack_counts_contests_in_the_period(contest, clock):
    from config.periods import Period
    from reports.figures import community_section
    from reports.scope import ReportScope

    for right in (True, False):
        user = UserFactory()
        attempt = services.start_attempt(contest=contest, user=user)
        services.submit_attempt(attempt=attempt, user=user, answers=_answer_all(attempt, right))
    period = Period(start=clock.today, end=clock.today, granularity="month")
    section = community_section(ReportScope(sub_district=contest.sub_district), period)
    (row,) = section["tables"][2]["rows"]
    # title, opens, closes, participants, branches, attempts, average best score
    assert row[0] == contest.title
    assert row[3:] == [2, 0, 2, 1.5]


def test_saving_a_contest_applies_its_own_rules_whoever_calls(contest, staff):
    """The service checks what the forms check: a caller without a form (the API, a script)
    cannot save a contest that closes before it opens."""
    title = contest.title
    contest.title = "改过的标题"
    contest.closes_at = contest.opens_at - dt.timedelta(hours=1)
    with pytest.raises(ContestRefused) as refused:
        services.save_contest(contest=contest, actor=staff)
    assert refused.value.field == "closes_at"
    contest.refresh_from_db()
    assert contest.title == title
