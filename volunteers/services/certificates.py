"""Volunteer certificates: a number allocated safely, then a DOCX built in the background.

The number is unique per sub-district and year: the next serial comes from a counter row locked
with `select_for_update()`, and a unique constraint on (sub-district, year, serial) backs it up.
The certificate row is saved first and the build is enqueued after commit; building is a job of
`accounts.jobs` (claimed once, a failure retried after a backoff, at most three attempts), and
the periodic scan `build_pending_certificates` hands on whatever the fast path missed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.jobs import JobRunner
from accounts.services import record_audit
from branches.models import SubDistrict
from volunteers import rules
from volunteers.errors import CertificateRefused
from volunteers.models import (
    Certificate,
    CertificateCounter,
    Enrollment,
    Volunteer,
    VolunteerSettings,
)


def settings_for(sub_district: SubDistrict) -> VolunteerSettings:
    """The sub-district's volunteer settings, created with defaults on first use."""
    found, _created = VolunteerSettings.objects.get_or_create(
        sub_district=sub_district,
        defaults={
            "certificate_prefix": rules.default_certificate_prefix(sub_district.name),
            "issuing_body": sub_district.name,
        },
    )
    return found


def allocate_serial(*, sub_district: SubDistrict, year: int) -> int:
    """The next certificate serial of a sub-district's year (call inside a transaction)."""
    CertificateCounter.objects.get_or_create(sub_district=sub_district, year=year)
    counter = CertificateCounter.objects.select_for_update().get(
        sub_district=sub_district, year=year
    )
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


@transaction.atomic
def request_certificate(
    *, volunteer: Volunteer, period_start: dt.date, period_end: dt.date, actor: Any
) -> Certificate:
    """Number a certificate of a volunteer's credited hours over a period and queue its file."""
    from config.celery import send_after_commit

    today = timezone.localdate()
    if period_end < period_start:
        raise CertificateRefused(_("The period must end after it starts."), field="period_end")
    if period_end > today:
        raise CertificateRefused(_("The period cannot end in the future."), field="period_end")
    if (period_end - period_start).days > 366 * 5:
        raise CertificateRefused(
            _("A certificate covers at most five years."), field="period_start"
        )
    services = Enrollment.objects.credited().between(period_start, period_end)
    minutes = services.filter(volunteer=volunteer).minutes()
    if minutes <= 0:
        raise CertificateRefused(_("There are no service hours in this period."))
    sub_district = volunteer.sub_district
    options = settings_for(sub_district)
    year = today.year
    serial = allocate_serial(sub_district=sub_district, year=year)
    certificate = Certificate.objects.create(
        volunteer=volunteer,
        sub_district=sub_district,
        year=year,
        serial=serial,
        number=rules.certificate_number(
            prefix=options.certificate_prefix, year=year, serial=serial
        ),
        period_start=period_start,
        period_end=period_end,
        minutes=minutes,
        issuing_body=options.issuing_body,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        issued_on=today,
    )
    record_audit(actor=actor, action="volunteer_certificate.requested", target=certificate)
    send_after_commit("volunteers.tasks.build_certificate", certificate.pk)
    return certificate


class CertificateJobs(JobRunner[Certificate]):
    """Certificate files, built by `volunteers.tasks.build_certificate` (the life:
    `accounts.jobs`; a claimed certificate stays pending, its `claimed_at` is the lease)."""

    model = Certificate
    task_path = "volunteers.tasks.build_certificate"
    related = ("volunteer", "sub_district")

    def run(self, job: Certificate) -> None:
        from volunteers.documents import certificate_docx

        content = certificate_docx(job)
        with self.completing(job) as built:
            built.file.save(
                f"{built.year}-{built.serial:04d}.docx", ContentFile(content), save=False
            )
            record_audit(actor=None, action="volunteer_certificate.built", target=built)


CERTIFICATE_JOBS = CertificateJobs()


def build_certificate_file(*, certificate_id: int) -> bool:
    """Write the certificate's DOCX exactly once, even if two workers pick it up together.
    Returns False when there was nothing to build (built, failed, or being built)."""
    return CERTIFICATE_JOBS.perform(certificate_id) is not None
