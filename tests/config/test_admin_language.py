"""The admin speaks Chinese: every app and model name, every changelist column header."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese(text) -> bool:
    return bool(_CJK.search(str(text)))


def test_every_app_and_model_name_in_the_admin_is_chinese(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    with translation.override("zh-hans"):
        app_list = admin.site.get_app_list(request)
        english = [str(app["name"]) for app in app_list if not _chinese(app["name"])]
        english += [
            f"{app['app_label']}.{model['object_name']}: {model['name']}"
            for app in app_list
            for model in app["models"]
            if not _chinese(model["name"])
        ]
    assert len(app_list) > 5
    assert not english, "\n".join(english)


def test_every_changelist_column_header_is_chinese():
    english = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            for name in model_admin.list_display:
                if name == "__str__":
                    continue
                label = label_for_field(name, model, model_admin)
                if not _chinese(label):
                    english.append(f"{model._meta.label}.{name}: {label}")
    assert not english, "\n".join(english)


def test_the_admin_change_link_reads_modify_not_variation():
    from django.utils.translation import gettext, pgettext

    with translation.override("zh-hans"):
        assert gettext("Change") == "修改"
        assert pgettext("member roll", "Change") == "变化"  # the report's column keeps its word
