from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Organisational life")

    def ready(self) -> None:
        from activities import timeline
        from members import extensions

        # The member's timeline shows the meetings attended (members sits below activities).
        extensions.add_timeline_source(timeline.POSITION, timeline.meetings)
