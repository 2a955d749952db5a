"""Term lengths from the dated rule table (RULES.md; 任期意见 from 2018-07-01), applied by the
term's start date, and extensions approved by the level above (at most one year in all)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import DomainError
from accounts.models import AuditEntry
from branches.models import OrganizationKind, Sector
from committees.models import CommitteeTerm, TermExtension, TermLengthRule, TermReminder
from committees.services.terms import extend_term, regular_term_end, start_committee_term
from tests.branches.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

OPINION = dt.date(2018, 7, 1)


@pytest.mark.parametrize(
    ("kind", "sector", "started_on", "ends_on"),
    [
        # A community branch: 3 years before the 2018 opinion, 5 from its first day.
        ("branch", Sector.COMMUNITY, dt.date(2018, 6, 30), dt.date(2021, 6, 30)),
        ("branch", Sector.COMMUNITY, OPINION, dt.date(2023, 7, 1)),
        # Outside communities a branch keeps 3 years; a grassroots 党委 has 5 (not 3).
        ("branch", Sector.AGENCY, OPINION, dt.date(2021, 7, 1)),
        ("committee", Sector.AGENCY, dt.date(2020, 5, 1), dt.date(2025, 5, 1)),
        ("general_branch", Sector.STATE_OWNED_ENTERPRISE, dt.date(2016, 5, 1), dt.date(2019, 5, 1)),
        # The 2022 rule is seeded inactive (to be confirmed): a branch outside communities keeps 3.
        ("branch", Sector.AGENCY, dt.date(2023, 1, 1), dt.date(2026, 1, 1)),
    ],
)
def test_the_seeded_table_gives_the_length_in_force_on_the_start_day(
    work_committee, kind, sector, started_on, ends_on
):
    organization = OrganizationFactory(parent=work_committee, kind=kind, sector=sector)
    assert regular_term_end(organization, started_on) == ends_on
    term = start_committee_term(organization=organization, started_on=started_on, actor=None)
    assert term.planned_end_on == ends_on


def test_a_sub_district_confirms_the_2022_rule_for_itself(work_committee, sub_district):
    branch = OrganizationFactory(
        parent=work_committee, kind=OrganizationKind.BRANCH, sector=Sector.AGENCY
    )
    day = dt.date(2023, 1, 1)
    TermLengthRule.objects.create(
        sub_district=sub_district,
        effective_from=dt.date(2022, 10, 22),
        kind="branch",
        in_community=False,
        years=5,
        is_active=True,
    )
    assert regular_term_end(branch, day) == dt.date(2028, 1, 1)
    other = OrganizationFactory(kind=OrganizationKind.WORK_COMMITTEE)
    elsewhere = OrganizationFactory(parent=other, sector=Sector.AGENCY)
    assert regular_term_end(elsewhere, day) == dt.date(2026, 1, 1)


def test_without_a_rule_in_force_the_term_is_refused(branch):
    TermLengthRule.objects.all().delete()
    with pytest.raises(DomainError, match="任期规则") as refused:
        start_committee_term(organization=branch, started_on=dt.date(2024, 1, 1), actor=None)
    assert refused.value.field == "started_on"
    assert not CommitteeTerm.objects.exists()


@pytest.fixture
def term(branch):
    # A community branch elected 2021-06-01: the term ends 2026-06-01.
    return start_committee_term(organization=branch, started_on=dt.date(2021, 6, 1), actor=None)


def extend(term, to, clock, **kwargs):
    return extend_term(
        term=term,
        extended_to=to,
        approved_by="如意湖党工委",
        approved_on=kwargs.pop("approved_on", clock.today),
        reason="社区调整，延期换届",
        actor=kwargs.pop("actor", None),
    )


def test_an_extension_of_exactly_one_year_moves_the_planned_end(term, clock, staff):
    TermReminder.objects.create(term=term, days_before=30)
    extension = extend(term, dt.date(2027, 6, 1), clock, actor=staff)
    assert extension.previous_end_on == dt.date(2026, 6, 1)
    assert CommitteeTerm.objects.get(pk=term.pk).planned_end_on == dt.date(2027, 6, 1)
    # The reminders come again before the new end.
    assert not TermReminder.objects.filter(term=term).exists()
    assert AuditEntry.objects.get(action="committee.term_extended").actor == staff


def test_one_year_and_one_day_is_refused(term, clock):
    with pytest.raises(DomainError, match="最多延长一年") as refused:
        extend(term, dt.date(2027, 6, 2), clock)
    assert refused.value.field == "extended_to"
    assert CommitteeTerm.objects.get(pk=term.pk).planned_end_on == dt.date(2026, 6, 1)
    assert not TermExtension.objects.exists()


def test_extensions_count_together_against_the_one_year(term, clock):
    extend(term, dt.date(2026, 12, 1), clock)
    term.refresh_from_db()
    with pytest.raises(DomainError, match="2027-06-01"):
        extend(term, dt.date(2027, 6, 2), clock)
    extend(term, dt.date(2027, 6, 1), clock)
    assert CommitteeTerm.objects.get(pk=term.pk).planned_end_on == dt.date(2027, 6, 1)


@pytest.mark.parametrize(
    ("to", "approved_on", "field"),
    [
        (dt.date(2026, 6, 1), None, "extended_to"),
        (dt.date(2026, 9, 1), "tomorrow", "approved_on"),
        (dt.date(2026, 9, 1), dt.date(2021, 5, 31), "approved_on"),
    ],
)
def test_bad_extensions_are_refused(term, clock, to, approved_on, field):
    if approved_on == "tomorrow":
        approved_on = clock.today + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        extend(term, to, clock, approved_on=approved_on or clock.today)
    assert refused.value.field == field
    assert not TermExtension.objects.exists()


def test_the_migration_gives_old_default_ends_the_table_s_length(work_committee):
    """Committees 0005: a planned end that was the old default (社区 5, else 3, whatever the day
    or kind) becomes the table's; one a person typed in stays."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("committees.migrations.0005_recompute_default_planned_ends")
    community = OrganizationFactory(parent=work_committee, sector=Sector.COMMUNITY)
    party_committee = OrganizationFactory(
        parent=work_committee, kind=OrganizationKind.COMMITTEE, sector=Sector.AGENCY
    )
    typed = OrganizationFactory(parent=work_committee, sector=Sector.COMMUNITY)
    rows = [
        (community, dt.date(2016, 3, 1), dt.date(2021, 3, 1), dt.date(2019, 3, 1)),
        (party_committee, dt.date(2020, 3, 1), dt.date(2023, 3, 1), dt.date(2025, 3, 1)),
        (typed, dt.date(2016, 3, 1), dt.date(2020, 3, 1), dt.date(2020, 3, 1)),
    ]
    terms = [
        CommitteeTerm.objects.create(organization=org, started_on=start, planned_end_on=old)
        for org, start, old, _new in rows
    ]
    migration.recompute(apps, None)
    for term, (_org, _start, _old, new) in zip(terms, rows, strict=True):
        assert CommitteeTerm.objects.get(pk=term.pk).planned_end_on == new
