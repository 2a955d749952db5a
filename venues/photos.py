"""Hall and room photos: checked by content, re-encoded, thumbnailed.

A photo is trusted by nothing the browser says. Pillow reads it; only JPEG, PNG and WebP (by
their actual format) pass; an image whose declared size is beyond `VENUE_PHOTO_MAX_PIXELS` is
refused before its pixels are decoded (a decompression bomb). What is stored is a fresh JPEG
drawn from the decoded pixels: EXIF (GPS position, camera, owner) and any other metadata or
trailing bytes stay behind. The orientation the camera recorded is applied first, so the
photo still stands the right way up.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit
from venues.models import HallPhoto, Room, RoomPhoto, ServiceHall

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Longest side of the stored photo and of its thumbnail, in pixels.
FULL_SIZE = 2048
THUMBNAIL_SIZE = 480


class PhotoRefused(DomainError):
    """The upload is not a photo we can store (wrong type, too big, broken)."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _encode(image: Image.Image, longest: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No `exif=` or `icc_profile=`: the new file carries pixels only.
    copy.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), copy.size


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency is laid on white, palettes and greys become colour."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def process_photo(upload: UploadedFile) -> ProcessedPhoto:
    """Check an uploaded photo and return its clean re-encoding and thumbnail, or refuse it."""
    max_bytes = settings.VENUE_PHOTO_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise PhotoRefused(_("The file is empty."), field="file")
    if size > max_bytes:
        raise PhotoRefused(
            _("The photo is larger than %(mb)s MB.") % {"mb": round(max_bytes / 1_048_576, 1)},
            field="file",
        )
    not_a_photo = PhotoRefused(_("Only JPEG, PNG or WebP photos can be uploaded."), field="file")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the three decoders are tried: no other format's parser sees the bytes.
            with Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in ALLOWED_FORMATS:
                    raise not_a_photo
                if width * height > settings.VENUE_PHOTO_MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            # verify() leaves the image unusable; open again to decode the pixels.
            with Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                flat = _flatten(upright)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # Not an image at all, or a truncated or corrupt one.
        raise not_a_photo from None
    full, (width, height) = _encode(flat, FULL_SIZE)
    thumbnail, _size = _encode(flat, THUMBNAIL_SIZE)
    return ProcessedPhoto(image=full, thumbnail=thumbnail, width=width, height=height)


def _too_many_pixels() -> PhotoRefused:
    return PhotoRefused(
        _("The photo has too many pixels (at most %(mp)s million). Please send a smaller one.")
        % {"mp": settings.VENUE_PHOTO_MAX_PIXELS // 1_000_000},
        field="file",
    )


# --- services ---------------------------------------------------------------------------


def _remove_files(photo: HallPhoto | RoomPhoto) -> None:
    """Files written for a photo whose row was not saved (a deleted row's go by receiver)."""
    for field in (photo.image, photo.thumbnail):
        if field.name:
            field.storage.delete(field.name)


def _check_caption_and_order(caption: str, order: int) -> str:
    caption = (caption or "").strip()
    if len(caption) > 120:
        raise PhotoRefused(_("The caption is at most 120 characters long."), field="caption")
    if not 0 <= order <= 999:
        raise PhotoRefused(_("The order is a number from 0 to 999."), field="order")
    return caption


def add_photo(
    *,
    owner: ServiceHall | Room,
    upload: UploadedFile,
    caption: str = "",
    order: int = 0,
    actor: User | None,
) -> HallPhoto | RoomPhoto:
    """Store a photo of a hall or a room: checked and re-encoded first (`process_photo`), so a
    refused upload writes neither a file nor a row; a failed save removes the files again."""
    caption = _check_caption_and_order(caption, order)
    processed = process_photo(upload)
    if isinstance(owner, ServiceHall):
        photo: HallPhoto | RoomPhoto = HallPhoto(hall=owner)
    else:
        photo = RoomPhoto(room=owner)
    photo.caption = caption
    photo.order = order
    photo.width, photo.height = processed.width, processed.height
    photo.uploaded_by = actor if actor is not None and actor.is_authenticated else None
    try:
        photo.image.save("photo.jpg", ContentFile(processed.image), save=False)
        photo.thumbnail.save("thumbnail.jpg", ContentFile(processed.thumbnail), save=False)
        with transaction.atomic():
            photo.save()
            record_audit(
                actor=actor,
                action=f"venues.{photo.owner_kind}_photo_added",
                target=owner,
                data={"photo": photo.pk},
            )
    except BaseException:
        _remove_files(photo)
        raise
    return photo


@transaction.atomic
def update_photo(
    *, photo: HallPhoto | RoomPhoto, caption: str, order: int, actor: User | None
) -> HallPhoto | RoomPhoto:
    """Change a photo's caption or its place in the row."""
    photo.caption = _check_caption_and_order(caption, order)
    photo.order = order
    photo.save(update_fields=["caption", "order"])
    record_audit(
        actor=actor,
        action=f"venues.{photo.owner_kind}_photo_changed",
        target=photo.owner,
        data={"photo": photo.pk, "caption": photo.caption, "order": order},
    )
    return photo


@transaction.atomic
def delete_photo(*, photo: HallPhoto | RoomPhoto, actor: User | None) -> None:
    """Remove a photo; its files go once the removal has committed (venues/receivers.py)."""
    owner, pk = photo.owner, photo.pk
    photo.delete()
    record_audit(
        actor=actor,
        action=f"venues.{photo.owner_kind}_photo_deleted",
        target=owner,
        data={"photo": pk},
    )
