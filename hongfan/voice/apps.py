from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "hongfan.voice"
    label = "voice"
    verbose_name = _("Patient voice")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo
        from hongfan.loops import hooks
        from hongfan.scoring.indicators import register as register_indicator
        from hongfan.voice import selectors, services

        section = ("voice", _("Patient voice"))
        items = [
            NavItem(_("Overview"), "voice:index", (Cap.VOICE_VIEW,), "megaphone"),
            NavItem(_("Hotline and complaints"), "voice:contacts", (Cap.VOICE_VIEW,), "telephone"),
            NavItem(_("Complaint statistics"), "voice:stats", (Cap.VOICE_VIEW,), "bar-chart"),
            NavItem(_("Satisfaction surveys"), "voice:surveys", (Cap.VOICE_VIEW,), "ui-checks"),
            NavItem(_("Satisfaction scores"), "voice:scores", (Cap.VOICE_VIEW,), "graph-up"),
            NavItem(
                _("Follow-up workstation"),
                "voice:workstation",
                (Cap.VOICE_OPERATE, Cap.VOICE_MANAGE),
                "headset",
            ),
            NavItem(
                _("Discharge sampling"),
                "voice:samples",
                (Cap.VOICE_OPERATE, Cap.VOICE_MANAGE),
                "shuffle",
            ),
            NavItem(_("Reception days"), "voice:receptions", (Cap.VOICE_VIEW,), "people"),
            NavItem(_("Wish tree"), "voice:wishes", (Cap.VOICE_VIEW,), "tree"),
        ]
        for item in items:
            register(*section, item, order=45)

        hooks.on("complaint", "verify")(services.on_complaint_verified)
        hooks.on("complaint", "reject")(services.on_complaint_rejected)
        hooks.on("complaint", "answer")(services.on_complaint_answered)
        hooks.on("complaint", "reopen")(services.on_complaint_reopened)
        hooks.on("wish", "fulfil")(services.on_wish_fulfilled)
        hooks.on("wish", "reopen")(services.on_wish_reopened)

        register_indicator(
            "voice.satisfaction",
            _("Patient satisfaction (top-box %)"),
            selectors.satisfaction_by_department,
            unit="%",
            higher_is_better=True,
        )
        register_indicator(
            "voice.complaints_verified",
            _("Verified complaints"),
            selectors.complaints_verified_by_department,
            higher_is_better=False,
        )
        register_demo("voice", "hongfan.voice.demo.seed", order=70)
