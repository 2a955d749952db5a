"""Knowledge contests: starting an attempt, saving and submitting answers, scoring, rankings.

Invariants:
- A person starts at most `attempts_allowed` attempts: the count lives on their `Entrant` row
  and moves with `F()` under `select_for_update()` of that row, with (entrant, number) unique
  behind it, so parallel starts queue and cannot exceed it. Lock order: entrant, then attempt.
- The time limit is the server's: an attempt's `deadline` is fixed when it starts (the limit,
  or the window's end if sooner). Answers saved or submitted after the deadline (plus a few
  seconds of network grace) are not counted; what was saved in time is.
- Right answers, correctness and scores leave the server only once the window has closed (the
  pages and the API ask `results_visible`).
- Scores and rankings are set-based: correctness with one UPDATE … EXISTS, the score with a
  subquery count, the best attempt per person with subqueries, the branch ranking one GROUP BY.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ResidentProfile
from accounts.services import record_audit
from community.contests import rules
from community.contests.models import (
    FIXED_ONCE_TAKEN,
    Attempt,
    AttemptQuestion,
    Contest,
    Entrant,
    Question,
)
from community.errors import AttemptClosed, ContestRefused

_draw = random.SystemRandom()


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def results_visible(contest: Contest, now: dt.datetime | None = None) -> bool:
    """Right answers and scores are shown only once the window has closed."""
    return (now or timezone.now()) >= contest.closes_at


def public_contests() -> QuerySet[Contest]:
    """Contests residents see: open now, or closed in the last 90 days (their results)."""
    now = timezone.now()
    return Contest.objects.filter(opens_at__lte=now, closes_at__gte=now - dt.timedelta(days=90))


def question_pool(contest: Contest) -> QuerySet[Question]:
    pool = Question.objects.filter(sub_district_id=contest.sub_district_id, is_active=True)
    return pool.filter(topic=contest.topic) if contest.topic else pool


def _taking_part_as(contest: Contest, user: Any) -> tuple[Any, Any]:
    """(member, branch) for a member of a branch in the contest's sub-district, else
    (None, None) for a resident; refused when the contest is not open to them."""
    from members.binding.services import member_of

    member = member_of(user)
    if member is not None and member.organization.sub_district_id != contest.sub_district_id:
        member = None
    if member is not None and contest.open_to_members:
        return member, member.organization
    if contest.open_to_residents:
        if contest.local_residents_only and not _lives_in(user, contest.sub_district_id):
            raise ContestRefused(
                _(
                    "This contest is for residents of the sub-district only; please set your "
                    "community in your profile first."
                )
            )
        return None, None
    raise ContestRefused(
        _("This contest is for party members of the sub-district whose account is bound.")
    )


def _lives_in(user: Any, sub_district_id: int) -> bool:
    return ResidentProfile.objects.filter(
        user=user, community__sub_district_id=sub_district_id
    ).exists()


def check_can_start(*, contest: Contest, user: Any, now: dt.datetime) -> None:
    if not getattr(user, "is_authenticated", False):
        raise ContestRefused(_("Please sign in to take part."))
    if now < contest.opens_at:
        raise ContestRefused(
            _("The contest opens on %(when)s.") % {"when": _local(contest.opens_at)}
        )
    if now >= contest.closes_at:
        raise ContestRefused(_("The contest has closed."))


def start_attempt(*, contest: Contest, user: Any, now: dt.datetime | None = None) -> Attempt:
    """Start an attempt with `question_count` questions drawn at random from the contest's
    pool, or return the attempt still running. Refused outside the window, to people the
    contest is not open to, and once the attempts allowed are used."""
    now = now or timezone.now()
    check_can_start(contest=contest, user=user, now=now)
    member, branch = _taking_part_as(contest, user)
    pool = list(question_pool(contest).values_list("pk", flat=True))
    if len(pool) < contest.question_count:
        raise ContestRefused(
            _("The contest's question bank is not ready yet; please ask the organisers.")
        )
    try:
        entrant, _created = Entrant.objects.get_or_create(
            contest=contest,
            user=user,
            defaults={
                "member": member,
                "organization": branch,
                "display_name": (getattr(user, "full_name", "") or user.get_username())[:100],
            },
        )
    except IntegrityError:  # a parallel first start created it
        entrant = Entrant.objects.get(contest=contest, user=user)
    with transaction.atomic():
        entrant = Entrant.objects.select_for_update().get(pk=entrant.pk)
        finish_overdue(entrants=[entrant.pk], now=now)
        running = (
            Attempt.objects.filter(entrant=entrant, submitted_at__isnull=True)
            .order_by("-number")
            .first()
        )
        if running is not None:
            return running
        if entrant.attempts_started >= contest.attempts_allowed:
            raise ContestRefused(
                _("You have used all %(n)d attempts of this contest.")
                % {"n": contest.attempts_allowed}
            )
        deadline = min(now + dt.timedelta(minutes=contest.time_limit_minutes), contest.closes_at)
        attempt = Attempt.objects.create(
            entrant=entrant,
            contest=contest,
            number=entrant.attempts_started + 1,
            started_at=now,
            deadline=deadline,
            question_count=contest.question_count,
            allowed_seconds=round((deadline - now).total_seconds()),
        )
        drawn = _draw.sample(pool, contest.question_count)
        AttemptQuestion.objects.bulk_create(
            [
                AttemptQuestion(attempt=attempt, question_id=pk, position=i)
                for i, pk in enumerate(drawn, start=1)
            ]
        )
        Entrant.objects.filter(pk=entrant.pk).update(attempts_started=F("attempts_started") + 1)
        record_audit(actor=user, action="contest.attempt_started", target=attempt)
    return attempt


def _lock(attempt: Attempt, user: Any) -> Attempt:
    """Lock the attempt's entrant, then the attempt (the service's lock order)."""
    list(
        Entrant.objects.select_for_update()
        .filter(pk=attempt.entrant_id, user=user)
        .values_list("pk", flat=True)
    )
    try:
        return Attempt.objects.select_for_update().get(pk=attempt.pk, entrant__user=user)
    except Attempt.DoesNotExist:
        raise AttemptClosed(_("This attempt is not yours.")) from None


def _record_answers(attempt: Attempt, answers: dict[int, Any], now: dt.datetime) -> int:
    """Write the answers given ({position: letters}); each checked against its question."""
    rows = list(
        AttemptQuestion.objects.filter(attempt=attempt, position__in=list(answers)).select_related(
            "question"
        )
    )
    for row in rows:
        try:
            row.answer = rules.normalize_answer(
                answers[row.position],
                kind=row.question.kind,
                option_count=len(row.question.options),
            )
        except ValueError:
            raise ContestRefused(
                _(
                    "Question %(n)d: choose among its options "
                    "(one only unless it is multiple choice)."
                )
                % {"n": row.position}
            ) from None
        row.answered_at = now
    AttemptQuestion.objects.bulk_update(rows, ["answer", "answered_at"])
    return len(rows)


def save_answers(
    *, attempt: Attempt, user: Any, answers: dict[int, Any], now: dt.datetime | None = None
) -> int:
    """Save answers while the attempt runs; refused once it is submitted or its time is up."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock(attempt, user)
        if attempt.submitted_at is not None:
            raise AttemptClosed(_("This attempt has already been submitted."))
        if now > attempt.deadline + rules.GRACE:
            raise AttemptClosed(
                _("The time was up at %(when)s; answers given later are not counted.")
                % {"when": _local(attempt.deadline)}
            )
        return _record_answers(attempt, answers, now)


