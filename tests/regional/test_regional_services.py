from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry
from regional.models import CommitteeLevel, RegionalMembership
from regional.services import committees as services
from tests.accounts.factories import UserFactory
from tests.branches.factories import CoBuildingUnitFactory, CommunityFactory
from tests.regional.regional_setup import build, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """Today at 10:00: 'tomorrow' is the same day whenever the suite runs."""
    return clock


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def w(sub_district):
    return build(sub_district)


@pytest.fixture
def actor(staff):
    return staff


def refused(error: type[Exception], message: str, call, *args, **kwargs) -> None:
    """The service raises `error` with `message` (in Chinese) and writes nothing."""
    before = snapshot()
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert caught.value.message == message
    assert snapshot() == before


# --- create_regional_committee ------------------------------------------------------------------


def test_creates_a_community_committee_spanning_two_communities(w, actor):
    second = CommunityFactory(sub_district=w.sub_district, name="绿地社区")
    committee = services.create_regional_committee(
        sub_district=w.sub_district,
        level=CommitteeLevel.COMMUNITY,
        name=" 龙湖绿地联合社区大党委 ",
        founded_on=dt.date(2017, 6, 1),
        communities=[w.community, second],
        actor=actor,
    )
    assert committee.name == "龙湖绿地联合社区大党委"
    assert set(committee.communities.all()) == {w.community, second}
    entry = AuditEntry.objects.get(action="regional.committee_created")
    assert entry.actor == actor and entry.target_id == str(committee.pk)


def test_refuses_a_committee_over_a_community_of_another_sub_district(w, actor):
    refused(
        services.OutsideSubDistrict,
        "区域党委只能覆盖本街道的社区。",
        services.create_regional_committee,
        sub_district=w.sub_district,
        level=CommitteeLevel.COMMUNITY,
        name="新社区大党委",
        founded_on=None,
        communities=[w.other_community],
        actor=actor,
    )


def test_refuses_a_duplicate_committee_name(w, actor):
    refused(
        services.DuplicateName,
        "本街道已有同名的区域党委。",
        services.create_regional_committee,
        sub_district=w.sub_district,
        level=CommitteeLevel.SUB_DISTRICT,
        name="如意湖大工委",
        founded_on=None,
        actor=actor,
    )


def test_refuses_a_founding_date_in_the_future(w, actor):
    refused(
        services.DateInFuture,
        "日期不能晚于今天。",
        services.create_regional_committee,
        sub_district=w.sub_district,
        level=CommitteeLevel.SUB_DISTRICT,
        name="未来大工委",
        founded_on=tomorrow(),
        actor=actor,
    )


# --- admit_unit / remove_unit -------------------------------------------------------------------


def test_admits_a_unit_with_its_join_date_and_an_audit_entry(w, actor):
    seat = services.admit_unit(
        committee=w.committee, unit=w.free_unit, joined_on=dt.date(2018, 3, 1), actor=actor
    )
    assert seat.joined_on == dt.date(2018, 3, 1) and seat.left_on is None
    assert AuditEntry.objects.filter(action="regional.unit_admitted", actor=actor).count() == 1


def test_a_unit_may_sit_on_several_committees(w, actor):
    services.admit_unit(
        committee=w.community_committee, unit=w.unit, joined_on=dt.date(2017, 3, 1), actor=actor
    )
    assert RegionalMembership.objects.filter(unit=w.unit, left_on__isnull=True).count() == 2


def test_refuses_a_unit_of_another_sub_district(w, actor):
    refused(
        services.OutsideSubDistrict,
        "只有本街道的共建单位才能加入该区域党委。",
        services.admit_unit,
        committee=w.committee,
        unit=w.other_unit,
        joined_on=dt.date(2018, 1, 1),
        actor=actor,
    )


def test_refuses_a_unit_already_sitting(w, actor):
    refused(
        services.UnitAlreadySitting,
        "该单位已是该区域党委的成员单位。",
        services.admit_unit,
        committee=w.committee,
        unit=w.unit,
        joined_on=dt.date(2018, 1, 1),
        actor=actor,
    )


