from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self) -> None:
        from branches import extensions
        from members.services import reassign_members

        # A merge or split of the tree moves the branch's members (branches sits below members).
        extensions.set_member_mover(reassign_members)
