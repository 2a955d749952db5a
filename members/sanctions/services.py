"""Recording a party sanction: one service, called by the staff page, the admin and the API.

A sanction is dated from the day it takes effect and is never changed afterwards. 留党察看 runs
for one or two years (党章 art. 40) and may not overlap another 留党察看 of the same member;
开除党籍 takes the member off the roll from its day through `set_member_state`, the one way a
member leaves the roll, in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from config.periods import add_years
from members.errors import InvalidMemberData
from members.models import Member, MemberChange, MembershipState, Sanction, SanctionKind
from members.services import log_change, set_member_state

PROBATION_YEARS = (1, 2)


class SanctionRefused(InvalidMemberData):
    """A sanction the rules or the member's record do not allow; nothing is written."""


def probation_end(started_on: dt.date, years: int) -> dt.date:
    """The last day of a 留党察看 of `years` begun on `started_on`: the day before the
    anniversary (a year begun on 1 March 2025 ends on 28 February 2026)."""
    return add_years(started_on, years) - dt.timedelta(days=1)


@transaction.atomic
def record_sanction(
    *,
    member: Member,
    kind: str,
    started_on: dt.date,
    decided_by: str,
    reason: str,
    actor: User | None,
    probation_years: int | None = None,
    document_number: str = "",
) -> Sanction:
    """Record a sanction decided on `member`, in effect from `started_on`.

    Refused: an unknown kind; a day in the future or before the member joined; a member no
    longer on the roll; 留党察看 without a period of one or two years (or a period given for
    another kind); a 留党察看 overlapping one already recorded."""
    if kind not in SanctionKind.values:
        raise SanctionRefused(_("Choose the sanction."), field="kind")
    if not decided_by.strip():
        raise SanctionRefused(_("Name the body that decided the sanction."), field="decided_by")
    if not reason.strip():
        raise SanctionRefused(_("Give the reason for the sanction."), field="reason")
    if started_on > timezone.localdate():
        raise SanctionRefused(
            _("A sanction is recorded once in effect: the date cannot be in the future."),
            field="started_on",
        )
    if kind == SanctionKind.PROBATION:
        if probation_years not in PROBATION_YEARS:
            raise SanctionRefused(
                _("Probation within the party lasts one or two years."), field="probation_years"
            )
    elif probation_years is not None:
        raise SanctionRefused(
            _("Only probation within the party has a period."), field="probation_years"
        )
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.state != MembershipState.ACTIVE:
        raise SanctionRefused(
            _("%(name)s is not on the roll (%(state)s).")
            % {"name": locked.full_name, "state": locked.get_state_display()}
        )
    if locked.joined_on and started_on < locked.joined_on:
        raise SanctionRefused(
            _("The date is before %(name)s joined the party (%(day)s).")
            % {"name": locked.full_name, "day": locked.joined_on.isoformat()},
            field="started_on",
        )
    ended_on = None
    if kind == SanctionKind.PROBATION:
        ended_on = probation_end(started_on, probation_years)  # type: ignore[arg-type]
        overlapping = Sanction.objects.filter(
            member=locked,
            kind=SanctionKind.PROBATION,
            started_on__lte=ended_on,
            ended_on__gte=started_on,
        ).first()
        if overlapping is not None:
            raise SanctionRefused(
                _("%(name)s is already under probation from %(start)s to %(end)s.")
                % {
                    "name": locked.full_name,
                    "start": overlapping.started_on.isoformat(),
                    "end": overlapping.ended_on.isoformat(),  # type: ignore[union-attr]
                },
                field="started_on",
            )
    sanction = Sanction.objects.create(
        member=locked,
        kind=kind,
        started_on=started_on,
        probation_years=probation_years if kind == SanctionKind.PROBATION else None,
        ended_on=ended_on,
        decided_by=decided_by.strip()[:100],
        document_number=document_number.strip()[:60],
        reason=reason.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    label = sanction.get_kind_display()
    log_change(
        member=locked,
        actor=actor,
        action=MemberChange.Action.SANCTION,
        summary=f"{label} · {started_on.isoformat()}",
    )
    if kind == SanctionKind.EXPULSION:
        set_member_state(
            member=locked,
            actor=actor,
            state=MembershipState.LEFT,
            on=started_on,
            reason=str(label),
        )
    record_audit(
        actor=actor,
        action="member.sanction_recorded",
        target=locked,
        data={"kind": kind, "started_on": started_on.isoformat()},
    )
    return sanction
