"""Writes of the opinions ledger (民情台账): receive, assign, start, reply, rate, close without a
rating after the local days, merge duplicates, turn into a need or a matter, warn before and
after the deadline.

Every transition locks the opinion's row, checks the state it starts from and refuses any other
with a `LedgerRuleBroken` in Chinese, writing nothing; each writes an `OpinionEvent` (what the
resident follows) and an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.services import notify_user, record_audit
from branches.models import CoBuildingUnit, Community, Grid, Organization, SubDistrict
from governance import rules
from governance.models import (
    CategoryDeadline,
    Channel,
    GovernanceSettings,
    Matter,
    Opinion,
    OpinionEvent,
    OpinionPhoto,
    OpinionState,
)

MAX_PHOTOS = 3


class LedgerRuleBroken(DomainError):
    pass


class WrongState(Conflict):
    pass


def settings_for(sub_district: SubDistrict | int) -> GovernanceSettings:
    sub_district_id = sub_district if isinstance(sub_district, int) else sub_district.pk
    found, _created = GovernanceSettings.objects.get_or_create(sub_district_id=sub_district_id)
    return found


def deadline_days(*, sub_district_id: int, category: str, on: dt.date) -> int:
    """Days to reply for `category` as the sub-district's dated table stood on `on`."""
    row = (
        CategoryDeadline.objects.filter(
            sub_district_id=sub_district_id, category=category, valid_from__lte=on
        )
        .order_by("-valid_from")
        .first()
    )
    return row.days if row is not None else rules.DEFAULT_DEADLINE_DAYS[category]


def _event(opinion: Opinion, state: str, note: str = "") -> None:
    OpinionEvent.objects.create(opinion=opinion, state=state, note=note[:300], at=timezone.now())


def _locked(opinion: Opinion, allowed: Iterable[str], message: str) -> Opinion:
    row = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if row.state not in allowed:
        raise WrongState(message % {"state": row.get_state_display()})
    return row


@transaction.atomic
def receive_opinion(
    *,
    community: Community,
    channel: str,
    category: str,
    title: str,
    text: str,
    place: str = "",
    is_anonymous: bool = False,
    author: User | None = None,
    author_name: str = "",
    forum_attendance: int | None = None,
    photos: list[bytes] | None = None,
    received_on: dt.date | None = None,
    actor: User | None,
) -> Opinion:
    """Enter an opinion into the ledger: from the resident's phone (author = the resident) or
    recorded by staff from a visit, a forum, the suggestion box or the 12345 hotline."""
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise LedgerRuleBroken(_("The day received cannot be in the future."), field="received_on")
    if channel not in Channel.values:
        raise LedgerRuleBroken(_("Choose a channel."), field="channel")
    if category not in rules.DEFAULT_DEADLINE_DAYS:
        raise LedgerRuleBroken(_("Choose a category."), field="category")
    if not title.strip():
        raise LedgerRuleBroken(_("Give the opinion a short title."), field="title")
    if not text.strip():
        raise LedgerRuleBroken(_("Say what the opinion is."), field="text")
    if channel == Channel.FORUM and not forum_attendance:
        raise LedgerRuleBroken(
            _("Enter how many residents attended the forum."), field="forum_attendance"
        )
    if len(photos or []) > MAX_PHOTOS:
        raise LedgerRuleBroken(
            _("At most %(n)d photos per opinion.") % {"n": MAX_PHOTOS}, field="photos"
        )
    days = deadline_days(
        sub_district_id=community.sub_district_id, category=category, on=received_on
    )
    opinion = Opinion.objects.create(
        sub_district_id=community.sub_district_id,
        community=community,
        channel=channel,
        category=category,
        title=title.strip(),
        text=text.strip(),
        place=place.strip(),
        is_anonymous=is_anonymous,
        author=author,
        author_name=author_name.strip(),
        forum_attendance=forum_attendance if channel == Channel.FORUM else None,
        recorded_by=actor if actor is not None and actor != author else None,
        received_on=received_on,
        deadline=rules.deadline_for(received_on, days),
    )
    import secrets

    from django.core.files.base import ContentFile

    for image in photos or []:
        photo = OpinionPhoto(opinion=opinion)
        photo.image.save(f"{secrets.token_hex(16)}.jpg", ContentFile(image), save=True)
    _event(opinion, OpinionState.RECEIVED)
    record_audit(actor=actor, action="governance.opinion_received", target=opinion)
    return opinion


