from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from members import transfers
from members.errors import TransferConflict, TransferRefused
from members.models import Member, MemberSettings, Transfer
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def member(branch):
    return MemberFactory(organization=branch, full_name="转接党员")


def issue(actor, member, to, **extra):
    return transfers.issue_transfer(
        actor=actor, member=member, kind="internal", issued_on=TODAY(), to_organization=to, **extra
    )


def test_branch_changes_only_on_acceptance(
    secretary, other_secretary, member, branch, other_branch
):
    transfer = issue(secretary, member, other_branch)
    assert transfer.number.startswith(f"{TODAY():%Y}-")
    assert transfer.valid_until == TODAY() + dt.timedelta(days=30)
    member.refresh_from_db()
    assert member.organization == branch  # the sender stays responsible
    with pytest.raises(TransferRefused):
        transfers.accept_transfer(actor=secretary, transfer=transfer)  # not the receiver
    transfers.accept_transfer(actor=other_secretary, transfer=transfer)
    member.refresh_from_db()
    assert member.organization == other_branch and member.party_group is None
    assert AuditEntry.objects.filter(action="transfer.accepted").exists()


def test_validity_is_a_setting_of_the_sub_district(secretary, member, other_branch, sub_district):
    MemberSettings.objects.create(sub_district=sub_district, transfer_validity_days=45)
    assert issue(secretary, member, other_branch).valid_until == TODAY() + dt.timedelta(days=45)


def test_only_one_open_transfer_per_member(secretary, member, other_branch):
    issue(secretary, member, other_branch)
    with pytest.raises(TransferRefused):
        issue(secretary, member, other_branch)
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "internal", "to_organization": None}, "to_organization"),
        ({"kind": "outbound", "external_organization": " "}, "external_organization"),
        ({"kind": "internal", "issued_on": "future"}, "issued_on"),
        ({"kind": "teleport"}, "kind"),
    ],
)
def test_bad_letters_are_refused(secretary, member, other_branch, kwargs, field):
    args = {
        "actor": secretary,
        "member": member,
        "issued_on": TODAY(),
        "to_organization": other_branch,
    }
    args.update(kwargs)
    if args["issued_on"] == "future":
        args["issued_on"] = TODAY() + dt.timedelta(days=1)
    with pytest.raises(TransferRefused) as caught:
        transfers.issue_transfer(**args)
    assert caught.value.field == field and not Transfer.objects.exists()


def test_same_branch_is_refused(secretary, member, branch):
    with pytest.raises(TransferRefused):
        issue(secretary, member, branch)


def test_outbound_acceptance_takes_the_member_off_the_roll(secretary, member):
    transfer = transfers.issue_transfer(
        actor=secretary, member=member, kind="outbound", issued_on=TODAY(),
        external_organization="上海市某街道党工委",
    )  # fmt: skip
    transfers.accept_transfer(actor=secretary, transfer=transfer)
    member.refresh_from_db()
    assert member.state == "transferred_out"
    assert not Member.objects.current().filter(pk=member.pk).exists()


def test_expired_letters_form_the_pocket_list(secretary, member, other_branch, other_secretary):
    transfer = issue(secretary, member, other_branch)
    Transfer.objects.filter(pk=transfer.pk).update(
        issued_on=TODAY() - dt.timedelta(days=40), valid_until=TODAY() - dt.timedelta(days=10)
    )
    with pytest.raises(TransferConflict):
        transfers.accept_transfer(actor=other_secretary, transfer=transfer)
    assert Transfer.objects.get().state == "expired"
    assert list(Transfer.objects.pocket()) == [transfer]
    assert transfers.expire_transfers() == 0  # already expired; running again changes nothing
    issue(secretary, member, other_branch)
    assert not Transfer.objects.pocket().exists()


def test_revoke_then_accept_is_a_conflict(secretary, other_secretary, member, other_branch):
    transfer = issue(secretary, member, other_branch)
    transfers.revoke_transfer(actor=secretary, transfer=transfer)
    with pytest.raises(TransferConflict):
        transfers.accept_transfer(actor=other_secretary, transfer=transfer)
    member.refresh_from_db()
    assert member.organization_id != other_branch.pk


def test_reject_needs_a_reason(secretary, other_secretary, member, other_branch):
    transfer = issue(secretary, member, other_branch)
    with pytest.raises(TransferRefused):
        transfers.reject_transfer(actor=other_secretary, transfer=transfer, note="")
    transfers.reject_transfer(actor=other_secretary, transfer=transfer, note="不在本社区居住")
    assert Transfer.objects.get().state == "rejected"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("attempt", range(5))
