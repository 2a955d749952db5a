"""我的报到: the member claims a need of their community and reports the service, photo checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from branches.models import Community
from members.binding.services import member_of
from members.inservice import services as inservice
from members.models import BindingStatus, CommunityService, MemberBinding, NeedClaim
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def community(sub_district, branch):
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    return community


@pytest.fixture
def registration(member_user, community, secretary, clock):
    return inservice.register_member(
        actor=secretary,
        member=member_of(member_user),
        community=community,
        registered_on=timezone.localdate(),
        employer_name="郑州市儿童医院",
    )


@pytest.fixture
def need(community, staff, clock):
    return inservice.post_need(
        actor=staff,
        community=community,
        title="楼道清扫",
        needed_by=timezone.localdate() + dt.timedelta(days=7),
        slots=2,
    )


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def _photo(fmt: str = "JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format=fmt)
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_member_claims_a_need_of_their_community(member_client, registration, need):
    page = member_client.get(reverse("public:me-service")).content.decode()
    assert "楼道清扫" in page
    response = member_client.post(reverse("public:me-need-claim", args=[need.pk]))
    assert response.status_code == 302
    assert NeedClaim.objects.filter(need=need, registration=registration).count() == 1
    need.refresh_from_db()
    assert need.claimed_count == 1


def test_a_need_of_another_community_is_not_found(member_client, registration, sub_district, staff):
    elsewhere = Community.objects.create(sub_district=sub_district, name="天路社区")
    other = inservice.post_need(
        actor=staff,
        community=elsewhere,
        title="别处",
        needed_by=timezone.localdate() + dt.timedelta(days=3),
        slots=1,
    )
    assert member_client.post(reverse("public:me-need-claim", args=[other.pk])).status_code == 404
    assert not NeedClaim.objects.exists()


def test_an_unregistered_member_cannot_claim(member_client, need):
    assert member_client.post(reverse("public:me-need-claim", args=[need.pk])).status_code == 404
    assert not NeedClaim.objects.exists()


def test_report_a_service_with_a_photo(member_client, registration, need, member_user):
    inservice.claim_need(actor=member_user, need=need, registration=registration)
    response = member_client.post(
        reverse("public:me-service-report"),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "2",
            "description": "清扫了三个楼道",
            "need": need.pk,
            "photo": _photo(),
        },
    )
    assert response.status_code == 302
    service = CommunityService.objects.get()
    assert service.status == "pending" and service.need == need
    assert service.photo.name.endswith(".jpg")
    photo = member_client.get(reverse("public:me-service-photo", args=[service.pk]))
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"


def test_a_file_that_is_not_a_photo_is_refused(member_client, registration):
    fake = SimpleUploadedFile("p.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = member_client.post(
        reverse("public:me-service-report"),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "1",
            "description": "x",
            "photo": fake,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["photo"]
    assert not CommunityService.objects.exists()


def test_an_oversized_photo_is_refused(member_client, registration, settings):
    settings.VENUE_PHOTO_MAX_BYTES = 100
    response = member_client.post(
        reverse("public:me-service-report"),
        {
            "served_on": timezone.localdate().isoformat(),
            "hours": "1",
            "description": "x",
            "photo": _photo("PNG"),
        },
    )
    assert response.status_code == 400
    assert not CommunityService.objects.exists()


def test_another_members_service_photo_is_not_found(
    member_client, registration, community, secretary
):
    user = UserFactory()
    record = MemberFactory(organization=registration.member.organization)
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    inservice.register_member(
        actor=secretary,
        member=record,
        community=community,
        registered_on=timezone.localdate(),
        employer_name="某单位",
    )
    service = inservice.record_service(
        actor=user,
        member=record,
        served_on=timezone.localdate(),
        hours=1,
        description="他人的服务",
        photo=b"\xff\xd8\xff\xe0fake",
    )
    response = member_client.get(reverse("public:me-service-photo", args=[service.pk]))
    assert response.status_code == 404


def test_my_feedback_letters_are_shown_and_downloadable(
    member_client, member_user, community, secretary, clock
):
    from members.inservice.letters import build_letter, previous_quarter

    period = previous_quarter()
    registration = inservice.register_member(
        actor=secretary,
        member=member_of(member_user),
        community=community,
        registered_on=period.start,
        employer_name="郑州市儿童医院党委",
    )
    letter, built = build_letter(registration, period)
    assert built
    page = member_client.get(reverse("public:me-service")).content.decode()
    section = page.split('data-testid="my-letters"')[1]
    # addressed as the letter is: the employer's party organisation (here the member's branch)
    assert f"已发送至 {registration.employer_organization.name}" in section
    assert f"{letter.year} 年第 {letter.quarter} 季度" in section
    assert "未完成" in section  # no service in that quarter
    response = member_client.get(reverse("public:me-feedback-letter", args=[letter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a DOCX


def test_another_members_letter_is_not_found(member_client, community, secretary, clock, branch):
    from members.inservice.letters import build_letter, previous_quarter

    period = previous_quarter()
    registration = inservice.register_member(
        actor=secretary,
        member=MemberFactory(organization=branch),
        community=community,
        registered_on=period.start,
        employer_name="郑州市儿童医院党委",
    )
    letter, _built = build_letter(registration, period)
    response = member_client.get(reverse("public:me-feedback-letter", args=[letter.pk]))
    assert response.status_code == 404
    page = member_client.get(reverse("public:me-service")).content.decode()
    assert "暂无反馈函" in page
