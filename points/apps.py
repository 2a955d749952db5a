from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("Member points")

    def ready(self) -> None:
        # The services of the apps below call members.extensions.records_changed when a
        # member's record changes; the ledger is then recomputed after commit.
        from members import extensions
        from points import sources  # noqa: F401 - registers the source kinds
        from points.services.recompute import schedule_member_recompute

        extensions.add_records_listener(schedule_member_recompute)
