from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from config import pagecache

        # Writes to the organisation, member and meeting tables invalidate the cached summaries.
        pagecache.install()
