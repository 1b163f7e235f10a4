"""Saving an existing row: only the fields a service changes (DESIGN §4, "Saves and time").

A plain save() writes every column, so it would overwrite what another transaction
changed meanwhile in a column this one never touched, and auditlog would compare every
field. `update_fields` writes the given fields and the row's modification time.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# The modification time the services keep on a row that has one (a plain default, not auto_now).
TOUCHED_FIELD = "updated_at"


def _timestamps(instance: models.Model, names: list[str]) -> list[str]:
    """The auto_now fields and `updated_at`, which change with any update."""
    extra = []
    for field in instance._meta.concrete_fields:
        if field.name in names:
            continue
        if getattr(field, "auto_now", False):
            extra.append(field.name)  # Django sets it in pre_save, but saves it only when listed
        elif field.name == TOUCHED_FIELD:
            setattr(instance, field.name, timezone.now())
            extra.append(field.name)
    return extra


def update_fields(
    instance: M,
    values: Mapping[str, Any],
    *,
    clean: bool = True,
    check: Callable[[M], None] | None = None,
) -> M:
    """Set `values` on an existing row and save those fields alone, with its modification time.

    `check` (a rule of the service) and then `full_clean()` see the new values before anything
    is written. Saving nothing new is no write at all.
    """
    if instance._state.adding or instance.pk is None:
        raise ValueError(f"update_fields() saves an existing row; this {type(instance).__name__} is new.")
    if not values:
        return instance
    for name, value in values.items():
        setattr(instance, name, value)
    if check is not None:
        check(instance)
    if clean:
        instance.full_clean()
    names = list(values)
    instance.save(update_fields=[*names, *_timestamps(instance, names)])
    return instance
