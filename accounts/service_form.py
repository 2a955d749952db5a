"""The one shape of a staff form that hands its cleaned data to a service.

Every app's service forms can use it (regional and joint pages do); they differ only in who is
let in (`StaffView` or `JointView`) and in their template.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from accounts.errors import DomainError


class ServiceFormMixin:
    """A form whose valid input goes to one service (`perform`); a refused rule is shown on the
    form and nothing is written. With `model`, the row named by the URL's `pk` is found through
    `visible_to` (404 out of scope) before the form is shown or posted. Subclasses give
    `perform` and `back_url`."""

    title: Any = ""
    success_message: Any = ""
    model: type[Model] | None = None
    object: Any = None

    def get_object(self) -> Any:
        if self.model is not None and self.object is None:
            qs = self.model._default_manager.visible_to(self.request.user)  # type: ignore[attr-defined]
            self.object = get_object_or_404(qs, pk=self.kwargs["pk"])  # type: ignore[attr-defined]
        return self.object

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(title=self.title, object=self.object, back_url=self.back_url())
        return context

    def back_url(self) -> str:
        raise NotImplementedError("a service form says where to go back to")

    def perform(self, form: Form) -> Any:
        raise NotImplementedError("a service form says which service it calls")

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message)  # type: ignore[attr-defined]
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.back_url()
