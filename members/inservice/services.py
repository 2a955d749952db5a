"""In-service members registering in their community (在职党员到社区报到): registration (one at a
time, or a unit's members in bulk), the community's needs list and its claims, services and their
review, and the quarterly quota.

Invariants: a member has at most one active registration (a partial unique constraint); a need's
`claimed_count` changes only under a row lock on the need and never exceeds its places (a check
constraint); a service is reviewed once (row lock, pending → approved / rejected). Every write is
one transaction with its audit entry. Quarter-end feedback letters live in
`members.inservice.letters`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dated import SpanAlreadyEnded, SpanDateRefused, close_span
from accounts.errors import Conflict, DomainError
from accounts.models import User
from accounts.services import record_audit
from branches.models import CoBuildingUnit, Community, Organization
from config.periods import Period, period_containing
from members import extensions
from members.errors import ImportRejected
from members.identity import hash_id_number
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    Member,
    MemberSettings,
    MembershipState,
    NeedClaim,
    ReviewStatus,
    ServiceKind,
)
from members.querysets import managed_communities

REGISTRATION_MAX_PAST_DAYS = 366
SERVICE_MAX_PAST_DAYS = 366
BULK_MAX_ROWS = 2000
BULK_MAX_BYTES = 2 * 1_048_576


class RegistrationRefused(DomainError):
    """A registration that breaks a rule (member not on the roll, already registered, scope)."""


class RegistrationEnded(Conflict, SpanAlreadyEnded):
    """The registration has already ended (it ends once)."""


class RegistrationEndRefused(RegistrationRefused, SpanDateRefused):
    """The end date is before the registration or after today."""


class ClaimConflict(Conflict):
    """The need is full or closed (someone else took the last place first)."""


class ReviewConflict(Conflict):
    """The service was already reviewed."""


def _may_manage(actor: User | None, community: Community) -> bool:
    return actor is None or managed_communities(actor).filter(pk=community.pk).exists()


def _member_visible(actor: User | None, member: Member) -> bool:
    """The actor keeps the member's record (their scope), or is the member (a bound account)."""
    return (
        actor is None
        or Member.objects.visible_to(actor).filter(pk=member.pk).exists()
        or Member.objects.bound_to(actor).filter(pk=member.pk).exists()
    )


def _check_registration(
    *,
    actor: User | None,
    member: Member,
    community: Community,
    registered_on: dt.date,
    employer_name: str,
    employer_unit: CoBuildingUnit | None,
    employer_organization: Organization | None,
) -> str:
    """The rules of one registration; returns the employer name to store."""
    if not (_member_visible(actor, member) or _may_manage(actor, community)):
        raise RegistrationRefused(
            _("You can register only your own members, or members with your community."),
            field="member",
        )
    if member.state != MembershipState.ACTIVE:
        raise RegistrationRefused(_("Only a member on the roll can register."), field="member")
    today = timezone.localdate()
    if registered_on > today:
        raise RegistrationRefused(
            _("The registration date cannot be in the future."), field="registered_on"
        )
    if registered_on < today - dt.timedelta(days=REGISTRATION_MAX_PAST_DAYS):
        raise RegistrationRefused(
            _("The registration date is more than a year ago."), field="registered_on"
        )
    name = (employer_name or "").strip()
    if not name:
        name = (
            employer_unit.name
            if employer_unit
            else member.work_unit or (employer_organization or member.organization).name
        )
    if not name:
        raise RegistrationRefused(_("Name the member's employer."), field="employer_name")
    if employer_unit is not None and employer_unit.sub_district_id != community.sub_district_id:
        raise RegistrationRefused(
            _("The employer unit is not a co-building unit of the community's sub-district."),
            field="employer_unit",
        )
    return name[:100]


