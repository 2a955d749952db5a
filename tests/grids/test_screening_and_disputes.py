"""Daily screening reports, missing reports, the dispute state machine and escalation timing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import OutgoingEmail
from grids import services
from grids.models import Dispute, DisputeStatus, GridSettings, ScreeningReport
from tests.accounts.factories import UserFactory
from tests.grids.conftest import DAY

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


def test_nothing_found_is_a_report_and_one_per_grid_and_day(grid, officer):
    report = services.file_screening_report(grid=grid, officer=officer, day=DAY, nothing_found=True)
    assert report.nothing_found
    with pytest.raises(services.GridConflict):
        services.file_screening_report(
            grid=grid,
            officer=officer,
            day=DAY,
            nothing_found=False,
            notes="又发现一起",
            dispute_kind="family",
            party_a="张三",
        )
    assert ScreeningReport.objects.count() == 1
    assert not Dispute.objects.exists()


def test_a_report_that_found_something_opens_its_dispute(grid, officer):
    report = services.file_screening_report(
        grid=grid,
        officer=officer,
        day=DAY,
        nothing_found=False,
        notes="3号楼两户因漏水争执",
        dispute_kind="neighbours",
        party_a="张三",
        party_b="李四",
    )
    dispute = Dispute.objects.get()
    assert dispute.report == report and dispute.grid == grid
    assert dispute.source == "screening" and dispute.kind == "neighbours"
    assert dispute.status == DisputeStatus.OPEN and dispute.opened_on == DAY
    assert (dispute.party_a, dispute.party_b, dispute.summary) == ("张三", "李四", report.notes)
    from accounts.models import AuditEntry

    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "screening.report_filed",
        "dispute.opened",
    }


@pytest.mark.parametrize(
    "kind, party_a, field",
    [("", "张三", "dispute_kind"), ("bogus", "张三", "dispute_kind"), ("family", "  ", "party_a")],
)
def test_a_finding_without_its_disputes_type_or_party_writes_nothing(
    grid, officer, kind, party_a, field
):
    with pytest.raises(services.GridRefused) as refused:
        services.file_screening_report(
            grid=grid,
            officer=officer,
            day=DAY,
            nothing_found=False,
            notes="发现纠纷",
            dispute_kind=kind,
            party_a=party_a,
        )
    assert refused.value.field == field
    assert not ScreeningReport.objects.exists() and not Dispute.objects.exists()


def test_a_finding_filed_on_the_phone_page_opens_the_dispute(grid, officer):
    from django.test import Client

    client = Client()
    client.force_login(officer)
    data = {"grid": grid.pk, "notes": "楼上楼下噪音纠纷", "party_a": "王五"}
    response = client.post(reverse("public:grid-home"), data)
    assert response.status_code == 400
    assert "dispute_kind" in response.context["report_form"].errors
    assert not ScreeningReport.objects.exists() and not Dispute.objects.exists()
    response = client.post(reverse("public:grid-home"), {**data, "dispute_kind": "neighbours"})
    assert response.status_code == 302
    report = ScreeningReport.objects.get()
    assert not report.nothing_found
    assert report.disputes.get().party_a == "王五"


def test_only_the_grids_officer_files(grid, other_grid, officer):
    with pytest.raises(PermissionDenied):
        services.file_screening_report(
            grid=other_grid, officer=officer, day=DAY, nothing_found=True
        )
    with pytest.raises(PermissionDenied):
        services.file_screening_report(
            grid=grid, officer=UserFactory(), day=DAY, nothing_found=True
        )
    assert not ScreeningReport.objects.exists()


def test_a_finding_needs_notes_and_the_day_is_not_future(grid, officer):
    with pytest.raises(services.GridRefused):
        services.file_screening_report(grid=grid, officer=officer, day=DAY, nothing_found=False)
    with pytest.raises(services.GridRefused):
        services.file_screening_report(
            grid=grid, officer=officer, day=DAY + dt.timedelta(days=1), nothing_found=True
        )
    assert not ScreeningReport.objects.exists()


def test_missing_reports_show_the_next_morning_with_the_weeks_figure(
    clients, grid, second_grid, other_grid, officer, clock
):
    from branches.models import Grid
    from grids.models import GridRole, GridRoleKind

    GridRole.objects.create(
        grid=other_grid, kind=GridRoleKind.SCREENING_OFFICER, contact_name="某", started_on=DAY
    )
    services.file_screening_report(grid=grid, officer=officer, day=DAY, nothing_found=True)
    # second_grid has no officer: it owes nothing. other_grid owes and did not file.
    assert list(services.missing_reports(Grid.objects.all(), DAY)) == [other_grid]
    clock.set(DAY + dt.timedelta(days=1), 8)
    page = clients["staff"].get(reverse("staff:grid-missing-reports"))
    assert page.status_code == 200
    assert list(page.context["missing"]) == [other_grid]
    # The week before today: grid owed 7 (one filed), other_grid owed 1 (its first day).
    assert page.context["week_owed"] == 8
    assert page.context["week_filed"] == 1
    # The secretary of the first community sees only their community's grids.
    page = clients["secretary"].get(reverse("staff:grid-missing-reports"))
    assert page.context["missing"] == []
    assert page.context["week_owed"] == 7
    page = clients["other_secretary"].get(reverse("staff:grid-missing-reports"))
    assert page.context["missing"] == [other_grid]


def _dispute(grid, staff, opened_on=DAY):
    return services.open_dispute(
        grid=grid,
        actor=staff,
        source="resident",
        kind="neighbours",
        party_a="张三丰",
        party_b="李四",
        summary="楼上漏水",
        opened_on=opened_on,
    )


def test_state_machine_open_mediating_agreed_follow_up(grid, staff, clock):
    dispute = _dispute(grid, staff)
    assert dispute.status == DisputeStatus.OPEN
    services.record_session(dispute=dispute, actor=staff, held_on=DAY, notes="双方陈述")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.MEDIATING
    with pytest.raises(services.GridRefused):  # an agreement needs its scan
        services.close_dispute(dispute=dispute, actor=staff, outcome="agreed", closed_on=DAY)
    fake = SimpleUploadedFile(
        "agreement.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(services.DomainError):  # checked by content, not by name
        services.close_dispute(
            dispute=dispute, actor=staff, outcome="agreed", closed_on=DAY, agreement=fake
        )
    big = SimpleUploadedFile(
        "a.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(services.DomainError):
        services.close_dispute(
            dispute=dispute, actor=staff, outcome="agreed", closed_on=DAY, agreement=big
        )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.MEDIATING and not dispute.agreement
    good = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    closed = services.close_dispute(
        dispute=dispute, actor=staff, outcome="agreed", closed_on=DAY, agreement=good
    )
    assert closed.follow_up_due_on == DAY + dt.timedelta(days=7)
    assert closed.agreement.name.endswith(".pdf")
    with pytest.raises(services.GridConflict):
        services.record_session(dispute=dispute, actor=staff, held_on=DAY, notes="再谈")
    with pytest.raises(services.GridConflict):
        services.close_dispute(dispute=dispute, actor=staff, outcome="failed", closed_on=DAY)
    clock.set(DAY + dt.timedelta(days=3))
    services.record_follow_up(
        dispute=dispute, actor=staff, visited_on=DAY + dt.timedelta(days=3), note="已履行"
    )
    with pytest.raises(services.GridConflict):
        services.record_follow_up(
            dispute=dispute, actor=staff, visited_on=DAY + dt.timedelta(days=3), note="再访"
        )


def test_follow_up_only_after_an_outcome(grid, staff):
    dispute = _dispute(grid, staff)
    with pytest.raises(services.GridRefused):
        services.record_follow_up(dispute=dispute, actor=staff, visited_on=DAY, note="x")


def test_escalation_after_n_days_once(grid, staff, sub_district, clock):
    opened = DAY - dt.timedelta(days=29)
    clock.set(opened)
    waiting = _dispute(grid, staff, opened_on=opened)
    closed = _dispute(grid, staff, opened_on=opened)
    services.close_dispute(dispute=closed, actor=staff, outcome="referred", closed_on=opened)
    clock.set(DAY)  # 29 days on: not yet
    assert services.escalate_overdue_disputes() == 0
    clock.set(DAY + dt.timedelta(days=1), 7)  # 30 days on
    assert services.escalate_overdue_disputes() == 1
    (told,) = OutgoingEmail.objects.filter(to=staff.email)  # the sub-district's staff
    assert "30" in told.subject and grid.name in told.body
    assert "张三丰" not in told.body and "李四" not in told.body  # never the parties
    waiting.refresh_from_db()
    assert waiting.escalated_at == clock.now or waiting.escalated_at is not None
    first = waiting.escalated_at
    clock.advance(days=1)
    assert services.escalate_overdue_disputes() == 0  # each escalation once
    assert OutgoingEmail.objects.filter(to=staff.email).count() == 1
    waiting.refresh_from_db()
    assert waiting.escalated_at == first
    closed.refresh_from_db()
    assert closed.escalated_at is None


def test_escalation_days_are_a_setting(grid, staff, sub_district, clock):
    GridSettings.objects.create(sub_district=sub_district, escalation_days=10)
    clock.set(DAY - dt.timedelta(days=10))
    _dispute(grid, staff, opened_on=DAY - dt.timedelta(days=10))
    clock.set(DAY)
    assert services.escalate_overdue_disputes() == 1
    assert Dispute.objects.filter(escalated_at__isnull=False).count() == 1


def test_dispute_outcome_page_refuses_a_bad_scan_and_writes_nothing(clients, grid, staff):
    dispute = _dispute(grid, staff)
    url = reverse("staff:grid-dispute-action", args=[dispute.pk, "outcome"])
    bad = SimpleUploadedFile("a.pdf", b"hello", content_type="application/pdf")
    response = clients["staff"].post(
        url, {"outcome": "agreed", "closed_on": DAY.isoformat(), "agreement": bad}
    )
    assert response.status_code == 400
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN
    response = clients["other_secretary"].post(
        url, {"outcome": "failed", "closed_on": DAY.isoformat()}
    )
    assert response.status_code == 404
    response = clients["secretary"].post(url, {"outcome": "failed", "closed_on": DAY.isoformat()})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.FAILED