def _owner_fields(
    *,
    opinion: Opinion,
    organization: Organization | None,
    grid: Grid | None,
    unit: CoBuildingUnit | None,
    office: str,
) -> dict[str, Any]:
    given = [x for x in (organization, grid, unit, office.strip() or None) if x is not None]
    if len(given) != 1:
        raise LedgerRuleBroken(
            _("Choose exactly one owner: a branch, a grid, a co-building unit or an office."),
            field="owner",
        )
    if organization is not None and organization.sub_district_id != opinion.sub_district_id:
        raise LedgerRuleBroken(_("The branch lies in another sub-district."), field="owner")
    if grid is not None and grid.community.sub_district_id != opinion.sub_district_id:
        raise LedgerRuleBroken(_("The grid lies in another sub-district."), field="owner")
    if unit is not None and unit.sub_district_id != opinion.sub_district_id:
        raise LedgerRuleBroken(_("The unit lies in another sub-district."), field="owner")
    return {
        "owner_organization": organization,
        "owner_grid": grid,
        "owner_unit": unit,
        "owner_office": office.strip(),
    }


@transaction.atomic
def assign_opinion(
    *,
    opinion: Opinion,
    organization: Organization | None = None,
    grid: Grid | None = None,
    unit: CoBuildingUnit | None = None,
    office: str = "",
    actor: User | None,
) -> Opinion:
    row = _locked(
        opinion,
        (OpinionState.RECEIVED,),
        _("Only a received opinion can be assigned; this one is %(state)s."),
    )
    for name, value in _owner_fields(
        opinion=row, organization=organization, grid=grid, unit=unit, office=office
    ).items():
        setattr(row, name, value)
    row.state = OpinionState.ASSIGNED
    row.save()
    _event(row, OpinionState.ASSIGNED, _("Handled by %(owner)s") % {"owner": row.owner})
    record_audit(actor=actor, action="governance.opinion_assigned", target=row)
    return row


@transaction.atomic
def start_opinion(*, opinion: Opinion, note: str = "", actor: User | None) -> Opinion:
    row = _locked(
        opinion,
        (OpinionState.ASSIGNED,),
        _("Only an assigned opinion can be taken in hand; this one is %(state)s."),
    )
    row.state = OpinionState.IN_PROGRESS
    row.save(update_fields=["state"])
    _event(row, OpinionState.IN_PROGRESS, note)
    record_audit(actor=actor, action="governance.opinion_started", target=row)
    return row


@transaction.atomic
def reply_to_opinion(*, opinion: Opinion, reply: str, actor: User | None) -> Opinion:
    if not reply.strip():
        raise LedgerRuleBroken(_("Write the reply to the resident."), field="reply")
    row = _locked(
        opinion,
        (OpinionState.IN_PROGRESS,),
        _("Only an opinion in progress can be replied to; this one is %(state)s."),
    )
    row.state = OpinionState.REPLIED
    row.reply = reply.strip()
    row.replied_at = timezone.now()
    row.save(update_fields=["state", "reply", "replied_at"])
    _event(row, OpinionState.REPLIED)
    for resident in _residents_of(row):
        notify_user(
            user=resident,
            subject=_("Your opinion has a reply"),
            body=_("“%(title)s” has been replied to. Please read the reply and rate it.")
            % {"title": row.title},
        )
    record_audit(actor=actor, action="governance.opinion_replied", target=row)
    return row


