"""Publishing the weekly ranking (亮赛比) tells the ranked branches' secretaries once, after
commit, with their branch's rank (a redo scan covers a lost message); the public page shows the
published weeks of the sub-districts that opted in, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OutgoingEmail
from assessment.models import AssessmentSettings, RankingWeek
from assessment.services import targets
from assessment.tasks import notify_published_rankings
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory
from tests.points.test_triggers import run_sent, sends

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 6, 1)  # a Monday; the clock is held on 2026-06-10


def ranking_emails():
    return sorted(
        (e.to, e.body) for e in OutgoingEmail.objects.filter(subject__contains="2026-06-01")
    )


def test_publishing_tells_each_secretary_once_with_their_rank(
    sub_district,
    branch,
    other_branch,
    secretary,
    other_secretary,
    staff,
    other_sub_district_branch,
    django_capture_on_commit_callbacks,
):
    MeetingFactory(organization=branch, held_on=WEEK)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        week = targets.publish_ranking(sub_district=sub_district, week_start=WEEK, actor=staff)
    assert ranking_emails() == []  # nothing before the commit
    assert run_sent(callbacks) == ["assessment.tasks.notify_ranking"]
    week.refresh_from_db()
    assert week.notified_at is not None
    sent = ranking_emails()
    assert [to for to, _body in sent] == sorted([secretary.email, other_secretary.email])
    ours = dict(sent)[secretary.email]
    assert branch.name in ours and "第 1 名（共 2 个）" in ours
    assert other_branch.name not in ours  # each secretary reads their own branch's line
    # Once per publication: a second run, or the scan, tells nobody again.
    assert targets.notify_ranking(week.pk) is False
    assert notify_published_rankings() == 0
    assert len(ranking_emails()) == 2


def test_the_scan_tells_the_secretaries_when_the_message_was_lost(
    sub_district, branch, other_branch, secretary, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        week = targets.publish_ranking(sub_district=sub_district, week_start=WEEK, actor=staff)
    assert len(sends(callbacks)) == 1  # the task was to be enqueued after commit; here it is lost
    assert ranking_emails() == []
    assert notify_published_rankings() == 1
    assert notify_published_rankings() == 0
    assert [to for to, _body in ranking_emails()] == [secretary.email]
    assert RankingWeek.objects.get(pk=week.pk).notified_at is not None


def test_an_unpublished_week_is_never_announced(sub_district, branch, secretary):
    week = RankingWeek.objects.create(sub_district=sub_district, week_start=WEEK)
    assert targets.notify_ranking(week.pk) is False
    assert notify_published_rankings() == 0
    assert ranking_emails() == []


def publish(sub_district, staff, week=WEEK):
    return targets.publish_ranking(sub_district=sub_district, week_start=week, actor=staff)


def test_the_public_page_shows_only_opted_in_sub_districts(
    clients, sub_district, branch, other_branch, staff, other_sub_district_branch
):
    url = reverse("public:assessment-ranking")
    publish(sub_district, staff)
    publish(other_sub_district_branch.sub_district, None)
    everyone = dict.fromkeys(
        ("anonymous", "resident", "other_secretary", "secretary", "staff"), 200
    )
    assert_access(clients, url, everyone)
    page = clients["anonymous"].get(url).content.decode()
    assert 'data-testid="ranking-week"' not in page  # nobody opted in
    AssessmentSettings.objects.create(sub_district=sub_district, ranking_public=True)
    page = clients["anonymous"].get(url).content.decode()
    assert page.count('data-testid="ranking-week"') == 1
    assert branch.name in page and other_branch.name in page
    assert other_sub_district_branch.name not in page


def test_the_public_page_shows_the_latest_week_or_the_week_asked_for(
    client, sub_district, branch, staff
):
    AssessmentSettings.objects.create(sub_district=sub_district, ranking_public=True)
    publish(sub_district, staff, WEEK - dt.timedelta(days=7))
    publish(sub_district, staff, WEEK)
    url = reverse("public:assessment-ranking")
    assert "2026-06-01" in client.get(url).content.decode()
    assert "2026-05-25" not in client.get(url).content.decode()
    assert "2026-05-25" in client.get(url, {"week": "2026-05-27"}).content.decode()
    assert client.get(url, {"week": "not a date"}).status_code == 200


def test_the_public_page_reads_a_fixed_number_of_queries(client, sub_district, branch, staff):
    AssessmentSettings.objects.create(sub_district=sub_district, ranking_public=True)
    publish(sub_district, staff)
    url = reverse("public:assessment-ranking")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for n in range(3):
        place = SubDistrictFactory(name=f"测试街道{n}")
        root = OrganizationFactory(sub_district=place)
        OrganizationFactory(parent=root, name=f"测试支部{n}")
        AssessmentSettings.objects.create(sub_district=place, ranking_public=True)
        publish(place, None)
    assert count() == one
