"""Pure rules of knowledge contests: answers as sorted letters, the grace of a submission, how a
name is shown on a public ranking."""

from __future__ import annotations

import datetime as dt

from community.contests.models import LETTERS, QuestionKind

#: A submission this long after the deadline still counts (the request's time on the network);
#: anything later is late, and the answers it carries are not counted.
GRACE = dt.timedelta(seconds=10)
SEPARATORS = set(" ,，、;；\t\n")


def normalize_answer(raw: str | list[str], *, kind: str, option_count: int) -> str:
    """The answer as sorted, distinct letters ("CA" → "AC"); "" for no answer. Raises
    ValueError when a letter is not an option or a single-choice answer has several."""
    text = "".join(str(x) for x in raw) if isinstance(raw, list) else str(raw or "")
    cleaned = sorted({c for c in text.upper() if c not in SEPARATORS})
    allowed = set(LETTERS[:option_count])
    if any(letter not in allowed for letter in cleaned):
        raise ValueError("not an option")
    if kind != QuestionKind.MULTIPLE and len(cleaned) > 1:
        raise ValueError("one answer only")
    return "".join(cleaned)


def masked_name(name: str) -> str:
    """张淑芬 → 张*芬, 王洁 → 王*: enough to find oneself on a public ranking."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name or "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