@transaction.atomic
def rate_reply(*, opinion: Opinion, resident: User, rating: int, comment: str = "") -> Opinion:
    """The resident closes their opinion with a rating of 1–5 and a comment."""
    if opinion.author_id != resident.pk:
        raise LedgerRuleBroken(_("Only the resident who gave the opinion can rate the reply."))
    if not 1 <= int(rating) <= 5:
        raise LedgerRuleBroken(_("Rate the reply from 1 to 5."), field="rating")
    row = _locked(
        opinion,
        (OpinionState.REPLIED,),
        _("Only a replied opinion can be rated; this one is %(state)s."),
    )
    row.state = OpinionState.CLOSED
    row.rating = int(rating)
    row.rating_comment = comment.strip()[:300]
    row.closed_at = timezone.now()
    row.save(update_fields=["state", "rating", "rating_comment", "closed_at"])
    _event(row, OpinionState.CLOSED, _("Rated %(n)d of 5") % {"n": row.rating})
    record_audit(actor=resident, action="governance.opinion_rated", target=row)
    return row


@transaction.atomic
def close_opinion(*, opinion: Opinion, note: str = "", actor: User | None) -> Opinion:
    """Close a replied opinion collected offline (no resident account to rate it). An opinion
    with an account waits for the resident's rating, or for the local days without one, so a
    rating is never cut short by staff."""
    row = _locked(
        opinion,
        (OpinionState.REPLIED,),
        _("Only a replied opinion can be closed; this one is %(state)s."),
    )
    if row.author_id is not None:
        raise LedgerRuleBroken(
            _(
                "The resident rates the reply; it closes by itself if they do not "
                "within the local days."
            ),
            field="state",
        )
    row.state = OpinionState.CLOSED
    row.closed_at = timezone.now()
    row.save(update_fields=["state", "closed_at"])
    _event(row, OpinionState.CLOSED, note or _("Closed after the reply was given offline"))
    record_audit(actor=actor, action="governance.opinion_closed", target=row)
    return row


@transaction.atomic
def close_unrated_opinions(*, sub_district: SubDistrict | None = None) -> int:
    """Close, without a rating, the replied opinions whose residents did not rate within the
    local days. Set-based per sub-district; safe to run twice (the state is in the WHERE)."""
    now = timezone.now()
    total = 0
    sub_districts = (
        [sub_district]
        if sub_district is not None
        else SubDistrict.objects.filter(opinions__state=OpinionState.REPLIED).distinct()
    )
    for place in sub_districts:
        days = settings_for(place).auto_close_days
        due = Opinion.objects.filter(
            sub_district=place,
            state=OpinionState.REPLIED,
            replied_at__lte=now - dt.timedelta(days=days),
        )
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            continue
        closed = Opinion.objects.filter(pk__in=ids, state=OpinionState.REPLIED).update(
            state=OpinionState.CLOSED, closed_at=now
        )
        note = _("Closed without a rating after %(n)d days") % {"n": days}
        OpinionEvent.objects.bulk_create(
            [
                OpinionEvent(opinion_id=pk, state=OpinionState.CLOSED, note=note, at=now)
                for pk in ids
            ]
        )
        record_audit(
            actor=None,
            action="governance.opinions_auto_closed",
            target=place,
            data={"count": closed},
        )
        total += closed
    return total


def _residents_of(opinion: Opinion) -> list[User]:
    """The residents who follow `opinion`: its author and the authors merged into it."""
    people = {opinion.author} if opinion.author is not None else set()
    people.update(
        d.author for d in opinion.duplicates.select_related("author") if d.author is not None
    )
    return sorted(people, key=lambda u: u.pk)


