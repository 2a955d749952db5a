"""Password rules, the same for everyone.

Every password (a resident's, a secretary's, a superuser's) passes the same validators
(settings.AUTH_PASSWORD_VALIDATORS): at least 12 characters, not too like the username or name,
not on Django's list of 20,000 common passwords, not digits only, and enough variety
(`CharacterVarietyValidator`): at least two kinds of character and six different characters, so
`aaaaaaaaaaaa` or `abababababab` is refused. People who work in the workbench (a workbench role,
staff or a superuser) mix one kind more, three of four. The rule is checked whenever a password
is set through a form or `validate_password`: sign-up, password reset, password change and the
admin. Granting a role does not check the current password (it is not known then); the stricter
rule applies at the next change.

Every message and help text is translated (Django's own through our catalogue where Django's
zh_Hans catalogue lags behind its source), and the forms show the help texts beside the field.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import WORKBENCH_ROLES

CLASSES = (
    ("lower", lambda ch: ch.isascii() and ch.islower()),
    ("upper", lambda ch: ch.isascii() and ch.isupper()),
    ("digit", lambda ch: ch.isascii() and ch.isdigit()),
    # Punctuation, spaces and any non-ASCII character (a Chinese character counts here).
    ("symbol", lambda ch: ch in string.punctuation or not (ch.isascii() and ch.isalnum())),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(1 for _name, test in CLASSES if any(test(ch) for ch in password))


def is_workbench_user(user: Any) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return bool(
        user.role_assignments.filter(is_active=True, role__in=list(WORKBENCH_ROLES)).exists()
    )


class CharacterVarietyValidator:
    """Everyone: at least `min_classes` kinds of character and `min_distinct` different
    characters; workbench users: at least `workbench_min_classes` kinds."""

    def __init__(
        self, min_classes: int = 2, min_distinct: int = 6, workbench_min_classes: int = 3
    ) -> None:
        self.min_classes = min_classes
        self.min_distinct = min_distinct
        self.workbench_min_classes = workbench_min_classes

    def validate(self, password: str, user: Any = None) -> None:
        errors = []
        classes = character_classes(password)
        if classes < self.min_classes:
            errors.append(
                ValidationError(
                    _(
                        "This password uses too few kinds of character: mix at least %(n)d of "
                        "lower-case letters, upper-case letters, digits and symbols."
                    )
                    % {"n": self.min_classes},
                    code="password_too_simple",
                )
            )
        elif classes < self.workbench_min_classes and is_workbench_user(user):
            errors.append(
                ValidationError(
                    _(
                        "A staff password must mix at least %(n)d of: lower-case letters, "
                        "upper-case letters, digits and symbols."
                    )
                    % {"n": self.workbench_min_classes},
                    code="password_too_simple",
                )
            )
        if len(set(password)) < self.min_distinct:
            errors.append(
                ValidationError(
                    _("This password repeats itself: use at least %(n)d different characters.")
                    % {"n": self.min_distinct},
                    code="password_too_repetitive",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "Your password mixes at least %(n)d of: lower-case letters, upper-case letters, "
            "digits and symbols (staff: %(staff)d), with at least %(distinct)d different "
            "characters."
        ) % {
            "n": self.min_classes,
            "staff": self.workbench_min_classes,
            "distinct": self.min_distinct,
        }
