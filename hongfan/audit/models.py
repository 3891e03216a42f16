"""The audit log: append-only, hash-chained (SECURITY.md).

Every model that holds business data inherits ``AuditedModel``: saves and deletes are
recorded by signal handlers (hongfan.audit.signals), and the queryset's bulk methods
(``update``, ``delete``, ``bulk_create``, ``bulk_update``) record one entry per affected row,
so that no write escapes the log. Reads of sensitive records are recorded by the views
that perform them (``hongfan.audit.services.record_read``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditedQuerySet(models.QuerySet):
    """QuerySet whose bulk writes are audited row by row."""

    def update(self, **kwargs: Any) -> int:
        from hongfan.audit import services

        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        services.record_bulk(self.model, "update", pks, changes=kwargs)
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        # The post_delete receivers of hongfan.audit.signals stop Django from fast-deleting,
        # so the collector sends post_delete for every row (cascaded rows too) and each one
        # is recorded there; recording here as well would log every row twice.
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        from hongfan.audit import services

        created = super().bulk_create(objs, *args, **kwargs)
        services.record_bulk(self.model, "create", [o.pk for o in created if o.pk is not None])
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        from hongfan.audit import services

        objs = list(objs)
        # Django's bulk_update calls self.filter(...).update() per batch; a plain QuerySet
        # keeps those inner updates from being recorded a second time.
        plain = models.QuerySet(model=self.model, using=self.db)
        count = plain.bulk_update(objs, fields, *args, **kwargs)
        services.record_bulk(
            self.model, "update", [o.pk for o in objs], changes={"fields": list(fields)}
        )
        return count


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    pass


class AuditedModel(models.Model):
    """Base class for every business model: its writes are audited."""

    objects = AuditedManager()

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One audited event. Rows are never updated or deleted (database triggers refuse it)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        READ = "read", _("Read sensitive record")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        LOGIN = "login", _("Sign in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Sign out")
        PERMISSION = "permission", _("Permission change")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    # Time with its offset as text (e.g. 2026-11-23T20:15:03.123456+08:00), plus a
    # timestamp column for range queries.
    at = models.DateTimeField(_("time"), db_index=True)
    at_text = models.CharField(_("time with offset"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    source_ip = models.CharField(_("source address"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at_text} {self.username} {self.action} {self.object_type}#{self.object_id}"


class AuditChainHead(models.Model):
    """Single row locked while appending, so concurrent writers extend the chain in order."""

    last_hash = models.CharField(max_length=64)
    last_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_id}:{self.last_hash[:12]}"
