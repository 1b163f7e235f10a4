"""The cache of the public facts and figures, which several apps' data feed.

Trainings, publications and projects call public_figures_changed() when they change
something the figures count; the page is recomputed on its next view.
"""

from functools import partial

from django.core.cache import cache
from django.db import transaction

FACTS_CACHE_KEY = "trainings:facts:v1"


def public_figures_changed() -> None:
    """Drop the cached figures once the change that affects them is committed."""
    transaction.on_commit(partial(cache.delete, FACTS_CACHE_KEY))
