"""Roster import and export (XLSX, Chinese headings).

The import is all-or-nothing: every row is checked (types, required fields, ID check digit and
birth date, dates in order, branch exists and is in the user's scope, duplicates inside the file
and against the database) and either every row is written, in one transaction with bulk inserts,
or nothing is and the caller gets the full list of errors by row and column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import User
from accounts.services import record_audit
from branches.models import Community, Organization, OrganizationKind
from members import rules, sheetwriter, tabular
from members.errors import ImportRejected
from members.identity import encrypt_id_number, hash_id_number
from members.models import (
    Category,
    Education,
    Gender,
    Member,
    MemberChange,
    MemberStatus,
)

MAX_ROWS = 10_000
PROGRESS_EVERY = 250
MEMBER_BRANCH_KINDS = (
    OrganizationKind.BRANCH,
    OrganizationKind.GENERAL_BRANCH,
    OrganizationKind.COMMITTEE,
)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation: the heading in the user's language
    required: bool = False
    kind: str = "text"  # text, date, choice, bool
    choices: type | None = None
    max_length: int = 0
    example: str = ""


COLUMNS = (
    Column(
        "full_name", pgettext_lazy("roster heading", "Name"), True, max_length=50, example="张三"
    ),
    Column(
        "gender", pgettext_lazy("roster heading", "Gender"), False, "choice", Gender, example="男"
    ),
    Column(
        "ethnicity",
        pgettext_lazy("roster heading", "Ethnicity"),
        False,
        max_length=20,
        example="汉族",
    ),
    Column(
        "birth_date",
        pgettext_lazy("roster heading", "Birth date"),
        False,
        "date",
        example="1980-05-01",
    ),
    Column(
        "id_number",
        pgettext_lazy("roster heading", "ID-card number"),
        True,
        example="(18 位公民身份号码)",
    ),
    Column(
        "phone",
        pgettext_lazy("roster heading", "Phone"),
        False,
        max_length=20,
        example="13900000000",
    ),
    Column(
        "education",
        pgettext_lazy("roster heading", "Education"),
        False,
        "choice",
        Education,
        example="大学本科",
    ),
    Column(
        "occupation",
        pgettext_lazy("roster heading", "Occupation"),
        False,
        max_length=60,
        example="教师",
    ),
    Column(
        "work_unit",
        pgettext_lazy("roster heading", "Work unit"),
        False,
        max_length=100,
        example="郑州四十七中",
    ),
    Column(
        "address",
        pgettext_lazy("roster heading", "Home address"),
        False,
        max_length=200,
        example="",
    ),
    Column(
        "community",
        pgettext_lazy("roster heading", "Community of residence"),
        False,
        example="联盟新城社区",
    ),
    Column(
        "organization",
        pgettext_lazy("roster heading", "Branch"),
        True,
        example="联盟新城社区党支部",
    ),
    Column(
        "party_group", pgettext_lazy("roster heading", "Party group"), False, example="第一党小组"
    ),
    Column(
        "status",
        pgettext_lazy("roster heading", "Status"),
        True,
        "choice",
        MemberStatus,
        example="正式党员",
    ),
    Column(
        "category",
        pgettext_lazy("roster heading", "Category"),
        False,
        "choice",
        Category,
        example="在职党员",
    ),
    Column(
        "joined_on",
        pgettext_lazy("roster heading", "Joined the party on"),
        True,
        "date",
        example="2005-07-01",
    ),
    Column(
        "confirmed_on",
        pgettext_lazy("roster heading", "Confirmed as full member on"),
        False,
        "date",
    ),
    Column(
        "in_hardship", pgettext_lazy("roster heading", "In hardship"), False, "bool", example="否"
    ),
)
TRUE_WORDS = {"是", "yes", "true", "1", "y"}
FALSE_WORDS = {"否", "no", "false", "0", "n", ""}


def headings() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def _neutral(value: Any) -> Any:
    """Cells that a spreadsheet would run as a formula are written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# GB 3304: the 56 ethnic groups, offered as the drop-down of the ethnicity column.
ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族",
    "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族",
    "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
    "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族",
    "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip
TEXT_COLUMNS = ("id_number", "phone")  # digits Excel would turn into numbers (18 digits lose 3)
TEMPLATE_ROWS = MAX_ROWS  # rows under the headings that get the formats and drop-downs


