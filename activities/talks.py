"""Heart-to-heart talks (谈心谈话): recording a talk, the pairs a branch owes in a year, and the
warning before the year closes with pairs missing.

The required pairs (RULES.md, firm), judged by the branch's members and committee on the year's
last day (or today, for the running year):

- every committee member with every other committee member;
- every committee member with each member they are in charge of (`TalkContact`; a member with no
  contact on the committee is the secretary's);
- every member with at least one other member.

A talk with both people in the branch, held in the year, meets the pair whichever way round it
was recorded. Four queries per call, whatever the number of branches or members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit
from activities.models import LocalSettings, Talk, TalkContact, TalkWarning
from activities.reminders import _notify
from branches.models import Organization, OrganizationKind
from committees.models import CommitteePosition, Position
from config import pagecache
from config.periods import period_containing
from members.models import Member

COMMITTEE_PAIR = "committee"
CONTACT_PAIR = "contact"
PAIR_KINDS = {
    COMMITTEE_PAIR: gettext_lazy("Committee members"),
    CONTACT_PAIR: gettext_lazy("Committee member and a member in their charge"),
}


class TalkRefused(DomainError):
    """A talk that cannot be recorded as given: nothing is written."""


@pagecache.writes_within_organization(lambda kwargs: kwargs["organization"])
@transaction.atomic
def record_talk(
    *,
    organization: Organization,
    first: Member,
    second: Member,
    held_on: dt.date,
    form: str,
    topic: str,
    actor: User | None,
) -> Talk:
    """Record a talk between two members of a branch."""
    if organization.kind not in (OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH):
        raise TalkRefused(_("Talks are recorded for a branch."))
    if first.pk == second.pk:
        raise TalkRefused(_("A talk needs two different people."), field="second")
    if held_on > timezone.localdate():
        raise TalkRefused(_("The date cannot be in the future."), field="held_on")
    if not topic.strip():
        raise TalkRefused(_("Give the topic of the talk."), field="topic")
    on_roll = set(
        Member.objects.in_organization_on(organization.path, held_on)
        .filter(pk__in=[first.pk, second.pk])
        .values_list("pk", flat=True)
    )
    for name, member in (("first", first), ("second", second)):
        if member.pk not in on_roll:
            raise TalkRefused(
                _("%(member)s was not a member of %(org)s on that day.")
                % {"member": member.full_name, "org": organization.name},
                field=name,
            )
    talk = Talk.objects.create(
        organization=organization,
        first=first,
        second=second,
        held_on=held_on,
        form=form,
        topic=topic.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(
        actor=actor,
        action="talk.recorded",
        target=organization,
        data={"talk_id": talk.pk, "members": [first.pk, second.pk]},
    )
    return talk


@dataclass(frozen=True)
class MissingPair:
    kind: str
    first: Member
    second: Member

    @property
    def label(self) -> str:
        return str(PAIR_KINDS[self.kind])


@dataclass
class TalkCompliance:
    """One branch's talks in one year: the required pairs not yet met and the members who have
    talked with nobody."""

    organization: Organization
    year: int
    required_pairs: int = 0
    missing_pairs: list[MissingPair] = field(default_factory=list)
    silent: list[Member] = field(default_factory=list)
    talks: int = 0

    @property
    def met(self) -> bool:
        return not self.missing_pairs and not self.silent

    @property
    def missing_count(self) -> int:
        return len(self.missing_pairs) + len(self.silent)


def judged_on(year: int, today: dt.date) -> dt.date:
    """The day whose members and committee a year is judged by: its last day, or today."""
    return min(dt.date(year, 12, 31), today)


def compliance_for(
    branches: Sequence[Organization], year: int, today: dt.date
) -> dict[int, TalkCompliance]:
    """Talk compliance of each branch (by pk) in `year`: members on the roll of the branch on
    the judging day, its committee that day, the contacts, the year's talks (four queries)."""
    day = judged_on(year, today)
    ids = [branch.pk for branch in branches]
    members: dict[int, dict[int, Member]] = {pk: {} for pk in ids}
    for member in (
        Member.objects.on_roll(day).filter(organization_id__in=ids).order_by("full_name", "pk")
    ):
        members[member.organization_id][member.pk] = member
    committee: dict[int, list[int]] = {pk: [] for pk in ids}
    secretary: dict[int, int] = {}
    for org_id, member_id, position in (
        CommitteePosition.objects.on(day)
        .filter(term__organization_id__in=ids, term__started_on__lte=day)
        .exclude(term__ended_on__lt=day)
        .values_list("term__organization_id", "member_id", "position")
        .order_by("member_id")
    ):
        if member_id in members[org_id]:
            committee[org_id].append(member_id)
            if position == Position.SECRETARY:
                secretary[org_id] = member_id
    contacts = dict(
        TalkContact.objects.filter(member__organization_id__in=ids).values_list(
            "member_id", "committee_member_id"
        )
    )
    talked: dict[int, set[frozenset[int]]] = {pk: set() for pk in ids}
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for org_id, first_id, second_id in Talk.objects.filter(
        organization_id__in=ids, held_on__year=year, held_on__lte=day
    ).values_list("organization_id", "first_id", "second_id"):
        talked[org_id].add(frozenset((first_id, second_id)))
        counts[org_id] += 1

    result = {}
    for branch in branches:
        roll, done = members[branch.pk], talked[branch.pk]
        board = committee[branch.pk]
        on_board = set(board)
        report = TalkCompliance(organization=branch, year=year, talks=counts[branch.pk])
        required: list[tuple[str, int, int]] = [
            (COMMITTEE_PAIR, a, b) for i, a in enumerate(board) for b in board[i + 1 :]
        ]
        for pk in roll:
            if pk in on_board:
                continue
            contact = contacts.get(pk)
            if contact not in on_board:
                contact = secretary.get(branch.pk)
            if contact is not None:
                required.append((CONTACT_PAIR, contact, pk))
        report.required_pairs = len(required)
        report.missing_pairs = [
            MissingPair(kind, roll[a], roll[b])
            for kind, a, b in required
            if frozenset((a, b)) not in done
        ]
        talkers = {pk for pair in done for pk in pair}
        report.silent = [member for pk, member in roll.items() if pk not in talkers]
        result[branch.pk] = report
    return result


