from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Democratic appraisal of members")

    def ready(self) -> None:
        from appraisal import timeline
        from members import extensions

        # The member's record shows the grades decided (members sits below appraisal).
        extensions.add_timeline_source(timeline.POSITION, timeline.grades)
