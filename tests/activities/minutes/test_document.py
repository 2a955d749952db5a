"""Minutes as a document: the 会议记录 of one meeting and a branch's year, opened and read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.models import AuditEntry
from activities.models import MeetingRevision
from tests.activities.factories import MeetingFactory
from tests.activities.minutes.conftest import DAY
from tests.printed import assert_printed_page

pytestmark = pytest.mark.django_db


def texts(content: bytes) -> str:
    """Every paragraph's and every table cell's text, in order."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def test_one_meetings_minutes_print_everything_and_the_hash(clients, signed, people):
    response = clients["secretary"].get(reverse("staff:meeting-minutes-docx", args=[signed.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert_printed_page(response.content, header="联盟新城社区党支部")
    text = texts(response.content)
    chair, note_taker, others = people
    head = MeetingRevision.objects.get(meeting=signed).hash
    for expected in [
        "联盟新城社区党支部",
        "第四季度党员大会",
        "2026年11月02日 19:00—21:00",
        "党群服务中心二楼",
        "王洁茹",
        "李记录",
        f"{others[0].full_name}（",
        "出差在外",
        "一、传达学习",
        "传达学习会议精神",
        "同意接收张三为预备党员",
        "接收张三为预备党员",
        "赵明（街道党工委）",
        "签到表.png",
        head,
    ]:
        assert expected in text, expected
    document = Document(io.BytesIO(response.content))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert len(facts) == 9
    assert any(
        "5" in v and "4" in v and "1" in v for v in facts.values()
    )  # expected/present/absent
    vote_row = [c.text for c in document.tables[1].rows[1].cells]
    assert vote_row[0] == "接收张三为预备党员" and vote_row[2:7] == ["5", "4", "4", "0", "0"]
    assert document.tables[2].rows[1].cells[3].text == signed.attachments.get().sha256
    assert AuditEntry.objects.filter(action="meeting.minutes_exported").count() == 1


def test_unsigned_minutes_say_they_are_not_sealed(clients, held):
    response = clients["secretary"].get(reverse("staff:meeting-minutes-docx", args=[held.pk]))
    assert response.status_code == 200
    assert not MeetingRevision.objects.exists()
    document = Document(io.BytesIO(response.content))
    assert len(document.tables) == 3  # facts, votes, attachments


def test_a_planned_meeting_has_no_minutes_to_print(clients, branch):
    planned = MeetingFactory(organization=branch)
    url = reverse("staff:meeting-minutes-docx", args=[planned.pk])
    assert clients["secretary"].get(url).status_code == 404


def test_a_branchs_year_prints_each_held_meeting_oldest_first(
    clients, signed, branch, party_group, other_branch, django_assert_max_num_queries
):
    MeetingFactory(organization=branch, topic="三月主题党日", held_on=dt.date(2026, 3, 15))
    MeetingFactory(
        organization=party_group,
        kind="group_meeting",
        topic="小组学习",
        held_on=dt.date(2026, 5, 8),
    )
    MeetingFactory(organization=branch, topic="去年的会", held_on=dt.date(2025, 12, 20))
    MeetingFactory(organization=branch, topic="还没开的会")
    MeetingFactory(organization=other_branch, topic="别的支部", held_on=dt.date(2026, 4, 1))
    url = reverse("staff:branch-minutes-docx", args=[branch.pk, 2026])
    client = clients["secretary"]
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert_printed_page(response.content, header="2026")
    text = texts(response.content)
    order = [text.index(topic) for topic in ("三月主题党日", "小组学习", "第四季度党员大会")]
    assert order == sorted(order)
    for absent in ("去年的会", "还没开的会", "别的支部"):
        assert absent not in text
    assert MeetingRevision.objects.get(meeting=signed).hash in text
    for day in range(10):
        MeetingFactory(organization=branch, held_on=dt.date(2026, 6, 1) + dt.timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    # 12 meetings without votes or attachments print their facts; the signed one three tables
    assert len(Document(io.BytesIO(response.content)).tables) == 12 + 3


def test_the_year_export_is_scoped(clients, branch):
    url = reverse("staff:branch-minutes-docx", args=[branch.pk, DAY.year])
    from tests.access import assert_access

    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
    assert (
        clients["staff"]
        .get(reverse("staff:branch-minutes-docx", args=[branch.pk, 1999]))
        .status_code
        == 404
    )
