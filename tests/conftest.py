"""Fixtures shared by the whole suite: one user per role, each with a logged-in client.

Two sub-districts; in the first, a working committee with two branches (each with a party group).
`secretary` leads branch A, `other_secretary` leads branch B of the same sub-district, `staff` works
for the first sub-district; `resident` holds no role.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import Client

from accounts.roles import Role
from branches.models import OrganizationKind
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory
from tests.signin import _force_login_passes_two_factor  # noqa: F401 (an autouse fixture)


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashes():
    """Hash the suite's passwords with a cheap hasher.

    Production keeps Django's PBKDF2 (a million rounds, ~0.25 s a hash on a CI core, by design);
    the suite creates four to six users for most tests, and those hashes were 40 % of its time
    (`make test` on two cores: 26 min with PBKDF2, 15 min with this). The production hashers
    stay in the list after the cheap one, so a password hashed by another process (a Celery
    worker, a demo seed) still checks.
    """
    from django.conf import settings
    from django.test import override_settings

    quick = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=quick):
        yield


@pytest.fixture(autouse=True)
def _rows_seeded_by_migrations(request):
    """Give every database test the rows that data migrations seed (the national cadence table,
    the national dues brackets, the term-length table).

    A transactional test ends with a flush that empties every table, seeded rows included. Run
    alone, pytest-django orders transactional tests last; under pytest-xdist a worker may run a
    plain test after one, so the rows are put back (idempotently) before each database test.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    migration = importlib.import_module("activities.migrations.0002_default_cadence_rules")
    national = apps.get_model("activities", "CadenceRule").objects.filter(sub_district=None)
    if national.count() < len(migration.DEFAULTS):
        migration.add_defaults(apps, None)
    dues = importlib.import_module("dues.migrations.0002_national_rates")
    if apps.get_model("dues", "DuesRate").objects.count() < len(dues.RATES):
        dues.add_rates(apps, None)
    terms = importlib.import_module("committees.migrations.0004_seed_term_length_rules")
    if apps.get_model("committees", "TermLengthRule").objects.filter(
        sub_district=None
    ).count() < len(terms.ROWS):
        terms.seed(apps, None)


@pytest.fixture
def sub_district():
    return SubDistrictFactory(name="如意湖办事处")


@pytest.fixture
def work_committee(sub_district):
    return OrganizationFactory(sub_district=sub_district, name="如意湖党工委")


@pytest.fixture
def branch(work_committee):
    return OrganizationFactory(parent=work_committee, name="联盟新城社区党支部")


@pytest.fixture
def party_group(branch):
    return OrganizationFactory(parent=branch, name="第一党小组", kind=OrganizationKind.PARTY_GROUP)


@pytest.fixture
def other_branch(work_committee):
    return OrganizationFactory(parent=work_committee, name="天路社区党支部")


@pytest.fixture
def other_sub_district_branch():
    root = OrganizationFactory(name="北林路街道党工委")
    return OrganizationFactory(parent=root, name="鑫苑社区党支部")


@pytest.fixture
def staff(sub_district):
    user = UserFactory(username="staff", is_staff=True)
    RoleAssignmentFactory(user=user, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    return user


@pytest.fixture
def secretary(branch, party_group):
    user = UserFactory(username="secretary")
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=branch)
    return user


@pytest.fixture
def other_secretary(other_branch):
    user = UserFactory(username="other_secretary")
    RoleAssignmentFactory(user=user, role=Role.SECRETARY, organization=other_branch)
    return user


@pytest.fixture
def resident():
    return UserFactory(username="resident", phone="13900000001")


@pytest.fixture
def member_user(branch, party_group):
    """An account bound to a member of `branch` (the `member` role of the access matrix)."""
    from members.models import BindingStatus, MemberBinding
    from tests.members.factories import MemberFactory

    user = UserFactory(username="member", phone="13900000077")
    record = MemberFactory(organization=branch, party_group=party_group, full_name="党员本人")
    MemberBinding.objects.create(member=record, user=user, status=BindingStatus.ACTIVE)
    return user


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clients(request, db, staff, secretary, other_secretary, resident, other_sub_district_branch):
    """A logged-in client per role of the access matrix (see tests/access.py). The `member`
    client (and its member row) is made only when a test asks for it."""
    return _Clients(
        request,
        {
            "anonymous": _client_for(None),
            "resident": _client_for(resident),
            "other_secretary": _client_for(other_secretary),
            "secretary": _client_for(secretary),
            "staff": _client_for(staff),
        },
    )


class _Clients(dict):
    def __init__(self, request: Any, clients: dict[str, Client]) -> None:
        super().__init__(clients)
        self._request = request

    def __missing__(self, role: str) -> Client:
        if role != "member":
            raise KeyError(role)
        self[role] = _client_for(self._request.getfixturevalue("member_user"))
        return self[role]


@pytest.fixture(autouse=True)
def _sms_to_memory(settings):
    """SMS go to accounts.sms.outbox in tests (like Django's locmem mail backend)."""
    from accounts import sms

    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (throttle counters, cached page summaries)."""
    from django.core.cache import cache

    cache.clear()


class Clock:
    """Django's clock, held still: `timezone.now()` (and so `localdate()`, `localtime()` and
    `auto_now` fields) returns `self.now` until moved. Only Django's clock is held; our code reads
    no other (a test in tests/test_clock.py checks that test modules read none at import)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._ticks = 0

    def read(self) -> dt.datetime:
        """`self.now` plus a microsecond per earlier read: rows created one after another keep
        their order (`order_by("-created_at")`) while every read stays within the same second."""
        self._ticks += 1
        return (self.now + dt.timedelta(microseconds=self._ticks - 1)).astimezone(dt.UTC)

    def set(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        """Move to `day` at hour:minute, Asia/Shanghai."""
        self.now, self._ticks = dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI), 0
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now, self._ticks = self.now + dt.timedelta(**delta), 0
        return self.now

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(SHANGHAI).date()


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(monkeypatch):
    """A fixed 'now': today (Asia/Shanghai) at 10:00, far from midnight, so that 'today',
    'tomorrow' and 'the next hour' mean the same whenever the suite runs. Move it with
    `clock.set(day, hour)` for a chosen date, or `clock.advance(minutes=...)`."""
    from django.utils import timezone

    real_today = dt.datetime.now(SHANGHAI).date()
    held = Clock(dt.datetime.combine(real_today, dt.time(10), SHANGHAI))
    monkeypatch.setattr(timezone, "now", held.read)
    return held