@transaction.atomic
def merge_opinions(*, duplicate: Opinion, into: Opinion, actor: User | None) -> Opinion:
    """Merge a duplicate into the opinion that stays; both residents are told, and the
    duplicate's resident follows the one that stays."""
    if duplicate.pk == into.pk:
        raise LedgerRuleBroken(_("An opinion cannot be merged into itself."), field="into")
    first, second = sorted([duplicate.pk, into.pk])
    rows = {o.pk: o for o in Opinion.objects.select_for_update().filter(pk__in=[first, second])}
    dup, keep = rows[duplicate.pk], rows[into.pk]
    if dup.sub_district_id != keep.sub_district_id:
        raise LedgerRuleBroken(_("Both opinions must be of the same sub-district."), field="into")
    open_states = (OpinionState.RECEIVED, OpinionState.ASSIGNED, OpinionState.IN_PROGRESS)
    if dup.state not in open_states:
        raise WrongState(
            _("Only an open opinion can be merged; this one is %(state)s.")
            % {"state": dup.get_state_display()}
        )
    if keep.state in (OpinionState.CLOSED, OpinionState.MERGED):
        raise WrongState(
            _("The opinion to keep is %(state)s; choose an open one.")
            % {"state": keep.get_state_display()}
        )
    dup.state = OpinionState.MERGED
    dup.merged_into = keep
    dup.save(update_fields=["state", "merged_into"])
    _event(dup, OpinionState.MERGED, _("Handled together with “%(title)s”") % {"title": keep.title})
    _event(keep, keep.state, _("A duplicate opinion was merged into this one"))
    for person in {p for p in (dup.author, keep.author) if p is not None}:
        notify_user(
            user=person,
            subject=_("Your opinion is handled together with a similar one"),
            body=_("“%(dup)s” and “%(keep)s” are handled as one; you can follow it on your phone.")
            % {"dup": dup.title, "keep": keep.title},
        )
    record_audit(
        actor=actor, action="governance.opinion_merged", target=dup, data={"into": keep.pk}
    )
    return keep


@transaction.atomic
def raise_need_from_opinion(*, opinion: Opinion, committee: Any, actor: User | None) -> Any:
    """Put the opinion on the regional committee's needs list (regional's own service)."""
    from regional.services.joint import add_need

    row = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if row.need_id is not None:
        raise WrongState(_("This opinion is already on the needs list."))
    if row.state in (OpinionState.CLOSED, OpinionState.MERGED):
        raise WrongState(
            _("A %(state)s opinion cannot become a need.") % {"state": row.get_state_display()}
        )
    need = add_need(
        committee=committee,
        community=row.community,
        title=row.title,
        place=row.place,
        description=row.text,
        source="residents",
        actor=actor,
    )
    row.need = need
    row.save(update_fields=["need"])
    _event(row, row.state, _("Put on the needs list of %(c)s") % {"c": committee})
    record_audit(actor=actor, action="governance.opinion_to_need", target=row)
    return need


@transaction.atomic
def link_opinion_to_matter(*, opinion: Opinion, matter: Matter, actor: User | None) -> Opinion:
    row = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if matter.community_id != row.community_id:
        raise LedgerRuleBroken(_("The matter belongs to another community."), field="matter")
    if row.matter_id is not None:
        raise WrongState(_("This opinion already leads to a matter."))
    row.matter = matter
    row.save(update_fields=["matter"])
    _event(row, row.state, _("Taken up as the community matter “%(m)s”") % {"m": matter.title})
    record_audit(actor=actor, action="governance.opinion_to_matter", target=row)
    return row


# --- Deadlines --------------------------------------------------------------------------------


def owner_users(opinion: Opinion) -> list[User]:
    """Who is warned for the owner: the branch's secretaries, the unit's liaisons, the grid's
    leader when the leader has an active account, and otherwise (a grid led by a contact
    without an account, or an office) the sub-district's staff, so a warning always reaches
    someone."""
    if opinion.owner_grid_id:
        from grids.models import GridRole, GridRoleKind

        leaders = list(
            User.objects.filter(
                is_active=True,
                pk__in=GridRole.objects.open_on(timezone.localdate())
                .filter(grid_id=opinion.owner_grid_id, kind=GridRoleKind.LEADER)
                .values("user_id"),
            ).order_by("pk")
        )
        if leaders:
            return leaders
    roles = RoleAssignment.objects.filter(is_active=True, user__is_active=True)
    if opinion.owner_organization_id:
        roles = roles.filter(role=Role.SECRETARY, organization_id=opinion.owner_organization_id)
    elif opinion.owner_unit_id:
        roles = roles.filter(role=Role.UNIT_LIAISON, unit_id=opinion.owner_unit_id)
    else:
        roles = roles.filter(role=Role.SUB_DISTRICT_STAFF, sub_district_id=opinion.sub_district_id)
    return list(User.objects.filter(pk__in=roles.values("user_id")).order_by("pk"))


