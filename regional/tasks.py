from __future__ import annotations

from celery import shared_task

from regional.services.joint_reminders import send_joint_reminders, warn_missing_joint_meetings


@shared_task(time_limit=300)
def remind_joint_meetings() -> int:
    """Periodic scan: remind liaisons of coming joint meetings and action item deadlines (once
    each)."""
    return send_joint_reminders()


@shared_task(name="regional.tasks.warn_missing_joint_meetings", time_limit=300)
def warn_missing_joint_meetings_scan() -> int:
    """Daily scan: warn when a committee's quarter is about to close with its joint meetings
    not held (once per committee and quarter)."""
    return warn_missing_joint_meetings()
