from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_home_page_is_in_chinese_and_loads_assets_locally(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "党群服务中心" in body
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body


def test_language_switcher_turns_the_site_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Party-mass service centre" in response.content.decode()


def test_admin_is_branded_and_in_chinese(client, superuser):
    client.force_login(superuser)
    body = client.get("/admin/").content.decode()
    assert "街道党建工作平台" in body
    assert "党组织" in body
    assert "站点管理" in body or "系统管理" in body


def test_admin_narrows_organisations_to_the_staff_members_scope(
    client, staff, branch, other_sub_district_branch
):
    client.force_login(staff)
    response = client.get("/admin/branches/organization/")
    body = response.content.decode()
    assert response.status_code == 200
    assert branch.name in body
    assert other_sub_district_branch.name not in body
    url = f"/admin/branches/organization/{other_sub_district_branch.pk}/change/"
    assert client.get(url).status_code in (302, 404)


def test_secretaries_are_kept_out_of_the_admin(client, secretary):
    client.force_login(secretary)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_time_zone_and_language_defaults():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.USE_TZ


def test_admin_keeps_structural_fields_read_only_and_cannot_add_or_delete(client, staff, branch):
    client.force_login(staff)
    response = client.get(f"/admin/branches/organization/{branch.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "name" not in form.fields and "kind" not in form.fields
    assert client.get("/admin/branches/organization/add/").status_code == 403
    assert client.get(f"/admin/branches/organization/{branch.pk}/delete/").status_code == 403


def test_admin_changes_are_audited(client, staff, branch):
    from accounts.models import AuditEntry

    client.force_login(staff)
    url = f"/admin/branches/organization/{branch.pk}/change/"
    data = {
        "sector": "community",
        "ends_on": "",
        "note": "联系电话见台账",
        "covered_units-TOTAL_FORMS": "0",
        "covered_units-INITIAL_FORMS": "0",
        "covered_units-MIN_NUM_FORMS": "0",
        "covered_units-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    branch.refresh_from_db()
    assert branch.note == "联系电话见台账"
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor == staff and entry.target_id == str(branch.pk)


def test_granting_a_role_in_the_admin_goes_through_the_service(client, superuser, sub_district):
    from accounts.models import AuditEntry
    from tests.accounts.factories import UserFactory

    user = UserFactory(username="newstaff")
    client.force_login(superuser)
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-role": "sub_district_staff",
        "role_assignments-0-sub_district": sub_district.pk,
        "role_assignments-0-is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert AuditEntry.objects.filter(action="role.granted", target_id=str(user.pk)).exists()


def test_audit_log_is_for_superusers_only(client, staff, superuser):
    client.force_login(staff)
    assert client.get("/admin/accounts/auditentry/").status_code == 403
    client.force_login(superuser)
    assert client.get("/admin/accounts/auditentry/").status_code == 200


def test_favicon_is_linked_from_every_base_template_and_answers(client, staff, resident):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    for user, url in [(None, "/"), (None, "/accounts/login/"), (resident, "/"), (staff, "/staff/")]:
        if user:
            client.force_login(user)
        assert '<link rel="icon" href="/static/favicon.ico"' in client.get(url).content.decode()


def test_error_pages_fit_a_phone(client, resident):
    """Django's own 403 and 404 pages have no viewport: a phone lays them out 980 px wide."""
    client.force_login(resident)
    for url, status in [("/no-such-page/", 404), ("/staff/", 403)]:
        response = client.get(url)
        assert response.status_code == status
        assert '<meta name="viewport" content="width=device-width' in response.content.decode()
