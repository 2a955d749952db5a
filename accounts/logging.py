"""A log filter that masks what looks like personal data before a line leaves the process."""

from __future__ import annotations

import logging
import re

# An 18-character resident ID number, an 11-digit mainland mobile number, an email address.
_PATTERNS = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[id-number]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[phone]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


class RefusalWithoutTraceback(logging.Filter):
    """On `django.request`: a refused or missing page (a 4xx: 403 PermissionDenied, 404 Http404)
    is one warning line, not a traceback. A refusal is the access rules working; the audit log
    records it (`access.denied`). Server errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
