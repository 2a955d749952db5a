from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Branch committees")

    def ready(self) -> None:
        from branches import extensions
        from committees.organization import COMMITTEES

        # The tree's figures, archiving and organisation page read the committees (branches sits
        # below committees).
        extensions.set_committees(COMMITTEES)
