"""The workbench's audit log: read-only, filtered, paginated, scoped (see
`AuditEntryQuerySet.visible_to`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from accounts.access import StaffView
from accounts.models import AuditEntry
from config.widgets import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())


class AuditLogView(StaffView, ListView):
    permission_required = "accounts.view_auditentry"
    template_name = "staff/accounts/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditEntry]:
        self.filter_form = AuditFilterForm(self.request.GET or None)
        qs = AuditEntry.objects.visible_to(self.request.user).select_related("actor")
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["actor"]:
                qs = qs.filter(actor__username=data["actor"].strip())
            if data["action"]:
                qs = qs.filter(action__startswith=data["action"].strip())
            if data["target_type"]:
                qs = qs.filter(target_type=data["target_type"].strip())
            if data["start"]:
                qs = qs.filter(created_at__date__gte=data["start"])
            if data["end"]:
                qs = qs.filter(created_at__date__lte=data["end"])
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "filter_form": self.filter_form,
            "today": timezone.localdate(),
        }
