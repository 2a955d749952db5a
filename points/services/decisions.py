"""Every write a person makes in member points: a manual award or deduction (proposed, then
approved or rejected by someone else who is not the member), the approval of an entry whose rule
asks for one, a change of the rule table, the score the level above gives a branch.

Each is one transaction with its audit entry, and each asks for the ledger to be recomputed
after commit: the ledger itself is never written here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.services import record_audit
from branches.models import Organization, SubDistrict
from members.models import Member
from points import rules
from points.models import (
    EVENT_LABELS,
    BranchScore,
    EntryApproval,
    ManualAward,
    ManualAwardStatus,
    PointEntry,
    PointRule,
)
from points.services.recompute import schedule_member_recompute, schedule_sub_district_recompute
from volunteers.models import Volunteer

MAX_MANUAL_POINTS = Decimal(20)


class PointsRefused(DomainError):
    pass


class AlreadyDecided(Conflict):
    pass


def is_the_member(user: Any, member: Member) -> bool:
    """Whether `user` is the person `member` records: the account bound to the member (党员端),
    the same mobile phone, or a volunteer record that links the two. Nobody decides their own
    points."""
    if user is None or not user.is_authenticated:
        return False
    if Member.objects.bound_to(user).filter(pk=member.pk).exists():
        return True
    if user.phone and member.phone and user.phone == member.phone:
        return True
    return Volunteer.objects.filter(user=user, member=member).exists()


@transaction.atomic
def propose_award(
    *, member: Member, day: dt.date, points: Decimal, reason: str, actor: Any
) -> ManualAward:
    """Propose points a person decides (negative for a deduction). It counts once another person,
    not the member, approves it."""
    reason = reason.strip()
    if not reason:
        raise PointsRefused(_("Give the reason for the award or deduction."), field="reason")
    if points == 0:
        raise PointsRefused(_("The points cannot be zero."), field="points")
    if abs(points) > MAX_MANUAL_POINTS:
        raise PointsRefused(
            _("At most %(max)s points either way.") % {"max": MAX_MANUAL_POINTS}, field="points"
        )
    if day > timezone.localdate():
        raise PointsRefused(_("The day cannot be in the future."), field="day")
    if is_the_member(actor, member):
        raise PointsRefused(_("Nobody can propose points for themselves."), field="member")
    award = ManualAward.objects.create(
        member=member, day=day, points=points, reason=reason[:200], proposed_by=actor
    )
    record_audit(
        actor=actor,
        action="points.award_proposed",
        target=award,
        data={"points": str(points), "day": day.isoformat()},
    )
    return award


@transaction.atomic
def decide_award(*, award: ManualAward, approve: bool, actor: Any, note: str = "") -> ManualAward:
    """Approve or reject a proposed award. The approver is neither the member nor whoever
    proposed it; a decided award stays decided (409)."""
    award = ManualAward.objects.select_for_update().select_related("member").get(pk=award.pk)
    if award.status != ManualAwardStatus.PENDING:
        raise AlreadyDecided(_("This award has already been decided."))
    if is_the_member(actor, award.member):
        raise PointsRefused(_("Nobody can approve points for themselves."))
    if award.proposed_by_id is not None and award.proposed_by_id == getattr(actor, "pk", None):
        raise PointsRefused(_("Someone other than the proposer must decide."))
    note = note.strip()
    if not approve and not note:
        raise PointsRefused(_("Give the reason for rejecting."), field="note")
    award.status = ManualAwardStatus.APPROVED if approve else ManualAwardStatus.REJECTED
    award.decided_by = actor
    award.decided_at = timezone.now()
    award.decision_note = note[:200]
    award.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_audit(
        actor=actor,
        action="points.award_approved" if approve else "points.award_rejected",
        target=award,
        data={"points": str(award.points)},
    )
    if approve:
        schedule_member_recompute([award.member_id], [award.day])
    return award


@transaction.atomic
def approve_entry(*, entry: PointEntry, actor: Any) -> EntryApproval:
    """Approve the points of one source record whose rule needs approval (a good deed). The
    approval is a record of its own: the recomputation reads it, so it outlives the entry's
    rewrites."""
    member = Member.objects.get(pk=entry.member_id)
    if entry.approved:
        raise AlreadyDecided(_("These points already count."))
    if is_the_member(actor, member):
        raise PointsRefused(_("Nobody can approve points for themselves."))
    approval, created = EntryApproval.objects.get_or_create(
        member=member,
        event=entry.event,
        source_kind=entry.source_kind,
        source_id=entry.source_id,
        defaults={"approved_by": actor},
    )
    if not created:
        raise AlreadyDecided(_("These points already count."))
    record_audit(
        actor=actor,
        action="points.entry_approved",
        target=member,
        data={"event": entry.event, "source": f"{entry.source_kind}#{entry.source_id}"},
    )
    schedule_member_recompute([member.pk], [entry.day])
    return approval


@transaction.atomic
def set_rule(
    *,
    sub_district: SubDistrict,
    event: str,
    valid_from: dt.date,
    points: Decimal,
    cap_month: Decimal | None,
    cap_year: Decimal | None,
    needs_approval: bool,
    actor: Any,
    note: str = "",
) -> PointRule:
    """Put a rule in force from `valid_from` (a change in June applies from June: the months
    before keep the row in force then). The same day again replaces that day's row. The
    sub-district's ledger is recomputed from that year on."""
    if event not in EVENT_LABELS:
        raise PointsRefused(_("Unknown event."), field="event")
    for name, cap in (("cap_month", cap_month), ("cap_year", cap_year)):
        if cap is not None and cap < 0:
            raise PointsRefused(_("A cap cannot be negative."), field=name)
    if valid_from < rules.DEFAULT_VALID_FROM:
        raise PointsRefused(_("Choose a later day."), field="valid_from")
    rule, _created = PointRule.objects.update_or_create(
        sub_district=sub_district,
        event=event,
        valid_from=valid_from,
        defaults={
            "points": points,
            "cap_month": cap_month,
            "cap_year": cap_year,
            "needs_approval": needs_approval,
            "note": note.strip()[:200],
        },
    )
    record_audit(
        actor=actor,
        action="points.rule_set",
        target=rule,
        data={"event": event, "from": valid_from.isoformat(), "points": str(points)},
    )
    this_year = timezone.localdate().year
    schedule_sub_district_recompute(
        sub_district.pk, valid_from.year, max(valid_from.year, this_year)
    )
    return rule


