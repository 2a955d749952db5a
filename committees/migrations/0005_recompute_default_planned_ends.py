"""Terms whose planned end was the old default (5 years in 社区/村, 3 otherwise, whatever the
start date or kind) get the end the dated table gives (0004's defaults): a community branch
elected before 2018-07-01 served 3 years, a grassroots 党委 outside communities serves 5.

A planned end that differs from the old default was typed in by a person and is left alone.
One read and one bulk update, on SQLite (make run) as on PostgreSQL.
"""

import datetime as dt

from django.db import migrations

OPINION = dt.date(2018, 7, 1)
COMMUNITY = {"community", "village"}


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def old_years(sector):
    return 5 if sector in COMMUNITY else 3


def new_years(kind, sector, started_on):
    if kind in ("work_committee", "committee"):
        return 5
    if started_on >= OPINION and sector in COMMUNITY:
        return 5
    return 3


def recompute(apps, schema_editor):
    CommitteeTerm = apps.get_model("committees", "CommitteeTerm")
    changed = []
    for term in CommitteeTerm.objects.select_related("organization").iterator():
        org = term.organization
        if term.planned_end_on != add_years(term.started_on, old_years(org.sector)):
            continue
        planned = add_years(term.started_on, new_years(org.kind, org.sector, term.started_on))
        if planned != term.planned_end_on:
            term.planned_end_on = planned
            changed.append(term)
    CommitteeTerm.objects.bulk_update(changed, ["planned_end_on"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("committees", "0004_seed_term_length_rules")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
