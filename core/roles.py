"""The portal's roles: one Django group each (members.roles names the groups).

In the kernel, below every app, so that an app that only needs to say "the NCPs" or
"the trainers" (a notice kind, an announcement's audience) need not import members.
members.models re-exports Role, where the User's `role` field takes its choices.
"""

from django.db import models


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat"
    NCP = "ncp", "National contact point"
    NATIONAL_REPRESENTATIVE = "national_representative", "National representative"
    TRAINER = "trainer", "Trainer"
    OBSERVER = "observer", "Observer"
