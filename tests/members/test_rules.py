from __future__ import annotations

import datetime as dt

import pytest

from members import rules
from members.demo import demo_id_number
from tests.members.factories import valid_id


def test_accepts_a_number_with_the_right_check_digit_and_lowercase_x():
    number = valid_id(1)
    assert rules.validate_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345", "18 位"),
        ("99000019800501001Y", "17 位数字"),
        ("99000019801301001X", "不是真实的日期"),
        ("990000198005010010", "校验码"),
    ],
)
def test_refuses_bad_numbers_with_a_reason(value, message):
    with pytest.raises(rules.InvalidIdNumber) as caught:
        rules.validate_id_number(value)
    assert message in str(caught.value)


def test_refuses_a_birth_date_that_differs_from_the_number():
    with pytest.raises(rules.InvalidIdNumber, match="出生日期"):
        rules.validate_id_number(valid_id(1), birth_date=dt.date(1981, 5, 1))


def test_demo_numbers_always_fail_the_check_digit():
    for sequence in range(200):
        number = demo_id_number(
            "410105", dt.date(1970, 1, 1) + dt.timedelta(days=sequence), sequence
        )
        with pytest.raises(rules.InvalidIdNumber):
            rules.validate_id_number(number)
        assert rules.validate_id_number(number, check_digit=False) == number


def test_masks_keep_first_six_and_last_four():
    assert rules.mask_id_number("99000019800501001X") == "990000********001X"
    assert rules.mask_phone("13912345678") == "139****5678"


def test_add_months_clamps_to_month_end():
    assert rules.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert rules.add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)


def test_quarter_bounds():
    assert rules.quarter_bounds(2024, 1) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert rules.quarter_of(dt.date(2024, 12, 31)) == (2024, 4)


def step(**overrides):
    args = {
        "current": "activist",
        "target": "candidate",
        "on": dt.date(2024, 6, 1),
        "applied_on": dt.date(2022, 1, 1),
        "activist_on": dt.date(2023, 1, 1),
        "voted_on": None,
        "probation_ends_on": None,
        "birth_date": dt.date(1990, 1, 1),
        "sponsors": 0,
        "today": dt.date(2024, 12, 31),
    }
    args.update(overrides)
    return rules.check_step(**args)


def test_candidate_needs_a_year_as_activist():
    step()
    with pytest.raises(rules.StepRefused, match="一年"):
        step(on=dt.date(2023, 12, 31))


def test_steps_cannot_be_skipped_or_dated_in_the_future():
    with pytest.raises(rules.StepRefused, match="按顺序"):
        step(target="probationary")
    with pytest.raises(rules.StepRefused):
        step(on=dt.date(2025, 1, 1))


def test_admission_needs_two_sponsors_and_approval_within_six_months_of_the_vote():
    base = {"current": "candidate", "target": "probationary", "voted_on": dt.date(2024, 1, 10)}
    with pytest.raises(rules.StepRefused, match="介绍人"):
        step(**base, sponsors=1)
    step(**base, sponsors=2, on=dt.date(2024, 3, 1))
    with pytest.raises(rules.StepRefused, match="六个月"):
        step(**base, sponsors=2, on=dt.date(2024, 8, 1))


def test_confirmation_waits_for_the_end_of_probation():
    base = {"current": "probationary", "target": "full", "probation_ends_on": dt.date(2024, 7, 1)}
    with pytest.raises(rules.StepRefused):
        step(**base, on=dt.date(2024, 6, 30))
    step(**base, on=dt.date(2024, 7, 1))
