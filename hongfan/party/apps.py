from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "hongfan.party"
    label = "party"
    verbose_name = _("Party organisation and members")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        section = _("Party organisation")
        for item in (
            NavItem(_("Organisation tree"), "party:tree", (Cap.PARTY_VIEW,), "diagram-2"),
            NavItem(_("Party members"), "party:member_list", (Cap.PARTY_VIEW,), "person-badge"),
            NavItem(
                _("Structure warnings"),
                "party:warnings",
                (Cap.PARTY_VIEW,),
                "exclamation-triangle",
            ),
            NavItem(
                _("Composition figures"), "party:composition", (Cap.COMPOSITION_VIEW,), "bar-chart"
            ),
            NavItem(
                _("Dual cultivation"), "party:dual_list", (Cap.PARTY_VIEW,), "arrow-left-right"
            ),
            NavItem(_("Three links"), "party:links_list", (Cap.PARTY_VIEW,), "link-45deg"),
        ):
            register("party", section, item, order=20)
