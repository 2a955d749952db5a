"""The one way a refused rule reaches a form (`accounts/service_form.py`): on the field the
`DomainError` names when the form has it, else among the non-field errors; the page is shown
again and nothing is written."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from accounts.errors import Conflict, DomainError
from accounts.models import AuditEntry, PhoneVerification
from accounts.service_form import domain_errors_on, form_error_from, validation_error_from
from branches.models import Organization, OrganizationEvent

pytestmark = pytest.mark.django_db


class HoursForm(forms.Form):
    hours = forms.IntegerField()
    reason = forms.CharField()


def cleaned(**data: object) -> HoursForm:
    form = HoursForm(data)
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_goes_on_that_field():
    form = cleaned(hours=3, reason="rain")
    form_error_from(form, DomainError("Give a reason a person can act on.", field="reason"))
    assert form.errors == {"reason": ["Give a reason a person can act on."]}
    assert "reason" not in form.cleaned_data


def test_a_refusal_without_a_field_or_naming_another_goes_on_the_form():
    for field in (None, "organization"):
        form = cleaned(hours=3, reason="rain")
        form_error_from(form, Conflict("Someone else was quicker.", field=field))
        assert form.non_field_errors() == ["Someone else was quicker."]
        assert list(form.errors) == ["__all__"]


def test_a_service_argument_is_mapped_to_the_form_field_that_holds_it():
    form = cleaned(hours=3, reason="rain")
    with domain_errors_on(form, fields={"minutes": "hours"}):
        raise DomainError("Hours cannot be negative.", field="minutes")
    assert form.errors == {"hours": ["Hours cannot be negative."]}


def test_domain_errors_on_lets_a_success_through_and_other_errors_out():
    form = cleaned(hours=3, reason="rain")
    with domain_errors_on(form):
        pass
    assert not form.errors
    with pytest.raises(ValueError), domain_errors_on(form):
        raise ValueError("a bug is not a refused rule")
    assert not form.errors


def test_a_forms_clean_raises_the_same_error():
    form = cleaned(hours=3, reason="rain")
    on_field = validation_error_from(form, DomainError("No.", field="hours"))
    assert on_field.message_dict == {"hours": ["No."]}
    assert validation_error_from(form, DomainError("No.", field="minutes")).messages == ["No."]


# Real views: one on `ServiceFormMixin` (the organisation's actions), one on `domain_errors_on`
# (registration, whose page sends a code or registers).


def tree_state() -> tuple[object, ...]:
    return (
        list(Organization.objects.values_list("pk", "name", "status", "path")),
        OrganizationEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_service_form_shows_a_refusal_on_its_field_and_writes_nothing(clients, branch):
    before = tree_state()
    response = clients["staff"].post(
        reverse("staff:organization-rename", args=[branch.pk]),
        {"name": branch.name, "on": "2024-01-01"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["name"]
    assert form.errors["name"] == ["新名称与原名称相同。"]
    assert tree_state() == before


def test_a_service_form_shows_a_general_refusal_above_the_form_and_writes_nothing(
    clients, branch, party_group
):
    before = tree_state()
    response = clients["staff"].post(
        reverse("staff:organization-dissolve", args=[branch.pk]),
        {"reason": "", "on": "2024-01-01", "confirm": "on"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"__all__": ["其下仍有党组织，请先合并、调整或撤销。"]}
    assert "其下仍有党组织" in response.content.decode()
    assert tree_state() == before


def test_a_page_of_its_own_shows_a_refusal_on_the_field_and_writes_nothing():
    client = Client()
    client.post("/accounts/register/", {"phone": "13800000001", "send_code": "1"})
    assert PhoneVerification.objects.count() == 1
    response = client.post("/accounts/register/", {"phone": "13800000001", "send_code": "1"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert "验证码刚刚已发送" in response.context["form"].errors["phone"][0]
    assert PhoneVerification.objects.count() == 1
