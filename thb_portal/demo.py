"""The whole demo (DESIGN.md section 9), for `manage.py seed_demo`: each app's demo seed in the
order their data needs one another. The shell is the layer that knows every app, so the
orchestration is here; members' demo seeds the states, organisations and logins the rest uses."""

from django.db import transaction

from cases.demo import seed_demo_cases
from consultations.demo import seed_demo_consultations
from discussions.demo import seed_demo_discussions
from meetings.demo import seed_demo_meetings
from members.demo import SECRETARIAT_EMAIL, seed_demo_members
from members.models import User
from notifications.models import Announcement
from notifications.services import announcement_publish
from projects.demo import seed_demo_projects
from publications.demo import seed_demo_publications
from referrals.demo import seed_demo_referrals
from reporting.demo import seed_demo_reporting
from trainings.demo import seed_demo_trainings


@transaction.atomic
def seed_demo() -> list[tuple[str, str]]:
    """Create or refresh the demo data; returns (email, role label) of the demo logins."""
    logins = seed_demo_members()
    _demo_announcement(User.objects.get(email=SECRETARIAT_EMAIL))
    seed_demo_cases()
    seed_demo_referrals()
    seed_demo_projects()
    seed_demo_publications()
    seed_demo_trainings()
    seed_demo_meetings()
    seed_demo_consultations()
    seed_demo_discussions()
    seed_demo_reporting()
    return logins


def _demo_announcement(secretariat: User) -> None:
    announcement, created = Announcement.objects.get_or_create(
        title="Expert group meeting: call for agenda items",
        defaults={
            "body": "The next meeting of the TF-THB expert group takes place online. "
            "Please send agenda items to the secretariat two weeks ahead.",
            "audience_all": True,
            "created_by": secretariat,
        },
    )
    if created:
        announcement_publish(announcement=announcement, by=secretariat)