@transaction.atomic
def set_branch_score(
    *, organization: Organization, year: int, score: Decimal, reason: str, actor: Any
) -> BranchScore:
    """The score the level above gives a branch for a year (支部创星), with its reason."""
    reason = reason.strip()
    if not reason:
        raise PointsRefused(_("Give the reason for the score."), field="reason")
    if abs(score) > 100:
        raise PointsRefused(_("The score must lie between −100 and 100."), field="score")
    row, _created = BranchScore.objects.update_or_create(
        organization=organization,
        year=year,
        defaults={"score": score, "reason": reason[:200], "set_by": actor},
    )
    record_audit(
        actor=actor,
        action="points.branch_scored",
        target=organization,
        data={"year": year, "score": str(score)},
    )
    return row


class _DryRun(Exception):
    """Carries a preview's figures out of the transaction it rolls back."""


def preview_rule(*, sub_district: SubDistrict, year: int, **rule: Any) -> list[dict[str, Any]]:
    """What a changed rule would do to the year's points before it is saved: a dry run in a
    transaction that is rolled back. The sub-district's year is recomputed as the sources stand
    (before), the rule is put in force as `set_rule` would, recomputed again (after), and every
    write — the rule, the ledger, the audit entry, the queued recomputation — is undone. Per
    branch: members, average points before and after."""
    from points import rankings
    from points.services.recompute import recompute_sub_district

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    branches = Organization.objects.filter(sub_district=sub_district)
    try:
        with transaction.atomic():
            recompute_sub_district(sub_district=sub_district, first=first, last=last)
            before = {row["pk"]: row for row in rankings.branches_ranked(branches, year)}
            set_rule(sub_district=sub_district, actor=None, **rule)
            recompute_sub_district(sub_district=sub_district, first=first, last=last)
            raise _DryRun(rankings.branches_ranked(branches, year))
    except _DryRun as done:
        after = done.args[0]
    return [
        {
            "name": row["name"],
            "members": row["member_count"],
            "before": before.get(row["pk"], {}).get("average", Decimal(0)),
            "after": row["average"],
            "change": row["average"] - before.get(row["pk"], {}).get("average", Decimal(0)),
        }
        for row in after
    ]