def test_concurrent_accept_and_revoke_cannot_both_win(
    secretary, other_secretary, member, other_branch, branch, attempt
):
    transfer = issue(secretary, member, other_branch)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name, func, actor):
        from django.db import connections

        try:
            barrier.wait()
            func(actor=actor, transfer=transfer)
            outcomes[name] = "won"
        except TransferConflict:
            outcomes[name] = "conflict"
        except Exception as exc:  # noqa: BLE001  (shown by the assertion below)
            outcomes[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("accept", transfers.accept_transfer, other_secretary)),
        threading.Thread(target=run, args=("revoke", transfers.revoke_transfer, secretary)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["conflict", "won"]
    transfer.refresh_from_db()
    member.refresh_from_db()
    if outcomes["accept"] == "won":
        assert transfer.state == "accepted" and member.organization_id == other_branch.pk
    else:
        assert transfer.state == "revoked" and member.organization_id == branch.pk


def test_transfer_pages_access_matrix(clients, secretary, member, other_branch):
    transfer = issue(secretary, member, other_branch)
    ok = {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200}
    assert_access(clients, reverse("staff:transfer-list"), ok)
    assert_access(clients, reverse("staff:transfer-detail", args=[transfer.pk]), ok)
    assert_access(
        clients,
        reverse("staff:transfer-issue", args=[member.pk]),
        {**ok, "other_secretary": 404},
    )


def test_receiver_accepts_through_the_page(clients, secretary, member, other_branch):
    transfer = issue(secretary, member, other_branch)
    url = reverse("staff:transfer-decide", args=[transfer.pk, "accept"])
    before = Transfer.objects.get().state
    assert clients["secretary"].post(url).status_code == 400  # the sender cannot accept
    assert Transfer.objects.get().state == before
    assert clients["other_secretary"].post(url).status_code == 302
    assert Transfer.objects.get().state == "accepted"
    again = clients["other_secretary"].post(url)
    assert again.status_code == 409 and "已接收" in again.content.decode()


def test_issue_through_the_page(clients, member, other_branch):
    response = clients["secretary"].post(
        reverse("staff:transfer-issue", args=[member.pk]),
        {"kind": "internal", "to_organization": other_branch.pk, "issued_on": TODAY().isoformat()},
    )
    assert response.status_code == 302 and Transfer.objects.count() == 1


def test_transfer_api(clients, secretary, member, other_branch):
    assert_access(
        clients,
        "/api/v1/transfers/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    response = clients["secretary"].post(
        "/api/v1/transfers/",
        {"member": member.pk, "kind": "internal", "to_organization": other_branch.pk,
         "issued_on": TODAY().isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert clients["other_secretary"].post(f"/api/v1/transfers/{pk}/accept/").status_code == 200
    assert clients["other_secretary"].post(f"/api/v1/transfers/{pk}/revoke/").status_code == 409


def test_pocket_and_out_of_contact_tabs(clients, member, branch):
    MemberFactory(
        organization=branch,
        full_name="失联党员",
        out_of_contact_since=TODAY() - dt.timedelta(days=200),
    )
    body = (
        clients["secretary"]
        .get(reverse("staff:transfer-list"), {"tab": "out_of_contact"})
        .content.decode()
    )
    assert "失联党员" in body and "转接党员" not in body
    body = (
        clients["secretary"].get(reverse("staff:transfer-list"), {"tab": "pocket"}).content.decode()
    )
    assert "没有" in body


def inbound_data(branch, **extra):
    from tests.members.factories import valid_id

    data = {
        "to_organization": branch.pk,
        "external_organization": "外省某街道党工委",
        "issued_on": TODAY().isoformat(),
        "full_name": "转入党员",
        "id_number": valid_id(777),
        "phone": "13900001111",
        "status": "full",
        "joined_on": "2010-07-01",
    }
    data.update(extra)
    return data


def test_inbound_page_access_matrix(clients, branch):
    url = reverse("staff:transfer-inbound")
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_inbound_page_registers_a_letter_and_acceptance_puts_the_member_on_the_roll(
    clients, secretary, branch
):
    response = clients["secretary"].post(reverse("staff:transfer-inbound"), inbound_data(branch))
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.kind == "inbound" and transfer.to_organization == branch
    member = transfer.member
    assert member.state == "incoming" and member.id_number_masked.endswith(
        member.id_number_masked[-4:]
    )
    transfers.accept_transfer(actor=secretary, transfer=transfer)
    member.refresh_from_db()
    assert member.state == "active"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "123"),
        ("external_organization", " "),
        ("issued_on", "2099-01-01"),
        ("to_organization", "999999"),
        ("full_name", ""),
    ],
)
def test_inbound_page_refuses_bad_input_and_writes_nothing(clients, branch, field, value):
    response = clients["secretary"].post(
        reverse("staff:transfer-inbound"), inbound_data(branch, **{field: value})
    )
    assert response.status_code == 200
    assert (
        Transfer.objects.count() == 0 and not Member.objects.filter(full_name="转入党员").exists()
    )


def test_inbound_page_refuses_another_branch(clients, branch):
    response = clients["other_secretary"].post(
        reverse("staff:transfer-inbound"), inbound_data(branch)
    )
    assert response.status_code == 200
    assert Transfer.objects.count() == 0
