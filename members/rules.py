"""Pure rules of the members domain: ID-card numbers, masking, the joining pipeline, quarters.

No ORM here, so each rule is easy to test on its own. Figures marked firm in RULES.md are
constants named once below; local figures (transfer letter validity, service quota) are settings
(`MemberSettings`), never constants.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# --- ID-card numbers (GB 11643-1999) ----------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """An ID number that cannot be stored; the message says why, for the person typing it."""


def id_check_code(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def normalize_id_number(value: str) -> str:
    """Strip spaces and upper-case the final x; shape is checked by `validate_id_number`."""
    return re.sub(r"\s+", "", value or "").upper()


def birth_date_of(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_of(number: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return "male" if int(number[16]) % 2 else "female"


def validate_id_number(
    value: str, *, birth_date: dt.date | None = None, check_digit: bool = True
) -> str:
    """Return the normalised number or raise `InvalidIdNumber`.

    `check_digit=False` is the demo path only: demo numbers are made to FAIL the check digit so
    that they can never belong to a real person (see members/demo.py); every other caller keeps
    the default.
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise InvalidIdNumber(
            _("An ID-card number has 18 characters; this one has %(n)d.") % {"n": len(number)}
        )
    if not _ID_SHAPE.match(number):
        raise InvalidIdNumber(_("An ID-card number is 17 digits followed by a digit or X."))
    born = birth_date_of(number)
    if born is None or born.year < 1900:
        raise InvalidIdNumber(_("The birth date inside this ID-card number is not a real date."))
    if check_digit and id_check_code(number[:17]) != number[17]:
        raise InvalidIdNumber(
            _(
                "The last character of this ID-card number does not match its check "
                "digit; please check for a typing error."
            )
        )
    if birth_date is not None and born != birth_date:
        raise InvalidIdNumber(
            _(
                "The birth date inside this ID-card number (%(id_date)s) differs from "
                "the birth date entered (%(date)s)."
            )
            % {"id_date": born.isoformat(), "date": birth_date.isoformat()}
        )
    return number


def mask_id_number(number: str) -> str:
    """First 6 and last 4 characters; the middle 8 (birth date and sequence) hidden."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_phone(phone: str) -> str:
    digits = phone or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number or a landline with its area code."""
    return bool(_PHONE.match(phone))


# --- The joining pipeline (细则 2014) -----------------------------------------------------------

MINIMUM_AGE = 18
TALK_WITHIN_DAYS = 31  # talk with the applicant within 1 month of the application
ACTIVIST_REVIEW_MONTHS = 6
ACTIVIST_MINIMUM_MONTHS = 12  # at least 1 year as activist before becoming a candidate
APPROVAL_WITHIN_MONTHS = 3  # approval within 3 months of the branch vote
APPROVAL_NEVER_BEYOND_MONTHS = 6
PROBATION_MONTHS = 12
EXTENSION_MIN_MONTHS = 6
EXTENSION_MAX_MONTHS = 12
SPONSORS_REQUIRED = 2
TRAINING_MIN_HOURS = 24  # candidate training: at least 3 days or 24 class hours
OUT_OF_CONTACT_MONTHS = 6  # out of contact this long opens the suspension review


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


STAGE_ORDER = ("applicant", "activist", "candidate", "probationary", "full")


class StepRefused(ValueError):
    """A pipeline step taken too early or out of order; the message cites the rule."""


def check_step(
    *,
    current: str,
    target: str,
    on: dt.date,
    applied_on: dt.date | None,
    activist_on: dt.date | None,
    voted_on: dt.date | None,
    probation_ends_on: dt.date | None,
    birth_date: dt.date | None,
    sponsors: int,
    today: dt.date,
) -> None:
    """Raise `StepRefused` unless moving from `current` to `target` on `on` follows the rules."""
    if on > today:
        raise StepRefused(_("A step cannot be dated in the future."))
    if target not in STAGE_ORDER or STAGE_ORDER.index(target) != STAGE_ORDER.index(current) + 1:
        raise StepRefused(
            _(
                "Steps are taken in order: applicant, activist, development "
                "candidate, probationary member, full member."
            )
        )
    if target == "activist" and applied_on and on < applied_on:
        raise StepRefused(_("An activist is chosen after the application, not before it."))
    if target == "candidate" and (
        activist_on is None or on < add_months(activist_on, ACTIVIST_MINIMUM_MONTHS)
    ):
        raise StepRefused(
            _(
                "A development candidate must have been an activist for at least "
                "one year (细则 art. 13)."
            )
        )
    if target == "probationary":
        if sponsors < SPONSORS_REQUIRED:
            raise StepRefused(_("Admission needs two full members as sponsors (细则 art. 16)."))
        if birth_date is not None and age_on(birth_date, on) < MINIMUM_AGE:
            raise StepRefused(_("Only people aged 18 or over may join the party (党章 art. 1)."))
        if voted_on is None:
            raise StepRefused(_("Record the date of the branch general meeting's vote first."))
        if on < voted_on:
            raise StepRefused(_("Approval comes after the branch vote."))
        if on > add_months(voted_on, APPROVAL_NEVER_BEYOND_MONTHS):
            raise StepRefused(
                _(
                    "Approval must come within 3 months of the branch vote and never "
                    "beyond 6 (细则 art. 25)."
                )
            )
    if target == "full" and (probation_ends_on is None or on < probation_ends_on):
        raise StepRefused(
            _(
                "Confirmation comes at the end of probation: one year from the "
                "branch vote, or the extended end (细则 art. 30)."
            )
        )


def check_training(*, hours: int) -> None:
    """A candidate's training must reach 24 class hours (3 days count as 24)."""
    if hours < TRAINING_MIN_HOURS:
        raise StepRefused(
            _(
                "A development candidate needs at least 3 days or 24 class hours of "
                "training before admission (细则 art. 15)."
            )
        )


def check_extension(*, stage: str, already_extended: bool, months: int) -> None:
    """Probation may be extended once, by 6 to 12 months (党章 art. 7)."""
    if stage != "probationary":
        raise StepRefused(_("Only a probationary member's probation can be extended."))
    if already_extended:
        raise StepRefused(_("Probation can be extended only once (党章 art. 7)."))
    if not EXTENSION_MIN_MONTHS <= months <= EXTENSION_MAX_MONTHS:
        raise StepRefused(_("An extension of probation lasts 6 to 12 months (党章 art. 7)."))


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_on: dt.date


def pipeline_deadlines(
    *,
    stage: str,
    applied_on: dt.date | None,
    talked_on: dt.date | None,
    activist_on: dt.date | None,
    last_review_on: dt.date | None,
    voted_on: dt.date | None,
    probation_ends_on: dt.date | None,
) -> list[Deadline]:
    """The next dated obligations of one person in the pipeline."""
    deadlines = []
    if stage == "applicant" and applied_on and talked_on is None:
        deadlines.append(Deadline("talk", applied_on + dt.timedelta(days=TALK_WITHIN_DAYS)))
    if stage == "activist" and activist_on:
        since = max(filter(None, [activist_on, last_review_on]))
        deadlines.append(Deadline("review", add_months(since, ACTIVIST_REVIEW_MONTHS)))
    if stage == "candidate" and voted_on:
        deadlines.append(Deadline("approval", add_months(voted_on, APPROVAL_WITHIN_MONTHS)))
    if stage == "probationary" and probation_ends_on:
        deadlines.append(Deadline("confirmation", probation_ends_on))
    return deadlines


# --- Quarters -----------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = add_months(start, 3) - dt.timedelta(days=1)
    return start, end
