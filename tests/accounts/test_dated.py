"""Dated rows (accounts/dated.py): in force from the first day through the last, ended once by
`close_span`, and guarded by the database. Exercised on a row with the shared fields (a pairing,
`started_on` / `ended_on`) and on one that names its own (a committee seat, `joined_on` /
`left_on`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.dated import (
    DatedSpanQuerySet,
    SpanAlreadyEnded,
    SpanDateInFuture,
    SpanDateOutOfOrder,
    SpanDateRefused,
    close_span,
    span_constraints,
)
from accounts.errors import Conflict, DomainError
from regional.models import Pairing, RegionalMembership
from tests.branches.factories import PairingFactory, RegionalMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 15)
START = dt.date(2017, 5, 1)
END = dt.date(2018, 1, 31)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(TODAY)
    return clock


@pytest.fixture
def ended():
    return PairingFactory(started_on=START, ended_on=END)


@pytest.fixture
def seat():
    return RegionalMembershipFactory(joined_on=START)


def row_of(row):
    return type(row).objects.filter(pk=row.pk).values().get()


# --- in force -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "in_force"),
    [(START - DAY, False), (START, True), (END, True), (END + DAY, False)],
    ids=["day before start", "start day", "end day", "day after end"],
)
def test_a_row_is_in_force_from_its_first_day_through_its_last(ended, day, in_force):
    assert Pairing.objects.on(day).filter(pk=ended.pk).exists() is in_force
    assert ended.in_force_on(day) is in_force


def test_an_open_row_stays_in_force_and_is_open(seat):
    assert seat.is_open
    assert seat.in_force_on(TODAY + 1000 * DAY)
    assert not seat.in_force_on(START - DAY)
    assert list(RegionalMembership.objects.on(TODAY + 1000 * DAY)) == [seat]
    assert list(RegionalMembership.objects.open()) == [seat]


def test_a_model_with_its_own_field_names_is_read_by_them(seat):
    close_span(seat, day=END)
    seat.refresh_from_db()
    assert seat.left_on == END and not seat.is_open
    assert RegionalMembership.objects.on(END).count() == 1
    assert RegionalMembership.objects.on(END + DAY).count() == 0
    assert RegionalMembership.objects.open().count() == 0


@pytest.mark.parametrize(
    ("first", "last", "overlaps"),
    [
        (START - 10 * DAY, START - DAY, False),
        (START - 10 * DAY, START, True),
        (END, END + 10 * DAY, True),
        (END + DAY, END + 10 * DAY, False),
        (START + DAY, END - DAY, True),
        (START - DAY, END + DAY, True),
    ],
)
def test_during_finds_rows_in_force_on_some_day_of_a_period(ended, first, last, overlaps):
    assert Pairing.objects.during(first, last).filter(pk=ended.pk).exists() is overlaps


def test_the_reads_mix_with_a_scoped_queryset(seat):
    """An app's queryset keeps its scope and gains the dated reads."""
    qs = type(RegionalMembership.objects.all())
    assert issubclass(qs, DatedSpanQuerySet)
    assert hasattr(qs, "visible_to")


# --- close_span ---------------------------------------------------------------------------------


def test_close_ends_the_row_on_the_day_and_keeps_it(seat):
    closed = close_span(seat, day=TODAY)
    assert closed.left_on == TODAY
    assert row_of(seat)["left_on"] == TODAY
    assert RegionalMembership.objects.filter(pk=seat.pk).exists()


def test_close_may_end_a_row_on_its_first_day(seat):
    close_span(seat, day=START)
    assert row_of(seat)["left_on"] == START


def test_close_writes_the_extra_fields_with_the_end():
    pairing = PairingFactory(started_on=START, note="")
    close_span(pairing, day=END, extra={"note": "单位搬迁"})
    assert row_of(pairing)["ended_on"] == END
    assert row_of(pairing)["note"] == "单位搬迁"


def test_close_refuses_a_row_already_ended_and_writes_nothing(ended):
    before = row_of(ended)
    with pytest.raises(SpanAlreadyEnded) as caught:
        close_span(ended, day=TODAY, already="该结对已结束。")
    assert caught.value.message == "该结对已结束。"
    assert row_of(ended) == before


