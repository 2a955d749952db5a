"""Room booking in a real browser: a resident on a phone, staff at the desk."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts import sms
from accounts.models import OutgoingSms
from accounts.services import deliver_outgoing_sms
from branches.models import Community
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import ARTIFACTS, pass_two_factor
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues.models import Booking, BookingStatus, OpeningHours
from venues.services import book_room

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13812345678"


def open_all_day(hall) -> None:
    """00:00–24:00 (a closing time of 00:00 is midnight)."""
    for weekday in range(7):
        OpeningHours.objects.create(
            hall=hall, weekday=weekday, opens_at=dt.time(0), closes_at=dt.time(0)
        )


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """The live server runs in this process: holding Django's clock at 10:00 holds the server's
    too, so 'the slot on now' and 'tomorrow' never straddle midnight."""
    return clock


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"venues-{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, username)


def test_a_resident_registers_books_sees_the_code_and_cancels_on_a_phone(
    live_server, phone_page, sub_district
):
    page = phone_page
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    hall = ServiceHallFactory(
        sub_district=sub_district, community=community, name="联盟新城社区党群服务中心"
    )
    room = RoomFactory(hall=hall, name="儿童之家", capacity=20)

    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("input[name=phone]", PHONE)
    page.click("#submit-id-send_code")
    page.wait_for_selector("input[name=code]")
    for pending in OutgoingSms.objects.filter(status="pending"):
        deliver_outgoing_sms(sms_id=pending.pk)
    code = re.search(r"\d{6}", sms.outbox[-1].body).group()
    page.fill("input[name=code]", code)
    page.fill("input[name=full_name]", "陈静")
    page.select_option("select[name=community]", str(community.pk))
    page.fill("input[name=password1]", "lotus-pond-evening-walk")
    page.fill("input[name=password2]", "lotus-pond-evening-walk")
    shot(page, "register")
    page.click("#submit-id-register")
    page.wait_for_url(re.compile(r"^(?!.*register).*$"))

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.goto(f"{live_server.url}/venues/rooms/{room.pk}/book/")
    page.fill("input[name=date]", tomorrow.isoformat())
    page.fill("input[name=start]", "10:00")
    page.fill("input[name=end]", "11:00")
    page.fill("input[name=attendees]", "6")
    page.fill("input[name=purpose]", "亲子阅读")
    page.click("#submit-id-book")
    page.wait_for_selector("[data-testid=booking-confirmation]")
    booking = Booking.objects.get(resident__phone=PHONE)
    assert booking.status == BookingStatus.CONFIRMED
    assert page.locator("[data-testid=check-in-code]").inner_text() == booking.check_in_code
    assert page.locator("[data-testid=check-in-qr] svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "confirmation")

    page.click("[data-testid=cancel-booking]")
    page.wait_for_url(f"{live_server.url}/venues/my/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "已取消" in page.locator("body").inner_text()
    shot(page, "cancelled")


def test_staff_approve_a_booking_and_check_one_in_by_code(live_server, page, staff, sub_district):
    hall = ServiceHallFactory(sub_district=sub_district, open_every_day=False)
    open_all_day(hall)
    room = RoomFactory(hall=hall, name="老年大学教室", requires_approval=True)
    desk = RoomFactory(hall=hall, name="图书区")
    resident = UserFactory(username="reader", full_name="周晓梅")
    tz = timezone.get_current_timezone()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    pending = book_room(
        room=room,
        resident=resident,
        starts_at=dt.datetime.combine(tomorrow, dt.time(14), tz),
        ends_at=dt.datetime.combine(tomorrow, dt.time(15), tz),
        attendees=10,
        purpose="书法练习",
    )
    assert pending.status == BookingStatus.PENDING
    # A booking that is on now (booked yesterday), ready to check in.
    start = timezone.localtime().replace(second=0, microsecond=0)  # 10:00, held (it ticks)
    on_now = book_room(
        room=desk,
        resident=resident,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        attendees=2,
        purpose="读书分享会",
        now=start - dt.timedelta(days=1),
    )
    assert on_now.status == BookingStatus.CONFIRMED

    log_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/staff/venues/approvals/")
    assert "书法练习" in page.locator("[data-testid=pending-booking]").inner_text()
    shot(page, "approval-queue")
    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    pending.refresh_from_db()
    assert pending.status == BookingStatus.CONFIRMED

    page.goto(f"{live_server.url}/staff/venues/check-in/")
    page.fill("input[name=code]", on_now.check_in_code)
    page.click("#submit-id-find")
    page.wait_for_selector("[data-testid=check-in-booking]")
    assert "周晓梅" in page.locator("[data-testid=check-in-booking]").inner_text()
    page.click("[data-testid=confirm-check-in]")
    page.wait_for_load_state()
    on_now.refresh_from_db()
    assert on_now.status == BookingStatus.CHECKED_IN
    shot(page, "checked-in")


def test_staff_upload_a_room_photo_and_residents_see_it_on_a_phone(
    live_server, page, phone_page, staff, sub_district, settings, tmp_path
):
    import io

    from PIL import Image

    from venues.models import RoomPhoto

    settings.MEDIA_ROOT = tmp_path
    hall = ServiceHallFactory(sub_district=sub_district, name="如意湖党群服务中心")
    room = RoomFactory(hall=hall, name="舞蹈室")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    picture = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(picture, format="JPEG", exif=exif.tobytes())

    log_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/staff/venues/halls/{hall.pk}/photos/")
    page.select_option("select[name=target]", f"room:{room.pk}")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "dance.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()}],
    )
    page.fill("input[name=caption]", "舞蹈室全景")
    page.click("#submit-id-upload")
    page.wait_for_selector("[data-testid=photo-row]")
    shot(page, "photos-staff")
    photo = RoomPhoto.objects.get(room=room)
    assert b"PhoneMaker" not in photo.image.read()

    phone_page.goto(f"{live_server.url}/venues/rooms/{room.pk}/")
    image = phone_page.locator("[data-testid=room-photos] img").first
    image.wait_for()
    # The thumbnail loads after the element appears (loading="lazy"): wait for its pixels, and a
    # broken picture times out here.
    phone_page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000
    )
    assert "舞蹈室全景" in phone_page.locator("[data-testid=room-photos]").inner_text()
    shot(phone_page, "photos-phone")
