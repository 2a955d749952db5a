"""A care visit's fund becomes a choice (dues kept for use, a charity fund, a budget, donations,
other) with the fund's own name in a note; money given always names its fund.

The data step parses what the free text allowed: the fund's kind from its words (the original
text is kept in the note), and an amount written in "what was given" ("慰问金500元") where no
amount was recorded. Money without any fund is marked "other" and noted as unnamed.
"""

import re
from decimal import Decimal, InvalidOperation

from django.db import migrations, models

KEYWORDS = (
    ("dues", ("党费",)),
    ("charity", ("慈善", "公益", "charity")),
    ("budget", ("经费", "财政", "预算", "budget")),
    ("donation", ("捐", "赞助", "donat")),
)
AMOUNT = re.compile(r"(\d{1,7}(?:\.\d{1,2})?)\s*(?:元|块|yuan)", re.IGNORECASE)


def fund_kind(text: str) -> str:
    lowered = text.lower()
    for kind, words in KEYWORDS:
        if any(word in lowered for word in words):
            return kind
    return "other"


def parse_amount(text: str) -> Decimal | None:
    found = AMOUNT.search(text or "")
    if not found:
        return None
    try:
        value = Decimal(found.group(1))
    except InvalidOperation:
        return None
    return value if value > 0 else None


def forwards(apps, schema_editor):
    CareVisit = apps.get_model("grids", "CareVisit")
    for visit in CareVisit.objects.exclude(fund="", amount__isnull=True, given="").iterator():
        text = visit.fund.strip()
        changed = []
        if visit.amount is None:
            amount = parse_amount(visit.given)
            if amount is not None:
                visit.amount = amount
                changed.append("amount")
        if text:
            visit.fund = fund_kind(text)
            visit.fund_note = text[:100]
            changed += ["fund", "fund_note"]
        elif visit.amount is not None:
            visit.fund = "other"
            visit.fund_note = "未注明"
            changed += ["fund", "fund_note"]
        if changed:
            visit.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0001_grids_households_disputes_care"),
    ]

    operations = [
        migrations.AddField(
            model_name="carevisit",
            name="fund_note",
            field=models.CharField(blank=True, max_length=100, verbose_name="fund note"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="carevisit",
            name="fund",
            field=models.CharField(
                blank=True,
                choices=[
                    ("dues", "Party dues kept for use"),
                    ("charity", "Charity fund"),
                    ("budget", "Sub-district or community budget"),
                    ("donation", "Donations"),
                    ("other", "Other fund"),
                ],
                max_length=20,
                verbose_name="from which fund",
            ),
        ),
        migrations.AddConstraint(
            model_name="carevisit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("amount__isnull", True),
                    models.Q(("fund", ""), _negated=True),
                    _connector="OR",
                ),
                name="care_visit_money_has_fund",
            ),
        ),
    ]
