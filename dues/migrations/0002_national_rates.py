"""Seed the national dues brackets (党费规定 2008, ../shared/domain/RULES.md → Dues).

The figures are copied here, not imported from `dues.rules`, so the migration keeps seeding
what it seeded when the rules module later changes.
"""

from decimal import Decimal

from django.db import migrations

FROM = "2008-04-01"
RATES = (
    ("in_service", None, "3000", "0.005", None),
    ("in_service", "3000", "5000", "0.01", None),
    ("in_service", "5000", "10000", "0.015", None),
    ("in_service", "10000", None, "0.02", None),
    ("retired", None, "5000", "0.005", None),
    ("retired", "5000", None, "0.01", None),
    ("low_income", None, None, None, "0.20"),
    ("farmer", None, None, None, "0.20"),
)


def _dec(value):
    return None if value is None else Decimal(value)


def add_rates(apps, schema_editor):
    DuesRate = apps.get_model("dues", "DuesRate")
    for category, lower, upper, rate, flat in RATES:
        DuesRate.objects.get_or_create(
            category=category,
            valid_from=FROM,
            lower_bound=_dec(lower),
            defaults={"upper_bound": _dec(upper), "rate": _dec(rate), "flat_amount": _dec(flat)},
        )


def remove_rates(apps, schema_editor):
    apps.get_model("dues", "DuesRate").objects.filter(valid_from=FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_dues_ledger")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
