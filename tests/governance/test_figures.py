"""The report pack's residents' voice section: the year's opinions by category and state."""

from __future__ import annotations

import pytest

from config.periods import quarter
from governance.services import opinions as services
from reports.figures import governance_section
from reports.scope import ReportScope

pytestmark = pytest.mark.django_db


def test_the_section_counts_the_year_by_category_and_state(held, community, branch, staff):
    for category in ("environment", "environment", "safety"):
        services.receive_opinion(
            community=community,
            channel="visit",
            category=category,
            title="意见",
            text="内容",
            actor=staff,
        )
    opinion = services.receive_opinion(
        community=community, channel="box", category="safety", title="t", text="x", actor=staff
    )
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    section = governance_section(ReportScope(sub_district=community.sub_district), quarter(2026, 1))
    [table] = section["tables"]
    rows = {row[0]: row for row in table["rows"]}
    assert rows["环境卫生"][1] == 2 and rows["环境卫生"][-1] == 2
    assert rows["治安安全"][1] == 1 and rows["治安安全"][2] == 1
    assert section["figures"]["received"] == 4
    empty = governance_section(ReportScope(sub_district=community.sub_district), quarter(2025, 4))
    assert empty["figures"]["received"] == 0
