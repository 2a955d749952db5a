from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import Workbook

from accounts.errors import Conflict
from accounts.models import AuditEntry
from branches.models import Community
from config.periods import period_containing
from members.errors import ImportRejected
from members.inservice import letters
from members.inservice import services as inservice
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    FeedbackLetter,
    MemberSettings,
    NeedClaim,
)
from members.timeline import timeline_for
from tests.access import assert_access
from tests.members.factories import MemberFactory
from tests.printed import assert_printed_page

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def community(sub_district, branch):
    """联盟新城社区, covered by `branch` (whose secretary is `secretary`)."""
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    return community


@pytest.fixture
def worker(other_branch):
    """An in-service member whose record (and employer's party organisation) is `other_branch`."""
    return MemberFactory(organization=other_branch, full_name="在职党员", category="in_service")


@pytest.fixture
def registration(worker, community, other_secretary):
    return inservice.register_member(
        actor=other_secretary,
        member=worker,
        community=community,
        registered_on=TODAY(),
        employer_name="郑州市儿童医院",
    )


def test_registration_defaults_the_employer_party_organisation_and_is_audited(
    registration, other_branch
):
    assert registration.employer_organization == other_branch
    assert AuditEntry.objects.filter(action="members.register_in_community").count() == 1


def test_a_member_registers_with_one_community_at_a_time(
    registration, worker, sub_district, other_secretary
):
    elsewhere = Community.objects.create(sub_district=sub_district, name="天路社区")
    with pytest.raises(inservice.RegistrationRefused) as caught:
        inservice.register_member(
            actor=other_secretary, member=worker, community=elsewhere, registered_on=TODAY()
        )
    assert caught.value.field == "member"
    inservice.end_registration(actor=other_secretary, registration=registration, ended_on=TODAY())
    again = inservice.register_member(
        actor=other_secretary, member=worker, community=elsewhere, registered_on=TODAY()
    )
    assert again.is_active
    assert CommunityRegistration.objects.filter(member=worker).count() == 2  # history kept


@pytest.mark.parametrize(("days", "message"), [(-1, "future"), (400, "more than a year")])
def test_registration_refuses_bad_dates(worker, community, other_secretary, days, message):
    with translation.override("en"), pytest.raises(inservice.RegistrationRefused, match=message):
        inservice.register_member(
            actor=other_secretary,
            member=worker,
            community=community,
            registered_on=TODAY() - dt.timedelta(days=days),
            employer_name="x",
        )
    assert not CommunityRegistration.objects.exists()


def test_ending_a_registration_keeps_its_refusals(registration, other_secretary):
    """Ended by `accounts.dated.close_span`: one message for a day out of range (before the
    registration or after today), a conflict (409) for a registration already ended."""
    end = inservice.end_registration
    for day in (TODAY() - dt.timedelta(days=1), TODAY() + dt.timedelta(days=1)):
        with translation.override("en"), pytest.raises(inservice.RegistrationRefused) as caught:
            end(actor=other_secretary, registration=registration, ended_on=day)
        assert caught.value.message == "The end date lies between the registration date and today."
        assert (caught.value.field, caught.value.status_code) == ("ended_on", 400)
    assert CommunityRegistration.objects.get(pk=registration.pk).is_active
    end(actor=other_secretary, registration=registration, ended_on=TODAY(), reason=" 搬家 ")
    registration.refresh_from_db()
    assert (registration.ended_on, registration.end_reason) == (TODAY(), "搬家")
    with translation.override("en"), pytest.raises(Conflict) as caught:
        end(actor=other_secretary, registration=registration, ended_on=TODAY())
    assert caught.value.message == "This registration has already ended."
    assert caught.value.status_code == 409
    assert AuditEntry.objects.filter(action="members.end_registration").count() == 1


def test_registration_out_of_scope_is_refused(other_sub_district_branch, community, secretary):
    stranger = MemberFactory(organization=other_sub_district_branch)
    other_community = Community.objects.create(
        sub_district=other_sub_district_branch.sub_district, name="鑫苑社区"
    )
    with pytest.raises(inservice.RegistrationRefused):
        inservice.register_member(
            actor=secretary,
            member=stranger,
            community=other_community,
            registered_on=TODAY(),
            employer_name="x",
        )


