from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Membership dues")

    def ready(self) -> None:
        from dues import transfers
        from members import extensions

        extensions.add_transfer_check(transfers.unpaid_months_refusal)
        extensions.add_transfer_letter_lines(transfers.paid_through_line)
