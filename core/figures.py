"""The public facts and figures, which several apps' data feed: their cache and what feeds it.

trainings computes the figures (trainings/facts.py) and caches them under FACTS_CACHE_KEY.
Each app says from its AppConfig.ready() which of its models the figures read
(figures_depend_on) and, where the page shows how many public rows it has, how to count
them (count_publicly): the kernel knows no app, and the figures name none.

A save or a delete of a row of such a model drops the cached figures once its transaction
commits (Django's post_save and post_delete); the page recomputes them on its next view.
A write that sends no signal (QuerySet.update, bulk_create) on such a model calls
public_figures_changed() itself. No figure counts a many-to-many relation, so m2m_changed
is not connected.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

FACTS_CACHE_KEY = "trainings:facts:v1"

# The models the figures read, by label: for the tests, and to say so in one place.
_FEEDING: dict[str, type[models.Model]] = {}
# What the figures say of other apps: a name ("publications") and how to count its public rows.
_PUBLIC_COUNTS: dict[str, Callable[[], int]] = {}


def public_figures_changed() -> None:
    """Drop the cached figures once the change that affects them is committed."""
    transaction.on_commit(partial(cache.delete, FACTS_CACHE_KEY))


def _row_changed(sender: type[models.Model], **kwargs: Any) -> None:
    public_figures_changed()


def figures_depend_on(*feeding: type[models.Model]) -> None:
    """The figures read these models: any save or delete of one of their rows drops the cache."""
    for model in feeding:
        label = model._meta.label_lower
        for signal in (post_save, post_delete):
            signal.connect(_row_changed, sender=model, weak=False, dispatch_uid=f"core.figures:{label}")
        _FEEDING[label] = model


def figures_models() -> list[type[models.Model]]:
    """Every model a change to which drops the cached figures."""
    return list(_FEEDING.values())


def count_publicly(name: str, count: Callable[[], int]) -> None:
    """The figures say how many public `name` there are, as `count()` answers (an SQL count)."""
    _PUBLIC_COUNTS[name] = count


def public_counts() -> dict[str, int]:
    """Each registered public count, by its name; an app that registers none is left out."""
    return {name: count() for name, count in _PUBLIC_COUNTS.items()}
