from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.utils import timezone
from docx import Document

from tests.printed import assert_printed_page
from tests.volunteers.factories import EnrollmentFactory, ServiceActivityFactory
from volunteers.errors import CertificateRefused
from volunteers.models import Certificate, CertificateStatus
from volunteers.services.certificates import build_certificate_file, request_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    starts = timezone.now() - dt.timedelta(days=3)
    activity = ServiceActivityFactory(
        team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), title="健康义诊"
    )
    return EnrollmentFactory(
        activity=activity, volunteer__full_name="陈思远", credit_minutes=120, honour_minutes=30
    )


def test_certificate_is_numbered_and_built_as_docx(served):
    today = timezone.localdate()
    certificate = request_certificate(
        volunteer=served.volunteer,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        actor=None,
    )
    assert certificate.number == f"如意湖志证〔{today.year}〕第0001号"
    assert build_certificate_file(certificate_id=certificate.pk)
    assert not build_certificate_file(certificate_id=certificate.pk)  # idempotent
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.READY
    text = "\n".join(p.text for p in Document(io.BytesIO(certificate.file.read())).paragraphs)
    assert "陈思远" in text and "2.5" in text and "如意湖办事处" in text


def test_certificate_refused_without_hours_or_with_a_bad_period(served):
    today = timezone.localdate()
    with pytest.raises(CertificateRefused, match="no service hours"):
        request_certificate(
            volunteer=served.volunteer,
            period_start=today - dt.timedelta(days=400),
            period_end=today - dt.timedelta(days=300),
            actor=None,
        )
    with pytest.raises(CertificateRefused, match="future"):
        request_certificate(
            volunteer=served.volunteer,
            period_start=today,
            period_end=today + dt.timedelta(days=1),
            actor=None,
        )
    assert not Certificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_certificate_numbers_stay_unique_under_parallel_requests(served):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writes")
    volunteers = [served.volunteer] + [
        EnrollmentFactory(
            activity=served.activity, volunteer__user=None, credit_minutes=60
        ).volunteer
        for _ in range(19)
    ]
    today = timezone.localdate()
    barrier = threading.Barrier(len(volunteers))
    errors: list[Exception] = []

    def run(volunteer):
        try:
            barrier.wait()
            request_certificate(
                volunteer=volunteer,
                period_start=today - dt.timedelta(days=30),
                period_end=today,
                actor=None,
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, 21))


def test_certificate_is_a4_with_chinese_fonts_header_and_page_numbers(served):
    today = timezone.localdate()
    certificate = request_certificate(
        volunteer=served.volunteer,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        actor=None,
    )
    build_certificate_file(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert_printed_page(certificate.file.read(), header=certificate.number)
