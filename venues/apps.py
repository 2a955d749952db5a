from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Service halls")

    def ready(self) -> None:
        from venues import receivers  # noqa: F401  (photo files follow their rows)
