"""Staff pages of the export templates: the list and upload, the mapping, the export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.access import StaffView
from accounts.service_form import domain_errors_on
from branches.models import SubDistrict
from charts.exports.fields import ROSTERS, TRANSFORMS
from charts.exports.models import ExportTemplate, Roster
from charts.exports.services import TEMPLATE_MAX_BYTES, export_roster, save_mapping, upload_template


class UploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    sub_district = forms.ModelChoiceField(
        label=gettext_lazy("Sub-district"), queryset=SubDistrict.objects.none()
    )
    roster = forms.ChoiceField(label=gettext_lazy("Roster"), choices=Roster.choices)
    file = forms.FileField(
        label=gettext_lazy("Blank template (.xlsx)"),
        help_text=gettext_lazy(
            "Column headings in the first row of the first sheet; at most 1 MB."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = SubDistrict.objects.visible_to(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > TEMPLATE_MAX_BYTES:
            raise forms.ValidationError(_("The template is larger than 1 MB."))
        return upload


class TemplateListView(StaffView, TemplateView):
    permission_required = "charts.view_exporttemplate"
    template_name = "staff/charts/export_templates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["templates"] = (
            ExportTemplate.objects.visible_to(self.request.user)
            .current()
            .select_related("sub_district")
            .defer("workbook")
            .order_by("sub_district", "name")
        )
        context.setdefault("form", UploadForm(user=self.request.user))
        context["may_add"] = self.request.user.has_perm("charts.add_exporttemplate")
        context["year"] = timezone.localdate().year
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("charts.add_exporttemplate"):
            raise Http404
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            with domain_errors_on(form):
                template = upload_template(
                    sub_district=form.cleaned_data["sub_district"],
                    name=form.cleaned_data["name"],
                    roster=form.cleaned_data["roster"],
                    upload=form.cleaned_data["file"],
                    file_name=form.cleaned_data["file"].name,
                    actor=request.user,
                )
            if not form.errors:
                messages.success(request, _("Template uploaded. Now map its columns."))
                return redirect("staff:export-template-map", template.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplateMapView(StaffView, TemplateView):
    """One select of field and one of transform per column of the template."""

    permission_required = "charts.change_exporttemplate"
    template_name = "staff/charts/export_template_map.html"

    def get_template_row(self) -> ExportTemplate:
        return get_object_or_404(
            ExportTemplate.objects.visible_to(self.request.user).current(), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        template = kwargs.get("template_row") or self.get_template_row()
        fields = ROSTERS[template.roster].fields
        chosen = kwargs.get("chosen") or template.mapping
        context.update(
            template_row=template,
            columns=[
                {"index": i, "header": header, **chosen[i]}
                for i, header in enumerate(template.headers)
            ],
            fields=[(key, str(field.label)) for key, field in fields.items()],
            transforms=[(key, str(label)) for key, label in TRANSFORMS.items()],
            versions=ExportTemplate.objects.filter(family=template.family)
            .defer("workbook")
            .order_by("-version"),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = self.get_template_row()
        mapping = [
            {
                "field": request.POST.get(f"field-{i}", ""),
                "transform": request.POST.get(f"transform-{i}", ""),
            }
            for i in range(len(template.headers))
        ]
        form = forms.Form(request.POST)
        with domain_errors_on(form):
            new = save_mapping(template=template, mapping=mapping, actor=request.user)
            messages.success(request, _("Mapping saved as version %(v)d.") % {"v": new.version})
            return redirect("staff:export-template-map", new.pk)
        context = self.get_context_data(template_row=template, chosen=mapping)
        context["errors"] = form.non_field_errors()
        return self.render_to_response(context, status=400)


class TemplateExportView(StaffView, View):
    """The roster the user may see, in the template (any version, for the record)."""

    permission_required = "charts.view_exporttemplate"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(ExportTemplate.objects.visible_to(request.user), pk=pk)
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year:
            year = today.year
        from accounts.errors import DomainError

        try:
            body = export_roster(template=template, user=request.user, year=year)
        except DomainError as refused:
            messages.error(request, refused.message)
            return redirect("staff:export-template-map", template.pk)
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"export-{template.roster}-v{template.version}-{year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
