"""Record every save and delete of an AuditedModel."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from hongfan.audit import services
from hongfan.audit.models import AuditedModel, AuditEntry


def _on_save(sender: type, instance: AuditedModel, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw:  # loaddata: restored rows are audited by the restore command as one import
        return
    fields = kwargs.get("update_fields")
    services.record(
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        instance,
        detail={"fields": sorted(fields)} if fields else None,
    )


def _on_delete(sender: type, instance: AuditedModel, **kwargs: Any) -> None:
    services.record(AuditEntry.Action.DELETE, instance)


def _on_m2m(sender: type, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if not isinstance(instance, AuditedModel) or not action.startswith("post_"):
        return
    services.record(
        AuditEntry.Action.UPDATE,
        instance,
        detail={"relation": sender._meta.model_name, "m2m": action, "ids": sorted(pk_set or [])},
    )


def connect() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            uid = f"hongfan-audit-{model._meta.label_lower}"
            post_save.connect(_on_save, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="hongfan-audit-m2m")
