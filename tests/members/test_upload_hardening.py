"""Uploads are checked by content and served as attachments with the type of their bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.forms import MemberForm
from members.models import Member
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_opened(clients, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (101 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < settings.MEMBER_IMPORT_MAX_BYTES
    response = clients["staff"].post(
        reverse("staff:member-import"),
        {"file": SimpleUploadedFile("roster.xlsx", data)},
    )
    assert "MB" in response.content.decode()
    assert not Member.objects.exists()


def test_a_photo_is_stored_under_a_random_name_and_served_as_an_attachment(clients, branch, staff):
    member = MemberFactory(organization=branch)
    upload = SimpleUploadedFile("evil.html", PNG, content_type="text/html")
    form = MemberForm(data={}, files={"photo": upload}, instance=member, user=staff)
    form.is_valid()  # other fields may be missing; only the photo's cleaning matters here
    photo = form.cleaned_data["photo"]
    assert photo.name.endswith(".png") and "evil" not in photo.name
    member.photo.save(photo.name, photo, save=True)
    response = clients["staff"].get(reverse("staff:member-photo", args=[member.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert clients["other_secretary"].get(
        reverse("staff:member-photo", args=[member.pk])
    ).status_code in (403, 404)
    member.photo.delete(save=False)
