"""Every audit action the code records has a label; the log page shows labels, not codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.audit import ACTION_LABELS
from accounts.services import record_audit

APPS = ["accounts", "activities", "branches", "members", "reports", "venues", "volunteers"]
# An `action=` keyword with a string literal or an f-string, as record_audit is called.
_CALL = re.compile(r"\baction=(f?)\"([a-z0-9_]+\.[a-z0-9_.{}]+)\"")


def _codes_in_source() -> list[tuple[str, str, bool]]:
    found = []
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for is_f, code in _CALL.findall(path.read_text()):
                found.append((str(path.relative_to(base)), code, bool(is_f)))
    return found


def test_the_source_scan_finds_the_audit_calls():
    codes = {code for _, code, _ in _codes_in_source()}
    # The scan cannot silently find nothing: these calls are known to exist.
    assert {"auth.2fa_verified", "access.denied", "booking.created"} <= codes
    assert len(codes) > 100


def test_every_action_code_in_the_source_has_a_label():
    missing = []
    for path, code, is_f in _codes_in_source():
        if is_f:
            # An f-string (`venues.{photo.owner_kind}_photo_added`): every value it takes is
            # labelled; at least two must be (hall and room, need and resource).
            pattern = re.compile(re.escape(code).replace(r"\{", "{").replace(r"\}", "}"))
            pattern = re.compile(re.sub(r"\{[^}]*\}", "[a-z_]+", pattern.pattern) + "$")
            if sum(1 for label in ACTION_LABELS if pattern.match(label)) < 2:
                missing.append(f"{path}: {code}")
        elif code not in ACTION_LABELS:
            missing.append(f"{path}: {code}")
    assert not missing, "audit actions without a label in accounts/audit.py:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_the_log_page_shows_chinese_labels_for_action_and_object_type(clients, staff):
    record_audit(actor=staff, action="auth.2fa_verified", target=staff)
    record_audit(actor=staff, action="access.denied", data={"path": "/x/", "method": "GET"})
    page = clients["staff"].get(reverse("staff:audit-log")).content.decode()
    assert "双因素验证通过" in page and "访问被拒绝" in page
    assert "用户" in page
    assert ">auth.2fa_verified<" not in page and ">accounts.user<" not in page
    assert ">access.denied<" not in page
