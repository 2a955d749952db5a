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
