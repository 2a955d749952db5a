"""Quarter-end feedback letters (在职党员到社区报到情况反馈): one DOCX per registered member, for
the party organisation of their employer, built from the records of the quarter.

Idempotent per (member, year, quarter): the `FeedbackLetter` row is the claim (a unique
constraint), its file is written under a row lock only while it is missing, so a rerun, or two
workers at once, never builds a second letter.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from accounts.models import User
from accounts.services import record_audit
from config.documents import document_bytes, new_document
from config.periods import Period, quarter
from members.inservice.services import MemberQuarter, member_quarter
from members.models import CommunityRegistration, FeedbackLetter


def previous_quarter(today: object = None) -> Period:
    from config.periods import period_containing

    day = today or timezone.localdate()
    current = period_containing(day, "quarter")  # type: ignore[arg-type]
    return period_containing(current.start - timezone.timedelta(days=1), "quarter")


def letter_docx(
    registration: CommunityRegistration, period: Period, record: MemberQuarter
) -> bytes:
    """The letter: who, where, the services of the quarter (community and volunteer), hours,
    whether the quota was met; addressed to the employer's party organisation."""
    member = registration.member
    employer_party = (
        registration.employer_organization.name
        if registration.employer_organization
        else (
            registration.employer_unit.party_organization_name
            if registration.employer_unit and registration.employer_unit.party_organization_name
            else registration.employer_name
        )
    )
    number = (period.start.month - 1) // 3 + 1
    with translation.override("zh-hans"):
        document = new_document(
            header=f"{registration.community.sub_district.name}{registration.community.name} · "
            f"{period.start.year}年第{number}季度"
        )
        title = document.add_heading("在职党员到社区报到服务情况反馈函", level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(f"{employer_party}：")
        document.add_paragraph(
            f"贵单位党员 {member.full_name} 同志于 {registration.registered_on:%Y年%m月%d日} 到 "
            f"{registration.community.name} 报到。{period.start.year} 年第 {number} 季度"
            f"（{period.start:%Y年%m月%d日} 至 {period.end:%Y年%m月%d日}），该同志参加社区服务 "
            f"{record.count} 次，累计 {record.hours} 小时；本季度要求至少 {record.quota} 次，"
            + ("已完成。" if record.met else "未完成。")
        )
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ["日期", "类别", "服务内容", "时长（小时）"], strict=True
        ):
            cell.text = text
        for service in record.community_services:
            row = table.add_row().cells
            row[0].text = f"{service.served_on:%Y-%m-%d}"
            row[1].text = "社区服务"
            row[2].text = service.description
            row[3].text = str(service.hours)
        for enrollment in record.volunteer_services:
            row = table.add_row().cells
            activity = enrollment.activity
            row[0].text = f"{timezone.localtime(activity.starts_at):%Y-%m-%d}"
            row[1].text = "志愿服务"
            row[2].text = enrollment.service_note or activity.title
            row[3].text = f"{(enrollment.credit_minutes + enrollment.honour_minutes) / 60:.1f}"
        if not record.community_services and not record.volunteer_services:
            table.add_row().cells[2].text = "本季度无服务记录"
        document.add_paragraph("")
        document.add_paragraph("特此反馈。")
        signer = document.add_paragraph(f"中共{registration.community.name}委员会（党组织）")
        signer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date = document.add_paragraph(f"{timezone.localdate():%Y年%m月%d日}")
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return document_bytes(document)


def build_letter(
    registration: CommunityRegistration, period: Period
) -> tuple[FeedbackLetter, bool]:
    """The letter of one member for one quarter: created once, its file written once.

    Returns (letter, built now)."""
    year, number = period.start.year, (period.start.month - 1) // 3 + 1
    with transaction.atomic():
        try:
            with transaction.atomic():
                letter, _created = FeedbackLetter.objects.get_or_create(
                    member_id=registration.member_id,
                    year=year,
                    quarter=number,
                    defaults={"registration": registration},
                )
        except IntegrityError:  # another worker created it between our get and our insert
            letter = FeedbackLetter.objects.get(
                member_id=registration.member_id, year=year, quarter=number
            )
        letter = FeedbackLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.file:
            return letter, False
        record = member_quarter(registration, period)
        content = letter_docx(registration, period, record)
        letter.services = record.count
        letter.hours = record.hours
        letter.met_quota = record.met
        letter.file.save(
            f"feedback-{year}Q{number}-{registration.member_id}.docx",
            ContentFile(content),
            save=False,
        )
        letter.save(update_fields=["services", "hours", "met_quota", "file"])
        return letter, True


def build_feedback_letters(
    *, year: int, quarter_number: int, sub_district_id: int | None = None, actor: User | None = None
) -> int:
    """Build the missing letters of a quarter for every member registered during it (in one
    sub-district, or all); returns how many were built now. Safe to run again."""
    period = quarter(year, quarter_number)
    registrations = (
        CommunityRegistration.objects.during(period.start, period.end)
        .select_related(
            "member", "community__sub_district", "employer_organization", "employer_unit"
        )
        .order_by("member_id", "-registered_on")
    )
    if sub_district_id is not None:
        registrations = registrations.filter(community__sub_district_id=sub_district_id)
    done = set(
        FeedbackLetter.objects.filter(year=year, quarter=quarter_number)
        .exclude(file="")
        .values_list("member_id", flat=True)
    )
    built = 0
    seen: set[int] = set()
    for registration in registrations.iterator(chunk_size=500):
        if registration.member_id in seen or registration.member_id in done:
            continue
        seen.add(registration.member_id)
        _letter, now = build_letter(registration, period)
        built += int(now)
    if built:
        with transaction.atomic():
            record_audit(
                actor=actor,
                action="members.build_feedback_letters",
                data={"year": year, "quarter": quarter_number, "built": built},
            )
    return built
