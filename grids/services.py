"""Every write of grid work: households and their phones, 联系户 and 3+2+1 pairings, visits,
daily screening reports, disputes and their mediation, care visits and campaigns.

Each service is one transaction with its audit entry; a broken rule raises a `GridRefused` whose
message a person can act on, so a refusal writes nothing. Limits (3–5 contact households, 3+2+1)
are checked under a row lock on the member, so two parallel assignments cannot both pass.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import queue_email, record_audit
from activities.uploads import check_upload
from branches.models import Building, Compound, Grid, SubDistrict
from grids import rules
from grids.models import (
    CLOSED_STATUSES,
    AssistancePairing,
    CareCampaign,
    CareFund,
    CareVisit,
    ContactAssignment,
    Dispute,
    DisputeKind,
    DisputeSource,
    DisputeStatus,
    GridRole,
    GridRoleKind,
    GridSettings,
    Household,
    HouseholdVisit,
    MediationSession,
    PairingTier,
    ScreeningReport,
)
from members.identity import decrypt_id_number, encrypt_id_number
from members.models import Member
from members.rules import mask_phone

MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


class GridRefused(DomainError):
    pass


class GridConflict(Conflict):
    pass


def settings_for(sub_district: SubDistrict | int) -> GridSettings:
    """The sub-district's grid settings; the defaults (unsaved) when it has set none."""
    sub_district_id = sub_district if isinstance(sub_district, int) else sub_district.pk
    found = GridSettings.objects.filter(sub_district_id=sub_district_id).first()
    return found or GridSettings(sub_district_id=sub_district_id)


def _settings_of_grid(grid: Grid) -> GridSettings:
    return settings_for(grid.community.sub_district_id)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise GridRefused(_("The date cannot be in the future."), field=field)


# --- Roles ---------------------------------------------------------------------------------------


def assign_grid_role(
    *,
    grid: Grid,
    kind: str,
    started_on: dt.date,
    actor: Any,
    user: Any = None,
    contact_name: str = "",
) -> GridRole:
    """Give a person (an account, or a contact by name) a dated role on a grid. A grid has one
    open leader and one open screening officer: the previous one's role ends the day before."""
    if kind not in GridRoleKind.values:
        raise GridRefused(_("Choose a grid role."), field="kind")
    if user is None and not contact_name.strip():
        raise GridRefused(_("Choose a user account or give a contact name."), field="user")
    with transaction.atomic():
        Grid.objects.select_for_update().get(pk=grid.pk)
        if kind in (GridRoleKind.LEADER, GridRoleKind.SCREENING_OFFICER):
            previous = GridRole.objects.filter(grid=grid, kind=kind, ended_on__isnull=True)
            if previous.filter(started_on__gte=started_on).exists():
                raise GridRefused(
                    _("The current holder of this role started on or after that day."),
                    field="started_on",
                )
            previous.update(ended_on=started_on - dt.timedelta(days=1))
        role = GridRole.objects.create(
            grid=grid,
            kind=kind,
            user=user,
            contact_name=contact_name.strip(),
            started_on=started_on,
        )
        if kind == GridRoleKind.LEADER:
            Grid.objects.filter(pk=grid.pk).update(leader_name=role.person_name)
        record_audit(actor=actor, action="grid.role_assigned", target=role, data={"kind": kind})
    return role


def end_grid_role(*, role: GridRole, ended_on: dt.date, actor: Any) -> GridRole:
    if ended_on < role.started_on:
        raise GridRefused(_("A role cannot end before it started."), field="ended_on")
    with transaction.atomic():
        updated = GridRole.objects.filter(pk=role.pk, ended_on__isnull=True).update(
            ended_on=ended_on
        )
        if not updated:
            raise GridConflict(_("This role has already ended."))
        record_audit(actor=actor, action="grid.role_ended", target=role)
    role.ended_on = ended_on
    return role


# --- Households ----------------------------------------------------------------------------------


