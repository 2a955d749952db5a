from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.outbox import OutboxMessage
from accounts.roles import WORKBENCH_ROLES, Role


class User(AbstractUser):
    """A person who signs in: staff, secretary, unit liaison or resident.

    What a user may do comes from their active role assignments; a user with none is a resident.
    """

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def active_assignments(self) -> tuple[RoleAssignment, ...]:
        """The user's active role assignments with what each is bound to, read once per user
        object: the roles (`active_roles`), the scope (`accounts.scope.scope_for`) and the
        dashboard's "my roles" of a request come from this one query."""
        cached = getattr(self, "_active_assignments", None)
        if cached is None:
            if not self.is_authenticated or not self.pk:
                cached = ()
            else:
                cached = tuple(
                    self.role_assignments.filter(is_active=True)
                    .select_related("organization", "sub_district", "unit")
                    .order_by("pk")
                )
            self._active_assignments = cached
        return cached

    @property
    def active_roles(self) -> frozenset[str]:
        cached = getattr(self, "_active_roles", None)
        if cached is None:
            cached = self._active_roles = frozenset(a.role for a in self.active_assignments)
        return cached

    @property
    def uses_workbench(self) -> bool:
        return self.is_active and (self.is_superuser or bool(self.active_roles & WORKBENCH_ROLES))

    @property
    def is_resident(self) -> bool:
        return not self.is_superuser and not self.active_roles


class RoleAssignment(models.Model):
    """One role held by one user, bounded to a scope: a sub-district, an organisation or a unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "branches.CoBuildingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-building unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    Q(
                        role=Role.SUB_DISTRICT_STAFF,
                        sub_district__isnull=False,
                        organization__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role=Role.SECRETARY,
                        sub_district__isnull=True,
                        organization__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(
                        role=Role.UNIT_LIAISON,
                        sub_district__isnull=True,
                        organization__isnull=True,
                        unit__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        target = self.sub_district or self.organization or self.unit
        return f"{self.get_role_display()} · {target}"


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditEntryQuerySet:
        """Superusers read everything. Sub-district staff read what the people of their
        sub-districts did: entries whose actor holds (or held) a role there — as staff of the
        sub-district, secretary of one of its organisations or liaison of one of its units.
        Entries without an actor (failed sign-ins, locks) name only a typed username, which
        may belong to anyone, so only superusers read them. Everyone else reads nothing."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if not scope.sub_district_ids:
            return self.none()
        ids = scope.sub_district_ids
        actors = RoleAssignment.objects.filter(
            Q(sub_district_id__in=ids)
            | Q(organization__sub_district_id__in=ids)
            | Q(unit__sub_district_id__in=ids)
        ).values("user_id")
        return self.filter(actor_id__in=actors)


class AuditEntry(models.Model):
    """An append-only record of who did what. Never edited; pruned only by the retention task."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        from accounts.audit import action_label

        return action_label(self.action)

    @property
    def target_type_label(self) -> str:
        from accounts.audit import target_type_label

        return target_type_label(self.target_type)


class OutgoingEmail(OutboxMessage):
    """An email waiting to be sent: the outbox that survives a broker outage."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.subject


class OutgoingSms(OutboxMessage):
    """A text message waiting to be sent: the SMS twin of `OutgoingEmail`.

    A `sensitive` message (a verification code) has its body blanked once it is sent, has
    failed for good, or has expired, so the code does not linger in the database.
    """

    to = models.CharField(_("to"), max_length=20)
    body = models.CharField(_("body"), max_length=500)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing SMS")
        verbose_name_plural = _("outgoing SMS")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class PhoneVerification(models.Model):
    """A verification code sent to a phone, kept only as a keyed hash.

    It expires, allows a limited number of wrong entries, and works once.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("registration")

    phone = models.CharField(_("mobile phone"), max_length=20, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("code hash"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong entries"), default=0)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # Who asked for the code: the per-IP budget counts these (see send_verification_code).
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ResidentProfile(models.Model):
    """What a resident tells the portal about themselves: one identity for bookings and
    activity sign-ups alike."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_profile",
        verbose_name=_("user"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("community"),
    )
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    is_party_member = models.BooleanField(
        _("confirmed party member"),
        default=False,
        help_text=_("Set by staff after checking the member record; opens members-only rooms."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")

    def __str__(self) -> str:
        return str(self.user)


class OutgoingWebhook(OutboxMessage):
    """A message for a group-chat robot, waiting to be posted (see accounts/channels.py)."""

    url = models.URLField(_("webhook address"), max_length=500)
    payload = models.JSONField(_("message"))
    # The robot's signing secret (DingTalk 加签), sealed (accounts.channels.seal_secret); "" when
    # the robot does not sign. Kept with the message because a retry signs again.
    signing_secret = models.CharField(_("signing secret (sealed)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outgoing robot message")
        verbose_name_plural = _("outgoing robot messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"
