"""Demo of knowledge contests: 北林路's 党建知识竞赛 with 21 questions in its bank (party
constitution, organisational life, theory), open now for a fortnight; twelve members of three
北林路 branches have accounts (`bl<member id>`, the demo password) and one submitted attempt each,
so the workbench shows rankings per person and per branch. Idempotent; runs on SQLite."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from branches.models import SubDistrict
from community.contests import services
from community.contests.models import (
    LETTERS,
    TRUE_FALSE_OPTIONS,
    Contest,
    Question,
    QuestionKind,
)
from members.models import BindingStatus, Member, MemberBinding

S, M, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE
QUESTIONS = [
    # kind, text, options, answer, topic
    (
        S,
        "中国共产党的最高理想和最终目标是（ ）。",
        ["实现共产主义", "全面建成小康社会", "实现社会主义现代化", "实现中华民族伟大复兴"],
        "A",
        "党章党规",
    ),
    (
        S,
        "党的最高领导机关是（ ）。",
        [
            "党的全国代表大会和它所产生的中央委员会",
            "中央政治局",
            "中央书记处",
            "中央纪律检查委员会",
        ],
        "A",
        "党章党规",
    ),
    (S, "预备党员的预备期为（ ）。", ["半年", "一年", "两年", "三年"], "B", "党章党规"),
    (
        S,
        "党员如果没有正当理由，连续（ ）不参加党的组织生活，或不交纳党费，或不做党所分配的工作，"
        "就被认为是自行脱党。",
        ["三个月", "六个月", "九个月", "一年"],
        "B",
        "党章党规",
    ),
    (
        S,
        "企业、农村、机关、学校、社区等基层单位，"
        "凡是有正式党员（ ）人以上的，都应当成立党的基层组织。",
        ["三", "五", "七", "十"],
        "A",
        "党章党规",
    ),
    (
        S,
        "中国共产党党旗为（ ）。",
        ["旗面缀有金黄色党徽图案的红旗", "五星红旗", "旗面缀有镰刀锤头的黄旗", "蓝色旗"],
        "A",
        "党章党规",
    ),
    (
        S,
        "“三会一课”中的“一课”是指（ ）。",
        ["党课", "团课", "业务培训课", "形势政策课"],
        "A",
        "组织生活",
    ),
    (S, "党支部委员会会议一般每月召开（ ）次。", ["1", "2", "3", "4"], "A", "组织生活"),
    (S, "党支部党员大会一般每季度召开（ ）次。", ["1", "2", "3", "4"], "A", "组织生活"),
    (S, "党小组会一般每月召开（ ）次。", ["1", "2", "3", "4"], "A", "组织生活"),
    (S, "党支部委员会每届任期为（ ）。", ["二年", "三年", "三年或者五年", "五年"], "C", "组织生活"),
    (
        M,
        "“三会一课”中的“三会”是指（ ）。",
        ["支部党员大会", "支部委员会", "党小组会", "职工代表大会"],
        "ABC",
        "组织生活",
    ),
    (
        M,
        "党的纪律处分有（ ）。",
        ["警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍", "罚款"],
        "ABCDE",
        "党章党规",
    ),
    (
        M,
        "党员要增强“四个意识”，即（ ）。",
        ["政治意识", "大局意识", "核心意识", "看齐意识", "服务意识"],
        "ABCD",
        "理论学习",
    ),
    (
        M,
        "“四个自信”是指（ ）。",
        ["道路自信", "理论自信", "制度自信", "文化自信", "历史自信"],
        "ABCD",
        "理论学习",
    ),
    (
        M,
        "民主评议党员的评议结果分为（ ）。",
        ["优秀", "合格", "基本合格", "不合格", "良好"],
        "ABCD",
        "组织生活",
    ),
    (T, "预备党员的预备期，从支部大会通过他为预备党员之日算起。", None, "A", "党章党规"),
    (T, "预备党员享有表决权、选举权和被选举权。", None, "B", "党章党规"),
    (T, "中国共产党成立于1921年。", None, "A", "理论学习"),
    (T, "党的地方各级代表大会每四年举行一次。", None, "B", "党章党规"),
    (T, "党员有权在党的会议上和党报党刊上，参加关于党的政策问题的讨论。", None, "A", "党章党规"),
]
TITLE = "党建知识竞赛"
BRANCHES = 3
PER_BRANCH = 4


def seed(*, password: str) -> None:
    beilinlu = SubDistrict.objects.filter(name="北林路街道").first()
    if beilinlu is None or Contest.objects.filter(sub_district=beilinlu, title=TITLE).exists():
        return
    Question.objects.bulk_create(
        [
            Question(
                sub_district=beilinlu,
                kind=kind,
                text=text,
                options=options or list(TRUE_FALSE_OPTIONS),
                answer=answer,
                topic=topic,
            )
            for kind, text, options, answer, topic in QUESTIONS
        ],
        ignore_conflicts=True,
    )
    now = timezone.now()
    contest = Contest.objects.create(
        sub_district=beilinlu,
        title=TITLE,
        description="学党章、知党史、强党性：北林路街道党工委举办党建知识竞赛，"
        "党员和居民均可参加，每次随机抽取10题，限时15分钟，可答两次，取最好成绩。",
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=11),
        question_count=10,
        time_limit_minutes=15,
        attempts_allowed=2,
    )
    for i, user in enumerate(_member_accounts(beilinlu, password)):
        started = contest.opens_at + dt.timedelta(hours=2 + 3 * i)
        attempt = services.start_attempt(contest=contest, user=user, now=started)
        rows = list(attempt.questions.select_related("question"))
        # A plausible spread: everyone gets most right, some more than others.
        answers = {
            row.position: (
                row.question.answer
                if (row.position + i) % (3 + i % 4)
                else _wrong(row.question.answer, len(row.question.options))
            )
            for row in rows
        }
        services.submit_attempt(
            attempt=attempt,
            user=user,
            answers=answers,
            now=started + dt.timedelta(minutes=4 + i % 7, seconds=13 * i),
        )


def _wrong(answer: str, count: int) -> str:
    return next(letter for letter in LETTERS[:count] if letter not in answer)


def _member_accounts(sub_district: SubDistrict, password: str) -> list[User]:
    """Accounts bound to four current members in each of three 北林路 branches."""
    members: list[Member] = []
    branch_ids = list(
        Member.objects.current()
        .filter(organization__sub_district=sub_district)
        .order_by("organization__path")
        .values_list("organization_id", flat=True)
        .distinct()[: BRANCHES * 3]
    )
    for branch_id in list(dict.fromkeys(branch_ids))[:BRANCHES]:
        members += list(
            Member.objects.current()
            .filter(organization_id=branch_id)
            .exclude(bindings__status__in=["active", "requested", "invited"])
            .order_by("pk")[:PER_BRANCH]
        )
    if not members:
        return []
    hashed = make_password(password)
    User.objects.bulk_create(
        [User(username=f"bl{m.pk}", full_name=m.full_name, password=hashed) for m in members],
        ignore_conflicts=True,
    )
    users = {
        u.username: u for u in User.objects.filter(username__in=[f"bl{m.pk}" for m in members])
    }
    MemberBinding.objects.bulk_create(
        [
            MemberBinding(
                member=m,
                user=users[f"bl{m.pk}"],
                status=BindingStatus.ACTIVE,
                decided_at=timezone.now(),
            )
            for m in members
        ],
        ignore_conflicts=True,
    )
    return [users[f"bl{m.pk}"] for m in members]