def warn_missing_talks(*, today: dt.date | None = None) -> int:
    """Warn a branch's secretaries once, when the year is about to close
    (`LocalSettings.warn_days_before_close`) with required talks missing."""
    today = today or timezone.localdate()
    year = period_containing(today, "year")
    branches = list(
        Organization.objects.active().filter(
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH]
        )
    )
    settings_by_sub_district: dict[int, LocalSettings] = {}
    due = []
    for branch in branches:
        local = settings_by_sub_district.get(branch.sub_district_id)
        if local is None:
            local = settings_by_sub_district[branch.sub_district_id] = (
                LocalSettings.for_sub_district(branch.sub_district_id)
            )
        if year.days_left(today) <= local.warn_days_before_close:
            due.append(branch)
    already = set(
        TalkWarning.objects.filter(year=today.year, organization__in=due).values_list(
            "organization_id", flat=True
        )
    )
    due = [branch for branch in due if branch.pk not in already]
    sent = 0
    for pk, report in compliance_for(due, today.year, today).items():
        if report.met:
            continue
        branch = report.organization
        try:
            with transaction.atomic():
                TalkWarning.objects.create(organization_id=pk, year=today.year)
                with translation.override("zh-hans"):
                    subject = _("%(org)s: heart-to-heart talks missing this year") % {
                        "org": branch.name
                    }
                    body = _(
                        "The year ends on %(end)s; %(pairs)d required pairs have not talked and "
                        "%(silent)d members have talked with nobody."
                    ) % {
                        "end": year.end.isoformat(),
                        "pairs": len(report.missing_pairs),
                        "silent": len(report.silent),
                    }
                _notify(branch, subject, body)
        except IntegrityError:
            continue
        sent += 1
    return sent
