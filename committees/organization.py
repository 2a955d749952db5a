"""What the organisation tree reads of branch committees: the current terms in the structure
figures, the end of a term when its organisation is archived, the committee section of the
organisation page.

Registered in `branches.extensions` by `CommitteesConfig.ready()`: `branches` sits below
`committees` and does not import it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.dated import close_span
from branches.extensions import Committees, CurrentTerm
from branches.models import Organization, OrganizationKind
from branches.structure import organization_in
from committees.models import CommitteeTerm


def current_terms(organization_ids: Collection[int]) -> dict[int, CurrentTerm]:
    """The planned end and the size (positions held now) of the current term of each
    organisation that has one."""
    rows = (
        CommitteeTerm.objects.current()
        .filter(organization_in(CommitteeTerm, organization_ids))
        .annotate(size=Count("positions", filter=Q(positions__ended_on__isnull=True)))
        .values_list("organization_id", "planned_end_on", "size")
    )
    return {organization_id: CurrentTerm(end, size) for organization_id, end, size in rows}


def end_terms(organization: Organization, on: dt.date) -> None:
    """The organisation is archived on `on`: its current term ends that day (`close_span`, so a
    date before the election is refused with a message, not by the database)."""
    term = CommitteeTerm.objects.filter(organization=organization).current().first()
    if term is not None:
        close_span(
            term,
            day=on,
            before=_(
                "The committee's current term began on %(day)s; the date cannot be before it."
            ),
            allow_future=True,
        )


def section(request: HttpRequest, organization: Organization) -> str:
    """The committee of the organisation page: the current term and who holds which position,
    the past terms, and (for those who may record elections) the links to do so."""
    term = (
        CommitteeTerm.objects.filter(organization=organization)
        .current()
        .prefetch_related("positions__member")
        .first()
    )
    context = {
        "organization": organization,
        "term": term,
        "positions": [p for p in term.positions.all() if p.ended_on is None] if term else [],
        "past_terms": CommitteeTerm.objects.filter(
            organization=organization, ended_on__isnull=False
        )[:10],
        "may_record_terms": request.user.has_perm("committees.add_committeeterm")
        and organization.is_active
        and organization.kind != OrganizationKind.PARTY_GROUP,
        "may_record_elections": request.user.has_perms(
            ["activities.add_election", "activities.add_meeting"]
        )
        and organization.is_active
        and organization.kind in ELECTED_KINDS,
        "may_extend": term is not None
        and request.user.has_perm("committees.add_termextension")
        and organization.is_active,
        "extensions": list(term.extensions.all()) if term else [],
    }
    return render_to_string("staff/committees/_organization_committee.html", context)


# The kinds whose committee a members' meeting elects (activities.elections: a 党工委 is
# appointed); named by value, as activities sits above committees.
ELECTED_KINDS = frozenset({"committee", "general_branch", "branch"})

COMMITTEES = Committees(current_terms=current_terms, end_terms=end_terms, section=section)