def warn_due_opinions() -> dict[str, int]:
    """Warn owners once before the deadline (the local days ahead) and once after it. Each warning
    is claimed by a conditional UPDATE on its column, so two scans never warn twice."""
    now = timezone.now()
    today = timezone.localdate()
    sent = {"before": 0, "after": 0}
    open_states = (OpinionState.ASSIGNED, OpinionState.IN_PROGRESS)
    for place_settings in _settings_with_open_opinions():
        ahead = today + dt.timedelta(days=place_settings.warn_days_before)
        base = Opinion.objects.filter(
            sub_district_id=place_settings.sub_district_id, state__in=open_states
        )
        before = base.filter(deadline__gte=today, deadline__lte=ahead, warned_before_at=None)
        after = base.filter(deadline__lt=today, warned_after_at=None)
        for kind, rows, column in (
            ("before", before, "warned_before_at"),
            ("after", after, "warned_after_at"),
        ):
            for pk in list(rows.values_list("pk", flat=True)):
                with transaction.atomic():
                    claimed = Opinion.objects.filter(
                        Q(**{column: None}), pk=pk, state__in=open_states
                    ).update(**{column: now})
                    if claimed != 1:
                        continue
                    opinion = Opinion.objects.select_related(
                        "owner_organization", "owner_grid", "owner_unit"
                    ).get(pk=pk)
                    _warn(opinion, kind)
                    sent[kind] += 1
    return sent


def _settings_with_open_opinions() -> list[GovernanceSettings]:
    ids = (
        Opinion.objects.filter(state__in=(OpinionState.ASSIGNED, OpinionState.IN_PROGRESS))
        .values_list("sub_district_id", flat=True)
        .distinct()
    )
    return [settings_for(pk) for pk in sorted(set(ids))]


def _warn(opinion: Opinion, kind: str) -> None:
    if kind == "before":
        subject = _("An opinion is due soon")
        body = _("“%(title)s” (%(community)s) must be replied to by %(day)s.")
    else:
        subject = _("An opinion is overdue")
        body = _("“%(title)s” (%(community)s) was due on %(day)s and has no reply yet.")
    text = body % {
        "title": opinion.title,
        "community": opinion.community.name,
        "day": opinion.deadline.isoformat(),
    }
    for person in owner_users(opinion):
        notify_user(user=person, subject=subject, body=text)
    record_audit(
        actor=None,
        action="governance.opinion_warned",
        target=opinion,
        data={"kind": kind},
    )


# --- Anonymity --------------------------------------------------------------------------------


def label_authors(opinions: Iterable[Opinion], viewer: Any) -> None:
    """Set `shown_author` on each opinion of a page (the settings read once per sub-district)."""
    allowed: dict[int, bool] = {}
    for opinion in opinions:
        if opinion.sub_district_id not in allowed:
            allowed[opinion.sub_district_id] = settings_for(
                opinion.sub_district_id
            ).anonymous_author_to_sub_district
        opinion.shown_author = author_shown(
            opinion, viewer, sub_district_sees=allowed[opinion.sub_district_id]
        )


def author_shown(opinion: Opinion, viewer: Any, *, sub_district_sees: bool | None = None) -> str:
    """The author's name as `viewer` may see it. An anonymous opinion's author is shown only to
    sub-district staff (when the local setting allows) and to the author."""
    if opinion.author_id is not None and viewer.is_authenticated and viewer.pk == opinion.author_id:
        return str(opinion.author)
    name = str(opinion.author) if opinion.author is not None else opinion.author_name
    if not opinion.is_anonymous:
        return name or "—"
    from accounts.scope import scope_for

    scope = scope_for(viewer)
    if scope.everything:
        return name
    if sub_district_sees is None:
        sub_district_sees = settings_for(opinion.sub_district_id).anonymous_author_to_sub_district
    if opinion.sub_district_id in scope.sub_district_ids and sub_district_sees:
        return name
    return _("Anonymous")
