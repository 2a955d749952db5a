"""Inspections (督查) and rectification (整改): checklists, a visit's findings scored per item,
rectification items with owners and deadlines, evidence reviewed and closed, and the scans that
remind an owner once before the deadline and escalate once after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import queue_email, record_audit
from activities.uploads import check_upload
from assessment.errors import InspectionRefused
from assessment.models import (
    AssessmentSettings,
    Checklist,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionKind,
    Rectification,
    RectificationStatus,
)
from branches.models import Organization, OrganizationKind, SubDistrict

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def create_checklist(
    *,
    sub_district: SubDistrict,
    title: str,
    kind: str,
    items: Sequence[tuple[str, Decimal]],
    actor: User | None,
) -> Checklist:
    """A checklist with its items (text, most points), in the order given."""
    title = title.strip()
    if not title:
        raise InspectionRefused(_("Give the checklist a title."), field="title")
    if kind not in InspectionKind.values:
        raise InspectionRefused(_("Unknown kind of inspection."), field="kind")
    cleaned = [(text.strip(), score) for text, score in items if text.strip()]
    if not cleaned:
        raise InspectionRefused(_("A checklist needs at least one item."), field="items")
    if any(score <= 0 for _text, score in cleaned):
        raise InspectionRefused(_("Each item gives more than 0 points."), field="items")
    checklist = Checklist.objects.create(sub_district=sub_district, title=title, kind=kind)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=n, text=text, max_score=score)
        for n, (text, score) in enumerate(cleaned, start=1)
    )
    record_audit(actor=actor, action="assessment.checklist_created", target=checklist)
    return checklist


@transaction.atomic
def record_inspection(
    *,
    checklist: Checklist,
    organization: Organization,
    visited_on: dt.date,
    inspectors: str,
    summary: str,
    scores: Mapping[int, tuple[Decimal, str]],
    actor: User | None,
) -> Inspection:
    """A visit to `organization` with its findings: `scores` maps every item's pk to (points
    given, note). Every item is scored once, within its most points; the visit is not in the
    future; the branch is one of the checklist's sub-district."""
    if organization.sub_district_id != checklist.sub_district_id or organization.kind not in (
        OrganizationKind.BRANCH,
        OrganizationKind.GENERAL_BRANCH,
    ):
        raise InspectionRefused(
            _("Choose a branch of the checklist's sub-district."), field="organization"
        )
    if visited_on > timezone.localdate():
        raise InspectionRefused(_("The visit cannot be in the future."), field="visited_on")
    if not inspectors.strip():
        raise InspectionRefused(_("Name the inspectors."), field="inspectors")
    items = {item.pk: item for item in checklist.items.all()}
    if set(scores) != set(items):
        raise InspectionRefused(_("Score every item of the checklist once."))
    for pk, (score, _note) in scores.items():
        if not Decimal(0) <= score <= items[pk].max_score:
            raise InspectionRefused(
                _("“%(item)s” gives between 0 and %(max)s points.")
                % {"item": items[pk].text, "max": items[pk].max_score}
            )
    inspection = Inspection.objects.create(
        checklist=checklist,
        organization=organization,
        visited_on=visited_on,
        inspectors=inspectors.strip(),
        summary=summary.strip(),
        score=sum((score for score, _note in scores.values()), Decimal(0)),
        max_score=sum((item.max_score for item in items.values()), Decimal(0)),
        recorded_by=actor,
    )
    Finding.objects.bulk_create(
        Finding(inspection=inspection, item_id=pk, score=score, note=note.strip())
        for pk, (score, note) in scores.items()
    )
    record_audit(actor=actor, action="assessment.inspection_recorded", target=inspection)
    return inspection


@transaction.atomic
def add_rectification(
    *,
    inspection: Inspection,
    description: str,
    owner: User,
    deadline: dt.date,
    finding: Finding | None = None,
    actor: User | None,
) -> Rectification:
    description = description.strip()
    if not description:
        raise InspectionRefused(_("Say what must be rectified."), field="description")
    if deadline < inspection.visited_on:
        raise InspectionRefused(_("The deadline is before the visit."), field="deadline")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise InspectionRefused(_("The finding is not one of this inspection."), field="finding")
    if not owner.is_active:
        raise InspectionRefused(_("The owner's account is not active."), field="owner")
    item = Rectification.objects.create(
        inspection=inspection,
        finding=finding,
        description=description,
        owner=owner,
        deadline=deadline,
    )
    record_audit(actor=actor, action="assessment.rectification_added", target=item)
    return item


@transaction.atomic
def submit_evidence(
    *, item: Rectification, text: str, evidence: UploadedFile | None, actor: User
) -> Rectification:
    """The owner's evidence of rectification (a text, a photo or PDF checked by content)."""
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if item.owner_id != actor.pk:
        raise InspectionRefused(_("Only the owner submits the evidence."))
    if item.status == RectificationStatus.CLOSED:
        raise InspectionRefused(_("This rectification is closed."))
    text = text.strip()
    if not text:
        raise InspectionRefused(_("Say what was done."), field="text")
    if evidence is not None:
        check_upload(evidence, max_bytes=MAX_EVIDENCE_BYTES)
        item.evidence.save(evidence.name or "evidence", evidence, save=False)
    item.evidence_text = text
    item.status = RectificationStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.save()
    record_audit(actor=actor, action="assessment.evidence_submitted", target=item)
    return item


