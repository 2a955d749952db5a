"""Nomination pages: residents nominate in a public campaign's window from their phone (the
photo checked by content and size, clear Chinese refusals, nothing written); branches and
secretaries nominate on the workbench, for party honours only members and branches in scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.models import CampaignKind, Nomination, ResultRule
from tests.access import assert_access
from tests.community.factories import CampaignFactory, CategoryFactory

pytestmark = pytest.mark.django_db

CITATION = "多年来照顾邻居孤寡老人，热心社区公益。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png(size=(40, 20)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("nominee.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def open_campaign(sub_district):
    now = timezone.now()
    return CampaignFactory(
        sub_district=sub_district,
        nomination_opens_at=now - dt.timedelta(days=1),
        nomination_closes_at=now + dt.timedelta(days=5),
        vote_opens_at=now + dt.timedelta(days=6),
        vote_closes_at=now + dt.timedelta(days=12),
    )


@pytest.fixture
def category(open_campaign):
    return CategoryFactory(campaign=open_campaign, name="敬老孝亲")


def test_a_resident_nominates_with_a_photo(client, resident, category, media):
    client.force_login(resident)
    url = reverse("public:award-nominate", args=[category.campaign_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "category": category.pk,
            "nominee_name": "王秀兰",
            "citation": CITATION,
            "photo": _png(),
            "nominator_label": "联盟新城社区",
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.nominee_name, nomination.status, nomination.nominated_by) == (
        "王秀兰",
        "pending",
        resident,
    )
    assert nomination.photo.name.endswith(".jpg")  # re-encoded
    page = client.get(url).content.decode()
    assert "王秀兰" in page and "待审核" in page


def test_nominating_needs_a_sign_in(client, category):
    url = reverse("public:award-nominate", args=[category.campaign_id])
    response = client.post(
        url, {"category": category.pk, "nominee_name": "甲", "citation": CITATION}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nominee_name": ""}, "此项为必填项"),
        ({"citation": "太短"}, "10"),
        ({"citation": "长" * 2001}, "2000"),
        ({"category": 999999}, "选择一个有效的选项"),
        (
            {"photo": SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")},
            "只能上传 JPEG、PNG 或 WebP 格式的照片",
        ),
        ({"photo": SimpleUploadedFile("a.jpg", b"", content_type="image/jpeg")}, "空"),
    ],
)
def test_bad_nominations_are_refused_in_chinese_and_write_nothing(
    client, resident, category, change, message
):
    client.force_login(resident)
    data = {"category": category.pk, "nominee_name": "王秀兰", "citation": CITATION, **change}
    response = client.post(reverse("public:award-nominate", args=[category.campaign_id]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Nomination.objects.exists()


def test_an_oversized_photo_is_refused(client, resident, category, settings):
    settings.VENUE_PHOTO_MAX_BYTES = 100
    client.force_login(resident)
    response = client.post(
        reverse("public:award-nominate", args=[category.campaign_id]),
        {
            "category": category.pk,
            "nominee_name": "王秀兰",
            "citation": CITATION,
            "photo": _png((400, 400)),
        },
    )
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not Nomination.objects.exists()


def test_nominations_only_in_the_window(client, resident, category, clock):
    client.force_login(resident)
    url = reverse("public:award-nominate", args=[category.campaign_id])
    clock.advance(days=6)
    assert "现在不在提名时间内" in client.get(url).content.decode()
    response = client.post(
        url, {"category": category.pk, "nominee_name": "王秀兰", "citation": CITATION}
    )
    assert response.status_code == 400
    assert "本次评选的提名已截止" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_category_of_another_campaign_is_refused(client, resident, category, sub_district):
    other = CategoryFactory(campaign=CampaignFactory(sub_district=sub_district))
    client.force_login(resident)
    client.post(
        reverse("public:award-nominate", args=[category.campaign_id]),
        {"category": other.pk, "nominee_name": "王秀兰", "citation": CITATION},
    )
    assert not Nomination.objects.exists()


def test_party_honours_have_no_resident_nomination_page(client, resident, sub_district):
    honours = CampaignFactory(
        sub_district=sub_district,
        kind=CampaignKind.HONOURS,
        public_vote=False,
        vote_opens_at=None,
        vote_closes_at=None,
        result_rule=ResultRule.WEIGHTED,
    )
    client.force_login(resident)
    assert client.get(reverse("public:award-nominate", args=[honours.pk])).status_code == 404


def test_open_campaigns_are_listed_for_nominations(client, category):
    page = client.get(reverse("public:award-campaigns")).content.decode()
    assert reverse("public:award-nominate", args=[category.campaign_id]) in page


# --- workbench ---------------------------------------------------------------------------


def test_staff_nomination_access_matrix(clients, category):
    url = reverse("staff:award-nominate", args=[category.campaign_id])
    data = {"category": category.pk, "nominee_name": "王秀兰", "citation": CITATION}
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 302, "secretary": 302, "staff": 302},
        method="post",
        data=data,
    )
    assert Nomination.objects.count() == 3
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_secretary_nominates_only_members_of_their_scope_for_honours(
    client, secretary, sub_district, branch, other_branch
):
    from tests.members.factories import MemberFactory

    now = timezone.now()
    honours = CampaignFactory(
        sub_district=sub_district,
        kind=CampaignKind.HONOURS,
        public_vote=False,
        vote_opens_at=None,
        vote_closes_at=None,
        nomination_opens_at=now - dt.timedelta(days=1),
        nomination_closes_at=now + dt.timedelta(days=3),
        result_rule=ResultRule.WEIGHTED,
    )
    category = CategoryFactory(campaign=honours, name="优秀共产党员")
    outsider = MemberFactory(organization=other_branch)
    own = MemberFactory(organization=branch)
    client.force_login(secretary)
    url = reverse("staff:award-nominate", args=[honours.pk])
    data = {"category": category.pk, "nominee_name": "党员", "citation": CITATION}
    response = client.post(url, {**data, "member": outsider.pk})
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post(url, data)
    assert "两优一先授予党员或党组织" in response.content.decode()
    assert not Nomination.objects.exists()
    assert client.post(url, {**data, "member": own.pk}).status_code == 302
    assert Nomination.objects.get().member_id == own.pk


def test_staff_nomination_page_of_another_sub_district_is_404(
    client, staff, other_sub_district_branch
):
    elsewhere = CampaignFactory(sub_district=other_sub_district_branch.sub_district)
    client.force_login(staff)
    assert client.get(reverse("staff:award-nominate", args=[elsewhere.pk])).status_code == 404