def _set_phone(household: Household, raw: str) -> None:
    if not raw:
        household.phone_encrypted = ""
        household.phone_masked = ""
        return
    phone = rules.normalise_phone(raw)
    if phone is None:
        raise GridRefused(
            _("Enter a mobile number of 11 digits or a landline such as 0371-12345678."),
            field="phone",
        )
    household.phone_encrypted = encrypt_id_number(phone)
    household.phone_masked = mask_phone(phone)


def _check_place(grid: Grid, compound: Compound | None, building: Building | None) -> None:
    if compound is not None and compound.community_id != grid.community_id:
        raise GridRefused(_("The compound is not in this grid's community."), field="compound")
    if building is not None and building.community_id != grid.community_id:
        raise GridRefused(_("The building is not in this grid's community."), field="building")


HOUSEHOLD_FIELDS = (
    "compound",
    "building",
    "address",
    "contact_name",
    "note",
    *Household.TAG_FIELDS,
)


def save_household(
    *,
    actor: Any,
    grid: Grid,
    fields: dict[str, Any],
    phone: str | None = None,
    household: Household | None = None,
) -> Household:
    """Create or change a household. `phone=None` keeps the stored phone; "" clears it."""
    if not (fields.get("address") or "").strip():
        raise GridRefused(_("Give the unit and room."), field="address")
    if not (fields.get("contact_name") or "").strip():
        raise GridRefused(_("Give the contact person."), field="contact_name")
    _check_place(grid, fields.get("compound"), fields.get("building"))
    with transaction.atomic():
        creating = household is None
        if household is None:
            household = Household(grid=grid)
        else:
            household = Household.objects.select_for_update().get(pk=household.pk)
            household.grid = grid
        for name in HOUSEHOLD_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(household, name, value.strip() if isinstance(value, str) else value)
        if phone is not None:
            _set_phone(household, phone.strip())
        household.save()
        record_audit(
            actor=actor,
            action="household.created" if creating else "household.changed",
            target=household,
        )
    return household


def reveal_household_phone(
    *, household: Household, actor: Any, ip_address: str | None = None
) -> str:
    """The full phone, for a user holding `grids.reveal_household_phone` who confirmed. Every
    reveal is audited in the same transaction; the number never goes into the audit or a log."""
    if not actor.has_perm("grids.reveal_household_phone"):
        raise PermissionDenied
    if not household.phone_encrypted:
        raise GridRefused(_("No phone is on this household."))
    phone = decrypt_id_number(household.phone_encrypted)
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="household.phone_revealed",
            target=household,
            data={"masked": household.phone_masked},
            ip_address=ip_address,
        )
    return phone


# --- 联系户 and 3+2+1 --------------------------------------------------------------------------