@transaction.atomic
def review_rectification(
    *, item: Rectification, accept: bool, note: str = "", actor: User
) -> Rectification:
    """Staff close a rectification on its evidence, or send it back open with a note."""
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if item.status != RectificationStatus.SUBMITTED:
        raise InspectionRefused(_("There is no evidence waiting for review."))
    if not accept and not note.strip():
        raise InspectionRefused(_("Say why the evidence is not enough."), field="note")
    item.review_note = note.strip()
    if accept:
        item.status = RectificationStatus.CLOSED
        item.closed_on = timezone.localdate()
    else:
        item.status = RectificationStatus.OPEN
    item.save(update_fields=["status", "closed_on", "review_note"])
    record_audit(
        actor=actor,
        action="assessment.rectification_closed" if accept else "assessment.evidence_returned",
        target=item,
    )
    return item


def remind_rectification(pk: int) -> bool:
    """Remind the owner once: the row is claimed by a conditional update, so a second run (or
    a second worker) sends nothing. True when this call sent the reminder."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Rectification.objects.filter(
            pk=pk, reminded_at__isnull=True, status=RectificationStatus.OPEN
        ).update(reminded_at=now)
        if claimed != 1:
            return False
        item = Rectification.objects.select_related("owner", "inspection__organization").get(pk=pk)
        if item.owner.email:
            queue_email(
                to=item.owner.email,
                subject=_("Rectification due on %(day)s") % {"day": item.deadline.isoformat()},
                body=_(
                    "The rectification “%(what)s” after the inspection of %(branch)s is due on "
                    "%(day)s. Submit the evidence on the workbench."
                )
                % {
                    "what": item.description,
                    "branch": item.inspection.organization.name,
                    "day": item.deadline.isoformat(),
                },
            )
        record_audit(actor=None, action="assessment.rectification_reminded", target=item)
    return True


def escalate_rectification(pk: int) -> bool:
    """Escalate once a rectification left open past its deadline: the sub-district's staff are
    told (outbox). Claimed by a conditional update: once, whatever the number of runs."""
    from accounts.models import RoleAssignment

    today = timezone.localdate()
    with transaction.atomic():
        claimed = (
            Rectification.objects.filter(pk=pk, escalated_at__isnull=True, deadline__lt=today)
            .exclude(status=RectificationStatus.CLOSED)
            .update(escalated_at=timezone.now())
        )
        if claimed != 1:
            return False
        item = Rectification.objects.select_related("owner", "inspection__organization").get(pk=pk)
        branch = item.inspection.organization
        emails = (
            RoleAssignment.objects.filter(
                role=Role.SUB_DISTRICT_STAFF,
                is_active=True,
                sub_district_id=branch.sub_district_id,
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
            .distinct()
        )
        for email in emails:
            queue_email(
                to=email,
                subject=_("Rectification overdue: %(branch)s") % {"branch": branch.name},
                body=_(
                    "The rectification “%(what)s” owed by %(owner)s since %(day)s is still open."
                )
                % {
                    "what": item.description,
                    "owner": item.owner.full_name or item.owner.username,
                    "day": item.deadline.isoformat(),
                },
            )
        record_audit(actor=None, action="assessment.rectification_escalated", target=item)
    return True


def due_reminders(today: dt.date) -> list[int]:
    """Open rectifications within their sub-district's reminder window, not yet reminded."""
    widest = AssessmentSettings._meta.get_field("reminder_days").validators[-1].limit_value
    rows = (
        Rectification.objects.due_for_reminder(today, widest)
        .values_list("pk", "deadline", "inspection__organization__sub_district_id")
        .order_by("pk")
    )
    days = dict(AssessmentSettings.objects.values_list("sub_district_id", "reminder_days"))
    default = AssessmentSettings().reminder_days
    return [
        pk
        for pk, deadline, sub_district_id in rows
        if deadline <= today + dt.timedelta(days=days.get(sub_district_id, default))
    ]


def overdue(today: dt.date) -> list[int]:
    return list(Rectification.objects.overdue(today).values_list("pk", flat=True).order_by("pk"))


def inspection_scores(organization_ids: Sequence[int], year: int) -> dict[int, Decimal]:
    """Per branch, the per cent of points given over the points possible in the year's
    inspections (one grouped query); the year-end assessment reads it."""
    rows = (
        Inspection.objects.filter(organization_id__in=list(organization_ids), visited_on__year=year)
        .values("organization_id")
        .annotate(got=Sum("score"), possible=Sum("max_score"))
        .order_by()
    )
    return {
        row["organization_id"]: (100 * row["got"] / row["possible"]).quantize(Decimal("0.1"))
        for row in rows
        if row["possible"]
    }