def test_scope_community_secretary_employer_secretary_and_staff(
    registration, secretary, other_secretary, staff, branch, community
):
    own = MemberFactory(organization=branch)
    theirs = inservice.register_member(
        actor=secretary, member=own, community=community, registered_on=TODAY(), employer_name="x"
    )
    visible = CommunityRegistration.objects.visible_to
    assert set(visible(staff)) == {registration, theirs}
    assert set(visible(secretary)) == {registration, theirs}  # the community's secretary
    assert set(visible(other_secretary)) == {registration}  # the employer's secretary only


def test_bulk_registration_is_all_or_nothing(
    other_branch, community, other_secretary, registration
):
    fresh = [MemberFactory(organization=other_branch, category="in_service") for _ in range(3)]
    with pytest.raises(ImportRejected) as caught:
        inservice.register_members_in_bulk(
            actor=other_secretary,
            members=[*fresh, registration.member],
            community=community,
            registered_on=TODAY(),
            employer_name="郑州市儿童医院",
        )
    assert [e["row"] for e in caught.value.errors] == [4]
    assert CommunityRegistration.objects.count() == 1
    done = inservice.register_members_in_bulk(
        actor=other_secretary,
        members=fresh,
        community=community,
        registered_on=TODAY(),
        employer_name="郑州市儿童医院",
    )
    assert len(done) == 3
    assert AuditEntry.objects.filter(action="members.register_in_bulk").count() == 1


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(inservice.BULK_HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_lists_every_row_error_and_writes_nothing(other_branch, community, other_secretary):
    from tests.members.factories import valid_id

    member = MemberFactory(organization=other_branch, id_number=valid_id(7))
    bad = _xlsx(
        [
            [valid_id(7), member.full_name, "联盟新城社区", "2099-01-01", "", ""],
            [valid_id(8), "无此人", "不存在社区", "not a date", "", "飞行"],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        inservice.import_registrations(actor=other_secretary, upload=bad, size=100)
    columns = {(e["row"], e["column"]) for e in caught.value.errors}
    assert {(3, "报到社区"), (3, "报到日期"), (3, "服务意向"), (3, "身份证号")} <= columns
    assert any(e["row"] == 2 for e in caught.value.errors)  # date in the future
    assert not CommunityRegistration.objects.exists()
    good = _xlsx([[valid_id(7), member.full_name, "联盟新城社区", TODAY(), "摄影", ""]])
    done = inservice.import_registrations(
        actor=other_secretary, upload=good, size=100, employer_name="郑州四十七中"
    )
    assert [r.member for r in done] == [member]


def test_import_refuses_a_file_that_is_not_a_workbook(other_secretary):
    with pytest.raises(ImportRejected, match="Excel"):
        inservice.import_registrations(
            actor=other_secretary, upload=io.BytesIO(b"<script>"), size=8
        )


def _need(actor, community, slots=1):
    return inservice.post_need(
        actor=actor,
        community=community,
        title="楼院清理",
        needed_by=TODAY() + dt.timedelta(days=7),
        slots=slots,
    )


def test_only_the_community_posts_needs(community, secretary, other_secretary):
    with pytest.raises(inservice.DomainError):
        _need(other_secretary, community)
    with translation.override("en"), pytest.raises(inservice.DomainError, match="past"):
        inservice.post_need(
            actor=secretary,
            community=community,
            title="x",
            needed_by=TODAY() - dt.timedelta(days=1),
            slots=1,
        )
    assert not CommunityNeed.objects.exists()


def test_claim_takes_a_place_once(registration, community, secretary, other_secretary):
    need = _need(secretary, community, slots=2)
    inservice.claim_need(actor=other_secretary, need=need, registration=registration)
    with pytest.raises(inservice.ClaimConflict):
        inservice.claim_need(actor=other_secretary, need=need, registration=registration)
    need.refresh_from_db()
    assert need.claimed_count == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_claims_for_the_last_place_exactly_one_wins(
    community, secretary, other_secretary, other_branch
):
    need = _need(secretary, community, slots=1)
    regs = [
        inservice.register_member(
            actor=other_secretary,
            member=MemberFactory(organization=other_branch),
            community=community,
            registered_on=TODAY(),
            employer_name="x",
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(registration):
        from django.db import connections

        try:
            barrier.wait()
            inservice.claim_need(actor=other_secretary, need=need, registration=registration)
            outcomes.append("won")
        except inservice.ClaimConflict:
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001  (shown by the assertion below)
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r,)) for r in regs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    need.refresh_from_db()
    assert need.claimed_count == 1 == NeedClaim.objects.filter(need=need).count()


def _service(actor, member, **extra):
    return inservice.record_service(
        actor=actor,
        member=member,
        served_on=extra.pop("served_on", TODAY()),
        hours=extra.pop("hours", Decimal("2")),
        description=extra.pop("description", "清理楼道"),
        **extra,
    )


def test_service_is_reviewed_once_by_the_community(
    registration, worker, secretary, other_secretary
):
    service = _service(other_secretary, worker)
    with pytest.raises(inservice.DomainError):
        inservice.review_service(actor=other_secretary, service=service, approve=True)
    with pytest.raises(inservice.DomainError) as caught:
        inservice.review_service(actor=secretary, service=service, approve=False)
    assert caught.value.field == "reason"
    inservice.review_service(actor=secretary, service=service, approve=False, reason="重复记录")
    with pytest.raises(inservice.ReviewConflict):
        inservice.review_service(actor=secretary, service=service, approve=True)
    service.refresh_from_db()
    assert service.status == "rejected" and service.review_reason == "重复记录"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("25")}, "hours"),
        ({"description": "  "}, "description"),
        # A callable, so "tomorrow" is taken when the test runs, not when it is collected.
        ({"served_on": lambda: TODAY() + dt.timedelta(days=1)}, "served_on"),
    ],
)
def test_service_refuses_bad_input(registration, worker, other_secretary, extra, field):
    extra = {key: value() if callable(value) else value for key, value in extra.items()}
    with pytest.raises(inservice.DomainError) as caught:
        _service(other_secretary, worker, **extra)
    assert caught.value.field == field
    assert not CommunityService.objects.exists()


