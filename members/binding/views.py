"""Workbench pages of member accounts: binding requests to approve or refuse, bound accounts to
unbind, invitations by SMS from the roster, and the members' correction requests. Rows come from
`visible_to`, so a secretary decides only for their own branch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from members.binding import services
from members.models import CorrectionRequest, Member, MemberBinding


class BindingListView(StaffView, TemplateView):
    permission_required = "members.view_memberbinding"
    template_name = "staff/members/binding_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        bindings = MemberBinding.objects.visible_to(user).select_related(
            "member", "member__organization", "user"
        )
        context.update(
            requested=list(bindings.filter(status="requested").order_by("created_at")[:100]),
            invited=list(bindings.filter(status="invited").order_by("-created_at")[:100]),
            bound=list(bindings.filter(status="active").order_by("member__full_name")[:300]),
            corrections=list(
                CorrectionRequest.objects.visible_to(user)
                .filter(status="pending")
                .select_related("member", "member__organization")
                .order_by("created_at")[:100]
            ),
            may_change=user.has_perm("members.change_memberbinding"),
        )
        return context


class BindingActionView(StaffView, View):
    """approve / refuse / end (unbind) one binding."""

    permission_required = "members.change_memberbinding"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = get_object_or_404(MemberBinding.objects.visible_to(request.user), pk=pk)
        reason = request.POST.get("reason", "")
        try:
            if action == "approve":
                services.approve_binding(binding=row, actor=request.user)
                messages.success(request, _("The account is bound to the member."))
            elif action == "refuse":
                services.refuse_binding(binding=row, actor=request.user, reason=reason)
                messages.success(request, _("The request is refused."))
            elif action == "end":
                services.end_binding(binding=row, actor=request.user, reason=reason)
                messages.success(request, _("The account is unbound."))
            else:
                raise Http404
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("staff:binding-list"))


class InviteMemberView(StaffView, View):
    permission_required = "members.change_memberbinding"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
        try:
            services.invite_member(member=member, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The invitation is sent by SMS."))
        return HttpResponseRedirect(reverse("staff:member-detail", args=[member.pk]))


class CorrectionActionView(StaffView, View):
    permission_required = "members.change_correctionrequest"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = get_object_or_404(CorrectionRequest.objects.visible_to(request.user), pk=pk)
        if action not in ("accept", "refuse"):
            raise Http404
        try:
            services.decide_correction(
                correction=row,
                actor=request.user,
                accept=action == "accept",
                note=request.POST.get("note", ""),
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The correction request is decided."))
        return HttpResponseRedirect(reverse("staff:binding-list"))