@transaction.atomic
def register_member(
    *,
    actor: User | None,
    member: Member,
    community: Community,
    registered_on: dt.date,
    employer_name: str = "",
    employer_unit: CoBuildingUnit | None = None,
    employer_organization: Organization | None = None,
    skills: str = "",
    preferred_service: str = "",
) -> CommunityRegistration:
    """Register an in-service member with the community where they live.

    A member registers with one community at a time: an active registration elsewhere must be
    ended first (the partial unique constraint refuses a second one even under a race). When no
    employer party organisation is named, the branch keeping the member's record is taken.
    """
    name = _check_registration(
        actor=actor,
        member=member,
        community=community,
        registered_on=registered_on,
        employer_name=employer_name,
        employer_unit=employer_unit,
        employer_organization=employer_organization,
    )
    if preferred_service and preferred_service not in ServiceKind.values:
        raise RegistrationRefused(_("Choose a kind of service."), field="preferred_service")
    registration = CommunityRegistration(
        member=member,
        community=community,
        employer_name=name,
        employer_unit=employer_unit,
        employer_organization=employer_organization
        or (member.organization if employer_unit is None else None),
        registered_on=registered_on,
        skills=skills.strip()[:200],
        preferred_service=preferred_service,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        current = CommunityRegistration.objects.active().filter(member=member).first()
        raise RegistrationRefused(
            _("%(member)s is already registered with %(community)s; end that registration first.")
            % {"member": member.full_name, "community": current.community if current else "?"},
            field="member",
        ) from None
    record_audit(
        actor=actor,
        action="members.register_in_community",
        target=registration,
        data={"member": member.pk, "community": community.pk},
    )
    return registration


@transaction.atomic
def end_registration(
    *, actor: User | None, registration: CommunityRegistration, ended_on: dt.date, reason: str = ""
) -> CommunityRegistration:
    """End a registration (moved house, changed job); the row stays as history."""
    out_of_range = _("The end date lies between the registration date and today.")
    registration = close_span(
        registration,
        day=ended_on,
        already=_("This registration has already ended."),
        before=out_of_range,
        future=out_of_range,
        extra={"end_reason": reason.strip()[:200]},
        errors=(RegistrationEnded, RegistrationEndRefused),
    )
    record_audit(actor=actor, action="members.end_registration", target=registration)
    return registration


@transaction.atomic
def register_members_in_bulk(
    *,
    actor: User | None,
    members: list[Member],
    community: Community,
    registered_on: dt.date,
    employer_name: str = "",
    employer_unit: CoBuildingUnit | None = None,
    employer_organization: Organization | None = None,
) -> list[CommunityRegistration]:
    """A unit registers many of its members with one community at once (双报到).

    All or nothing: every member is checked, and one refusal writes nothing and raises
    `ImportRejected` listing each member's problem.
    """
    errors: list[dict[str, object]] = []
    done: list[CommunityRegistration] = []
    if not members:
        raise ImportRejected(_("Choose at least one member."), errors=[])
    for index, member in enumerate(members, start=1):
        try:
            with transaction.atomic():
                done.append(
                    register_member(
                        actor=actor,
                        member=member,
                        community=community,
                        registered_on=registered_on,
                        employer_name=employer_name,
                        employer_unit=employer_unit,
                        employer_organization=employer_organization,
                    )
                )
        except DomainError as exc:
            errors.append({"row": index, "column": member.full_name, "message": exc.message})
    if errors:
        transaction.set_rollback(True)
        raise ImportRejected(
            _("Nothing was registered: %(count)d members have problems.") % {"count": len(errors)},
            errors=errors,
        )
    record_audit(
        actor=actor,
        action="members.register_in_bulk",
        target=community,
        data={"count": len(done), "employer": done[0].employer_name if done else ""},
    )
    return done


# The bulk-registration workbook: one member per row, found by ID number among those visible.
BULK_HEADINGS = ["身份证号", "姓名", "报到社区", "报到日期", "特长", "服务意向"]


def bulk_template() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "在职党员报到"
    sheet.append(BULK_HEADINGS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def import_registrations(
    *,
    actor: User,
    upload: BinaryIO,
    size: int | None,
    name: str = "",
    employer_name: str = "",
    employer_unit: CoBuildingUnit | None = None,
    employer_organization: Organization | None = None,
    on_written: Callable[[int], Any] | None = None,
) -> list[CommunityRegistration]:
    """Register the members listed in an XLSX or CSV file (headings `BULK_HEADINGS`): every row
    is checked (member found by ID number among the members the user may see, community of the
    user's reach, date, service kind); the import is all-or-nothing with errors by row.

    `on_written(count)` is called inside the transaction that writes the registrations (a
    background job records its end there)."""
    from members.roster import _parse_date
    from members.tabular import Budget, open_table

    budget = Budget.from_settings(max_bytes=BULK_MAX_BYTES, max_rows=BULK_MAX_ROWS)
    with open_table(upload, name=name, width=len(BULK_HEADINGS), budget=budget) as table:
        header = table.header[: len(BULK_HEADINGS)]
        if header != BULK_HEADINGS:
            raise ImportRejected(
                _("The headings of the first row do not match the template."), errors=[]
            )
        parsed, errors = _parse_registration_rows(actor, table.rows(), _parse_date)
    if not parsed and not errors:
        raise ImportRejected(_("The file has no member rows under the headings."), errors=[])
    return _register_parsed(
        actor=actor,
        parsed=parsed,
        errors=errors,
        employer_name=employer_name,
        employer_unit=employer_unit,
        employer_organization=employer_organization,
        on_written=on_written,
    )


def _parse_registration_rows(
    actor: User, rows: Any, _parse_date: Any
) -> tuple[list[tuple[int, str, dict[str, Any]]], list[dict[str, object]]]:
    communities = {
        c.name: c
        for c in Community.objects.filter(
            sub_district__in=Organization.objects.visible_to(actor).values("sub_district")
        )
    }
    kinds = {str(label): value for value, label in ServiceKind.choices}
    kinds.update({value: value for value in ServiceKind.values})
    errors: list[dict[str, object]] = []
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    hashes: dict[str, int] = {}
    for number, cells in rows:
        texts = [_cell(c) for c in cells]

        def fail(column: str, message: str, number: int = number) -> None:
            errors.append({"row": number, "column": column, "message": message})

        id_number = texts[0].upper()
        if not id_number:
            fail("身份证号", _("This field is required."))
        elif id_number in hashes:
            fail("身份证号", _("Same ID number as row %(row)d.") % {"row": hashes[id_number]})
        else:
            hashes[id_number] = number
        community = communities.get(texts[2])
        if community is None:
            fail("报到社区", _("No community of this name within your sub-district."))
        try:
            registered_on = _parse_date(cells[3]) if texts[3] else timezone.localdate()
        except (ValueError, TypeError):
            fail("报到日期", _("Not a date (use 2024-03-01)."))
            registered_on = None
        kind = kinds.get(texts[5], None) if texts[5] else ""
        if kind is None:
            fail("服务意向", _("Not one of the kinds of service."))
        parsed.append(
            (
                number,
                id_number,
                {
                    "community": community,
                    "registered_on": registered_on,
                    "skills": texts[4],
                    "preferred_service": kind or "",
                    "name": texts[1],
                },
            )
        )
    return parsed, errors


def _register_parsed(
    *,
    actor: User,
    parsed: list[tuple[int, str, dict[str, Any]]],
    errors: list[dict[str, object]],
    employer_name: str,
    employer_unit: CoBuildingUnit | None,
    employer_organization: Organization | None,
    on_written: Callable[[int], Any] | None,
) -> list[CommunityRegistration]:
    members = {
        m.id_number_hash: m
        for m in Member.objects.visible_to(actor).filter(
            id_number_hash__in=[hash_id_number(i) for _n, i, _d in parsed if i]
        )
    }
    done: list[CommunityRegistration] = []
    with transaction.atomic():
        for number, id_number, data in parsed:
            member = members.get(hash_id_number(id_number)) if id_number else None
            if id_number and member is None:
                errors.append(
                    {
                        "row": number,
                        "column": "身份证号",
                        "message": _("No member with this ID number among your members."),
                    }
                )
                continue
            if member and data["name"] and data["name"] != member.full_name:
                errors.append(
                    {
                        "row": number,
                        "column": "姓名",
                        "message": _("The name does not match the record of this ID number."),
                    }
                )
                continue
            if member is None or data["community"] is None or data["registered_on"] is None:
                continue
            try:
                with transaction.atomic():
                    done.append(
                        register_member(
                            actor=actor,
                            member=member,
                            community=data["community"],
                            registered_on=data["registered_on"],
                            employer_name=employer_name,
                            employer_unit=employer_unit,
                            employer_organization=employer_organization,
                            skills=data["skills"],
                            preferred_service=data["preferred_service"],
                        )
                    )
            except DomainError as exc:
                errors.append({"row": number, "column": "", "message": exc.message})
        if errors:
            transaction.set_rollback(True)
        else:
            record_audit(
                actor=actor, action="members.import_registrations", data={"count": len(done)}
            )
            if on_written is not None:
                on_written(len(done))
    if errors:
        errors.sort(key=lambda e: (int(str(e["row"])), str(e["column"])))
        raise ImportRejected(
            _("Nothing was registered: the file has %(count)d errors.") % {"count": len(errors)},
            errors=errors,
        )
    return done


# --- Needs and claims ---------------------------------------------------------------------------


@transaction.atomic
def post_need(
    *,
    actor: User | None,
    community: Community,
    title: str,
    needed_by: dt.date,
    slots: int,
    description: str = "",
) -> CommunityNeed:
    """The community publishes one item of its needs list for in-service members."""
    if not _may_manage(actor, community):
        raise DomainError(_("You cannot post needs for this community."), field="community")
    if not title.strip():
        raise DomainError(_("Say what is needed."), field="title")
    if needed_by < timezone.localdate():
        raise DomainError(_("The date needed by cannot be in the past."), field="needed_by")
    if not 1 <= slots <= 200:
        raise DomainError(_("Between 1 and 200 people."), field="slots")
    need = CommunityNeed.objects.create(
        community=community,
        title=title.strip()[:100],
        description=description.strip(),
        needed_by=needed_by,
        slots=slots,
        created_by=actor,
    )
    record_audit(actor=actor, action="members.post_need", target=need)
    return need


@transaction.atomic
def claim_need(
    *, actor: User | None, need: CommunityNeed, registration: CommunityRegistration
) -> NeedClaim:
    """A registered member takes one place of a community need.

    The need row is locked first, so of two claims for the last place exactly one wins and the
    other gets a `ClaimConflict` (409); the check constraint on `claimed_count` backs this up.
    """
    if not (_member_visible(actor, registration.member) or _may_manage(actor, need.community)):
        raise DomainError(_("You cannot claim for this member."), field="registration")
    if registration.ended_on is not None or registration.community_id != need.community_id:
        raise DomainError(
            _("Only members registered with this community can claim its needs."),
            field="registration",
        )
    locked = CommunityNeed.objects.select_for_update().get(pk=need.pk)
    if locked.is_closed or locked.needed_by < timezone.localdate():
        raise ClaimConflict(_("This need is closed."))
    if NeedClaim.objects.filter(need=locked, registration=registration).exists():
        raise ClaimConflict(_("This member has already claimed this need."))
    if locked.claimed_count >= locked.slots:
        raise ClaimConflict(_("Every place of this need has been taken."))
    claim = NeedClaim.objects.create(need=locked, registration=registration, created_by=actor)
    CommunityNeed.objects.filter(pk=locked.pk).update(claimed_count=F("claimed_count") + 1)
    record_audit(
        actor=actor,
        action="members.claim_need",
        target=locked,
        data={"member": registration.member_id},
    )
    return claim


# --- Services and their review ------------------------------------------------------------------


@transaction.atomic
def record_service(
    *,
    actor: User | None,
    member: Member,
    served_on: dt.date,
    hours: Decimal,
    description: str,
    need: CommunityNeed | None = None,
    photo: bytes | None = None,
) -> CommunityService:
    """Record a service an in-service member did for the community they are registered with.

    Entered by the member's secretary, by the community or by the member (党员端, with a photo
    already checked and re-encoded by the page); it counts once the community's secretary
    approves it.
    """
    registration = (
        CommunityRegistration.objects.filter(member=member)
        .during(served_on, served_on)
        .select_related("community")
        .order_by("-registered_on")
        .first()
    )
    if registration is None:
        raise DomainError(
            _("The member was not registered with a community on that day."), field="served_on"
        )
    if not (_member_visible(actor, member) or _may_manage(actor, registration.community)):
        raise DomainError(_("You cannot record services for this member."), field="member")
    today = timezone.localdate()
    if served_on > today:
        raise DomainError(_("The service date cannot be in the future."), field="served_on")
    if served_on < today - dt.timedelta(days=SERVICE_MAX_PAST_DAYS):
        raise DomainError(_("The service date is more than a year ago."), field="served_on")
    if not Decimal("0.5") <= hours <= Decimal("24"):
        raise DomainError(_("Hours lie between 0.5 and 24."), field="hours")
    if not description.strip():
        raise DomainError(_("Say what was done."), field="description")
    if need is not None and need.community_id != registration.community_id:
        raise DomainError(_("The need belongs to another community."), field="need")
    service = CommunityService.objects.create(
        member=member,
        community=registration.community,
        registration=registration,
        need=need,
        served_on=served_on,
        hours=hours,
        description=description.strip()[:300],
        created_by=actor,
    )
    if photo:
        service.photo.save(f"{secrets.token_hex(16)}.jpg", ContentFile(photo), save=True)
    record_audit(actor=actor, action="members.record_service", target=service)
    return service


@transaction.atomic
def review_service(
    *, actor: User | None, service: CommunityService, approve: bool, reason: str = ""
) -> CommunityService:
    """The community's secretary approves a service, or rejects it with a reason. Once only."""
    if not _may_manage(actor, service.community):
        raise DomainError(_("Only the community reviews its services."), field="service")
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    locked = CommunityService.objects.select_for_update().get(pk=service.pk)
    if locked.status != ReviewStatus.PENDING:
        raise ReviewConflict(_("This service has already been reviewed."))
    locked.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    locked.review_reason = reason[:200]
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    extensions.records_changed(member_ids=[locked.member_id], days=[locked.served_on])
    record_audit(
        actor=actor, action="members.review_service", target=locked, data={"status": locked.status}
    )
    return locked


# --- The quarterly quota ------------------------------------------------------------------------


def current_quarter(today: dt.date | None = None) -> Period:
    return period_containing(today or timezone.localdate(), "quarter")


def _volunteer_services(period: Period) -> QuerySet[Any]:
    """Credited volunteer service in `period`, per member (`volunteers/inservice.py`, registered
    in `members.extensions`: volunteers sits above members)."""
    return extensions.volunteer_credit().per_member(period)


def with_progress(qs: QuerySet[CommunityRegistration], period: Period) -> QuerySet[Any]:
    """Annotate each registration with its member's approved services, hours and credited
    volunteer services in `period`, and the quota of the community's sub-district: subqueries
    in one SQL query, so a page of the list costs the same whatever its length."""
    community = (
        CommunityService.objects.approved()
        .between(period.start, period.end)
        .filter(member_id=OuterRef("member_id"))
        .values("member_id")
    )
    quota = MemberSettings.objects.filter(
        sub_district_id=OuterRef("community__sub_district_id")
    ).values("quarterly_service_quota")[:1]
    volunteer = _volunteer_services(period)
    return qs.annotate(
        community_services=Coalesce(
            Subquery(community.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        community_hours=Coalesce(
            Subquery(community.annotate(h=Sum("hours")).values("h")[:1]),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        ),
        volunteer_services=Coalesce(
            Subquery(volunteer.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        quota=Coalesce(Subquery(quota), Value(1), output_field=IntegerField()),
    ).annotate(done=F("community_services") + F("volunteer_services"))


def behind(qs: QuerySet[CommunityRegistration], period: Period) -> QuerySet[Any]:
    """Registrations in force during `period` whose member has done fewer services than the
    quota (community services approved + volunteer services credited)."""
    return (
        with_progress(qs.during(period.start, period.end), period)
        .filter(done__lt=F("quota"))
        .select_related("member", "community", "employer_organization")
        .order_by("community__name", "member__full_name", "pk")
    )


@dataclass
class MemberQuarter:
    community_services: list[CommunityService]
    volunteer_services: list[Any]
    hours: Decimal
    quota: int

    @property
    def count(self) -> int:
        return len(self.community_services) + len(self.volunteer_services)

    @property
    def met(self) -> bool:
        return self.count >= self.quota


def member_quarter(registration: CommunityRegistration, period: Period) -> MemberQuarter:
    """One member's quarter: approved community services and credited volunteer services (read
    through `volunteers.querysets.services_for_member`, the contract between the two apps,
    registered in `members.extensions`)."""
    member = registration.member
    community = list(
        CommunityService.objects.approved()
        .between(period.start, period.end)
        .filter(member=member)
        .select_related("community")
        .order_by("served_on", "pk")
    )
    volunteer = list(extensions.volunteer_credit().for_member(member, period.start, period.end))
    minutes = sum(e.credit_minutes + e.honour_minutes for e in volunteer)
    hours = sum((s.hours for s in community), Decimal(0)) + (
        Decimal(minutes) / Decimal(60)
    ).quantize(Decimal("0.1"))
    quota = MemberSettings.for_sub_district(
        registration.community.sub_district_id
    ).quarterly_service_quota
    return MemberQuarter(community, volunteer, hours, quota)
