"""Binding a member's record to an account: by request (name + ID tail) approved by the
secretary, or by the secretary's SMS invitation; one account per member; unbinding audited."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEntry, OutgoingSms
from members.binding import services
from members.models import BindingAttempt, CorrectionRequest, MemberBinding, MemberChange
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(branch):
    return MemberFactory(organization=branch, full_name="李红", id_number=valid_id(501))


def _tail(record_number: str) -> str:
    return record_number[-6:]


def test_right_name_and_tail_ask_and_the_secretary_approves(record, resident, secretary):
    binding = services.request_binding(
        user=resident, full_name="李红", id_tail=_tail(valid_id(501))
    )
    assert binding.status == "requested"
    assert services.member_of(resident) is None  # not before the secretary approves
    services.approve_binding(binding=binding, actor=secretary)
    resident.__dict__.pop("_bound_member", None)
    assert services.member_of(resident) == record
    assert AuditEntry.objects.filter(action="member.binding_approved").count() == 1


def test_wrong_id_tail_is_refused_with_the_same_message_as_an_unknown_name(record, resident):
    with pytest.raises(services.BindingRefused) as wrong_tail:
        services.request_binding(user=resident, full_name="李红", id_tail="000000")
    with pytest.raises(services.BindingRefused) as unknown:
        services.request_binding(user=resident, full_name="无此人", id_tail=_tail(valid_id(501)))
    assert wrong_tail.value.message == unknown.value.message
    assert not MemberBinding.objects.exists()
    assert BindingAttempt.objects.filter(user=resident, matched=False).count() == 2


def test_a_badly_shaped_tail_is_refused_on_its_field(record, resident):
    with pytest.raises(services.BindingRefused) as refused:
        services.request_binding(user=resident, full_name="李红", id_tail="12ab")
    assert refused.value.field == "id_tail"


def test_attempts_are_limited_per_day_even_with_the_right_tail(record, resident, settings, clock):
    settings.MEMBER_BINDING_MAX_FAILURES = 3
    for _ in range(3):
        with pytest.raises(services.BindingRefused):
            services.request_binding(user=resident, full_name="李红", id_tail="000000")
    with pytest.raises(services.BindingRefused) as refused:
        services.request_binding(user=resident, full_name="李红", id_tail=_tail(valid_id(501)))
    assert "Too many" in refused.value.message or "次数" in refused.value.message
    assert not MemberBinding.objects.exists()
    clock.advance(minutes=24 * 60 + 1)
    assert (
        services.request_binding(
            user=resident, full_name="李红", id_tail=_tail(valid_id(501))
        ).status
        == "requested"
    )


def test_one_account_per_member(record, secretary):
    first, second = UserFactory(), UserFactory()
    a = services.request_binding(user=first, full_name="李红", id_tail=_tail(valid_id(501)))
    b = services.request_binding(user=second, full_name="李红", id_tail=_tail(valid_id(501)))
    services.approve_binding(binding=a, actor=secretary)
    with pytest.raises(services.BindingConflict):
        services.approve_binding(binding=b, actor=secretary)
    assert MemberBinding.objects.filter(member=record, status="active").count() == 1
    # and the database says so too
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberBinding.objects.filter(pk=b.pk).update(status="active")


def test_one_member_per_account(branch, secretary, resident):
    MemberFactory(organization=branch, full_name="甲", id_number=valid_id(601))
    MemberFactory(organization=branch, full_name="乙", id_number=valid_id(602))
    services.request_binding(user=resident, full_name="甲", id_tail=valid_id(601)[-6:])
    with pytest.raises(services.BindingConflict):
        services.request_binding(user=resident, full_name="乙", id_tail=valid_id(602)[-6:])


def test_invitation_by_sms_binds_the_account_that_opens_it(record, secretary, resident, client):
    services.invite_member(member=record, actor=secretary)
    sms = OutgoingSms.objects.get(to=record.phone)
    assert sms.sensitive  # the link is a credential: stored sealed
    from accounts.sms import unseal

    link = unseal(sms.body)
    path = link[link.index("/me/invitation/") :].split()[0]
    client.force_login(resident)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert MemberBinding.objects.get(member=record, status="active").user == resident
    assert client.get(path).status_code == 404  # used


def test_unbinding_is_audited_and_the_account_stays_a_resident(record, secretary, resident, client):
    binding = services.request_binding(
        user=resident, full_name="李红", id_tail=_tail(valid_id(501))
    )
    services.approve_binding(binding=binding, actor=secretary)
    services.end_binding(binding=binding, actor=secretary, reason="本人申请")
    entry = AuditEntry.objects.get(action="member.binding_ended")
    assert entry.data == {"reason": "本人申请"}
    client.force_login(resident)
    assert client.get(reverse("public:me-meetings")).status_code == 302  # back to binding
    assert client.get(reverse("public:volunteer-activities")).status_code == 200


def test_binding_page_refuses_wrong_tail_and_writes_nothing(record, resident, client):
    client.force_login(resident)
    response = client.post(reverse("public:me-bind"), {"full_name": "李红", "id_tail": "999999"})
    assert response.status_code == 400
    assert "不符" in response.content.decode() or "do not match" in response.content.decode()
    assert not MemberBinding.objects.exists()


def test_binding_actions_matrix(clients, branch, resident):
    record = MemberFactory(organization=branch, full_name="王芳", id_number=valid_id(777))
    binding = services.request_binding(user=resident, full_name="王芳", id_tail=valid_id(777)[-6:])
    url = reverse("staff:binding-action", args=[binding.pk, "approve"])

    refusals = {"anonymous": 302, "resident": 403, "member": 403, "other_secretary": 404}
    for role, status in refusals.items():
        assert clients[role].post(url).status_code == status, role
        assert MemberBinding.objects.get(pk=binding.pk).status == "requested", role
    assert_access(
        clients,
        url,
        {
            "anonymous": 302,
            "resident": 403,
            "member": 403,
            "other_secretary": 404,
            "secretary": 302,
            "staff": 302,
        },
        method="post",
    )
    assert MemberBinding.objects.get(pk=binding.pk).status == "active"
    assert record.bindings.get().user == resident


def test_correction_accepted_or_refused_is_kept_in_the_history(member_user, secretary):
    record = services.member_of(member_user)
    accepted = services.request_correction(
        member=record, user=member_user, field="address", proposed="新地址 1 号", reason=""
    )
    refused = services.request_correction(
        member=record, user=member_user, field="work_unit", proposed="某公司", reason="换工作"
    )
    services.decide_correction(correction=accepted, actor=secretary, accept=True)
    services.decide_correction(correction=refused, actor=secretary, accept=False, note="需证明")
    record.refresh_from_db()
    assert record.address == "新地址 1 号"
    assert record.work_unit != "某公司"
    history = list(MemberChange.objects.filter(member=record))
    assert any("address" in h.changes for h in history)
    assert any("refused" in h.changes for h in history)
    assert CorrectionRequest.objects.get(pk=refused.pk).decision_note == "需证明"
    with pytest.raises(services.CorrectionConflict):
        services.decide_correction(correction=accepted, actor=secretary, accept=False)


@pytest.mark.django_db(transaction=True)
def test_the_attempt_limit_holds_under_parallel_requests(branch, settings):
    from django.db import connection

    from tests.parallel import run_together

    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    settings.MEMBER_BINDING_MAX_FAILURES = 3
    MemberFactory(organization=branch, full_name="李红", id_number=valid_id(501))
    user = UserFactory()
    outcomes = run_together(
        [
            lambda: services.request_binding(user=user, full_name="李红", id_tail="000000")
            for _ in range(10)
        ]
    )
    assert all(isinstance(o, services.BindingRefused) for o in outcomes), outcomes
    assert BindingAttempt.objects.filter(user=user).count() == 3


def test_the_accounts_page_lists_own_branch_in_fixed_queries(
    client, secretary, branch, other_branch, django_assert_max_num_queries
):
    for n in range(6):
        user = UserFactory()
        record = MemberFactory(organization=branch if n % 2 else other_branch)
        MemberBinding.objects.create(member=record, user=user, status="requested")
        CorrectionRequest.objects.create(member=record, field="phone", proposed="13700000000")
    client.force_login(secretary)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("staff:binding-list"))
    assert len(response.context["requested"]) == 3
    assert len(response.context["corrections"]) == 3
