"""Workbench pages of dues: the secretary's month register (record payments for several members
at once, on a phone), a member's dues, receipts, arrears; the sub-district's overview,
remittances, use ledger and disclosure; the 党费收缴登记表 export.

Rows come from `visible_to` (404 outside the scope); every write is one service call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.scope import scope_for
from accounts.service_form import ServicePageMixin, domain_errors_on, form_error_from
from branches.models import Organization, SubDistrict
from dues import documents, figures, reconciliation
from dues.forms import (
    AdvancePaymentForm,
    DeclareBaseForm,
    ExceptionForm,
    LedgerEntryForm,
    RecordPaymentsForm,
    RemittanceForm,
    StatementUploadForm,
    VoluntaryPaymentForm,
    parse_month,
)
from dues.models import (
    BankStatement,
    BaseDeclaration,
    DeclarationState,
    DuesBase,
    DuesBill,
    LedgerEntry,
    LineState,
    Receipt,
    Remittance,
)
from dues.services import bases, money, payments
from members.models import Member
from members.roster import MEMBER_BRANCH_KINDS


def branches_of(user: Any) -> QuerySet[Organization]:
    """The branches whose dues `user` keeps: the member-keeping organisations in scope."""
    return (
        Organization.objects.visible_to(user)
        .filter(kind__in=MEMBER_BRANCH_KINDS, status="active")
        .order_by("path")
    )


def chosen_branch(request: HttpRequest) -> tuple[Organization | None, QuerySet[Organization]]:
    choices = branches_of(request.user)
    wanted = request.GET.get("organization") or request.POST.get("organization")
    if wanted and str(wanted).isdigit():
        return get_object_or_404(choices, pk=int(wanted)), choices
    return choices.first(), choices


class RegisterView(StaffView, TemplateView):
    """The month's register of a branch: 应缴 / 实缴 / 欠缴 per member, filterable; tick the
    months paid and record them at once (one receipt per member)."""

    permission_required = "dues.view_duesbill"
    template_name = "staff/dues/register.html"

    def rows(self, branch: Organization, month: dt.date) -> QuerySet[DuesBill]:
        bills = figures.register(DuesBill.objects.visible_to(self.request.user), month).filter(
            organization=branch
        )
        status = self.request.GET.get("status", "")
        if status == "unpaid":
            bills = bills.filter(paid_on__isnull=True)
        elif status == "paid":
            bills = bills.filter(paid_on__isnull=False)
        text = self.request.GET.get("q", "").strip()
        if text:
            bills = bills.filter(member__full_name__icontains=text)
        return bills

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        branch, choices = chosen_branch(self.request)
        today = timezone.localdate()
        month = parse_month(self.request.GET.get("month"), today)
        rows = list(self.rows(branch, month)) if branch else []
        without_base = (
            Member.objects.visible_to(self.request.user)
            .filter(organization=branch)
            .current()
            .filter(~Exists(DuesBase.objects.filter(member=OuterRef("pk"), ended_on=None)))
            .order_by("full_name")
            if branch
            else Member.objects.none()
        )
        context.update(
            branch=branch,
            branches=choices,
            month=month,
            month_text=f"{month:%Y-%m}",
            status=self.request.GET.get("status", ""),
            q=self.request.GET.get("q", ""),
            rows=rows,
            totals={
                "due": sum((r.amount_due for r in rows), figures.ZERO),
                "paid": sum((r.amount_due for r in rows if r.paid_on), figures.ZERO),
            },
            without_base=list(without_base[:50]),
            form=kwargs.get("form") or RecordPaymentsForm(initial={"paid_on": today}),
            can_record=self.request.user.has_perm("dues.add_duespayment"),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("dues.add_duespayment"):
            raise Http404
        ids = [int(v) for v in request.POST.getlist("bill") if v.isdigit()]
        form = RecordPaymentsForm(request.POST, bill_ids=ids)
        status = 400
        if form.is_valid():
            try:
                receipts = payments.record_payments(
                    actor=request.user,
                    bill_ids=form.cleaned_data["bill"],
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                )
            except DomainError as refused:
                form_error_from(form, refused, fields={"bills": "bill"})
                status = refused.status_code
            else:
                messages.success(
                    request,
                    _("Recorded: %(count)s receipts (%(numbers)s).")
                    % {
                        "count": len(receipts),
                        "numbers": "、".join(r.number for r in receipts),
                    },
                )
                return HttpResponseRedirect(request.get_full_path())
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=status)


class MemberDuesView(StaffView, TemplateView):
    """One member's dues: base history, bills, receipts, reference codes; declare a base, pay
    ahead, a voluntary payment."""

    permission_required = "dues.view_duesbase"
    template_name = "staff/dues/member.html"
    model = Member

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = get_object_or_404(
            Member.objects.visible_to(self.request.user).select_related("organization"),
            pk=self.kwargs["pk"],
        )
        return {
            **super().get_context_data(**kwargs),
            "member": member,
            "bases": member.dues_bases.order_by("-started_on")[:12],
            "bills": member.dues_bills.select_related("payment__receipt").order_by("-month")[:24],
            "receipts": member.dues_receipts.order_by("-issued_on", "-pk")[:24],
            "paid_through": figures.paid_through(member.pk, timezone.localdate()),
            "base_form": DeclareBaseForm(),
            "advance_form": AdvancePaymentForm(),
            "voluntary_form": VoluntaryPaymentForm(),
        }


class MemberFormView(StaffView, ServicePageMixin, FormView):
    """A dues form about one member (the member through `visible_to`)."""

    model = Member
    template_name = "staff/dues/form.html"

    def back_url(self) -> str:
        return reverse("staff:dues-member", args=[self.kwargs["pk"]])


class DeclareBaseView(MemberFormView):
    permission_required = "dues.add_duesbase"
    form_class = DeclareBaseForm
    title = gettext_lazy("Record the dues base")
    success_message = gettext_lazy("The base is recorded; unpaid bills were re-priced.")

    def perform(self, form: DeclareBaseForm) -> DuesBase:
        return bases.declare_base(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )


class AdvancePaymentView(MemberFormView):
    permission_required = "dues.add_duespayment"
    form_class = AdvancePaymentForm
    title = gettext_lazy("Pay months in advance")
    success_message = gettext_lazy("The advance payment is recorded.")

    def perform(self, form: AdvancePaymentForm) -> Receipt:
        return payments.pay_in_advance(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )


class VoluntaryPaymentView(MemberFormView):
    permission_required = "dues.add_duespayment"
    form_class = VoluntaryPaymentForm
    title = gettext_lazy("Voluntary or special dues")
    success_message = gettext_lazy("The payment is recorded.")

    def perform(self, form: VoluntaryPaymentForm) -> Receipt:
        return payments.record_voluntary_payment(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )


class ExceptionView(MemberFormView):
    permission_required = "dues.add_arrearsexception"
    form_class = ExceptionForm
    title = gettext_lazy("Allow a transfer with unpaid dues")
    success_message = gettext_lazy("The exception is recorded.")

    def perform(self, form: ExceptionForm) -> Any:
        return money.record_arrears_exception(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )


class ReceiptDocxView(StaffView, View):
    permission_required = "dues.view_duespayment"
    model = Receipt

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        receipt = get_object_or_404(
            Receipt.objects.visible_to(request.user).select_related(
                "member", "organization", "issued_by"
            ),
            pk=pk,
        )
        response = HttpResponse(documents.receipt_docx(receipt), content_type=documents.DOCX)
        response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.number}.docx"'
        return response


class ArrearsView(StaffView, TemplateView):
    """Members with unpaid past months; six in a row are marked for the branch meeting's review
    (the portal lists them; it removes no one)."""

    permission_required = "dues.view_duesbill"
    template_name = "staff/dues/arrears.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        branch, choices = chosen_branch(self.request)
        bills = DuesBill.objects.visible_to(self.request.user)
        if branch is not None:
            bills = bills.filter(organization=branch)
        rows = figures.arrears(bills, timezone.localdate()) if branch else []
        if self.request.GET.get("review"):
            rows = [r for r in rows if r.for_review]
        return {
            **super().get_context_data(**kwargs),
            "branch": branch,
            "branches": choices,
            "rows": rows,
            "review": bool(self.request.GET.get("review")),
        }


class OverviewView(StaffView, TemplateView):
    """Sub-district staff: per branch and month, collection rate, arrears, remitted."""

    permission_required = "dues.view_ledgerentry"
    template_name = "staff/dues/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        month = parse_month(self.request.GET.get("month"), timezone.localdate())
        branches = list(branches_of(self.request.user).values("pk", "name"))
        data = figures.branch_figures(
            [b["pk"] for b in branches], month, month, timezone.localdate()
        )
        rows = [(b, data[b["pk"]]) for b in branches]
        return {
            **super().get_context_data(**kwargs),
            "month_text": f"{month:%Y-%m}",
            "rows": rows,
        }


class RemittanceView(StaffView, FormView):
    """Remittances upward: the list, and the form (checked against what was collected)."""

    permission_required = "dues.view_remittance"
    template_name = "staff/dues/remittances.html"
    form_class = RemittanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organizations": branches_of(self.request.user)}

    def get_initial(self) -> dict[str, Any]:
        """The columns as the branch's (or, without one chosen, the scope's) last upload mapped
        them."""
        wanted = self.request.GET.get("organization", "")
        organization_id = int(wanted) if wanted.isdigit() else None
        initial = reconciliation.remembered_columns(
            BankStatement.objects.visible_to(self.request.user), organization_id
        )
        if organization_id is not None:
            initial["organization"] = organization_id
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "rows": Remittance.objects.visible_to(self.request.user)
            .select_related("organization")
            .order_by("-month", "organization__name")[:100],
            "can_add": self.request.user.has_perm("dues.add_remittance"),
        }

    def form_valid(self, form: RemittanceForm) -> HttpResponse:
        if not self.request.user.has_perm("dues.add_remittance"):
            raise Http404
        with domain_errors_on(form):
            money.record_remittance(actor=self.request.user, **form.cleaned_data)
            messages.success(self.request, _("The remittance is recorded."))
            return HttpResponseRedirect(reverse("staff:dues-remittances"))
        return self.form_invalid(form)


class LedgerView(StaffView, FormView):
    """The sub-district's use ledger: allocations and spending, each with its document."""

    permission_required = "dues.view_ledgerentry"
    template_name = "staff/dues/ledger.html"
    form_class = LedgerEntryForm

    def get_form_kwargs(self) -> dict[str, Any]:
        scope = scope_for(self.request.user)
        sub_districts = (
            SubDistrict.objects.all()
            if scope.everything
            else SubDistrict.objects.filter(pk__in=scope.sub_district_ids)
        )
        return {
            **super().get_form_kwargs(),
            "sub_districts": sub_districts,
            "organizations": branches_of(self.request.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "rows": LedgerEntry.objects.visible_to(self.request.user)
            .select_related("organization", "sub_district")
            .order_by("-entry_on", "-pk")[:200],
            "can_add": self.request.user.has_perm("dues.add_ledgerentry"),
        }

    def form_valid(self, form: LedgerEntryForm) -> HttpResponse:
        if not self.request.user.has_perm("dues.add_ledgerentry"):
            raise Http404
        with domain_errors_on(form):
            money.record_ledger_entry(actor=self.request.user, **form.cleaned_data)
            messages.success(self.request, _("The ledger entry is recorded."))
            return HttpResponseRedirect(reverse("staff:dues-ledger"))
        return self.form_invalid(form)


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    today = timezone.localdate()
    return int(text) if text.isdigit() and 2000 <= int(text) <= today.year else today.year


class DisclosureView(StaffView, View):
    """党费收缴使用情况公开: a branch's year in totals (a page, and the same as DOCX)."""

    permission_required = "dues.view_duesbill"

    def get(self, request: HttpRequest, docx: bool = False) -> HttpResponse:
        branch, choices = chosen_branch(request)
        year = _year(request)
        if branch is None:
            return render(request, "staff/dues/disclosure.html", {"branches": choices})
        data = figures.disclosure(branch.pk, branch.sub_district_id, year, timezone.localdate())
        if docx:
            response = HttpResponse(
                documents.disclosure_docx(branch, data), content_type=documents.DOCX
            )
            response["Content-Disposition"] = f'attachment; filename="dues-{year}.docx"'
            return response
        return render(
            request,
            "staff/dues/disclosure.html",
            {
                "branch": branch,
                "branches": choices,
                "year": year,
                "rows": documents.disclosure_rows(data),
            },
        )


class RegisterExportView(StaffView, View):
    """党费收缴登记表 of a branch and year (XLSX)."""

    permission_required = "dues.view_duesbase"

    def get(self, request: HttpRequest) -> HttpResponse:
        branch, _choices = chosen_branch(request)
        if branch is None:
            raise Http404
        year = _year(request)
        response = HttpResponse(documents.register_xlsx(branch, year), content_type=documents.XLSX)
        response["Content-Disposition"] = f'attachment; filename="dues-register-{year}.xlsx"'
        return response


class StatementListView(StaffView, FormView):
    """Upload a bank statement (CSV or XLSX) and see the statements of the branches in scope."""

    permission_required = "dues.view_duespayment"
    template_name = "staff/dues/statements.html"
    form_class = StatementUploadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organizations": branches_of(self.request.user)}

    def get_initial(self) -> dict[str, Any]:
        """The columns as the branch's (or, without one chosen, the scope's) last upload mapped
        them."""
        wanted = self.request.GET.get("organization", "")
        organization_id = int(wanted) if wanted.isdigit() else None
        initial = reconciliation.remembered_columns(
            BankStatement.objects.visible_to(self.request.user), organization_id
        )
        if organization_id is not None:
            initial["organization"] = organization_id
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "rows": BankStatement.objects.visible_to(self.request.user)
            .select_related("organization")
            .order_by("-created_at")[:50],
            "can_add": self.request.user.has_perm("dues.add_duespayment"),
        }

    def form_valid(self, form: StatementUploadForm) -> HttpResponse:
        if not self.request.user.has_perm("dues.add_duespayment"):
            raise Http404
        data = form.cleaned_data
        upload = data["file"]
        with domain_errors_on(form):
            statement = reconciliation.import_statement(
                actor=self.request.user,
                organization=data["organization"],
                upload=upload,
                name=upload.name,
                columns={f: data[f] for f in reconciliation.FIELDS},
            )
            messages.success(self.request, _("The statement is read; confirm the matches."))
            return HttpResponseRedirect(reverse("staff:dues-statement", args=[statement.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StatementDetailView(StaffView, TemplateView):
    """A statement's lines: matched by reference, proposed, not matched; confirm the chosen."""

    permission_required = "dues.view_duespayment"
    template_name = "staff/dues/statement.html"
    model = BankStatement

    def statement(self) -> BankStatement:
        return get_object_or_404(
            BankStatement.objects.visible_to(self.request.user).select_related("organization"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        statement = self.statement()
        return {
            **super().get_context_data(**kwargs),
            "statement": statement,
            "lines": statement.lines.select_related("bill__member").order_by("row"),
            "confirmable": (LineState.MATCHED, LineState.PROPOSED),
            "can_confirm": self.request.user.has_perm("dues.add_duespayment"),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        statement = self.statement()
        if not request.user.has_perm("dues.add_duespayment"):
            raise Http404
        ids = [int(v) for v in request.POST.getlist("line") if v.isdigit()]
        try:
            count = reconciliation.confirm_lines(
                actor=request.user, statement=statement, line_ids=ids
            )
        except DomainError as refused:
            messages.error(request, refused.message)
            return self.render_to_response(self.get_context_data(), status=refused.status_code)
        messages.success(request, _("%(count)s lines recorded as paid.") % {"count": count})
        return HttpResponseRedirect(reverse("staff:dues-statement", args=[statement.pk]))


class DeclarationListView(StaffView, ListView):
    """Bases the members declared themselves, waiting for the secretary (or staff): confirm one
    and it becomes the base in force from its day; refuse it with a reason the member sees."""

    permission_required = "dues.view_duesbase"
    template_name = "staff/dues/declarations.html"
    model = BaseDeclaration
    paginate_by = 30

    def get_queryset(self) -> QuerySet[BaseDeclaration]:
        rows = BaseDeclaration.objects.visible_to(self.request.user).select_related(
            "member__organization", "decided_by"
        )
        if self.request.GET.get("all") != "1":
            rows = rows.filter(state=DeclarationState.PENDING)
        return rows.order_by("declared_at", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "show_all": self.request.GET.get("all") == "1",
            "can_decide": self.request.user.has_perm("dues.add_duesbase"),
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("dues.add_duesbase"):
            raise Http404
        pk = request.POST.get("declaration", "")
        declaration = get_object_or_404(
            BaseDeclaration.objects.visible_to(request.user).select_related("member"),
            pk=int(pk) if pk.isdigit() else 0,
        )
        try:
            if request.POST.get("decision") == "confirm":
                bases.confirm_declaration(actor=request.user, declaration=declaration)
                messages.success(request, _("The base is confirmed; unpaid bills were re-priced."))
            else:
                bases.refuse_declaration(
                    actor=request.user,
                    declaration=declaration,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The declaration is refused."))
        except DomainError as error:
            messages.error(request, str(error))
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(), status=400)
        return HttpResponseRedirect(request.get_full_path())