def test_behind_list_uses_the_quota_and_counts_volunteer_service(
    registration,
    worker,
    secretary,
    other_secretary,
    sub_district,
    branch,
    community,
    django_assert_max_num_queries,
):
    period = period_containing(TODAY(), "quarter")
    qs = CommunityRegistration.objects.visible_to(secretary)
    assert [r.member for r in inservice.behind(qs, period)] == [worker]
    service = _service(other_secretary, worker)
    assert list(inservice.behind(qs, period))  # pending does not count
    inservice.review_service(actor=secretary, service=service, approve=True)
    assert not list(inservice.behind(qs, period))
    MemberSettings.objects.create(sub_district=sub_district, quarterly_service_quota=2)
    assert [r.done for r in inservice.behind(qs, period)] == [1]
    for _ in range(20):
        inservice.register_member(
            actor=secretary,
            member=MemberFactory(organization=branch),
            community=community,
            registered_on=TODAY(),
            employer_name="x",
        )
    for client_rows in (1, 21):
        with django_assert_max_num_queries(2):
            assert len(list(inservice.behind(qs, period)[:client_rows])) == client_rows


def test_behind_page_query_count_does_not_grow(
    clients, registration, secretary, branch, community, django_assert_max_num_queries
):
    url = reverse("staff:registration-behind")
    clients["secretary"].get(url)
    with django_assert_max_num_queries(25) as few:
        clients["secretary"].get(url)
    for _ in range(15):
        inservice.register_member(
            actor=secretary,
            member=MemberFactory(organization=branch),
            community=community,
            registered_on=TODAY(),
            employer_name="x",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = clients["secretary"].get(url)
    assert response.status_code == 200 and response.content.count(b"<tr>") == 17


def _last_quarter_registration(registration):
    previous = letters.previous_quarter()
    CommunityRegistration.objects.filter(pk=registration.pk).update(registered_on=previous.start)
    return previous


def test_feedback_letters_are_built_once_per_member_and_quarter(registration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    previous = _last_quarter_registration(registration)
    number = (previous.start.month - 1) // 3 + 1
    assert letters.build_feedback_letters(year=previous.start.year, quarter_number=number) == 1
    assert letters.build_feedback_letters(year=previous.start.year, quarter_number=number) == 0
    letter = FeedbackLetter.objects.get()
    text = "\n".join(p.text for p in Document(letter.file.path).paragraphs)
    assert registration.member.full_name in text and "未完成" in text
    assert not letter.met_quota


def test_feedback_task_runs_eagerly_and_never_duplicates(registration, settings, tmp_path):
    from members.tasks import build_feedback_letters

    settings.MEDIA_ROOT = tmp_path
    _last_quarter_registration(registration)
    assert build_feedback_letters() == 1  # the task body, directly
    assert build_feedback_letters.apply().get() == 0  # through Celery, eagerly: nothing new
    assert FeedbackLetter.objects.count() == 1


def test_letter_download_is_an_attachment_checked_by_scope(
    clients, registration, settings, tmp_path, branch
):
    settings.MEDIA_ROOT = tmp_path
    previous = _last_quarter_registration(registration)
    letters.build_feedback_letters(
        year=previous.start.year, quarter_number=(previous.start.month - 1) // 3 + 1
    )
    url = reverse("staff:feedback-letter-download", args=[FeedbackLetter.objects.get().pk])
    response = clients["other_secretary"].get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_pages_access_matrix(clients, registration, community, secretary, branch):
    own = inservice.register_member(
        actor=secretary,
        member=MemberFactory(organization=branch),
        community=community,
        registered_on=TODAY(),
        employer_name="x",
    )
    need = _need(secretary, community)
    ok = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200}
    for name in (
        "registration-list",
        "registration-create",
        "registration-bulk",
        "registration-template",
        "community-need-list",
        "community-need-create",
        "community-service-list",
        "community-service-create",
        "registration-behind",
        "feedback-letter-list",
    ):
        assert_access(clients, reverse(f"staff:{name}"), ok)
    assert_access(clients, reverse("staff:community-need-detail", args=[need.pk]), ok)

    end_url = reverse("staff:registration-end", args=[own.pk])
    for role, code in (("anonymous", 302), ("resident", 403), ("other_secretary", 404)):
        assert clients[role].post(end_url, {"ended_on": TODAY().isoformat()}).status_code == code
        assert CommunityRegistration.objects.get(pk=own.pk).is_active
    assert_access(
        clients,
        end_url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 302, "staff": 302},
        method="post",
        data={"ended_on": TODAY().isoformat()},
    )
    assert not CommunityRegistration.objects.get(pk=own.pk).is_active