def allowed_values(column: Column) -> list[str]:
    """The drop-down of an enumerated column, in the user's language (the import reads both)."""
    if column.kind == "choice" and column.choices is not None:
        return [str(label) for label in column.choices.labels]
    if column.kind == "bool":
        return ["是", "否"]
    if column.key == "ethnicity":
        return list(ETHNIC_GROUPS)
    return []


def template_workbook() -> bytes:
    """The downloadable template: Chinese headings and nothing under them, so the untouched file
    imports as "no member rows" rather than failing on an example. The ID-card and phone columns
    are text (Excel would turn 18 digits into a rounded number), dates are dates, and every
    enumerated column offers a drop-down. The example row and the allowed values are on the
    instructions sheet; the lists behind the drop-downs on a hidden sheet."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Roster")
    sheet.append(headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(_("Lists"))
    lists.sheet_state = "hidden"
    last = TEMPLATE_ROWS + 1
    list_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(12, len(str(column.label)) * 2 + 4)
        if column.key in TEXT_COLUMNS:
            dimension.number_format = "@"
            dimension.width = max(dimension.width, 22)
        elif column.kind == "date":
            dimension.number_format = "yyyy-mm-dd"
        values = allowed_values(column)
        if not values:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        for row, value in enumerate(values, start=1):
            lists.cell(row, list_column, value)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${list_letter}$1:${list_letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            # An ethnicity outside the list (e.g. 穿青人) may still be written: a warning only.
            errorStyle="warning" if column.key == "ethnicity" else "stop",
            errorTitle=str(column.label),
            error=_("Choose a value from the list."),
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet(_("Instructions"), index=1)
    notes.append([_("Column"), _("Required"), _("Allowed values or format"), _("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        if column.kind == "choice" and column.choices is not None:
            allowed = "、".join(str(label) for label in column.choices.labels)
        elif column.kind == "date":
            allowed = _("a date, e.g. 2005-07-01")
        elif column.kind == "bool":
            allowed = _("yes or no (是 / 否)")
        elif column.key == "ethnicity":
            allowed = _("choose from the list")
        elif column.key == "id_number":
            allowed = _("18 characters, kept as text")
        else:
            allowed = ""
        notes.append(
            [
                str(column.label),
                _("yes") if column.required else _("no"),
                allowed,
                column.example,
            ]
        )
    notes.append([])
    notes.append(
        [_("Fill in the first sheet from its second row. Rows are imported all or nothing.")]
    )
    for letter, width in (("A", 20), ("B", 8), ("C", 50), ("D", 24)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    created: int


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append({"row": row, "column": column, "message": message})


def _choice_map(choices: Any) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices.choices:
        for form in (str(label), value):
            mapping[form.strip().lower()] = value
        with translation.override("zh-hans"):
            mapping[str(label).strip().lower()] = value
    # Words people write in rosters that differ from our labels.
    if choices is Gender:
        mapping.update({"男": "male", "女": "female"})
    if choices is Category:
        mapping.update({"在职党员": "in_service", "离退休党员": "retired", "流动党员": "mobile"})
    return mapping


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise ValueError(text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(upload: BinaryIO, *, name: str = "") -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the first sheet, after checking the file and the headings.

    The file is read by `members.tabular` (budgets, formulas refused, parse errors turned into
    `ImportRejected`); a file that ends early or holds a formula raises when the rows run out,
    so a caller that reads every row before writing writes nothing."""
    with tabular.open_table(upload, name=name, width=len(COLUMNS)) as table:
        expected = headings()
        with translation.override("zh-hans"):
            expected_zh = headings()
        header = table.header[: len(expected)]
        header += [""] * (len(expected) - len(header))
        if header not in (expected, expected_zh):
            missing = [
                h
                for h, z in zip(expected, expected_zh, strict=True)
                if h not in header and z not in header
            ]
            raise ImportRejected(
                _("The headings of the first row do not match the template.")
                + (
                    " " + _("Missing: %(columns)s.") % {"columns": "、".join(missing)}
                    if missing
                    else ""
                ),
                errors=[],
            )
        yield from table.rows()


