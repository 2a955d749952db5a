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
        ({"term_planned_end": dt.date(2026, 11, 20), "has_committee": True}, "term_expired"),
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
    assert codes(facts(term_planned_end=TODAY, has_committee=True)) == []


def test_archived_organisations_are_not_checked():
    assert codes(facts(full_members=0, total_members=0, is_active=False)) == []


def test_member_counts_apply_to_branches_only_but_terms_to_all():
    assert codes(facts(kind="general_branch", full_members=1, total_members=1)) == []
    assert codes(
        facts(kind="general_branch", term_planned_end=dt.date(2020, 1, 1), has_committee=True)
    ) == ["term_expired"]


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
