from __future__ import annotations

from celery import shared_task

from regional.services.joint_reminders import send_joint_reminders


@shared_task(time_limit=300)
def remind_joint_meetings() -> int:
    """Periodic scan: remind liaisons of coming joint meetings and action item deadlines (once
    each)."""
    return send_joint_reminders()
