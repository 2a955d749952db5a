"""Hall and room photos: checked by content, re-encoded without metadata, served by a view
that knows who may see them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import AuditEntry
from tests.access import assert_access
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues import photos
from venues.models import HallPhoto, RoomPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def image_bytes(fmt: str = "JPEG", size=(40, 20), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    color = (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)
    Image.new(mode, size, color if mode != "1" else 0).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90° to stand up
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (34.0, 45.0, 30.0)
    gps[3] = "E"
    gps[4] = (113.0, 40.0, 10.0)
    return image_bytes("JPEG", size=(40, 20), exif=exif.tobytes())


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- the checks ---------------------------------------------------------------------------


def test_gps_and_camera_data_are_stripped_and_orientation_applied(room, staff, media):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original and Image.open(io.BytesIO(original)).getexif()
    photo = photos.add_photo(owner=room, upload=upload(original), caption="活动室", actor=staff)
    for field in (photo.image, photo.thumbnail):
        data = field.read() if field.open("rb") else b""
        field.close()
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert b"PhoneMaker" not in data and b"Exif" not in data
    # Orientation 6 turned the 40x20 photo upright.
    assert (photo.width, photo.height) == (20, 40)


def test_files_have_random_names_under_media_root(room, staff, media):
    photo = photos.add_photo(
        owner=room, upload=upload(image_bytes(), name="张三家.jpg"), actor=staff
    )
    names = [p.name for p in stored_files(media)]
    assert len(names) == 2
    assert all("张三" not in n for n in names)
    assert photo.image.name.startswith("venues/photos/") and photo.image.name.endswith(".jpg")
    assert AuditEntry.objects.filter(action="venues.room_photo_added").count() == 1


@pytest.mark.parametrize(
    ("fmt", "mode", "name"),
    [("PNG", "RGBA", "a.png"), ("WEBP", "RGB", "a.webp"), ("JPEG", "RGB", "a.gif")],
)
def test_accepts_jpeg_png_and_webp_by_content_whatever_the_name(
    room, staff, media, fmt, mode, name
):
    photo = photos.add_photo(
        owner=room, upload=upload(image_bytes(fmt, mode=mode), name=name), actor=staff
    )
    assert Image.open(photo.image.path).format == "JPEG"
    assert Image.open(photo.thumbnail.path).size == (40, 20)


def test_thumbnail_is_small_and_the_photo_is_capped(room, staff):
    photo = photos.add_photo(owner=room, upload=upload(image_bytes(size=(3000, 1500))), actor=staff)
    assert (photo.width, photo.height) == (2048, 1024)
    assert max(Image.open(photo.thumbnail.path).size) == 480


BAD_UPLOADS = [
    ("gif", lambda: image_bytes("GIF", mode="RGB"), "只能上传 JPEG、PNG 或 WebP 格式的照片。"),
    ("text named .jpg", lambda: b"<script>alert(1)</script>" * 10, "只能上传"),
    ("truncated jpeg", lambda: image_bytes(size=(400, 400))[:300], "只能上传"),
    ("pdf", lambda: b"%PDF-1.4\n" + b"0" * 200, "只能上传"),
    ("empty", lambda: b"", "文件为空。"),
]


@pytest.mark.parametrize(("label", "make", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_refuses_what_is_not_a_photo_and_writes_nothing(room, staff, media, label, make, message):
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.add_photo(owner=room, upload=upload(make()), actor=staff)
    assert message in refused.value.message
    assert RoomPhoto.objects.count() == 0 and stored_files(media) == []


def test_refuses_a_file_over_the_size_setting(room, staff, media, settings):
    settings.VENUE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.add_photo(owner=room, upload=upload(image_bytes(size=(300, 300))), actor=staff)
    assert "照片大于" in refused.value.message
    assert stored_files(media) == []


def test_refuses_too_many_pixels_before_decoding(room, staff, media, settings):
    settings.VENUE_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.add_photo(
            owner=room, upload=upload(image_bytes("PNG", size=(1200, 1000))), actor=staff
        )
    assert "像素" in refused.value.message
    assert stored_files(media) == []


def test_refuses_a_decompression_bomb(room, staff, media, settings):
    # A 1-bit PNG of 200 million pixels is a few hundred kilobytes on disk.
    bomb = image_bytes("PNG", size=(20_000, 10_000), mode="1")
    assert len(bomb) < settings.VENUE_PHOTO_MAX_BYTES
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.add_photo(owner=room, upload=upload(bomb, name="bomb.png"), actor=staff)
    assert "像素" in refused.value.message
    assert stored_files(media) == []


def test_refuses_a_caption_too_long_and_a_bad_order(room, staff, media):
    with pytest.raises(photos.PhotoRefused):
        photos.add_photo(owner=room, upload=upload(image_bytes()), caption="长" * 121, actor=staff)
    with pytest.raises(photos.PhotoRefused):
        photos.add_photo(owner=room, upload=upload(image_bytes()), order=1000, actor=staff)
    assert stored_files(media) == []


def test_deleting_a_photo_removes_its_files(room, staff, media, django_capture_on_commit_callbacks):
    photo = photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        photos.delete_photo(photo=photo, actor=staff)
    assert stored_files(media) == [] and RoomPhoto.objects.count() == 0


def test_a_deleted_hall_takes_its_photos_files_along(
    hall, room, staff, media, django_capture_on_commit_callbacks
):
    """A hall deleted in the admin cascades to its rooms and photos; no file is left behind."""
    photos.add_photo(owner=hall, upload=upload(image_bytes()), actor=staff)
    photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    assert len(stored_files(media)) == 4  # photo and thumbnail each
    with django_capture_on_commit_callbacks(execute=True):
        hall.delete()
    assert stored_files(media) == []
    assert not HallPhoto.objects.exists() and not RoomPhoto.objects.exists()


def test_a_rolled_back_deletion_keeps_the_files(room, staff, media):
    from django.db import transaction

    photo = photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    pk = photo.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        photo.delete()
        raise RuntimeError("the deletion is rolled back")
    assert len(stored_files(media)) == 2 and RoomPhoto.objects.filter(pk=pk).exists()


# --- serving ------------------------------------------------------------------------------


def test_photos_of_public_rooms_and_halls_are_public(room, staff):
    room_photo = photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    hall_photo = photos.add_photo(owner=room.hall, upload=upload(image_bytes()), actor=staff)
    for url in (room_photo.url, room_photo.thumbnail_url, hall_photo.url):
        response = Client().get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_photos_of_a_staff_only_room_need_access(clients, hall, staff):
    room = RoomFactory(hall=hall, audience="staff")
    photo = photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    assert_access(
        clients,
        photo.thumbnail_url,
        {"anonymous": 404, "resident": 404, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    elsewhere = Client()
    from tests.venues.test_pages import _staff_of_another_sub_district

    elsewhere.force_login(_staff_of_another_sub_district())
    assert elsewhere.get(photo.url).status_code == 404


def test_photos_of_a_closed_hall_are_not_public(hall, staff):
    photo = photos.add_photo(owner=hall, upload=upload(image_bytes()), actor=staff)
    hall.is_active = False
    hall.save()
    assert Client().get(photo.url).status_code == 404
    assert Client().get("/venues/photos/other/1/full/").status_code == 404
    assert Client().get(f"/venues/photos/hall/{photo.pk}/huge/").status_code == 404


def test_resident_pages_show_the_photos(room, staff, django_assert_max_num_queries):
    room_photo = photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)
    hall_photo = photos.add_photo(owner=room.hall, upload=upload(image_bytes()), actor=staff)
    body = Client().get("/venues/").content.decode()
    assert hall_photo.thumbnail_url in body
    body = Client().get(f"/venues/rooms/{room.pk}/").content.decode()
    assert room_photo.thumbnail_url in body and hall_photo.thumbnail_url in body
    for _ in range(4):
        RoomFactory(hall=room.hall)
    with django_assert_max_num_queries(7):
        assert Client().get("/venues/").status_code == 200


def test_rooms_api_lists_photos(clients, room, staff):
    photo = photos.add_photo(owner=room, upload=upload(image_bytes()), caption="全景", actor=staff)
    rooms = clients["resident"].get("/api/v1/rooms/").json()["results"]
    assert rooms[0]["photos"][0]["caption"] == "全景"
    assert rooms[0]["photos"][0]["thumbnail_url"].endswith(photo.thumbnail_url)


# --- staff pages --------------------------------------------------------------------------


def photo_rows():
    return (
        list(HallPhoto.objects.order_by("pk").values_list("pk", "caption", "order")),
        list(RoomPhoto.objects.order_by("pk").values_list("pk", "caption", "order")),
    )


def test_photo_page_access(clients, hall):
    assert_access(
        clients,
        f"/staff/venues/halls/{hall.pk}/photos/",
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
    )
    assert (
        clients["staff"].get(f"/staff/venues/halls/{ServiceHallFactory().pk}/photos/").status_code
        == 404
    )


def test_upload_access_and_nothing_written_on_refusal(clients, hall, media):
    url = f"/staff/venues/halls/{hall.pk}/photos/"

    def data():
        return {"target": "hall", "file": upload(image_bytes()), "caption": "x", "order": 0}

    for role, status in {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 403,
        "secretary": 403,
    }.items():
        assert clients[role].post(url, data()).status_code == status
    assert photo_rows() == ([], []) and stored_files(media) == []
    response = clients["staff"].post(url, data())
    assert response.status_code == 302
    assert HallPhoto.objects.filter(hall=hall).count() == 1


def test_upload_of_a_room_photo_through_the_page(clients, room):
    url = f"/staff/venues/halls/{room.hall.pk}/photos/"
    response = clients["staff"].post(
        url,
        {
            "target": f"room:{room.pk}",
            "file": upload(image_bytes("PNG")),
            "caption": "内景",
            "order": 2,
        },
    )
    assert response.status_code == 302
    assert RoomPhoto.objects.get().caption == "内景"
    page = clients["staff"].get(url).content.decode()
    assert "内景" in page
    calendar = clients["secretary"].get(f"/staff/venues/halls/{room.hall.pk}/").content.decode()
    assert RoomPhoto.objects.get().thumbnail_url in calendar


def test_page_refuses_a_bad_file_in_chinese_and_writes_nothing(clients, room, media):
    url = f"/staff/venues/halls/{room.hall.pk}/photos/"
    other_room = RoomFactory(hall=ServiceHallFactory())
    for bad in [
        {
            "target": "hall",
            "file": upload(b"MZ\x90\x00" * 50, name="a.jpg"),
            "caption": "x",
            "order": 0,
        },
        {"target": "hall", "caption": "x", "order": 0},
        {"target": f"room:{other_room.pk}", "file": upload(image_bytes()), "order": 0},
        {"target": "hall", "file": upload(image_bytes()), "order": -1},
    ]:
        response = clients["staff"].post(url, bad)
        assert response.status_code == 400
    assert (
        "只能上传 JPEG、PNG 或 WebP 格式的照片。"
        in clients["staff"]
        .post(url, {"target": "hall", "file": upload(b"GIF89a" + b"0" * 100), "order": 0})
        .content.decode()
    )
    assert photo_rows() == ([], []) and stored_files(media) == []


def test_edit_and_delete_access(clients, room, staff, media):
    photo = photos.add_photo(owner=room, upload=upload(image_bytes()), caption="旧", actor=staff)
    edit = f"/staff/venues/photos/room/{photo.pk}/edit/"
    delete = f"/staff/venues/photos/room/{photo.pk}/delete/"
    refused = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for role, status in refused.items():
        assert clients[role].post(edit, {"caption": "新", "order": 1}).status_code == status
        assert clients[role].post(delete).status_code == status
    assert photo_rows() == ([], [(photo.pk, "旧", 0)])
    elsewhere = Client()
    from tests.venues.test_pages import _staff_of_another_sub_district

    elsewhere.force_login(_staff_of_another_sub_district())
    assert elsewhere.post(delete).status_code == 404
    assert clients["staff"].post(edit, {"caption": "新", "order": 1}).status_code == 302
    assert photo_rows() == ([], [(photo.pk, "新", 1)])
    assert clients["staff"].post(delete).status_code == 302
    assert photo_rows() == ([], [])


def test_admin_inline_uploads_through_the_checks(client, superuser, hall, media):
    client.force_login(superuser)
    url = f"/admin/venues/servicehall/{hall.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = {
        "sub_district": hall.sub_district_id,
        "name": hall.name,
        "address": hall.address,
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": 0,
        "opening_hours-INITIAL_FORMS": 0,
        "closed_periods-TOTAL_FORMS": 0,
        "closed_periods-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 1,
        "photos-INITIAL_FORMS": 0,
        "photos-0-caption": "外景",
        "photos-0-order": 0,
    }
    bad = client.post(url, {**form, "photos-0-upload": upload(b"not an image" * 20)})
    assert bad.status_code == 200
    assert "只能上传" in bad.content.decode()
    assert HallPhoto.objects.count() == 0 and stored_files(media) == []
    good = client.post(url, {**form, "photos-0-upload": upload(jpeg_with_gps())})
    assert good.status_code == 302
    photo = HallPhoto.objects.get()
    assert photo.caption == "外景" and not Image.open(photo.image.path).getexif()


def test_photo_and_calendar_pages_query_count_does_not_grow(
    clients, hall, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [f"/staff/venues/halls/{hall.pk}/photos/", f"/staff/venues/halls/{hall.pk}/"]

    def add_rooms(n):
        for _ in range(n):
            room = RoomFactory(hall=hall)
            for _ in range(2):
                photos.add_photo(owner=room, upload=upload(image_bytes()), actor=staff)

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert clients["staff"].get(url).status_code == 200
            found.append(len(queries))
        return found

    add_rooms(1)
    photos.add_photo(owner=hall, upload=upload(image_bytes()), actor=staff)
    few = counts()
    add_rooms(4)
    assert counts() == few
    with django_assert_max_num_queries(14):
        assert clients["staff"].get(urls[0]).status_code == 200
