"""API of knowledge contests: the contests (read-only) and the caller's own attempts. Right
answers, correctness and scores are in the answers only once the contest has closed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from community.contests import services
from community.contests.models import Attempt, AttemptQuestion, Contest


class ContestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contest
        fields = [
            "id",
            "sub_district",
            "title",
            "description",
            "topic",
            "opens_at",
            "closes_at",
            "question_count",
            "time_limit_minutes",
            "attempts_allowed",
            "open_to_residents",
            "open_to_members",
            "local_residents_only",
        ]


class DrawnQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="question.kind")
    text = serializers.CharField(source="question.text")
    options = serializers.ListField(source="question.options", child=serializers.CharField())
    right_answer = serializers.SerializerMethodField()
    is_correct = serializers.SerializerMethodField()

    class Meta:
        model = AttemptQuestion
        fields = ["position", "kind", "text", "options", "answer", "right_answer", "is_correct"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_right_answer(self, row: AttemptQuestion) -> str | None:
        return row.question.answer if self.context.get("closed_" + str(row.attempt_id)) else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_correct(self, row: AttemptQuestion) -> bool | None:
        return row.is_correct if self.context.get("closed_" + str(row.attempt_id)) else None


class AttemptSerializer(serializers.ModelSerializer):
    score = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "contest",
            "number",
            "started_at",
            "deadline",
            "submitted_at",
            "late",
            "question_count",
            "score",
            "questions",
        ]

    def _closed(self, attempt: Attempt) -> bool:
        return services.results_visible(attempt.contest, self.context["now"])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_score(self, attempt: Attempt) -> int | None:
        return attempt.score if self._closed(attempt) else None

    @extend_schema_field(DrawnQuestionSerializer(many=True))
    def get_questions(self, attempt: Attempt) -> list[dict[str, Any]]:
        context = {**self.context, f"closed_{attempt.pk}": self._closed(attempt)}
        rows = attempt.questions.all()  # prefetched with their questions
        return DrawnQuestionSerializer(rows, many=True, context=context).data


class ContestViewSet(viewsets.ReadOnlyModelViewSet):
    """Contests: the scope's for workbench users, the open and recent ones for residents."""

    serializer_class = ContestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Contest]:
        if getattr(self, "swagger_fake_view", False):
            return Contest.objects.none()
        user = self.request.user
        if user.uses_workbench:
            return Contest.objects.visible_to(user).order_by("-opens_at", "pk")
        return services.public_contests().order_by("-opens_at", "pk")


class MyAttemptViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own attempts, with the questions drawn and the answers they gave."""

    serializer_class = AttemptSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["contest"]

    def get_queryset(self) -> QuerySet[Attempt]:
        if getattr(self, "swagger_fake_view", False):
            return Attempt.objects.none()
        return (
            Attempt.objects.filter(entrant__user=self.request.user)
            .select_related("contest")
            .prefetch_related("questions__question")
            .order_by("contest_id", "number")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}