def test_build_button_is_for_staff_only(clients, registration):
    from members.tasks import build_feedback_letters  # noqa: F401

    period = letters.previous_quarter()
    data = {"year": period.start.year, "quarter": (period.start.month - 1) // 3 + 1}
    assert_access(
        clients,
        reverse("staff:feedback-letter-build"),
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 302},
        method="post",
        data=data,
    )


def test_api_is_scoped_and_never_shows_a_full_id_number(
    clients, registration, worker, secretary, community
):
    from members.identity import decrypt_id_number

    url = "/api/v1/community-registrations/"
    response = clients["other_secretary"].get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert decrypt_id_number(worker.id_number_encrypted) not in body
    assert worker.id_number_masked in body
    assert_access(
        clients,
        f"{url}{registration.pk}/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    need = _need(secretary, community)
    response = clients["other_secretary"].post(
        f"/api/v1/community-needs/{need.pk}/claim/",
        {"registration": registration.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    again = clients["other_secretary"].post(
        f"/api/v1/community-needs/{need.pk}/claim/",
        {"registration": registration.pk},
        content_type="application/json",
    )
    assert again.status_code == 409
    for path in ("community-needs", "community-services", "feedback-letters"):
        assert clients["staff"].get(f"/api/v1/{path}/").status_code == 200


def test_api_bulk_registration_reports_errors_and_writes_nothing(
    clients, registration, other_branch, community
):
    fresh = MemberFactory(organization=other_branch)
    response = clients["other_secretary"].post(
        "/api/v1/community-registrations/bulk/",
        {
            "members": [fresh.pk, registration.member_id],
            "community": community.pk,
            "registered_on": TODAY().isoformat(),
            "employer_name": "郑州市儿童医院",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 2
    assert CommunityRegistration.objects.count() == 1


def test_timeline_shows_meetings_and_services_in_bounded_queries(
    registration, worker, secretary, other_secretary, django_assert_max_num_queries
):
    service = _service(other_secretary, worker)
    inservice.review_service(actor=secretary, service=service, approve=True)
    with django_assert_max_num_queries(8):
        events = timeline_for(worker)
    kinds = {e.kind for e in events}
    assert {"registration", "service"} <= kinds


def test_feedback_letter_is_a4_with_chinese_fonts_header_and_page_numbers(
    registration, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    previous = _last_quarter_registration(registration)
    number = (previous.start.month - 1) // 3 + 1
    letters.build_feedback_letters(year=previous.start.year, quarter_number=number)
    letter = FeedbackLetter.objects.get()
    community = registration.community
    with open(letter.file.path, "rb") as handle:
        assert_printed_page(
            handle.read(),
            header=f"{community.sub_district.name}{community.name} · "
            f"{previous.start.year}年第{number}季度",
        )
