"""The one way a form hands its cleaned data to a service and shows a refused rule.

A service raises a `DomainError` whose message a person can act on, inside its one transaction,
so a refusal writes nothing. Every page shows it the same way: on the form field the error names
when the form has that field, else among the form's non-field errors, and the form is shown again.

Three pieces, one mechanism:

- `form_error_from(form, refused)` puts a refusal on a form (the rule of where it goes, which
  `validation_error_from` gives to a form's `clean()`, as the admin's forms need);
- `domain_errors_on(form)` wraps a service call on pages that are not one `FormView` (several
  forms on one page, resident pages with their own scope, a view that renders its own template):
  a refusal lands on the form and `form.errors` says so afterwards;
- `ServiceFormMixin` is the `FormView` shape: `perform(form)` calls the service, a refusal goes
  on the form and `form_invalid` shows it again, success redirects with a message.
  `ServicePageMixin` adds the page around it that the regional, joint and members forms share:
  a title, the row named by the URL found through `visible_to`, and a back link.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from accounts.errors import DomainError


def validation_error_from(
    form: BaseForm, refused: DomainError, *, fields: Mapping[str, str] | None = None
) -> ValidationError:
    """`refused` as the error of `form`: on the field it names when the form has it, else a
    non-field error. `fields` maps a service's argument name to the form field that holds it (a
    form may ask for hours where the service takes minutes). A form's `clean()` raises it (the
    admin's forms ask a service's check there); a view adds it (`form_error_from`)."""
    field = refused.field
    if fields and field in fields:
        field = fields[field]
    if field in form.fields:
        return ValidationError({field: refused.message})
    return ValidationError(refused.message)


def form_error_from(
    form: BaseForm, refused: DomainError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show `refused` on a bound, cleaned `form` (see `validation_error_from` for where)."""
    form.add_error(None, validation_error_from(form, refused, fields=fields))


@contextmanager
def domain_errors_on(form: BaseForm, *, fields: Mapping[str, str] | None = None) -> Iterator[None]:
    """Run a service call; a `DomainError` it raises is shown on `form` (`form_error_from`) and
    goes no further. Either the block ends in the success response and what follows it is the
    refused case, or `form.errors` tells the caller afterwards:

        with domain_errors_on(form):
            wishes.post_wish(...)
            messages.success(request, _("Your wish is posted."))
            return HttpResponseRedirect(...)
        return self.get(request, form=form, status=400)
    """
    try:
        yield
    except DomainError as refused:
        form_error_from(form, refused, fields=fields)


class ServiceFormMixin:
    """A form view whose valid input goes to one service (`perform`, its result kept as
    `self.result`); a refused rule is shown on the form (`form_refused`) and nothing is written;
    on success the view says `success_message` and goes to `get_success_url()`."""

    success_message: Any = ""
    result: Any = None

    def perform(self, form: Any) -> Any:
        raise NotImplementedError("a service form says which service it calls")

    def get_success_message(self) -> str:
        return self.success_message

    def announce(self) -> None:
        """Tell the user it worked (a view whose message depends on the result overrides it)."""
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)  # type: ignore[attr-defined]

    def form_refused(self, form: Any, refused: DomainError) -> HttpResponse:
        form_error_from(form, refused)
        return self.form_invalid(form)  # type: ignore[attr-defined]

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except DomainError as refused:
            return self.form_refused(form, refused)
        self.announce()
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class ServicePageMixin(ServiceFormMixin):
    """A staff service form with its page: `title`, the row of `model` named by the URL's `pk`
    (found through `visible_to`, 404 out of scope, before the form is shown or posted), and
    `back_url`, where the form's back link and, by default, success go. Who is let in comes from
    the view it is mixed into (`StaffView`, `JointView`)."""

    title: Any = ""
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

    def get_success_url(self) -> str:
        return self.back_url()