def test_refuses_a_join_date_before_the_founding(w, actor):
    refused(
        services.DateOutOfOrder,
        "成员单位的加入日期不能早于区域党委成立日期（2016-12-22）。",
        services.admit_unit,
        committee=w.committee,
        unit=w.free_unit,
        joined_on=dt.date(2016, 12, 21),
        actor=actor,
    )


def test_refuses_a_join_date_in_the_future(w, actor):
    refused(
        services.DateInFuture,
        "日期不能晚于今天。",
        services.admit_unit,
        committee=w.committee,
        unit=w.free_unit,
        joined_on=tomorrow(),
        actor=actor,
    )


def test_removes_a_unit_keeping_the_row_and_may_readmit_it_later(w, actor):
    services.remove_unit(membership=w.seat, left_on=dt.date(2019, 12, 31), actor=actor)
    w.seat.refresh_from_db()
    assert w.seat.left_on == dt.date(2019, 12, 31)
    refused(
        services.DateOutOfOrder,
        "该单位此前的成员资格在此日期之后才结束，请选择更晚的加入日期。",
        services.admit_unit,
        committee=w.committee,
        unit=w.unit,
        joined_on=dt.date(2019, 12, 31),
        actor=actor,
    )
    services.admit_unit(
        committee=w.committee, unit=w.unit, joined_on=dt.date(2020, 1, 1), actor=actor
    )
    assert RegionalMembership.objects.filter(committee=w.committee, unit=w.unit).count() == 2


def test_refuses_a_leave_date_before_joining(w, actor):
    refused(
        services.DateOutOfOrder,
        "退出日期不能早于加入日期（2017-01-01）。",
        services.remove_unit,
        membership=w.seat,
        left_on=dt.date(2016, 12, 31),
        actor=actor,
    )


def test_refuses_to_remove_a_unit_twice(w, actor):
    services.remove_unit(membership=w.seat, left_on=dt.date(2019, 1, 1), actor=actor)
    refused(
        services.AlreadyEnded,
        "该单位已退出该区域党委。",
        services.remove_unit,
        membership=w.seat,
        left_on=dt.date(2019, 2, 1),
        actor=actor,
    )


# --- memberships over time ----------------------------------------------------------------------


def test_memberships_on_a_day_follow_join_and_leave_dates(w, actor):
    services.admit_unit(
        committee=w.committee, unit=w.free_unit, joined_on=dt.date(2018, 3, 1), actor=actor
    )
    services.remove_unit(membership=w.seat, left_on=dt.date(2019, 12, 31), actor=actor)

    def names(day: dt.date) -> set[str]:
        seats = RegionalMembership.objects.filter(committee=w.committee).on(day)
        return set(seats.values_list("unit__name", flat=True))

    assert names(dt.date(2016, 12, 31)) == set()
    assert names(dt.date(2017, 1, 1)) == {"郑州市儿童医院党委"}
    assert names(dt.date(2018, 3, 1)) == {"郑州市儿童医院党委", "郑州国际会展中心党委"}
    assert names(dt.date(2019, 12, 31)) == {"郑州市儿童医院党委", "郑州国际会展中心党委"}
    assert names(dt.date(2020, 1, 1)) == {"郑州国际会展中心党委"}


# --- part-time members --------------------------------------------------------------------------


def test_appoints_and_ends_a_part_time_member(w, actor):
    member = services.appoint_part_time_member(
        committee=w.committee,
        unit=w.unit,
        full_name="王建国",
        title="副书记",
        started_on=dt.date(2018, 1, 1),
        actor=actor,
    )
    services.end_part_time_member(member=member, ended_on=dt.date(2019, 6, 30), actor=actor)
    member.refresh_from_db()
    assert member.ended_on == dt.date(2019, 6, 30)
    assert AuditEntry.objects.filter(action__startswith="regional.part_time").count() == 2


def test_refuses_a_part_time_member_from_a_unit_not_sitting_that_day(w, actor):
    refused(
        services.UnitNotSitting,
        "兼职委员必须来自当日在该区域党委的成员单位。",
        services.appoint_part_time_member,
        committee=w.committee,
        unit=w.free_unit,
        full_name="王建国",
        started_on=dt.date(2018, 1, 1),
        actor=actor,
    )
    refused(
        services.UnitNotSitting,
        "兼职委员必须来自当日在该区域党委的成员单位。",
        services.appoint_part_time_member,
        committee=w.committee,
        unit=w.unit,
        full_name="王建国",
        started_on=dt.date(2016, 12, 31),
        actor=actor,
    )


