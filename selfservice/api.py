"""The member's own API (党员端), under /api/v1/me/…: the same scope as the `/me/` pages — the
caller's own record and the meetings of their branch (`participation.meetings_of`) — through the
same services. Any row not the caller's is a 404, whatever its id. An account without an active
binding gets 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import RoleAssignment
from accounts.roles import Role
from activities import participation
from activities.models import (
    Attendance,
    CheckIn,
    LeaveRequest,
    LeaveStatus,
    MakeUpTask,
    Meeting,
    MeetingStatus,
)
from dues.models import DuesBill
from members.binding.services import member_of
from members.models import Member, NeedClaim
from points import rankings
from selfservice.checkin import check_in_limited


class IsBoundMember(permissions.BasePermission):
    """A signed-in account bound to a member record; the record is kept on the request."""

    message = _("Bind this account to your party member record first.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        member = member_of(request.user)
        if member is None:
            return False
        request.member = member  # type: ignore[attr-defined]
        return True


class _Mine:
    permission_classes = [IsBoundMember]

    @property
    def member(self) -> Member:
        return self.request.member  # type: ignore[attr-defined]


# --- Serializers ----------------------------------------------------------------------------


class MyMeetingBriefSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "topic",
            "place",
            "starts_at",
            "ends_at",
            "status",
        ]


class MyPersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class MyBranchSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    full_name = serializers.CharField()
    branch_id = serializers.IntegerField()
    branch = serializers.CharField()
    party_group = serializers.CharField(allow_null=True)
    secretaries = MyPersonSerializer(many=True)
    next_meetings = MyMeetingBriefSerializer(many=True)
    open_make_up = serializers.IntegerField()


class MyMeetingSerializer(MyMeetingBriefSerializer):
    agenda = serializers.CharField(read_only=True)
    held_on = serializers.DateField(read_only=True)
    room = serializers.SerializerMethodField()
    my_leave = serializers.SerializerMethodField()
    checked_in_at = serializers.SerializerMethodField()
    my_attendance = serializers.SerializerMethodField()
    check_in_open = serializers.SerializerMethodField()

    class Meta(MyMeetingBriefSerializer.Meta):
        fields = [
            *MyMeetingBriefSerializer.Meta.fields,
            "agenda",
            "held_on",
            "room",
            "my_leave",
            "checked_in_at",
            "my_attendance",
            "check_in_open",
        ]

    def get_room(self, meeting: Meeting) -> str | None:
        booking = meeting.booking
        return str(booking.room) if booking is not None else None

    def get_my_leave(self, meeting: Meeting) -> int | None:
        """The id of my leave request still standing, if any."""
        return meeting.my_leave[0].pk if meeting.my_leave else None

    def get_checked_in_at(self, meeting: Meeting) -> str | None:
        return meeting.my_check_in[0].created_at.isoformat() if meeting.my_check_in else None

    def get_my_attendance(self, meeting: Meeting) -> str | None:
        """As the secretary recorded it: present, leave, absent … (null before recording)."""
        return meeting.my_attendance[0].status if meeting.my_attendance else None

    def get_check_in_open(self, meeting: Meeting) -> bool:
        return participation.check_in_open(meeting)


class MyLeaveSerializer(serializers.ModelSerializer):
    meeting_topic = serializers.CharField(source="meeting.topic", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = ["id", "meeting", "meeting_topic", "reason", "status", "created_at"]
        read_only_fields = ["status", "created_at"]


class MyLeaveCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    reason = serializers.CharField(max_length=200)


class MyCheckInCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=6)


class MyCheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "meeting", "created_at"]


class MyMakeUpSerializer(serializers.ModelSerializer):
    meeting_topic = serializers.CharField(source="meeting.topic", read_only=True)

    class Meta:
        model = MakeUpTask
        fields = [
            "id",
            "meeting",
            "meeting_topic",
            "due_on",
            "reported_on",
            "report_note",
            "done_on",
            "note",
        ]


class MyMakeUpReportSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    note = serializers.CharField(max_length=300)


class MyClaimSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    community = serializers.CharField(source="need.community.name", read_only=True)
    needed_by = serializers.DateField(source="need.needed_by", read_only=True)

    class Meta:
        model = NeedClaim
        fields = ["id", "need", "need_title", "community", "needed_by", "created_at"]


class MyDuesBillSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = DuesBill
        fields = [
            "id",
            "month",
            "category",
            "base_amount",
            "amount_due",
            "reference",
            "paid_on",
        ]


class MyPointLineSerializer(serializers.Serializer):
    day = serializers.DateField(source="entry.day")
    source = serializers.CharField(source="source_label")
    title = serializers.CharField(source="entry.title")
    points = serializers.DecimalField(source="entry.points", max_digits=8, decimal_places=1)
    counts = serializers.BooleanField(source="entry.approved")


class MyPointsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=8, decimal_places=1)
    stars = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    of = serializers.IntegerField()
    entries = MyPointLineSerializer(many=True)


# --- Views ----------------------------------------------------------------------------------


def _secretaries(member: Member) -> list[dict[str, str]]:
    return [
        {"name": a.user.get_full_name() or a.user.username, "phone": a.user.phone or ""}
        for a in RoleAssignment.objects.filter(
            role=Role.SECRETARY, organization_id=member.organization_id, is_active=True
        ).select_related("user")
    ]


class MyBranchView(_Mine, APIView):
    """我的支部: my branch and party group, the secretary's contact, the next meetings."""

    @extend_schema(responses=MyBranchSerializer)
    def get(self, request: Request) -> Response:
        member = Member.objects.select_related("organization", "party_group").get(pk=self.member.pk)
        data = {
            "member_id": member.pk,
            "full_name": member.full_name,
            "branch_id": member.organization_id,
            "branch": member.organization.name,
            "party_group": member.party_group.name if member.party_group else None,
            "secretaries": _secretaries(member),
            "next_meetings": participation.meetings_of(member)
            .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
            .select_related("organization")
            .order_by("starts_at")[:3],
            "open_make_up": MakeUpTask.objects.filter(member=member, done_on__isnull=True).count(),
        }
        return Response(MyBranchSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "when", OpenApiTypes.STR, enum=["upcoming", "past"], description="planned or held"
            )
        ]
    )
)
class MyMeetingViewSet(_Mine, viewsets.ReadOnlyModelViewSet):
    """我的组织生活: the meetings I am expected at, with my leave, check-in and attendance;
    `?when=upcoming` the planned ones (soonest first), `?when=past` the held ones (latest first).
    POST …/check-in/ with the code shown at the meeting."""

    queryset = Meeting.objects.none()  # for the schema; get_queryset decides
    serializer_class = MyMeetingSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Meeting]:
        member = self.member
        meetings = (
            participation.meetings_of(member)
            .select_related("organization", "booking__room")
            .prefetch_related(
                Prefetch(
                    "leave_requests",
                    LeaveRequest.objects.filter(member=member, status=LeaveStatus.REQUESTED),
                    to_attr="my_leave",
                ),
                Prefetch("check_ins", CheckIn.objects.filter(member=member), to_attr="my_check_in"),
                Prefetch(
                    "attendances",
                    Attendance.objects.filter(member=member),
                    to_attr="my_attendance",
                ),
            )
        )
        when = self.request.query_params.get("when")
        if when == "upcoming":
            return meetings.filter(status=MeetingStatus.PLANNED).order_by("starts_at", "pk")
        if when == "past":
            return meetings.filter(status=MeetingStatus.HELD).order_by("-held_on", "-pk")
        return meetings.order_by("-starts_at", "-pk")

    @extend_schema(request=MyCheckInCodeSerializer, responses={201: MyCheckInSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        data = MyCheckInCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = check_in_limited(
            meeting=meeting,
            member=self.member,
            code=data.validated_data["code"],
            actor=request.user,
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        return Response(MyCheckInSerializer(entry).data, status=201)


class MyLeaveViewSet(_Mine, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """My leave requests (请假): POST one before a meeting with a reason; POST …/withdraw/ to
    cancel it while the meeting is still planned."""

    queryset = LeaveRequest.objects.none()  # for the schema; get_queryset decides
    serializer_class = MyLeaveSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LeaveRequest]:
        return (
            LeaveRequest.objects.filter(member=self.member)
            .select_related("meeting")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=MyLeaveCreateSerializer, responses={201: MyLeaveSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = MyLeaveCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = get_object_or_404(
            participation.meetings_of(self.member), pk=data.validated_data["meeting"]
        )
        leave = participation.request_leave(
            meeting=meeting,
            member=self.member,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(MyLeaveSerializer(leave).data, status=201)

    @extend_schema(request=None, responses=MyLeaveSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        leave = participation.withdraw_leave(leave=self.get_object(), actor=request.user)
        return Response(MyLeaveSerializer(leave).data)


class MyMakeUpViewSet(_Mine, viewsets.ReadOnlyModelViewSet):
    """My make-up study tasks; POST …/report/ to report one done with a note (the secretary
    confirms it)."""

    queryset = MakeUpTask.objects.none()  # for the schema; get_queryset decides
    serializer_class = MyMakeUpSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MakeUpTask]:
        return (
            MakeUpTask.objects.filter(member=self.member)
            .select_related("meeting")
            .order_by("done_on", "due_on", "pk")
        )

    @extend_schema(request=MyMakeUpReportSerializer, responses=MyMakeUpSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        data = MyMakeUpReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = participation.report_make_up(
            task=self.get_object(), member=self.member, actor=request.user, **data.validated_data
        )
        return Response(MyMakeUpSerializer(task).data)


class MyClaimViewSet(_Mine, viewsets.ReadOnlyModelViewSet):
    """The community needs I claimed (我的报到)."""

    queryset = NeedClaim.objects.none()  # for the schema; get_queryset decides
    serializer_class = MyClaimSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[NeedClaim]:
        return (
            NeedClaim.objects.filter(registration__member=self.member)
            .select_related("need__community")
            .order_by("-created_at", "-pk")
        )


class MyDuesBillViewSet(_Mine, viewsets.ReadOnlyModelViewSet):
    """我的党费: my monthly bills with their reference codes, newest first (read-only)."""

    queryset = DuesBill.objects.none()  # for the schema; get_queryset decides
    serializer_class = MyDuesBillSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[DuesBill]:
        return DuesBill.objects.filter(member=self.member).order_by("-month", "-pk")


class MyPointsView(_Mine, APIView):
    """我的积分: the year's total, stars, rank (if the sub-district shows it) and entries."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT)], responses=MyPointsSerializer
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        lines, _total = rankings.member_ledger(self.member, year)
        standing = rankings.member_year(self.member, year)
        data = {"year": year, **standing, "entries": lines[:200]}
        return Response(MyPointsSerializer(data).data)
