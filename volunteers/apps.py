from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from members import extensions
        from volunteers import inservice, timeline

        # The member's timeline and the in-service quota read volunteer service (members sits
        # below volunteers).
        extensions.add_timeline_source(timeline.POSITION, timeline.volunteer_service)
        extensions.set_volunteer_credit(inservice.CREDIT)
