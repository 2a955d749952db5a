"""The default cadence table from shared/domain/RULES.md (支部条例). Firm rows are national
rules; the party-lecture-per-quarter row is local and a sub-district may override it."""

from django.db import migrations

DEFAULTS = [
    # kind, lecture kind, applies to, granularity, required, is_local
    ("general_meeting", "", "branch", "quarter", 1, False),
    ("committee_meeting", "", "committee", "month", 1, False),
    ("group_meeting", "", "party_group", "month", 1, False),
    ("lecture", "", "branch", "quarter", 1, True),
    ("lecture", "secretary", "branch", "year", 1, False),
    ("theme_day", "", "branch", "month", 1, False),
    ("life_meeting", "", "branch", "year", 1, False),
    ("appraisal", "", "branch", "year", 1, False),
    ("talk", "", "branch", "year", 1, False),
]


def add_defaults(apps, schema_editor):
    CadenceRule = apps.get_model("activities", "CadenceRule")
    for kind, lecture_kind, applies_to, granularity, required, is_local in DEFAULTS:
        CadenceRule.objects.get_or_create(
            sub_district=None,
            kind=kind,
            lecture_kind=lecture_kind,
            applies_to=applies_to,
            defaults={"granularity": granularity, "required": required, "is_local": is_local},
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
