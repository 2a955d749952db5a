"""The demo committee terms (on the tree of `branches.demo`). Idempotent: an organisation with a
recorded term is left as it is."""

from __future__ import annotations

import datetime as dt

from branches.models import Organization
from committees.models import CommitteeTerm
from committees.services.terms import start_committee_term

# 如意湖: election dates vary so the demo shows a term already expired and one ending soon.
RUYIHU_ELECTIONS = {
    "商务区社区党支部": dt.date(2022, 3, 18),
    "联盟新城社区党支部": dt.date(2023, 3, 15),
    "天路社区党支部": dt.date(2021, 12, 10),
    "龙湖社区党支部": dt.date(2021, 6, 1),
}


def seed() -> None:
    branches = Organization.objects.filter(
        sub_district__name="如意湖办事处", name__in=RUYIHU_ELECTIONS, status="active"
    )
    for branch in branches:
        if not CommitteeTerm.objects.filter(organization=branch).exists():
            start_committee_term(
                organization=branch, started_on=RUYIHU_ELECTIONS[branch.name], actor=None
            )
    seed_positions()


POSITIONS = ("secretary", "deputy_secretary", "organisation")


def seed_positions() -> None:
    """The committee of each 如意湖 term that has none yet: its first three full members as
    secretary, deputy and organisation member, from the election day (the talks and the
    committee meetings' rosters read them)."""
    from committees.models import CommitteePosition
    from members.models import Member

    terms = CommitteeTerm.objects.current().filter(
        organization__sub_district__name="如意湖办事处", organization__status="active"
    )
    for term in terms.select_related("organization"):
        if CommitteePosition.objects.filter(term=term).exists():
            continue
        members = (
            Member.objects.current()
            .full()
            .filter(organization=term.organization, joined_on__lte=term.started_on)
            .order_by("pk")[: len(POSITIONS)]
        )
        CommitteePosition.objects.bulk_create(
            CommitteePosition(
                term=term, member=member, position=position, started_on=term.started_on
            )
            for member, position in zip(members, POSITIONS, strict=False)
        )