def test_refuses_a_part_time_member_without_a_name(w, actor):
    refused(
        services.RegionalRuleBroken,
        "请填写兼职委员姓名。",
        services.appoint_part_time_member,
        committee=w.committee,
        unit=w.unit,
        full_name="   ",
        started_on=dt.date(2018, 1, 1),
        actor=actor,
    )


def test_refuses_to_end_an_appointment_before_it_started_or_twice(w, actor):
    refused(
        services.DateOutOfOrder,
        "任职结束日期不能早于开始日期（2017-01-01）。",
        services.end_part_time_member,
        member=w.part_time_member,
        ended_on=dt.date(2016, 1, 1),
        actor=actor,
    )
    services.end_part_time_member(
        member=w.part_time_member, ended_on=dt.date(2018, 1, 1), actor=actor
    )
    refused(
        services.AlreadyEnded,
        "该兼职委员的任职已结束。",
        services.end_part_time_member,
        member=w.part_time_member,
        ended_on=dt.date(2018, 2, 1),
        actor=actor,
    )


# --- visits -------------------------------------------------------------------------------------


def test_records_a_visit_and_completes_its_follow_up(w, actor):
    visit = services.record_visit(
        unit=w.free_unit,
        visited_on=dt.date(2019, 9, 3),
        visitors="李一",
        needs="展会志愿者",
        follow_up="组织培训",
        actor=actor,
    )
    assert visit.recorded_by == actor
    services.complete_visit_follow_up(
        visit=visit, done_on=dt.date(2019, 10, 8), follow_up="已培训 30 人", actor=actor
    )
    visit.refresh_from_db()
    assert visit.follow_up_done_on == dt.date(2019, 10, 8)
    assert visit.follow_up == "已培训 30 人"


def test_refuses_a_visit_without_visitors_or_in_the_future(w, actor):
    refused(
        services.RegionalRuleBroken,
        "请填写走访人员。",
        services.record_visit,
        unit=w.unit,
        visited_on=dt.date(2019, 1, 1),
        visitors=" ",
        actor=actor,
    )
    refused(
        services.DateInFuture,
        "日期不能晚于今天。",
        services.record_visit,
        unit=w.unit,
        visited_on=tomorrow(),
        visitors="李一",
        actor=actor,
    )


def test_refuses_a_follow_up_before_the_visit_or_twice(w, actor):
    refused(
        services.DateOutOfOrder,
        "跟进办结日期不能早于走访日期（2019-04-12）。",
        services.complete_visit_follow_up,
        visit=w.visit,
        done_on=dt.date(2019, 4, 11),
        actor=actor,
    )
    services.complete_visit_follow_up(visit=w.visit, done_on=dt.date(2019, 5, 1), actor=actor)
    refused(
        services.AlreadyEnded,
        "该走访的跟进事项已办结。",
        services.complete_visit_follow_up,
        visit=w.visit,
        done_on=dt.date(2019, 5, 2),
        actor=actor,
    )


# --- pairings -----------------------------------------------------------------------------------


def test_pairs_and_ends_a_pairing(w, actor):
    pairing = services.pair_unit_with_community(
        unit=w.free_unit, community=w.community, started_on=dt.date(2018, 1, 1), actor=actor
    )
    services.end_pairing(pairing=pairing, ended_on=dt.date(2019, 1, 1), actor=actor)
    pairing.refresh_from_db()
    assert pairing.ended_on == dt.date(2019, 1, 1)


def test_refuses_a_pairing_across_sub_districts_or_already_open(w, actor):
    refused(
        services.OutsideSubDistrict,
        "共建单位只能与本街道的社区结对。",
        services.pair_unit_with_community,
        unit=w.unit,
        community=w.other_community,
        started_on=dt.date(2018, 1, 1),
        actor=actor,
    )
    refused(
        services.AlreadyPaired,
        "该单位已与该社区结对共建。",
        services.pair_unit_with_community,
        unit=w.unit,
        community=w.community,
        started_on=dt.date(2018, 1, 1),
        actor=actor,
    )


