"""Demo accounts, one per role; the README lists them. Idempotent."""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from accounts.services import grant_role
from branches.models import CoBuildingUnit, Organization, SubDistrict

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (documented in the README; demo only)
# The demo accounts that must use two factors (admin, sub-district staff) are enrolled with this
# key (the RFC 6238 test secret; base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ, in the README): add it
# to any authenticator app. Demo only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def _enrolled(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )


def _user(username: str, full_name: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed() -> None:
    admin = _user("admin", "系统管理员", is_superuser=True, is_staff=True)
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    staff = _user("ruyihu_staff", "李一")
    grant_role(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=ruyihu, granted_by=admin)
    _enrolled(admin)
    _enrolled(staff)
    for username, full_name, branch in [
        ("lianmeng_secretary", "王洁茹", "联盟新城社区党支部"),
        ("tianlu_secretary", "张建华", "天路社区党支部"),
    ]:
        secretary = _user(username, full_name)
        organization = Organization.objects.get(sub_district=ruyihu, name=branch)
        grant_role(user=secretary, role=Role.SECRETARY, organization=organization, granted_by=admin)
    liaison = _user("unit_liaison", "赵明")
    unit = CoBuildingUnit.objects.get(sub_district=ruyihu, name="郑州市儿童医院党委")
    grant_role(user=liaison, role=Role.UNIT_LIAISON, unit=unit, granted_by=admin)
    if unit.liaison_id != liaison.pk:
        from regional.services.committees import update_unit

        update_unit(unit=unit, liaison=liaison, actor=admin)
    _user("resident", "刘芳", phone="13800000000")
