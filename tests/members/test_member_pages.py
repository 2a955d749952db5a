from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from members.models import Member, MemberChange
from tests.access import assert_access
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db

PAGE = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200}
RECORD = {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200}


@pytest.fixture
def member(branch):
    return MemberFactory(
        organization=branch, full_name="张秀英", id_number=valid_id(21), phone="13912345678"
    )


def snapshot():
    return (
        list(Member.objects.order_by("pk").values()),
        MemberChange.objects.count(),
        AuditEntry.objects.filter(action__startswith="member.").count(),
    )


def test_list_access_matrix(clients):
    assert_access(clients, reverse("staff:member-list"), PAGE)


def test_record_pages_access_matrix(clients, member):
    for name in ("member-detail", "member-update", "member-state"):
        assert_access(clients, reverse("staff:" + name, args=[member.pk]), RECORD)


def test_create_page_access_matrix(clients):
    assert_access(clients, reverse("staff:member-create"), PAGE)


def test_reveal_is_for_sub_district_staff_only(clients, member):
    assert_access(
        clients,
        reverse("staff:member-reveal", args=[member.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
        method="post",
        data={"confirm": "on"},
        snapshot=lambda: AuditEntry.objects.filter(action="member.id_number_revealed").count(),
    )


def test_reveal_needs_confirmation_and_is_audited(clients, member, staff):
    url = reverse("staff:member-reveal", args=[member.pk])
    page = clients["staff"].get(url).content.decode()
    assert valid_id(21) not in page
    refused = clients["staff"].post(url, {}).content.decode()
    assert valid_id(21) not in refused
    assert not AuditEntry.objects.filter(action="member.id_number_revealed").exists()
    shown = clients["staff"].post(url, {"confirm": "on"})
    assert valid_id(21) in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="member.id_number_revealed")
    assert entry.actor == staff and entry.target_id == str(member.pk)


def test_pages_show_the_id_masked_and_the_list_masks_the_phone(clients, member):
    body = clients["staff"].get(reverse("staff:member-list")).content.decode()
    assert member.id_number_masked in body and valid_id(21) not in body
    assert "139****5678" in body and "13912345678" not in body
    body = (
        clients["secretary"].get(reverse("staff:member-detail", args=[member.pk])).content.decode()
    )
    assert valid_id(21) not in body and member.id_number_masked in body
    assert "显示" not in body  # no reveal link for a secretary


def test_secretary_sees_only_their_branch(clients, member, other_branch):
    MemberFactory(organization=other_branch, full_name="天路党员")
    body = clients["secretary"].get(reverse("staff:member-list")).content.decode()
    assert "张秀英" in body and "天路党员" not in body


@pytest.mark.parametrize(("query", "found"), [("秀英", True), ("0213"[-4:], False), ("5678", True)])
def test_search_by_name_id_suffix_and_phone_suffix(clients, member, query, found):
    body = clients["staff"].get(reverse("staff:member-list"), {"q": query}).content.decode()
    assert ("张秀英" in body) is found


def test_search_by_id_suffix(clients, member):
    body = (
        clients["staff"]
        .get(reverse("staff:member-list"), {"q": valid_id(21)[-4:]})
        .content.decode()
    )
    assert "张秀英" in body


def test_filters_and_empty_state(clients, member, branch):
    MemberFactory(organization=branch, full_name="困难党员", in_hardship=True)
    url = reverse("staff:member-list")
    body = clients["staff"].get(url, {"hardship": "1"}).content.decode()
    assert "困难党员" in body and "张秀英" not in body
    body = clients["staff"].get(url, {"q": "没有这个人"}).content.decode()
    assert "没有符合条件的党员" in body


def test_list_query_count_does_not_grow_with_rows(
    clients, branch, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the build, not the cached count and menu
    url = reverse("staff:member-list")
    client = clients["staff"]
    MemberFactory(organization=branch)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(40):
        MemberFactory(organization=branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_count_reads_the_filtered_members_without_their_groups(
    clients, branch, party_group, settings, django_assert_max_num_queries
):
    """The paginator counts the members the filters leave, across pages, in a statement that
    does not join their party groups (with that outer join PostgreSQL counted a sub-district's
    members by reading the whole district's)."""
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(55):
        MemberFactory(organization=branch, party_group=party_group if n % 2 else None)
    MemberFactory(organization=branch, in_hardship=True, party_group=party_group)
    url = reverse("staff:member-list")
    with django_assert_max_num_queries(12) as captured:
        response = clients["staff"].get(url)
    assert response.context["paginator"].count == 56
    assert response.context["paginator"].num_pages == 2
    (count,) = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert "party_group_id" not in count
    hardship = clients["staff"].get(url, {"hardship": "1", "page": "1"})
    assert hardship.context["paginator"].count == 1


def test_create_through_the_form(clients, branch):
    response = clients["secretary"].post(
        reverse("staff:member-create"),
        {
            "organization": branch.pk,
            "full_name": "新党员",
            "id_number": valid_id(30),
            "birth_date": "1980-05-01",
            "status": "full",
            "joined_on": "2010-07-01",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(full_name="新党员")
    assert member.gender == "female" and member.id_number_masked.endswith(valid_id(30)[-4:])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id_number": "990000198005010010"}, "校验码"),
        ({"id_number": "123"}, "18 位"),
        ({"birth_date": "1981-01-01"}, "出生日期"),
        ({"joined_on": "not-a-date"}, "日期"),
        ({"full_name": ""}, "必填"),
        ({"phone": "<script>"}, "手机"),
    ],
)
def test_create_form_refuses_bad_input_and_writes_nothing(clients, branch, data, message):
    base = {
        "organization": branch.pk,
        "full_name": "新党员",
        "id_number": valid_id(31),
        "birth_date": "1980-05-01",
        "status": "full",
        "joined_on": "2010-07-01",
    }
    before = snapshot()
    response = clients["staff"].post(reverse("staff:member-create"), {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_secretary_cannot_post_a_member_into_another_branch(clients, other_branch):
    before = snapshot()
    response = clients["secretary"].post(
        reverse("staff:member-create"),
        {
            "organization": other_branch.pk,
            "full_name": "x",
            "id_number": valid_id(32),
            "status": "full",
        },
    )
    assert response.status_code == 200 and snapshot() == before


def test_edit_keeps_the_id_number_when_left_blank(clients, member):
    response = clients["secretary"].post(
        reverse("staff:member-update", args=[member.pk]),
        {
            "full_name": "张秀英",
            "birth_date": "1980-05-01",
            "status": "full",
            "joined_on": "2005-07-01",
            "confirmed_on": "2006-07-01",
            "phone": "13900000009",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13900000009" and member.id_number_masked
    assert MemberChange.objects.filter(member=member, action="updated").exists()


def test_detail_shows_the_timeline(clients, member, staff):
    from members import services

    services.update_member(member=member, actor=staff, fields={"in_hardship": True})
    body = clients["staff"].get(reverse("staff:member-detail", args=[member.pk])).content.decode()
    assert "困难党员" in body and "入党" in body
