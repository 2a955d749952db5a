"""A secretary records dues for two members at once from the month's register on a 375-px
phone: tick, record, the receipts' numbers shown, nothing wider than the screen."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dues.models import DuesPayment, Receipt
from dues.services.billing import bill_month
from tests.dues.factories import DuesBaseFactory
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_phone import WIDTH, sign_in, too_wide

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def test_secretary_records_two_members_dues_on_a_phone(live_server, phone, secretary, branch):
    for name in ("王欣怡", "李建国", "张秀英"):
        DuesBaseFactory(member__organization=branch, member__full_name=name)
    bill_month(timezone.localdate().replace(day=1))
    base = live_server.url
    sign_in(phone, base, "secretary")
    phone.goto(f"{base}/staff/dues/")
    phone.wait_for_selector("[data-testid=register-rows]")
    assert too_wide(phone) <= WIDTH
    phone.get_by_label("王欣怡").check()
    phone.get_by_label("张秀英").check()
    phone.select_option("#id_method", "cash")
    phone.click("[data-testid=record-button]")
    phone.wait_for_selector(".alert-success")
    assert "DF" in phone.inner_text(".alert-success")
    assert phone.locator("[data-testid=paid-badge]").count() == 2
    assert too_wide(phone) <= WIDTH
    assert DuesPayment.objects.count() == 2
    assert Receipt.objects.count() == 2
