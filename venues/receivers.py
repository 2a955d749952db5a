"""A deleted photo's files are removed from storage once the deletion has committed, however the
row went: the photo page, a deleted room, or a hall deleted in the admin (a cascade)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from venues.models import HallPhoto, RoomPhoto


@receiver(post_delete, sender=HallPhoto, dispatch_uid="venues-hall-photo-files")
@receiver(post_delete, sender=RoomPhoto, dispatch_uid="venues-room-photo-files")
def remove_photo_files(sender: Any, instance: HallPhoto | RoomPhoto, **kwargs: Any) -> None:
    files = [(field.storage, field.name) for field in (instance.image, instance.thumbnail)]

    def remove() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(remove, using=kwargs.get("using"))
