"""The term-length table of shared/domain/RULES.md as default rows (no sub-district).

- before 2018-07 (党章 2017: 三年至五年): 党委 5, 总支 and 支部 3, the same in communities;
- from 2018-07-01 (《关于党的基层组织任期的意见》): 党委 5, 总支 and 支部 3; in 社区 and 村 5 for all;
- from 2022-10-22 (党章 as amended by the 20th congress): believed to unify all to 5 years, to be
  confirmed by each sub-district, so seeded inactive.
"""

import datetime as dt

from django.db import migrations

EARLIEST = dt.date(1900, 1, 1)
OPINION = dt.date(2018, 7, 1)
CONSTITUTION_2022 = dt.date(2022, 10, 22)

ROWS = [
    # (in force from, kind, in community, years, active, source)
    (EARLIEST, "committee", False, 5, True, "党章 (2017)"),
    (EARLIEST, "general_branch", False, 3, True, "党章 (2017)"),
    (EARLIEST, "branch", False, 3, True, "党章 (2017)"),
    (EARLIEST, "committee", True, 5, True, "党章 (2017)"),
    (EARLIEST, "general_branch", True, 3, True, "党章 (2017)"),
    (EARLIEST, "branch", True, 3, True, "党章 (2017)"),
    (OPINION, "committee", False, 5, True, "关于党的基层组织任期的意见 (2018)"),
    (OPINION, "general_branch", False, 3, True, "关于党的基层组织任期的意见 (2018)"),
    (OPINION, "branch", False, 3, True, "关于党的基层组织任期的意见 (2018)"),
    (OPINION, "committee", True, 5, True, "关于党的基层组织任期的意见 (2018)"),
    (OPINION, "general_branch", True, 5, True, "关于党的基层组织任期的意见 (2018)"),
    (OPINION, "branch", True, 5, True, "关于党的基层组织任期的意见 (2018)"),
    (CONSTITUTION_2022, "committee", False, 5, False, "党章 (2022), to be confirmed"),
    (CONSTITUTION_2022, "general_branch", False, 5, False, "党章 (2022), to be confirmed"),
    (CONSTITUTION_2022, "branch", False, 5, False, "党章 (2022), to be confirmed"),
    (CONSTITUTION_2022, "committee", True, 5, False, "党章 (2022), to be confirmed"),
    (CONSTITUTION_2022, "general_branch", True, 5, False, "党章 (2022), to be confirmed"),
    (CONSTITUTION_2022, "branch", True, 5, False, "党章 (2022), to be confirmed"),
]


def seed(apps, schema_editor):
    TermLengthRule = apps.get_model("committees", "TermLengthRule")
    for effective_from, kind, in_community, years, active, source in ROWS:
        TermLengthRule.objects.get_or_create(
            sub_district=None,
            effective_from=effective_from,
            kind=kind,
            in_community=in_community,
            defaults={"years": years, "is_active": active, "source": source},
        )


def unseed(apps, schema_editor):
    apps.get_model("committees", "TermLengthRule").objects.filter(sub_district=None).delete()


class Migration(migrations.Migration):
    dependencies = [("committees", "0003_term_length_rules_and_extensions")]

    operations = [migrations.RunPython(seed, unseed)]
