from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.errors import DomainError
from accounts.models import AuditEntry
from regional.models import ItemStatus, Need, Project, ProjectStatus, Resource
from regional.services import joint as services
from tests.regional import joint_setup

API = "/api/v1"


@pytest.fixture
def w(db, sub_district, branch):
    return joint_setup.build(sub_district, branch)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_released_need_is_open_again_and_the_project_is_kept_as_history(w, staff):
    first = services.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    with pytest.raises(DomainError, match="理由"):
        services.release_need(need=w.need, unit=w.unit, reason="  ", actor=w.liaison)
    with pytest.raises(DomainError) as other_unit:
        services.release_need(need=w.need, unit=w.second_unit, reason="不是我", actor=staff)
    assert other_unit.value.status_code == 409
    assert Need.objects.get(pk=w.need.pk).claimed_by == w.unit
    released = services.release_need(need=w.need, unit=w.unit, reason="人手不足", actor=w.liaison)
    assert released.pk == first.pk
    assert (released.status, released.need, released.released_need) == (
        ProjectStatus.RELEASED,
        None,
        w.need,
    )
    need = Need.objects.get(pk=w.need.pk)
    assert (need.status, need.claimed_by, need.claimed_at) == (ItemStatus.OPEN, None, None)
    entry = AuditEntry.objects.get(action="joint.need_released")
    assert entry.data["reason"] == "人手不足" and entry.data["project"] == first.pk
    # Claimable again, by another unit, as a new project; the released one cannot take notes.
    second = services.claim_need(need=need, unit=w.second_unit, deadline=w.today, actor=staff)
    assert second.pk != first.pk and Project.objects.count() == 2
    with pytest.raises(DomainError, match="释放"):
        services.note_project_progress(project=released, text="继续", actor=w.liaison)
    # A released claim no longer counts as a claim taken at the year-end evaluation.
    figures = services.unit_figures(w.committee, w.today.year)
    assert figures[w.unit.pk]["claims_taken"] == 0
    assert figures[w.second_unit.pk]["claims_taken"] == 1


def test_a_closed_claim_cannot_be_released(w, secretary):
    project = services.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    services.confirm_project_done(project=project, actor=secretary)
    before = joint_setup.snapshot()
    with pytest.raises(DomainError, match="进行中"):
        services.release_need(need=w.need, unit=w.unit, reason="晚了", actor=w.liaison)
    assert joint_setup.snapshot() == before


