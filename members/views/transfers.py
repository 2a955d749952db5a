"""Workbench pages of transfers: the list (open, all, pocket members, out of contact), a letter,
issuing one from a member's page, and the accept / reject / revoke decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServicePageMixin
from members import rules, transfers
from members.extensions import transfer_letter_lines
from members.forms import InboundTransferForm, TransferDecisionForm, TransferIssueForm
from members.models import Member, Transfer, TransferState
from members.views.staff import MemberScopedMixin

TABS = ("open", "all", "pocket", "out_of_contact")


class TransferListView(StaffView, ListView):
    permission_required = "members.view_transfer"
    template_name = "staff/members/transfer_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        self.tab = self.request.GET.get("tab", "open")
        if self.tab not in TABS:
            self.tab = "open"
        if self.tab == "out_of_contact":
            since = rules.add_months(timezone.localdate(), -rules.OUT_OF_CONTACT_MONTHS)
            return (
                Member.objects.visible_to(self.request.user)
                .current()
                .filter(out_of_contact_since__lte=since)
                .select_related("organization")
                .order_by("out_of_contact_since", "pk")
            )
        qs = Transfer.objects.visible_to(self.request.user).select_related(
            "member", "from_organization", "to_organization"
        )
        if self.tab == "open":
            qs = qs.open()
        elif self.tab == "pocket":
            qs = qs.pocket()
        return qs.order_by("-issued_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "tab": self.tab}


class TransferDetailView(StaffView, DetailView):
    permission_required = "members.view_transfer"
    template_name = "staff/members/transfer_detail.html"
    context_object_name = "transfer"

    def get_queryset(self) -> QuerySet[Transfer]:
        return Transfer.objects.visible_to(self.request.user).select_related(
            "member", "from_organization", "to_organization", "created_by", "decided_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = TransferDecisionForm()
        context["is_open"] = self.object.state == TransferState.ISSUED
        context["letter_lines"] = transfer_letter_lines(self.object)
        return context


class TransferIssueView(StaffView, MemberScopedMixin, ServicePageMixin, FormView):
    permission_required = "members.add_transfer"
    template_name = "staff/members/transfer_form.html"
    form_class = TransferIssueForm

    def get_initial(self) -> dict[str, Any]:
        return {"issued_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "member": self.get_member()}

    def perform(self, form: TransferIssueForm) -> Transfer:
        return transfers.issue_transfer(
            actor=self.request.user, member=self.get_member(), **form.cleaned_data
        )

    @property
    def success_message(self) -> str:  # type: ignore[override]
        return _("Transfer letter %(number)s issued.") % {"number": self.result.number}

    def back_url(self) -> str:
        return reverse("staff:member-detail", args=[self.kwargs["pk"]])

    def get_success_url(self) -> str:
        return reverse("staff:transfer-detail", args=[self.result.pk])


class TransferDecisionView(StaffView, View):
    """POST only: accept, reject or revoke, through the service (row lock, audit)."""

    permission_required = "members.change_transfer"
    actions = {
        "accept": transfers.accept_transfer,
        "reject": transfers.reject_transfer,
        "revoke": transfers.revoke_transfer,
    }

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        transfer = get_object_or_404(Transfer.objects.visible_to(request.user), pk=pk)
        if action not in self.actions:
            return HttpResponse(status=404)
        form = TransferDecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            self.actions[action](actor=request.user, transfer=transfer, note=note)
        except DomainError as exc:
            messages.error(request, exc.message)
            response = render(
                request,
                "staff/members/transfer_detail.html",
                {
                    "transfer": Transfer.objects.get(pk=transfer.pk),
                    "form": form,
                    "is_open": Transfer.objects.filter(
                        pk=transfer.pk, state=TransferState.ISSUED
                    ).exists(),
                },
                status=exc.status_code,
            )
            return response
        messages.success(request, _("The transfer was updated."))
        return redirect("staff:transfer-detail", transfer.pk)


class InboundTransferView(StaffView, ServicePageMixin, FormView):
    """Register a letter received from outside the deployment (the service creates the record
    "transferring in"; it joins the roll when the receiving branch accepts)."""

    permission_required = ("members.add_transfer", "members.add_member")
    template_name = "staff/members/transfer_inbound.html"
    form_class = InboundTransferForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"issued_on": timezone.localdate(), "status": "full"}

    def perform(self, form: InboundTransferForm) -> Transfer:
        data = form.cleaned_data
        member_fields = {
            "full_name": data["full_name"],
            "phone": data["phone"],
            "status": data["status"],
            "joined_on": data["joined_on"],
        }
        return transfers.register_inbound_transfer(
            actor=self.request.user,
            to_organization=data["to_organization"],
            member_fields=member_fields,
            id_number=data["id_number"],
            external_organization=data["external_organization"],
            issued_on=data["issued_on"],
        )

    @property
    def success_message(self) -> str:  # type: ignore[override]
        return _("Incoming transfer %(number)s registered.") % {"number": self.result.number}

    def back_url(self) -> str:
        return reverse("staff:transfer-list")

    def get_success_url(self) -> str:
        return reverse("staff:transfer-detail", args=[self.result.pk])
