from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "hongfan.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.budget.selectors import execution_rate_by_department
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo
        from hongfan.scoring.indicators import register as register_indicator

        section = ("operations", _("Operations"))
        register(
            *section,
            NavItem(_("Three-level budget"), "budget:list", (Cap.BUDGET_VIEW,), "cash-stack"),
            order=70,
        )
        register(
            *section,
            NavItem(
                _("Department performance sheet"),
                "budget:performance",
                (Cap.PERFORMANCE_VIEW,),
                "table",
            ),
            order=70,
        )
        register_indicator(
            "budget.execution_rate",
            _("Budget execution rate"),
            execution_rate_by_department,
            unit="%",
            higher_is_better=True,
        )
        register_demo("budget", "hongfan.budget.demo.seed", order=85)