def import_roster(
    *,
    actor: User,
    upload: BinaryIO,
    size: int | None = None,
    name: str = "",
    progress: Callable[[int], Any] | None = None,
    on_written: Callable[[int], Any] | None = None,
) -> ImportResult:
    """Validate every row of a roster and write them all, or raise `ImportRejected` with every
    error (row, column, message in the user's language) and write nothing.

    `progress(rows checked)` is called every few hundred rows, while reading (outside any
    transaction); `on_written(rows created)` inside the transaction that writes the rows, so a
    background job records its end atomically with the members it created."""
    if size is not None and size > settings.MEMBER_IMPORT_MAX_BYTES:
        raise ImportRejected(
            _("The file is larger than %(mb)d MB; split the roster into smaller files.")
            % {"mb": settings.MEMBER_IMPORT_MAX_BYTES // 1_048_576},
            errors=[],
        )
    errors = _Errors()
    branches: dict[str, list[Organization]] = {}
    for org in Organization.objects.visible_to(actor).filter(
        kind__in=MEMBER_BRANCH_KINDS, status="active"
    ):
        branches.setdefault(org.name, []).append(org)
    groups: dict[tuple[int, str], Organization] = {}
    visible_groups = Organization.objects.visible_to(actor).filter(
        kind=OrganizationKind.PARTY_GROUP
    )
    group_rows = list(visible_groups)
    sub_district_ids = {org.sub_district_id for orgs in branches.values() for org in orgs}
    communities: dict[tuple[int, str], Community] = {
        (c.sub_district_id, c.name): c
        for c in Community.objects.filter(sub_district_id__in=sub_district_ids)
    }
    choice_maps = {c.key: _choice_map(c.choices) for c in COLUMNS if c.kind == "choice"}
    today = timezone.localdate()
    labels = {column.key: str(column.label) for column in COLUMNS}

    members: list[Member] = []
    seen_hashes: dict[str, int] = {}
    row_count = 0
    for number, cells in read_rows(upload, name=name):
        row_count += 1
        if progress is not None and row_count % PROGRESS_EVERY == 0:
            progress(row_count)
        if row_count > MAX_ROWS:
            raise ImportRejected(
                _("A roster holds at most %(n)d rows; split the file.") % {"n": MAX_ROWS},
                errors=[],
            )
        values: dict[str, Any] = {}
        row_ok = True

        def fail(key: str, message: str, number: int = number) -> None:
            nonlocal row_ok
            row_ok = False
            errors.add(number, labels[key], message)

        for column, raw in zip(COLUMNS, cells, strict=True):
            text = _cell_text(raw)
            if not text:
                if column.required:
                    fail(column.key, _("This column is required."))
                values[column.key] = None if column.kind in ("date", "choice") else ""
                continue
            if column.kind == "date":
                try:
                    values[column.key] = _parse_date(raw)
                except ValueError:
                    fail(
                        column.key,
                        _("“%(value)s” is not a date; write it as 2005-07-01.")
                        % {"value": text[:30]},
                    )
                    continue
                if values[column.key] > today:
                    fail(column.key, _("This date is in the future."))
            elif column.kind == "choice":
                value = choice_maps[column.key].get(text.lower())
                if value is None:
                    allowed = "、".join(str(label) for label in column.choices.labels)  # type: ignore[union-attr]
                    fail(
                        column.key,
                        _("“%(value)s” is not one of: %(allowed)s.")
                        % {"value": text[:30], "allowed": allowed},
                    )
                values[column.key] = value
            elif column.kind == "bool":
                if text.lower() in TRUE_WORDS:
                    values[column.key] = True
                elif text.lower() in FALSE_WORDS:
                    values[column.key] = False
                else:
                    fail(column.key, _("Write 是 or 否."))
            else:
                if column.max_length and len(text) > column.max_length:
                    fail(column.key, _("At most %(n)d characters.") % {"n": column.max_length})
                values[column.key] = text

        # Branch, group and community, within the user's scope.
        org = None
        if values.get("organization"):
            candidates = branches.get(values["organization"], [])
            if not candidates:
                fail("organization", _("No branch of this name is within your scope."))
            elif len(candidates) > 1:
                fail(
                    "organization",
                    _("Several branches in your scope have this name; import them separately."),
                )
            else:
                org = candidates[0]
        group = None
        if org is not None and values.get("party_group"):
            key = (org.pk, values["party_group"])
            if key not in groups:
                for candidate in group_rows:
                    if candidate.name == values["party_group"] and candidate.path.startswith(
                        org.path
                    ):
                        groups[key] = candidate
                        break
            group = groups.get(key)
            if group is None:
                fail("party_group", _("This branch has no party group of this name."))
        community = None
        if org is not None and values.get("community"):
            community = communities.get((org.sub_district_id, values["community"]))
            if community is None:
                fail("community", _("No community of this name in the branch's sub-district."))

        # Cross-field rules.
        id_number = ""
        if values.get("id_number"):
            try:
                id_number = rules.validate_id_number(
                    values["id_number"], birth_date=values.get("birth_date")
                )
            except rules.InvalidIdNumber as exc:
                fail("id_number", str(exc))
        birth = values.get("birth_date") or (rules.birth_date_of(id_number) if id_number else None)
        joined, confirmed = values.get("joined_on"), values.get("confirmed_on")
        if birth and joined and rules.age_on(birth, joined) < rules.MINIMUM_AGE:
            fail(
                "joined_on",
                _(
                    "A member joins the party at 18 or older; check the birth date "
                    "and the date joined."
                ),
            )
        if joined and confirmed and confirmed < joined:
            fail("confirmed_on", _("Confirmation as a full member comes after joining."))
        if values.get("status") == MemberStatus.PROBATIONARY and confirmed:
            fail("confirmed_on", _("A probationary member has no confirmation date yet."))
        if values.get("status") == MemberStatus.FULL and joined and not confirmed:
            pass  # older records often lack it; allowed
        if values.get("phone") and not rules.is_valid_phone(values["phone"]):
            fail("phone", _("Enter an 11-digit mobile number or a landline with its area code."))
        digest = ""
        if id_number:
            digest = hash_id_number(id_number)
            if digest in seen_hashes:
                fail(
                    "id_number",
                    _("The same ID-card number is already on row %(row)d of this file.")
                    % {"row": seen_hashes[digest]},
                )
            else:
                seen_hashes[digest] = number
        if not row_ok:
            continue
        members.append(
            Member(
                organization=org,
                party_group=group,
                community=community,
                full_name=values["full_name"],
                gender=values["gender"] or (rules.gender_of(id_number) if id_number else ""),
                ethnicity=values["ethnicity"],
                birth_date=birth,
                id_number_encrypted=encrypt_id_number(id_number) if id_number else "",
                id_number_hash=digest or None,
                id_number_masked=rules.mask_id_number(id_number),
                phone=values["phone"],
                education=values["education"] or "",
                occupation=values["occupation"],
                work_unit=values["work_unit"],
                address=values["address"],
                status=values["status"],
                category=values["category"] or "",
                joined_on=joined,
                confirmed_on=confirmed,
                in_hardship=bool(values.get("in_hardship")),
            )
        )
        members[-1]._row = number  # type: ignore[attr-defined]

    if row_count == 0:
        raise ImportRejected(_("The file has no member rows under the headings."), errors=[])
    # Duplicates against the database, in chunks so a 5,000-row file stays a few queries.
    hashes = list(seen_hashes)
    from members.services import describe_duplicate

    for start in range(0, len(hashes), 1000):
        chunk = list(
            Member.objects.filter(id_number_hash__in=hashes[start : start + 1000]).select_related(
                "organization"
            )
        )
        # One query tells which of them the user may know about (see describe_duplicate).
        known = set(
            Member.objects.visible_to(actor)
            .filter(pk__in=[m.pk for m in chunk])
            .values_list("pk", flat=True)
        )
        for existing in chunk:
            errors.add(
                seen_hashes[existing.id_number_hash],
                labels["id_number"],
                describe_duplicate(existing, actor, known=existing.pk in known),
            )
    if errors.items:
        errors.items.sort(
            key=lambda e: (e["row"], [c.key for c in COLUMNS].index(_key_of(e["column"], labels)))
        )
        raise ImportRejected(
            _("The roster was not imported: %(n)d errors. Correct them and import the file again.")
            % {"n": len(errors.items)},
            errors=errors.items,
        )
    try:
        with transaction.atomic():
            created = Member.objects.bulk_create(members, batch_size=1000)
            MemberChange.objects.bulk_create(
                [
                    MemberChange(
                        member=member,
                        actor=actor,
                        action=MemberChange.Action.IMPORTED,
                        summary=_("Imported from a roster (row %(row)d)") % {"row": member._row},  # type: ignore[attr-defined]
                    )
                    for member in created
                ],
                batch_size=1000,
            )
            record_audit(actor=actor, action="member.roster_imported", data={"rows": len(created)})
            if on_written is not None:
                on_written(len(created))
    except IntegrityError:
        raise ImportRejected(
            _(
                "Someone recorded one of these ID-card numbers while the file was "
                "being imported; import it again to see which."
            ),
            errors=[],
        ) from None
    return ImportResult(created=len(created))


def _key_of(label: str, labels: dict[str, str]) -> str:
    for key, value in labels.items():
        if value == label:
            return key
    return COLUMNS[0].key


DISPLAYED_CHOICES = ("gender", "education", "status", "category", "state")


def _display_labels() -> dict[str, dict[Any, Any]]:
    """Each choice field's labels in the current language, built once per export (the model's
    `get_FOO_display` rebuilds its dict and translates every label on each call)."""
    return {
        name: {value: str(label) for value, label in Member._meta.get_field(name).flatchoices}
        for name in DISPLAYED_CHOICES
    }


# The export's columns, read as values: no model instance per row (30,000 of them, each with
# its organisation, party group and community, were most of a district export's time).
EXPORT_FIELDS = (
    "full_name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_masked",
    "phone",
    "education",
    "occupation",
    "work_unit",
    "address",
    "community__name",
    "organization__name",
    "party_group__name",
    "status",
    "category",
    "joined_on",
    "confirmed_on",
    "in_hardship",
    "state",
)


def export_values(members: QuerySet[Member]) -> Iterator[tuple[Any, ...]]:
    """The rows of `members` as the export reads them, in the queryset's order, fetched in
    chunks: one query, on PostgreSQL a server-side cursor inside a transaction of its own.

    The cursor is planned for the whole result (`cursor_tuple_fraction = 1`): PostgreSQL plans
    a cursor for its first tenth by default, and for this join and sort that chose a nested
    loop over every organisation for every member (32 s instead of 0.5 s for a district when
    the statistics were stale)."""
    alias = members.db  # the report replica when the router sends this read there
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield from members.using(alias).values_list(*EXPORT_FIELDS).iterator(chunk_size=5000)


def export_rows(values: Iterable[tuple[Any, ...]]) -> Iterator[list[Any]]:
    """One row per member, ID and phone masked, in the user's language. The choice labels are
    translated once per export, not per row (`get_FOO_display` rebuilds its dict and translates
    every label on each call)."""
    labels = _display_labels()
    gender, education = labels["gender"], labels["education"]
    status, category, state = labels["status"], labels["category"], labels["state"]
    yes, no = _("yes"), _("no")
    mask_phone = rules.mask_phone
    for (
        full_name,
        gender_value,
        ethnicity,
        birth_date,
        id_number_masked,
        phone,
        education_value,
        occupation,
        work_unit,
        address,
        community,
        organization,
        party_group,
        status_value,
        category_value,
        joined_on,
        confirmed_on,
        in_hardship,
        state_value,
    ) in values:
        yield [
            full_name,
            gender.get(gender_value, gender_value),
            ethnicity,
            birth_date,
            id_number_masked,
            mask_phone(phone),
            education.get(education_value, education_value),
            occupation,
            work_unit,
            address,
            community or "",
            organization,
            party_group or "",
            status.get(status_value, status_value),
            category.get(category_value, category_value),
            joined_on,
            confirmed_on,
            yes if in_hardship else no,
            state.get(state_value, state_value),
        ]


def export_headings() -> list[str]:
    return [*headings(), str(gettext_lazy("membership state"))]


def export_workbook(values: Iterable[tuple[Any, ...]], out: BinaryIO) -> None:
    """The roster as an XLSX workbook written to `out` (a temporary file the response streams
    from) by `members.sheetwriter`, a thousand rows at a time (openpyxl cost ~1 ms a row)."""
    rows = ([_neutral(value) for value in row] for row in export_rows(values))
    sheetwriter.write_xlsx(out, str(_("Roster")), itertools.chain([export_headings()], rows))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return _neutral(value)


class _Line:
    """A file-like sink for csv.writer that hands back what was written to it."""

    def write(self, text: str) -> str:
        return text


def export_csv(values: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """The same rows as CSV, encoded as they go (a streaming response's content): UTF-8 with a
    byte-order mark, which Excel needs to read Chinese; dates ISO, empty cells empty."""
    writer = csv.writer(_Line())
    yield codecs.BOM_UTF8 + writer.writerow(export_headings()).encode()
    batch: list[str] = []
    for row in export_rows(values):
        batch.append(writer.writerow([_csv_cell(value) for value in row]))
        if len(batch) == 1000:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()
