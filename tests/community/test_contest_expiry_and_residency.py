"""Attempts that ran out are scored by the beat task (once, whoever comes first: the task or a
page), and a contest may be limited to its own sub-district's residents."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import ResidentProfile
from community.contests import services
from community.contests.models import Attempt, Entrant
from community.errors import ContestRefused
from community.tasks import score_expired_attempts
from tests.accounts.factories import UserFactory
from tests.community.factories import ContestFactory, QuestionFactory
from tests.volunteers.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(sub_district):
    for _ in range(5):
        QuestionFactory(sub_district=sub_district)
    return ContestFactory(sub_district=sub_district)


def _right(attempt):
    return {r.position: r.question.answer for r in attempt.questions.select_related("question")}


def test_the_task_is_in_the_beat_schedule():
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "community.tasks.score_expired_attempts" in tasks
    assert score_expired_attempts.time_limit


def test_the_task_scores_attempts_that_ran_out_once(contest, clock):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    right = _right(attempt)
    services.save_answers(attempt=attempt, user=user, answers={1: right[1]})
    running = services.start_attempt(
        contest=ContestFactory(sub_district=contest.sub_district), user=UserFactory()
    )
    assert score_expired_attempts() == 0  # nothing ran out yet
    clock.advance(minutes=11)
    assert score_expired_attempts() == 2  # both ran out
    attempt.refresh_from_db()
    assert (attempt.score, attempt.submitted_at) == (1, attempt.deadline)
    assert Entrant.objects.get(user=user).best_score == 1
    # A second run, or the page's lazy path afterwards, changes nothing.
    assert score_expired_attempts() == 0
    assert services.finish_overdue(contest=contest) == 0
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert Attempt.objects.get(pk=running.pk).score == 0


def test_the_lazy_path_and_the_task_agree(contest, clock, client):
    user = UserFactory()
    attempt = services.start_attempt(contest=contest, user=user)
    services.save_answers(attempt=attempt, user=user, answers=_right(attempt))
    clock.advance(minutes=11)
    client.force_login(user)
    assert client.get(reverse("public:contest-detail", args=[contest.pk])).status_code == 200
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert score_expired_attempts() == 0
    attempt.refresh_from_db()
    assert attempt.score == 3


def test_a_contest_for_local_residents_refuses_others(contest):
    contest.local_residents_only = True
    contest.save()
    outsider = UserFactory()
    with pytest.raises(ContestRefused, match="本街道"):
        services.start_attempt(contest=contest, user=outsider)
    ResidentProfile.objects.create(user=outsider, community=CommunityFactory())  # elsewhere
    with pytest.raises(ContestRefused, match="本街道"):
        services.start_attempt(contest=contest, user=outsider)
    assert not Attempt.objects.exists()
    local = UserFactory()
    ResidentProfile.objects.create(
        user=local, community=CommunityFactory(sub_district=contest.sub_district)
    )
    assert services.start_attempt(contest=contest, user=local).number == 1


def test_without_the_setting_anyone_signed_in_may_take_part(contest):
    assert services.start_attempt(contest=contest, user=UserFactory()).number == 1
