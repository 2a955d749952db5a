"""Password rules that depend on who the user is.

Django's validators give everyone at least 12 characters and no common password (settings).
Anyone who works in the workbench (a workbench role or a superuser) must also mix character
classes. The rule is checked whenever a password is set through a form or `validate_password`:
sign-up, password reset, password change and the admin. Granting a role does not check the
current password (it is not known then); the stricter rule applies at the next change.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


class StaffCharacterClassesValidator:
    """Workbench users' passwords mix at least `min_classes` of the four character classes."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if not is_workbench_user(user):
            return
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "A staff password must mix at least %(n)d of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Staff passwords mix at least %(n)d kind of character.",
            "Staff passwords mix at least %(n)d of: lower-case letters, upper-case letters, "
            "digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}
