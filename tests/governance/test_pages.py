"""Pages: the resident sees only their own opinions; the secretary the branch's; the public
disclosure page shows only what is published in its window, with no ID numbers or phones."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from governance.models import Opinion
from governance.services import matters as matter_services
from governance.services import opinions as services
from tests.accounts.factories import UserFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _opinion(community, author=None, title="路灯不亮"):
    return services.receive_opinion(
        community=community,
        channel="online",
        category="facilities",
        title=title,
        text="3号楼前路灯不亮。",
        author=author,
        actor=author,
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_resident_submits_with_a_photo_and_sees_only_their_own(held, community, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(resident)
    response = client.post(
        reverse("public:opinion-submit"),
        {
            "community": community.pk,
            "category": "facilities",
            "title": "楼道灯坏了",
            "text": "2单元楼道灯坏了。",
            "photos": [SimpleUploadedFile("a.png", _png(), content_type="image/png")],
        },
    )
    assert response.status_code == 302
    mine = Opinion.objects.get(author=resident)
    assert mine.photos.count() == 1
    other = _opinion(community, author=UserFactory(username="other", phone="13900000333"))
    assert client.get(reverse("public:opinion-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("public:opinion-detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("public:my-opinions")).content.decode()
    assert "楼道灯坏了" in page and other.title not in page


def test_a_fake_photo_is_refused_and_nothing_is_written(held, community, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _client(resident).post(
        reverse("public:opinion-submit"),
        {
            "community": community.pk,
            "category": "facilities",
            "title": "x",
            "text": "y",
            "photos": [SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_secretary_sees_only_their_branch_opinions(
    held, community, branch, other_branch, staff, secretary, other_secretary
):
    mine = _opinion(community, title="本支部的")
    services.assign_opinion(opinion=mine, organization=branch, actor=staff)
    theirs = _opinion(community, title="别的支部的")
    services.assign_opinion(opinion=theirs, organization=other_branch, actor=staff)
    page = _client(secretary).get(reverse("staff:opinion-ledger")).content.decode()
    assert "本支部的" in page and "别的支部的" not in page
    assert (
        _client(secretary).get(reverse("staff:opinion-detail", args=[theirs.pk])).status_code == 404
    )
    staff_page = _client(staff).get(reverse("staff:opinion-ledger") + "?q=支部").content.decode()
    assert "本支部的" in staff_page and "别的支部的" in staff_page


def test_ledger_filters_overdue(held, community, branch, staff):
    late = _opinion(community, title="超期的")
    services.assign_opinion(opinion=late, organization=branch, actor=staff)
    Opinion.objects.filter(pk=late.pk).update(
        received_on=DAY - dt.timedelta(days=30), deadline=DAY - dt.timedelta(days=1)
    )
    _opinion(community, title="未到期的")
    page = _client(staff).get(reverse("staff:opinion-ledger") + "?overdue=1").content.decode()
    assert "超期的" in page and "未到期的" not in page


def test_ledger_query_count_does_not_grow(
    held, community, branch, staff, django_assert_max_num_queries
):
    for n in range(12):
        opinion = _opinion(community, title=f"意见{n}")
        services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    client = _client(staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("staff:opinion-ledger")).status_code == 200


def test_staff_walks_an_opinion_through_the_pages(held, community, branch, staff, resident):
    opinion = _opinion(community, author=resident)
    client = _client(staff)
    url = reverse("staff:opinion-detail", args=[opinion.pk])
    assert client.post(url + "?action=start").status_code == 302  # refused: still received
    opinion.refresh_from_db()
    assert opinion.state == "received"
    client.post(url + "?action=assign", {"organization": branch.pk})
    client.post(url + "?action=start")
    client.post(url + "?action=reply", {"reply": "已修复"})
    opinion.refresh_from_db()
    assert opinion.state == "replied"
    response = _client(resident).post(
        reverse("public:opinion-detail", args=[opinion.pk]), {"rating": "5", "comment": "好"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.state, opinion.rating) == ("closed", 5)


def test_public_page_shows_published_items_only_in_their_window(held, community, staff):
    matter = matter_services.open_matter(community=community, title="加装电梯", actor=staff)
    from governance.models import MatterStep, Publication

    step = MatterStep.objects.create(
        matter=matter,
        kind="publish_decision",
        held_on=DAY,
        participants="两委",
        minutes="公开",
    )
    Publication.objects.create(
        matter=matter,
        step=step,
        title="加装电梯决议公开",
        body="联系人电话13912345678,身份证410105199001011234",
        starts_on=DAY + dt.timedelta(days=1),
        ends_on=DAY + dt.timedelta(days=7),
    )
    url = reverse("public:community-disclosure", args=[community.pk])
    assert "加装电梯决议公开" not in Client().get(url).content.decode()
    held.set(DAY + dt.timedelta(days=1))
    page = Client().get(url).content.decode()
    assert "加装电梯决议公开" in page
    assert "13912345678" not in page and "410105199001011234" not in page
    assert "139****5678" in page
    held.set(DAY + dt.timedelta(days=8))
    assert "加装电梯决议公开" not in Client().get(url).content.decode()


def test_public_page_has_no_id_numbers_or_phones(held, community, staff, resident):
    resident.phone = "13912345678"
    resident.save()
    opinion = _opinion(community, author=resident, title="噪音扰民")
    assert opinion.pk
    page = Client().get(reverse("public:community-disclosure", args=[community.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", text)
    assert str(resident) not in text


def test_staff_closes_an_offline_opinion_from_the_page_but_not_a_residents(
    held, community, branch, staff, resident
):
    offline = _opinion(community, title="信箱来信")
    online = _opinion(community, author=resident, title="网上来信")
    for opinion in (offline, online):
        services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
        services.start_opinion(opinion=opinion, actor=staff)
        services.reply_to_opinion(opinion=opinion, reply="已答复", actor=staff)
    client = _client(staff)
    page = client.get(reverse("staff:opinion-detail", args=[offline.pk])).content.decode()
    assert "?action=close" in page
    page = client.get(reverse("staff:opinion-detail", args=[online.pk])).content.decode()
    assert "?action=close" not in page
    client.post(reverse("staff:opinion-detail", args=[online.pk]) + "?action=close")
    client.post(reverse("staff:opinion-detail", args=[offline.pk]) + "?action=close")
    states = dict(Opinion.objects.values_list("title", "state"))
    assert states == {"信箱来信": "closed", "网上来信": "replied"}
