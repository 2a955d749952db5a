from __future__ import annotations

import datetime as dt

import pytest

from branches import rules

TODAY = dt.date(2026, 11, 21)


def facts(**overrides):
    base = dict(
        kind="branch",
        full_members=5,
        total_members=5,
        has_committee=False,
        is_joint=False,
        covered_units=1,
        is_temporary=False,
        ends_on=None,
        term_planned_end=None,
    )
    base.update(overrides)
    return rules.StructureFacts(**base)


def codes(f):
    return [w.code for w in rules.structure_warnings(f, TODAY)]


def test_a_healthy_small_branch_has_no_warning():
    assert codes(facts()) == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"full_members": 2, "total_members": 2}, "too_few_full_members"),
        ({"full_members": 7, "total_members": 7}, "committee_missing"),
        ({"full_members": 40, "total_members": 51, "has_committee": True}, "too_many_members"),
        ({"is_joint": True, "covered_units": 6}, "joint_too_many_units"),
        ({"is_temporary": True, "ends_on": dt.date(2026, 11, 20)}, "temporary_past_end"),
        ({"term_planned_end": dt.date(2026, 11, 20), "has_committee": True}, "election_overdue"),
    ],
)
def test_each_structure_rule_is_flagged(overrides, code):
    assert code in codes(facts(**overrides))


def test_boundaries_are_not_flagged():
    assert codes(facts(full_members=3, total_members=3)) == []
    assert codes(facts(full_members=6, total_members=6)) == []
    assert codes(facts(full_members=40, total_members=50, has_committee=True)) == []
    assert codes(facts(is_joint=True, covered_units=5)) == []
    assert codes(facts(is_temporary=True, ends_on=TODAY)) == []
    assert codes(facts(term_planned_end=TODAY, has_committee=True, full_members=7)) == []


def test_archived_organisations_are_not_checked():
    assert codes(facts(full_members=0, total_members=0, is_active=False)) == []


def test_member_counts_apply_to_branches_only_but_terms_to_all():
    assert codes(facts(kind="general_branch", full_members=1, total_members=60)) == []
    assert codes(
        facts(
            kind="general_branch",
            total_members=60,
            term_planned_end=dt.date(2020, 1, 1),
            has_committee=True,
        )
    ) == ["election_overdue"]


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (None, "work_committee", True),
        (None, "branch", False),
        ("work_committee", "branch", True),
        ("committee", "party_group", False),
        ("branch", "party_group", True),
        ("party_group", "party_group", False),
        ("general_branch", "branch", True),
        ("branch", "branch", False),
    ],
)
def test_which_kind_may_stand_under_which(parent, child, allowed):
    assert rules.may_contain(parent, child) is allowed


# --- committee size, a committee below 7 full members, 总支 / 党委 size, project branches --------


@pytest.mark.parametrize(("size", "code"), [(2, "committee_too_small"), (8, "committee_too_large")])
def test_a_committee_outside_three_to_seven_members_is_flagged(size, code):
    found = codes(facts(full_members=20, total_members=20, has_committee=True, committee_size=size))
    assert code in found


@pytest.mark.parametrize("size", [3, 5, 7])
def test_a_committee_of_three_to_seven_is_not_flagged(size):
    assert (
        codes(facts(full_members=20, total_members=20, has_committee=True, committee_size=size))
        == []
    )


def test_a_committee_kept_with_six_full_members_is_flagged_with_seven_not():
    six = codes(facts(full_members=6, total_members=8, has_committee=True, committee_size=3))
    seven = codes(facts(full_members=7, total_members=8, has_committee=True, committee_size=3))
    assert "committee_below_threshold" in six
    assert seven == []


@pytest.mark.parametrize(("total", "flagged"), [(49, True), (50, False), (100, False), (101, True)])
def test_a_general_branch_has_fifty_to_a_hundred_members(total, flagged):
    found = codes(facts(kind="general_branch", full_members=total, total_members=total))
    assert ("general_branch_size" in found) is flagged


def test_the_general_branch_and_party_committee_figures_are_local():
    limits = rules.SizeLimits(general_branch_min=30, general_branch_max=80, committee_min=60)
    assert codes(facts(kind="general_branch", total_members=30, limits=limits)) == []
    assert "general_branch_size" in codes(
        facts(kind="general_branch", total_members=81, limits=limits)
    )
    assert codes(facts(kind="committee", total_members=60, limits=limits)) == []
    assert "party_committee_too_small" in codes(
        facts(kind="committee", total_members=59, limits=limits)
    )


@pytest.mark.parametrize(("total", "flagged"), [(99, True), (100, False)])
def test_a_grassroots_party_committee_has_at_least_a_hundred_members(total, flagged):
    found = codes(facts(kind="committee", full_members=total, total_members=total))
    assert ("party_committee_too_small" in found) is flagged


@pytest.mark.parametrize(
    ("ends_on", "flagged"), [(dt.date(2027, 3, 31), True), (dt.date(2027, 4, 1), False)]
)
def test_a_project_branch_planned_for_less_than_six_months_is_flagged(ends_on, flagged):
    found = codes(facts(is_temporary=True, founded_on=dt.date(2026, 10, 1), ends_on=ends_on))
    assert ("temporary_too_short" in found) is flagged


def test_six_months_from_the_thirty_first_is_the_months_last_day():
    assert rules.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
