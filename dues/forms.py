"""Forms of the dues pages; each valid form goes to one service (accounts/service_form.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from config.widgets import DateInput
from dues.models import DuesCategory, LedgerKind, PaymentKind, PaymentMethod

MONEY = {"max_digits": 12, "decimal_places": 2}


def _helper(submit_label: Any, *fields: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.layout = Layout(*fields)
    helper.add_input(Submit("submit", submit_label))
    return helper


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def parse_month(text: str | None, default: dt.date) -> dt.date:
    """ "2030-06" → 2030-06-01; anything else → `default`'s month."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return default.replace(day=1)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (a phone's month picker), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class RecordPaymentsForm(forms.Form):
    """The register's form: the ticked bills, how and when they were paid."""

    bill = forms.TypedMultipleChoiceField(
        label=_("Months paid"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Tick at least one member's month."),
        },
    )
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=PaymentMethod.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=DateInput(attrs={"class": "form-control"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args: Any, bill_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bill"].choices = [(pk, pk) for pk in bill_ids or []]


class DeclareBaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=DuesCategory.choices)
    amount = forms.DecimalField(
        label=_("Base (yuan a month)"),
        min_value=0,
        required=False,
        help_text=_("After-tax monthly income, or the basic pension; empty for flat categories."),
        **MONEY,
    )
    started_on = _date(_("In force from"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the base"), "category", "amount", "started_on", "note")

    def clean_amount(self) -> Any:
        return self.cleaned_data.get("amount") or 0


class MemberDeclarationForm(DeclareBaseForm):
    """The member's own declaration (我的党费): the same fields; the secretary confirms it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Declare my base"), "category", "amount", "started_on", "note")


class VoluntaryPaymentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in PaymentKind.choices if k != PaymentKind.DUES],
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, **MONEY)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    paid_on = _date(_("Paid on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the payment"), "kind", "amount", "method", "paid_on")


class AdvancePaymentForm(forms.Form):
    months = forms.IntegerField(label=_("Months ahead"), min_value=1, max_value=12)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    paid_on = _date(_("Paid on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the advance payment"), "months", "method", "paid_on")


class ExceptionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the exception"), "reason", "valid_until")


class RemittanceForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.none())
    month = MonthField(label=_("Month"))
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, **MONEY)
    remitted_on = _date(_("Remitted on"))
    document_reference = forms.CharField(label=_("Voucher or document number"), max_length=60)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper(
            _("Record the remittance"),
            "organization",
            "month",
            "amount",
            "remitted_on",
            "document_reference",
        )


class LedgerEntryForm(forms.Form):
    sub_district = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    kind = forms.ChoiceField(label=_("Purpose"), choices=LedgerKind.choices)
    organization = forms.ModelChoiceField(
        label=_("Branch (for an allocation)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, **MONEY)
    entry_on = _date(_("Date"))
    document_reference = forms.CharField(label=_("Voucher or document number"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=200)

    def __init__(self, *args: Any, sub_districts: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["organization"].queryset = organizations
        self.helper = _helper(
            _("Record the entry"),
            "sub_district",
            "kind",
            "organization",
            "amount",
            "entry_on",
            "document_reference",
            "description",
        )


class StatementUploadForm(forms.Form):
    """The bank's file and the names of its columns (the bank's own headings)."""

    organization = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.none())
    file = forms.FileField(label=_("Statement (CSV or XLSX)"))
    booked_on = forms.CharField(label=_("Column of the date"), max_length=40, initial="交易日期")
    amount = forms.CharField(
        label=_("Column of the amount received"), max_length=40, initial="贷方金额"
    )
    memo = forms.CharField(label=_("Column of the memo"), max_length=40, initial="摘要")
    bank_reference = forms.CharField(
        label=_("Column of the bank transaction number"), max_length=40, initial="流水号"
    )
    payer = forms.CharField(
        label=_("Column of the payer"), max_length=40, initial="对方户名", required=False
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper(
            _("Upload and match"),
            "organization",
            "file",
            "booked_on",
            "amount",
            "memo",
            "bank_reference",
            "payer",
        )
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