def submit_attempt(
    *, attempt: Attempt, user: Any, answers: dict[int, Any], now: dt.datetime | None = None
) -> Attempt:
    """Submit an attempt and score it. After the deadline (and its grace) the answers sent
    with the submission are not counted — only those saved in time — and the attempt is
    marked late, so the person is told why."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock(attempt, user)
        if attempt.submitted_at is not None:
            raise AttemptClosed(_("This attempt has already been submitted."))
        late = now > attempt.deadline + rules.GRACE
        if not late:
            _record_answers(attempt, answers, now)
        Attempt.objects.filter(pk=attempt.pk).update(late=late)
        _score(Attempt.objects.filter(pk=attempt.pk), submitted_at=min(now, attempt.deadline))
        _update_best([attempt.entrant_id])
        record_audit(
            actor=user, action="contest.attempt_submitted", target=attempt, data={"late": late}
        )
    attempt.refresh_from_db()
    return attempt


def _score(attempts: QuerySet[Attempt], *, submitted_at: dt.datetime | None) -> int:
    """Mark each drawn question right or wrong and score the attempts, in three statements.
    Returns how many attempts the final update scored (callers pass only unsubmitted ones, so
    a second run, or a run racing another, scores nothing twice)."""
    AttemptQuestion.objects.filter(attempt__in=attempts).update(
        is_correct=Exists(
            Question.objects.filter(pk=OuterRef("question_id"), answer=OuterRef("answer"))
        )
    )
    right = (
        AttemptQuestion.objects.filter(attempt=OuterRef("pk"), is_correct=True)
        .values("attempt")
        .annotate(n=Count("pk"))
        .values("n")
    )
    score = Coalesce(Subquery(right, output_field=IntegerField()), Value(0))
    if submitted_at is not None:
        # One attempt: it is being submitted now, in time or late.
        seconds = attempts.values_list("started_at", flat=True).first()
        taken = round((submitted_at - seconds).total_seconds()) if seconds else 0
        return attempts.update(score=score, submitted_at=submitted_at, seconds=max(taken, 0))
    # Attempts that ran out: submitted at their deadline, having used all their time.
    return attempts.update(score=score, submitted_at=F("deadline"), seconds=F("allowed_seconds"))


def _update_best(entrant_ids: list[int]) -> None:
    best = Attempt.objects.filter(entrant=OuterRef("pk"), submitted_at__isnull=False).order_by(
        "-score", "seconds", "submitted_at"
    )
    Entrant.objects.filter(pk__in=entrant_ids).update(
        best_score=Subquery(best.values("score")[:1]),
        best_seconds=Subquery(best.values("seconds")[:1]),
        best_at=Subquery(best.values("submitted_at")[:1]),
    )


def finish_overdue(
    *,
    contest: Contest | None = None,
    entrants: list[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Score the attempts whose time ran out unsubmitted, with the answers saved in time.

    Both the pages (lazily, for the contest or person they show) and the beat task
    `score_expired_attempts` (for every contest) call this one function. The claim is the
    conditional update `submitted_at IS NULL`, so running it twice, or both paths at once,
    scores each attempt once; it returns how many attempts this call scored."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(submitted_at__isnull=True, deadline__lt=now - rules.GRACE)
    if contest is not None:
        overdue = overdue.filter(contest=contest)
    if entrants is not None:
        overdue = overdue.filter(entrant_id__in=entrants)
    ids = list(overdue.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        touched = list(
            Attempt.objects.filter(pk__in=ids).values_list("entrant_id", flat=True).distinct()
        )
        scored = _score(
            Attempt.objects.filter(pk__in=ids, submitted_at__isnull=True), submitted_at=None
        )
        if scored:
            _update_best(touched)
    return scored


def person_ranking(contest: Contest) -> QuerySet[Entrant]:
    """Everyone with a scored attempt, best score first, then the faster, then the earlier."""
    return (
        Entrant.objects.filter(contest=contest, best_score__isnull=False)
        .select_related("organization")
        .order_by("-best_score", "best_seconds", "best_at", "pk")
    )


def branch_ranking(contest: Contest) -> list[dict[str, Any]]:
    """Per branch of the members who took part: participants, their share of the branch's
    current members, the average and the top of their best scores. One GROUP BY."""
    from members.models import Member

    members = (
        Member.objects.current()
        .filter(organization=OuterRef("organization"))
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Entrant.objects.filter(
            contest=contest, best_score__isnull=False, organization__isnull=False
        )
        .values("organization", "organization__name")
        .annotate(
            participants=Count("pk"),
            average=Avg("best_score"),
            top=Max("best_score"),
            members=Subquery(members, output_field=IntegerField()),
        )
        .order_by("-average", "-participants", "organization__name")
    )
    out = []
    for row in rows:
        members_count = row["members"] or 0
        out.append(
            {
                "name": row["organization__name"],
                "participants": row["participants"],
                "members": members_count,
                "share": round(100 * row["participants"] / members_count) if members_count else 0,
                "average": round(float(row["average"] or 0), 1),
                "top": row["top"],
            }
        )
    return out


def contest_figures(contest: Contest) -> dict[str, Any]:
    """People, attempts and the average best score, for the staff list and the report pack."""
    return Entrant.objects.filter(contest=contest).aggregate(
        people=Count("pk", filter=Q(attempts_started__gt=0)),
        average=Avg("best_score"),
    )


def save_contest(*, contest: Contest, actor: Any) -> Contest:
    """Create or change a contest. Once people have taken part, what decides an attempt (the
    questions drawn, the time, the attempts allowed, the opening) stays as it was."""
    try:
        contest.clean()  # the contest's own rules, whoever calls (a form has asked already)
    except ValidationError as invalid:
        field, messages = next(iter(invalid.message_dict.items()))
        raise ContestRefused(messages[0], field=field) from None
    with transaction.atomic():
        created = contest.pk is None
        if not created and contest.attempts.exists():
            before = Contest.objects.select_for_update().get(pk=contest.pk)
            fixed = [Contest._meta.get_field(name).attname for name in FIXED_ONCE_TAKEN]
            if any(getattr(before, name) != getattr(contest, name) for name in fixed):
                raise ContestRefused(
                    _(
                        "People have taken part; only the title, text, closing and who may take "
                        "part can change."
                    )
                )
        contest.save()
        record_audit(
            actor=actor,
            action="contest.created" if created else "contest.changed",
            target=contest,
        )
    return contest
