from __future__ import annotations

from celery import shared_task

from activities.member_reminders import remind_members_of_make_up, remind_members_of_meetings
from activities.reminders import remind_upcoming_meetings, warn_missing_meetings
from activities.talks import warn_missing_talks


@shared_task(name="activities.tasks.warn_missing_meetings", time_limit=600)
def warn_missing_meetings_scan() -> int:
    """Daily scan: warn secretaries of required meetings still missing as a period closes."""
    return warn_missing_meetings()


@shared_task(name="activities.tasks.remind_upcoming_meetings", time_limit=300)
def remind_upcoming_meetings_scan() -> int:
    """Every few minutes: remind before planned meetings (two lead times, once each)."""
    return remind_upcoming_meetings()


@shared_task(name="activities.tasks.remind_members", time_limit=300)
def remind_members_scan() -> int:
    """Every few minutes: remind each member before their meetings and make-up studies due."""
    return remind_members_of_meetings() + remind_members_of_make_up()


@shared_task(name="activities.tasks.warn_missing_talks", time_limit=600)
def warn_missing_talks_scan() -> int:
    """Daily scan: warn secretaries of required talks still missing as the year closes."""
    return warn_missing_talks()
