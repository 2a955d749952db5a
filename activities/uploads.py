"""Upload checks: the type is read from the file's first bytes, never from its name or the
browser's claim, and the size is capped."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.errors import DomainError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"%PDF-", 0, "application/pdf"),
    (b"WEBP", 8, "image/webp"),
]


class UploadRefused(DomainError):
    pass


def sniff(head: bytes) -> str | None:
    for signature, offset, content_type in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type
    return None


def check_upload(upload: UploadedFile, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> str:
    """Return the file's real content type, or refuse it with a message."""
    size = upload.size or 0
    if size == 0:
        raise UploadRefused(_("The file is empty."), field="file")
    if size > max_bytes:
        raise UploadRefused(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused(
            _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached."), field="file"
        )
    return content_type
