from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    name = "hongfan.clinical"
    label = "clinical"
    verbose_name = _("Clinical integrity analytics")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.clinical import rules, selectors
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo
        from hongfan.loops import hooks
        from hongfan.scoring.indicators import register as register_indicator

        view = (Cap.CLINICAL_VIEW, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)
        section = ("clinical", _("Clinical integrity"))
        register(
            *section,
            NavItem(_("Prescribing indicators"), "clinical:dashboard", view, "clipboard2-pulse"),
            order=60,
        )
        register(
            *section,
            NavItem(
                _("Review workstation"),
                "clinical:samples",
                (Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE),
                "person-workspace",
            ),
            order=60,
        )
        register(
            *section,
            NavItem(_("Prescription findings"), "clinical:findings", view, "exclamation-diamond"),
            order=60,
        )
        register(
            *section,
            NavItem(_("Consumable and insurance warnings"), "clinical:warnings", view, "bell"),
            order=60,
        )
        register(
            *section,
            NavItem(_("Feedback form"), "clinical:feedback", view, "file-earmark-text"),
            order=60,
        )
        register(
            *section,
            NavItem(_("HIS imports"), "clinical:imports", (Cap.CLINICAL_MANAGE,), "cloud-upload"),
            order=60,
        )
        register(
            *section,
            NavItem(_("Rule parameters"), "clinical:parameters", (Cap.CLINICAL_MANAGE,), "sliders"),
            order=60,
        )

        for ind in rules.INDICATORS:
            register_indicator(
                f"clinical.{ind.key}",
                ind.label,
                selectors.department_indicator(ind.key),
                unit=ind.unit,
                higher_is_better=ind.higher_is_better,
            )

        @hooks.on("clinical_warning", "hold")
        def _talk_held(*, matter, event):  # type: ignore[no-untyped-def]
            from hongfan.clinical.services import formal_talk_held

            formal_talk_held(matter=matter, actor=event.actor)

        register_demo("clinical", "hongfan.clinical.demo.seed", order=70)