def test_refuses_a_pairing_overlapping_an_earlier_one(w, actor):
    services.end_pairing(pairing=w.pairing, ended_on=dt.date(2019, 12, 31), actor=actor)
    refused(
        services.DateOutOfOrder,
        "该单位与该社区此前的结对在此日期之后才结束。",
        services.pair_unit_with_community,
        unit=w.unit,
        community=w.community,
        started_on=dt.date(2019, 6, 1),
        actor=actor,
    )


def test_refuses_to_end_a_pairing_before_it_started_or_twice(w, actor):
    refused(
        services.DateOutOfOrder,
        "结对结束日期不能早于开始日期（2017-05-01）。",
        services.end_pairing,
        pairing=w.pairing,
        ended_on=dt.date(2017, 4, 30),
        actor=actor,
    )
    services.end_pairing(pairing=w.pairing, ended_on=dt.date(2018, 1, 1), actor=actor)
    refused(
        services.AlreadyEnded,
        "该结对已结束。",
        services.end_pairing,
        pairing=w.pairing,
        ended_on=dt.date(2018, 2, 1),
        actor=actor,
    )


# --- units --------------------------------------------------------------------------------------


def test_registers_and_updates_a_unit(w, actor):
    unit = services.register_unit(
        sub_district=w.sub_district,
        name="郑州四十七中",
        unit_type="school",
        leader_name="周校长",
        actor=actor,
    )
    services.update_unit(unit=unit, address="如意湖路 1 号", actor=actor)
    unit.refresh_from_db()
    assert unit.address == "如意湖路 1 号"
    assert AuditEntry.objects.filter(action="regional.unit_updated").get().data == {
        "fields": ["address"]
    }


def test_update_without_a_change_writes_no_audit_entry(w, actor):
    before = AuditEntry.objects.count()
    services.update_unit(unit=w.unit, name=w.unit.name, actor=actor)
    assert AuditEntry.objects.count() == before


def test_refuses_a_duplicate_or_empty_unit_name(w, actor):
    refused(
        services.DuplicateName,
        "本街道已有同名的共建单位。",
        services.register_unit,
        sub_district=w.sub_district,
        name="郑州市儿童医院党委",
        actor=actor,
    )
    refused(
        services.DuplicateName,
        "本街道已有同名的共建单位。",
        services.update_unit,
        unit=w.free_unit,
        name="郑州市儿童医院党委",
        actor=actor,
    )
    refused(
        services.RegionalRuleBroken,
        "请填写单位名称。",
        services.register_unit,
        sub_district=w.sub_district,
        name="",
        actor=actor,
    )


def test_the_same_unit_name_is_allowed_in_another_sub_district(w, actor):
    unit = services.register_unit(
        sub_district=w.other_sub_district, name="郑州市儿童医院党委", actor=actor
    )
    assert unit.sub_district == w.other_sub_district


def test_liaison_must_hold_the_liaison_role_for_the_unit(w, actor):
    refused(
        services.NotALiaison,
        "联络员必须拥有该单位的共建单位联络员角色。",
        services.update_unit,
        unit=w.unit,
        liaison=UserFactory(username="someone"),
        actor=actor,
    )
    refused(
        services.NotALiaison,
        "联络员必须拥有该单位的共建单位联络员角色。",
        services.update_unit,
        unit=w.free_unit,
        liaison=w.liaison,
        actor=actor,
    )
    services.update_unit(unit=w.unit, liaison=w.liaison, actor=actor)
    w.unit.refresh_from_db()
    assert w.unit.liaison == w.liaison


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_admissions_of_one_unit_seat_it_once(sub_district, staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    committee = build(sub_district).committee
    unit = CoBuildingUnitFactory(sub_district=sub_district, name="并发单位")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def admit() -> None:
        try:
            barrier.wait()
            services.admit_unit(
                committee=committee, unit=unit, joined_on=dt.date(2018, 1, 1), actor=staff
            )
            outcomes.append("admitted")
        except services.UnitAlreadySitting:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=admit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["admitted", "refused"]
    assert RegionalMembership.objects.filter(committee=committee, unit=unit).count() == 1