def test_community_releases_a_resource(w, secretary):
    services.claim_resource(
        resource=w.resource, community=w.community, deadline=w.today, actor=secretary
    )
    services.release_resource(
        resource=w.resource, community=w.community, reason="场地冲突", actor=secretary
    )
    resource = Resource.objects.get(pk=w.resource.pk)
    assert resource.status == ItemStatus.OPEN and resource.claimed_by is None
    assert Project.objects.get().released_resource == resource


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", [6])
def test_release_racing_a_claim_and_a_confirmation_stays_consistent(
    sub_district, branch, secretary, rounds
):
    """A release races a second unit's claim and the community's confirmation. Whatever the
    order, the need and its projects agree: at most one project holds the need, and the need's
    state matches it."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks; SQLite serialises writers")
    w = joint_setup.build(sub_district, branch)
    outcomes = set()
    for n in range(rounds):
        need = Need.objects.create(committee=w.committee, community=w.community, title=f"需{n}")
        project = services.claim_need(need=need, unit=w.unit, deadline=w.today, actor=None)
        barrier = threading.Barrier(3)
        results: dict[str, str] = {}

        def run(name, call, barrier=barrier, results=results):
            try:
                barrier.wait()
                call()
                results[name] = "ok"
            except DomainError as exc:
                results[name] = str(exc.status_code)
            finally:
                connections.close_all()

        calls = {
            "release": lambda need=need: services.release_need(
                need=need, unit=w.unit, reason="改期", actor=None
            ),
            "claim": lambda need=need: services.claim_need(
                need=need, unit=w.second_unit, deadline=w.today, actor=None
            ),
            "confirm": lambda project=project: services.confirm_project_done(
                project=project, actor=None
            ),
        }
        threads = [threading.Thread(target=run, args=item) for item in calls.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        need.refresh_from_db()
        holding = list(Project.objects.filter(need=need))
        assert len(holding) <= 1
        # Release and confirmation exclude each other.
        assert not (results["release"] == "ok" and results["confirm"] == "ok")
        if need.status == ItemStatus.OPEN:
            assert holding == [] and results["release"] == "ok"
        else:
            assert len(holding) == 1 and holding[0].unit_id == need.claimed_by_id
            assert (need.status == ItemStatus.CLOSED) == (holding[0].status == ProjectStatus.DONE)
        outcomes.add(tuple(sorted(results.items())))
    assert outcomes


def test_release_page_for_the_claimant_only(clients, w):
    services.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    project = Project.objects.get()
    url = reverse("staff:joint-need-release", args=[w.need.pk])
    liaison = as_user(w.liaison)
    detail = liaison.get(reverse("staff:joint-project-detail", args=[project.pk]))
    assert detail.context["release_url"] == url
    other_liaison = as_user(w.second_liaison)
    before = joint_setup.snapshot()
    assert other_liaison.get(url).status_code in (403, 404)
    assert other_liaison.post(url, {"reason": "抢"}).status_code in (403, 404)
    assert clients["secretary"].post(url, {"reason": "抢"}).status_code == 403
    assert clients["other_secretary"].post(url, {"reason": "抢"}).status_code == 404
    assert clients["resident"].post(url, {"reason": "抢"}).status_code == 403
    assert clients["anonymous"].post(url, {"reason": "抢"}).status_code == 302
    assert liaison.post(url, {"reason": ""}).status_code == 200
    assert liaison.post(url, {"reason": "x" * 201}).status_code == 200
    assert joint_setup.snapshot() == before
    assert liaison.post(url, {"reason": "人手不足"}).status_code == 302
    assert Need.objects.get(pk=w.need.pk).status == ItemStatus.OPEN
    # Released: the project page says so and offers no button; the need lists as claimable.
    detail = liaison.get(reverse("staff:joint-project-detail", args=[project.pk]))
    assert detail.context["release_url"] is None
    assert "人手不足" in detail.content.decode()
    assert w.need in other_liaison.get(reverse("staff:joint-need-list")).context["needs"]


def test_staff_release_a_resource_for_a_community_on_the_page(clients, w, secretary):
    services.claim_resource(
        resource=w.resource, community=w.community, deadline=w.today, actor=secretary
    )
    url = reverse("staff:joint-resource-release", args=[w.resource.pk])
    assert as_user(w.liaison).post(url, {"reason": "x"}).status_code == 403
    assert clients["staff"].post(url, {"reason": "社区调整"}).status_code == 302
    assert Resource.objects.get(pk=w.resource.pk).status == ItemStatus.OPEN


def test_release_api(clients, w):
    services.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    url = f"{API}/needs/{w.need.pk}/release/"
    liaison = as_user(w.liaison)
    other_liaison = as_user(w.second_liaison)  # before the snapshot: a login is audited
    before = joint_setup.snapshot()
    assert post(clients["resident"], url, {"reason": "x"}).status_code == 403
    assert post(clients["secretary"], url, {"reason": "x"}).status_code == 403
    assert post(clients["other_secretary"], url, {"reason": "x"}).status_code == 404
    assert post(other_liaison, url, {"reason": "x"}).status_code in (403, 404)
    assert post(liaison, url, {}).status_code == 400
    assert joint_setup.snapshot() == before
    response = post(liaison, url, {"reason": "人手不足"})
    assert response.status_code == 200 and response.json()["status"] == "released"
    assert post(liaison, url, {"reason": "again"}).status_code in (403, 404)
    # Resource release through the API by the claiming community.
    services.claim_resource(
        resource=w.resource, community=w.community, deadline=w.today, actor=None
    )
    url = f"{API}/resources/{w.resource.pk}/release/"
    assert post(liaison, url, {"reason": "x"}).status_code == 403
    assert post(clients["secretary"], url, {"reason": "不需要了"}).status_code == 200
    assert Resource.objects.get(pk=w.resource.pk).status == ItemStatus.OPEN


def test_released_project_keeps_its_deadline(w):
    project = services.claim_need(
        need=w.need, unit=w.unit, deadline=w.today + dt.timedelta(days=3), actor=None
    )
    services.release_need(need=w.need, unit=w.unit, reason="改期", actor=None)
    project.refresh_from_db()
    assert project.deadline == w.today + dt.timedelta(days=3) and project.released_at
