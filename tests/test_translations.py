"""Every user-facing string has a zh-hans translation that is neither empty nor fuzzy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(strings):
            problems.append(f"missing: {msgid!r}")
    return problems


def test_committed_catalogue_has_no_missing_or_fuzzy_entry():
    assert untranslated(PO) == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="needs GNU gettext's xgettext to extract strings from the code (CI installs it)",
)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Re-extract the strings into a copy of the catalogue; nothing new may appear untranslated.

    makemessages writes into the locale folder beside the files it scans, so it runs in a
    scratch tree of links to the project's code, never touching the committed catalogue.
    """
    base = Path(settings.BASE_DIR)
    skip = {"locale", ".venv", "var", "tests", "bench", "docs", ".git", "static", "deploy"}
    for entry in base.iterdir():
        if entry.name not in skip and (entry.is_dir() or entry.suffix == ".py"):
            (tmp_path / entry.name).symlink_to(entry)
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    before = PO.read_bytes()
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        symlinks=True,
        ignore_patterns=[".venv", "var"],
        no_obsolete=True,
        no_location=True,
        verbosity=0,
    )
    assert PO.read_bytes() == before, "makemessages must not touch the committed catalogue"
    assert untranslated(copy / "django.po") == []