def test_close_refuses_a_day_before_the_start_naming_the_start(seat):
    with pytest.raises(SpanDateOutOfOrder) as caught:
        close_span(seat, day=START - DAY, before="A unit cannot leave before it joined (%(day)s).")
    assert caught.value.message == "A unit cannot leave before it joined (2017-05-01)."
    assert caught.value.field == "left_on"
    assert row_of(seat)["left_on"] is None


def test_close_refuses_a_day_in_the_future_unless_allowed(seat):
    with pytest.raises(SpanDateInFuture) as caught:
        close_span(seat, day=TODAY + DAY)
    assert caught.value.field == "left_on"
    assert row_of(seat)["left_on"] is None
    close_span(seat, day=TODAY + DAY, allow_future=True)
    assert row_of(seat)["left_on"] == TODAY + DAY


def test_close_has_default_messages():
    pairing = PairingFactory(started_on=START)
    with translation.override("en"):
        with pytest.raises(SpanDateInFuture, match="cannot be in the future"):
            close_span(pairing, day=TODAY + DAY)
        with pytest.raises(SpanDateOutOfOrder) as caught:
            close_span(pairing, day=START - DAY)
        assert caught.value.message == "The end cannot come before the start (2017-05-01)."
        close_span(pairing, day=END)
        with pytest.raises(SpanAlreadyEnded, match="already ended"):
            close_span(pairing, day=END)


class _RuleBroken(DomainError):
    pass


class _Ended(Conflict, SpanAlreadyEnded):
    pass


class _InFuture(_RuleBroken, SpanDateInFuture):
    pass


class _OutOfOrder(_RuleBroken, SpanDateOutOfOrder):
    pass


class _AnyDate(_RuleBroken, SpanDateRefused):
    pass


def test_close_raises_the_callers_own_error_classes(seat):
    errors = (_Ended, _InFuture, _OutOfOrder)
    with pytest.raises(_InFuture):
        close_span(seat, day=TODAY + DAY, errors=errors)
    with pytest.raises(_OutOfOrder):
        close_span(seat, day=START - DAY, errors=errors)
    close_span(seat, day=END, errors=errors)
    with pytest.raises(_Ended) as caught:
        close_span(seat, day=END, errors=errors)
    assert caught.value.status_code == 409


def test_one_class_of_the_caller_may_stand_for_both_date_refusals(seat):
    for day in (TODAY + DAY, START - DAY):
        with pytest.raises(_AnyDate) as caught:
            close_span(seat, day=day, before="out", future="out", errors=[_AnyDate])
        assert caught.value.message == "out"


# --- the database's guard -------------------------------------------------------------------------


def test_the_database_refuses_an_end_before_the_start(ended, seat):
    with pytest.raises(IntegrityError, match="pairing_in_order"), transaction.atomic():
        Pairing.objects.filter(pk=ended.pk).update(ended_on=START - DAY)
    with pytest.raises(IntegrityError, match="regional_membership_in_order"), transaction.atomic():
        RegionalMembership.objects.filter(pk=seat.pk).update(left_on=START - DAY)
    assert row_of(ended)["ended_on"] == END
    assert row_of(seat)["left_on"] is None


def test_the_database_refuses_a_second_open_row(seat):
    # PostgreSQL names the partial unique index; SQLite names its columns.
    refused = "regional_membership_one_open|regionalmembership.committee_id"
    with pytest.raises(IntegrityError, match=refused), transaction.atomic():
        RegionalMembership.objects.create(committee=seat.committee, unit=seat.unit, joined_on=TODAY)


def test_constraint_names_come_from_the_prefix_unless_given():
    assert [c.name for c in span_constraints("pairing", open_per=["unit"])] == [
        "pairing_in_order",
        "pairing_one_open",
    ]
    assert [c.name for c in span_constraints("pairing")] == ["pairing_in_order"]
    named = span_constraints(
        "registration",
        open_per=["member"],
        in_order_name="registration_ends_after_start",
        one_open_name="registration_one_active_per_member",
    )
    assert [c.name for c in named] == [
        "registration_ends_after_start",
        "registration_one_active_per_member",
    ]