def _lock_member(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def assign_contact(
    *,
    member: Member,
    actor: Any,
    started_on: dt.date,
    household: Household | None = None,
    grid: Grid | None = None,
    road_section: str = "",
) -> ContactAssignment:
    """联系户: give a member a household to contact, or one road section instead. The number of
    open households per member is capped by the settings (3–5); a road section is the whole
    assignment, so it excludes households and another section."""
    road_section = road_section.strip()
    if (household is None) == (not road_section):
        raise GridRefused(
            _("Choose a household or give a road section, not both."), field="household"
        )
    if household is not None:
        grid = household.grid
    if grid is None:
        raise GridRefused(_("Choose the grid of the road section."), field="grid")
    if member.state != "active":
        raise GridRefused(
            _("Only a member on the roll can be assigned households."), field="member"
        )
    limits = _settings_of_grid(grid)
    today = timezone.localdate()
    with transaction.atomic():
        _lock_member(member)
        current = ContactAssignment.objects.filter(member=member).open_on(today)
        if current.exclude(road_section="").exists():
            raise GridRefused(
                _("%(name)s already walks a road section; end it before assigning households.")
                % {"name": member.full_name},
                field="household",
            )
        households = current.filter(household__isnull=False)
        if road_section and households.exists():
            raise GridRefused(
                _(
                    "%(name)s already contacts households; a road section replaces them, "
                    "end them first."
                )
                % {"name": member.full_name},
                field="road_section",
            )
        if household is not None:
            if households.filter(household=household).exists():
                raise GridConflict(
                    _("%(name)s already contacts this household.") % {"name": member.full_name},
                    field="household",
                )
            count = households.count()
            if count >= limits.contact_max_households:
                raise GridRefused(
                    _(
                        "%(name)s already contacts %(count)d households; each member contacts "
                        "at most %(max)d."
                    )
                    % {
                        "name": member.full_name,
                        "count": count,
                        "max": limits.contact_max_households,
                    },
                    field="household",
                )
        assignment = ContactAssignment.objects.create(
            member=member,
            household=household,
            grid=grid,
            road_section=road_section,
            started_on=started_on,
        )
        record_audit(actor=actor, action="household.contact_assigned", target=assignment)
    return assignment


def end_link(*, link: ContactAssignment | AssistancePairing, ended_on: dt.date, actor: Any) -> None:
    if ended_on < link.started_on:
        raise GridRefused(_("It cannot end before it started."), field="ended_on")
    with transaction.atomic():
        if (
            not type(link)
            .objects.filter(pk=link.pk, ended_on__isnull=True)
            .update(ended_on=ended_on)
        ):
            raise GridConflict(_("It has already ended."))
        record_audit(actor=actor, action="household.link_ended", target=link)


def pairing_limit(tier: str, limits: GridSettings) -> int:
    return {
        PairingTier.CADRE: limits.pairing_cadre_households,
        PairingTier.SECRETARY: limits.pairing_secretary_households,
        PairingTier.MEMBER: limits.pairing_member_households,
    }[PairingTier(tier)]


def pair_for_assistance(
    *, member: Member, household: Household, tier: str, started_on: dt.date, actor: Any
) -> AssistancePairing:
    """3+2+1: a leading cadre helps 3 households, a secretary 2, a member 1 (settings); the
    member's tier is that of their open pairings, so a member holds one tier at a time."""
    if tier not in PairingTier.values:
        raise GridRefused(_("Choose the tier."), field="tier")
    limits = _settings_of_grid(household.grid)
    limit = pairing_limit(tier, limits)
    today = timezone.localdate()
    with transaction.atomic():
        _lock_member(member)
        current = AssistancePairing.objects.filter(member=member).open_on(today)
        if current.exclude(tier=tier).exists():
            raise GridRefused(
                _("%(name)s is already paired under another tier.") % {"name": member.full_name},
                field="tier",
            )
        if current.filter(household=household).exists():
            raise GridConflict(
                _("%(name)s already helps this household.") % {"name": member.full_name},
                field="household",
            )
        count = current.count()
        if count >= limit:
            raise GridRefused(
                _("%(name)s already helps %(count)d households; the tier allows %(max)d.")
                % {"name": member.full_name, "count": count, "max": limit},
                field="household",
            )
        pairing = AssistancePairing.objects.create(
            member=member,
            household=household,
            grid=household.grid,
            tier=tier,
            started_on=started_on,
        )
        record_audit(actor=actor, action="household.pairing_made", target=pairing)
    return pairing


def record_household_visit(
    *,
    household: Household,
    actor: Any,
    visited_on: dt.date,
    member: Member | None = None,
    findings: str = "",
    help_given: str = "",
) -> HouseholdVisit:
    """A visit to a household. Help given on a 3+2+1 pairing's visit is linked to the pairing."""
    _not_future(visited_on, "visited_on")
    if visited_on < timezone.localdate() - dt.timedelta(days=366):
        raise GridRefused(_("The visit is more than a year ago."), field="visited_on")
    if not findings.strip() and not help_given.strip():
        raise GridRefused(_("Say what was found or what help was given."), field="findings")
    pairing = None
    if member is not None:
        pairing = (
            AssistancePairing.objects.filter(member=member, household=household)
            .open_on(visited_on)
            .first()
        )
    with transaction.atomic():
        visit = HouseholdVisit.objects.create(
            household=household,
            grid_id=household.grid_id,
            member=member,
            recorded_by=actor,
            pairing=pairing,
            visited_on=visited_on,
            findings=findings.strip(),
            help_given=help_given.strip(),
        )
        record_audit(actor=actor, action="household.visited", target=visit)
    return visit


# --- Daily screening -----------------------------------------------------------------------------


def file_screening_report(
    *,
    grid: Grid,
    officer: Any,
    day: dt.date,
    nothing_found: bool,
    notes: str = "",
    dispute_kind: str = "",
    party_a: str = "",
    party_b: str = "",
) -> ScreeningReport:
    """矛盾排查日报: one per grid and day, filed by a screening officer (or the grid leader)
    holding the role on that day. "Nothing found" is a report. A report that found something
    opens its dispute (source: daily screening, linked to the report) in the same transaction,
    so a finding is never left without a dispute to mediate, and a refused dispute files no
    report."""
    _not_future(day, "day")
    if day < timezone.localdate() - dt.timedelta(days=7):
        raise GridRefused(_("A daily report can be filed at most 7 days late."), field="day")
    allowed = GridRole.objects.open_on(day).filter(
        grid=grid,
        user=officer,
        kind__in=[GridRoleKind.SCREENING_OFFICER, GridRoleKind.LEADER],
    )
    if not allowed.exists():
        raise PermissionDenied
    notes = notes.strip()
    if not nothing_found:
        if not notes:
            raise GridRefused(_("Describe what was found, or tick “nothing found”."), field="notes")
        if dispute_kind not in DisputeKind.values:
            raise GridRefused(_("Choose the type of the dispute found."), field="dispute_kind")
        if not party_a.strip():
            raise GridRefused(_("Name at least one party."), field="party_a")
    try:
        with transaction.atomic():
            report = ScreeningReport.objects.create(
                grid=grid, officer=officer, day=day, nothing_found=nothing_found, notes=notes
            )
            record_audit(actor=officer, action="screening.report_filed", target=report)
            if not nothing_found:
                open_dispute(
                    grid=grid,
                    actor=officer,
                    source=DisputeSource.SCREENING,
                    kind=dispute_kind,
                    party_a=party_a,
                    party_b=party_b,
                    summary=notes,
                    opened_on=day,
                    report=report,
                )
    except IntegrityError:
        raise GridConflict(
            _("The report of %(grid)s for %(day)s has already been filed.")
            % {"grid": grid.name, "day": day.isoformat()},
            field="day",
        ) from None
    return report


def grids_expecting_reports(grids: Any, day: dt.date) -> Any:
    """Grids with a screening officer on `day`: these owe a daily report."""
    return grids.filter(
        pk__in=GridRole.objects.open_on(day)
        .filter(kind=GridRoleKind.SCREENING_OFFICER)
        .values("grid_id")
    )


def missing_reports(grids: Any, day: dt.date) -> Any:
    """The grids (of `grids`) that owed a report on `day` and filed none."""
    return grids_expecting_reports(grids, day).exclude(
        pk__in=ScreeningReport.objects.filter(day=day).values("grid_id")
    )


# --- Disputes ------------------------------------------------------------------------------------


def open_dispute(
    *,
    grid: Grid,
    actor: Any,
    source: str,
    kind: str,
    party_a: str,
    summary: str,
    opened_on: dt.date,
    party_b: str = "",
    report: ScreeningReport | None = None,
    mediator: Any = None,
    mediator_team: Any = None,
) -> Dispute:
    _not_future(opened_on, "opened_on")
    if not party_a.strip():
        raise GridRefused(_("Name at least one party."), field="party_a")
    if not summary.strip():
        raise GridRefused(_("Describe the dispute."), field="summary")
    if mediator is not None and mediator_team is not None:
        raise GridRefused(_("Choose a mediator or a mediation team, not both."), field="mediator")
    if report is not None and report.grid_id != grid.pk:
        raise GridRefused(_("The report is of another grid."), field="report")
    with transaction.atomic():
        dispute = Dispute.objects.create(
            grid=grid,
            report=report,
            source=source,
            kind=kind,
            party_a=party_a.strip(),
            party_b=party_b.strip(),
            summary=summary.strip(),
            opened_on=opened_on,
            mediator=mediator,
            mediator_team=mediator_team,
        )
        record_audit(actor=actor, action="dispute.opened", target=dispute, data={"kind": kind})
    return dispute


def _lock_dispute(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("grid__community").get(pk=dispute.pk)


def record_session(
    *, dispute: Dispute, actor: Any, held_on: dt.date, notes: str
) -> MediationSession:
    """A mediation session; the first one moves an open dispute to "being mediated"."""
    _not_future(held_on, "held_on")
    if not notes.strip():
        raise GridRefused(_("Note what was discussed."), field="notes")
    with transaction.atomic():
        locked = _lock_dispute(dispute)
        if locked.is_closed:
            raise GridConflict(_("This dispute is closed."))
        if held_on < locked.opened_on:
            raise GridRefused(_("A session cannot precede the dispute."), field="held_on")
        session = MediationSession.objects.create(
            dispute=locked, held_on=held_on, notes=notes.strip(), recorded_by=actor
        )
        if locked.status == DisputeStatus.OPEN:
            Dispute.objects.filter(pk=locked.pk).update(status=DisputeStatus.MEDIATING)
        record_audit(actor=actor, action="dispute.session_recorded", target=locked)
    return session


def close_dispute(
    *,
    dispute: Dispute,
    actor: Any,
    outcome: str,
    closed_on: dt.date,
    note: str = "",
    agreement: UploadedFile | None = None,
) -> Dispute:
    """Record the outcome: an agreement signed (its scan attached: a PDF or a photo, by content,
    at most 10 MB), referred to the judicial office, or failed. A follow-up visit falls due
    `follow_up_days` later."""
    if outcome not in CLOSED_STATUSES:
        raise GridRefused(_("Choose the outcome."), field="outcome")
    _not_future(closed_on, "closed_on")
    if outcome == DisputeStatus.AGREED:
        if agreement is None:
            raise GridRefused(_("Attach the scanned signed agreement."), field="agreement")
        check_upload(agreement, max_bytes=MAX_AGREEMENT_BYTES)
    elif agreement is not None:
        raise GridRefused(_("Only a signed agreement has a scan."), field="agreement")
    with transaction.atomic():
        locked = _lock_dispute(dispute)
        if locked.is_closed:
            raise GridConflict(_("This dispute is already closed."))
        if closed_on < locked.opened_on:
            raise GridRefused(_("The outcome cannot precede the dispute."), field="closed_on")
        days = settings_for(locked.grid.community.sub_district_id).follow_up_days
        locked.status = outcome
        locked.closed_on = closed_on
        locked.outcome_note = note.strip()
        locked.follow_up_due_on = rules.follow_up_due(closed_on, days)
        if agreement is not None:
            locked.agreement.save(
                f"agreement-{locked.pk}.{_extension(agreement)}", agreement, save=False
            )
        locked.save()
        record_audit(actor=actor, action="dispute.closed", target=locked, data={"outcome": outcome})
    return locked


def _extension(upload: UploadedFile) -> str:
    from activities.uploads import sniff

    upload.seek(0)
    kind = sniff(upload.read(16)) or ""
    upload.seek(0)
    return {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}.get(kind, "jpg")


def record_follow_up(*, dispute: Dispute, actor: Any, visited_on: dt.date, note: str) -> Dispute:
    _not_future(visited_on, "visited_on")
    if not note.strip():
        raise GridRefused(_("Note what the follow-up visit found."), field="note")
    with transaction.atomic():
        locked = _lock_dispute(dispute)
        if not locked.is_closed:
            raise GridRefused(_("A follow-up visit comes after the outcome."))
        if locked.followed_up_on is not None:
            raise GridConflict(_("The follow-up visit is already recorded."))
        if visited_on < locked.closed_on:
            raise GridRefused(_("The follow-up cannot precede the outcome."), field="visited_on")
        locked.followed_up_on = visited_on
        locked.follow_up_note = note.strip()
        locked.save(update_fields=["followed_up_on", "follow_up_note"])
        record_audit(actor=actor, action="dispute.followed_up", target=locked)
    return locked


def escalate_overdue_disputes(*, today: dt.date | None = None) -> int:
    """Escalate to the sub-district every dispute still unresolved `escalation_days` after it
    was opened, and tell its staff (one email each, listing the disputes by grid, type and
    day, never the parties). The rows are locked, then stamped where `escalated_at IS NULL`:
    each escalation happens and is told once however often the beat runs."""
    today = today or timezone.localdate()
    now = timezone.now()
    total = 0
    configured = dict(GridSettings.objects.values_list("sub_district_id", "escalation_days"))
    default = GridSettings._meta.get_field("escalation_days").default
    for sub_district_id in SubDistrict.objects.values_list("pk", flat=True):
        days = configured.get(sub_district_id, default)
        with transaction.atomic():
            due = list(
                Dispute.objects.select_for_update()
                .filter(
                    grid__community__sub_district_id=sub_district_id,
                    status__in=[DisputeStatus.OPEN, DisputeStatus.MEDIATING],
                    escalated_at__isnull=True,
                    opened_on__lte=rules.escalation_cutoff(today, days),
                )
                .values_list("pk", flat=True)
            )
            if not due:
                continue
            stamped = Dispute.objects.filter(pk__in=due, escalated_at__isnull=True).update(
                escalated_at=now
            )
            total += stamped
            _tell_staff_of_escalations(sub_district_id, due, days)
    return total


def _tell_staff_of_escalations(sub_district_id: int, dispute_ids: list[int], days: int) -> None:
    rows = (
        Dispute.objects.filter(pk__in=dispute_ids)
        .select_related("grid", "grid__community")
        .order_by("opened_on", "pk")
    )
    lines = [
        f"{d.grid.community.name} {d.grid.name} · {d.get_kind_display()} · {d.opened_on:%Y-%m-%d}"
        for d in rows
    ]
    staff = RoleAssignment.objects.filter(
        role=Role.SUB_DISTRICT_STAFF,
        is_active=True,
        sub_district_id=sub_district_id,
        user__is_active=True,
    ).exclude(user__email="")
    subject = _("%(count)d disputes unresolved after %(days)d days") % {
        "count": len(lines),
        "days": days,
    }
    for email in staff.values_list("user__email", flat=True).distinct():
        queue_email(to=email, subject=subject, body="\n".join(lines))


# --- Care visits ---------------------------------------------------------------------------------


def _check_money(amount: Decimal | None, fund: str) -> None:
    """Money is a positive Decimal of yuan with at most two decimals, and always names its
    fund, so the totals per fund add up."""
    if fund and fund not in CareFund.values:
        raise GridRefused(_("Choose the fund from the list."), field="fund")
    if amount is not None:
        if amount <= 0:
            raise GridRefused(_("The amount must be more than zero."), field="amount")
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("10000000"):
            raise GridRefused(
                _("Give the amount in yuan with at most two decimals."), field="amount"
            )
        if not fund:
            raise GridRefused(_("Say from which fund the money came."), field="fund")


def record_care_visit(
    *,
    actor: Any,
    visited_on: dt.date,
    visitors: str,
    given: str = "",
    amount: Decimal | None = None,
    fund: str = "",
    fund_note: str = "",
    member: Member | None = None,
    household: Household | None = None,
    planned: CareVisit | None = None,
) -> CareVisit:
    """慰问: record a care visit, or tick off a planned one of a campaign. Only a member in
    hardship or a household with a tag is visited."""
    _not_future(visited_on, "visited_on")
    if not visitors.strip():
        raise GridRefused(_("Say who visited."), field="visitors")
    fund = fund.strip()
    _check_money(amount, fund)
    with transaction.atomic():
        if planned is not None:
            visit = CareVisit.objects.select_for_update().get(pk=planned.pk)
            if visit.visited_on is not None:
                raise GridConflict(_("This visit is already ticked off."))
        else:
            if (member is None) == (household is None):
                raise GridRefused(_("Choose a member or a household."), field="member")
            if member is not None and not member.in_hardship:
                raise GridRefused(_("This member is not marked in hardship."), field="member")
            if household is not None and not household.in_hardship:
                raise GridRefused(_("This household has no hardship tag."), field="household")
            community_id = household.grid.community_id if household else member.community_id
            if community_id is None:
                raise GridRefused(_("The member has no community on record."), field="member")
            visit = CareVisit(member=member, household=household, community_id=community_id)
        visit.visited_on = visited_on
        visit.visitors = visitors.strip()
        visit.given = given.strip()
        visit.amount = amount
        visit.fund = fund
        visit.fund_note = fund_note.strip()[:100]
        visit.recorded_by = actor
        visit.save()
        record_audit(actor=actor, action="care.visited", target=visit)
    return visit


def plan_campaign(
    *, sub_district: SubDistrict, name: str, starts_on: dt.date, ends_on: dt.date, actor: Any
) -> CareCampaign:
    """A festival campaign (春节慰问): its list is every member in hardship and every tagged
    household of the sub-district, written in two set-based inserts."""
    if not name.strip():
        raise GridRefused(_("Name the campaign."), field="name")
    if ends_on < starts_on:
        raise GridRefused(_("The campaign cannot end before it starts."), field="ends_on")
    with transaction.atomic():
        campaign = CareCampaign.objects.create(
            sub_district=sub_district, name=name.strip(), starts_on=starts_on, ends_on=ends_on
        )
        members = Member.objects.current().filter(
            in_hardship=True, community__sub_district=sub_district
        )
        CareVisit.objects.bulk_create(
            CareVisit(campaign=campaign, member_id=pk, community_id=community_id)
            for pk, community_id in members.values_list("pk", "community_id")
        )
        households = Household.objects.tagged().filter(grid__community__sub_district=sub_district)
        CareVisit.objects.bulk_create(
            CareVisit(campaign=campaign, household_id=pk, community_id=community_id)
            for pk, community_id in households.values_list("pk", "grid__community_id")
        )
        record_audit(actor=actor, action="care.campaign_planned", target=campaign)
    return campaign


def overdue_households(households: Any, today: dt.date) -> Any:
    """Households with an open contact assignment, not visited within `visit_overdue_days`
    of their sub-district's settings (never visited counts as overdue)."""
    from django.db.models import Max

    configured = dict(GridSettings.objects.values_list("sub_district_id", "visit_overdue_days"))
    default = GridSettings._meta.get_field("visit_overdue_days").default
    q = Q(pk__in=[])
    for sub_district_id in set(
        households.values_list("grid__community__sub_district_id", flat=True).distinct()
    ):
        cutoff = rules.overdue_cutoff(today, configured.get(sub_district_id, default))
        q |= Q(grid__community__sub_district_id=sub_district_id) & (
            Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff)
        )
    return (
        households.filter(pk__in=ContactAssignment.objects.open_on(today).values("household_id"))
        .annotate(last_visit=Max("visits__visited_on"))
        .filter(q)
    )
