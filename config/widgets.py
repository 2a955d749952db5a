"""The date and time inputs of every form: the browser's own pickers, fed ISO values.

A browser's `<input type="date">` reads only `YYYY-MM-DD` (and `type="time"` only `HH:MM`,
`datetime-local` only `YYYY-MM-DDTHH:MM`); anything else is dropped and the person must pick the
day again. Django would write the first of the language's input formats (`2026/12/05` in
zh-hans), so these widgets pin the format and are never localised. Every form uses them, which
`tests/config/test_date_inputs.py` checks.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)
        self.is_localized = False


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)
        self.is_localized = False


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)
        self.is_localized = False
