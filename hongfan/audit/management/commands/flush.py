"""Django's ``flush``, able to empty the append-only audit table.

Flushing removes every row of every table, so the append-only triggers are dropped for the
duration and created again afterwards. The test runner's teardown of transactional tests
and ``manage.py restore`` (emptying the rows migrations seed before loading) use it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from hongfan.audit import triggers


class Command(flush.Command):
    help = flush.Command.help + " The audit table's append-only triggers are re-created after."

    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        had_triggers = triggers.installed(connection)
        if had_triggers:
            triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            if had_triggers:
                triggers.install(connection)
