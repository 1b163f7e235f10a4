"""Demo consultations for `manage.py seed_demo` (thb_portal.demo), made through the services:
a silence procedure open with Latvia's objection pending, a closed vote, and a comments
procedure open with Estonia's comments. Idempotent: a title that exists is left alone."""

from datetime import timedelta

from django.utils import timezone

from consultations import services
from consultations.models import Consultation
from core.demo import placeholder_pdf
from members.demo import SECRETARIAT_EMAIL
from members.models import User

SILENCE = "Joint statement on online recruitment"
VOTE = "Work plan 2027"
COMMENTS = "Draft regional strategy 2027-2030"


def _rep(code: str) -> User:
    # members.demo gives every state a representative with this address.
    return User.objects.get(email=f"rep.{code.lower()}@example.org")


def seed_demo_consultations() -> int:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    now = timezone.now()
    made = 0
    if not Consultation.objects.filter(title=SILENCE).exists():
        silence = services.consultation_open(
            data={"title": SILENCE, "procedure": "silence", "deadline": now + timedelta(days=6)},
            upload=placeholder_pdf("joint-statement"),
            by=secretariat,
        )
        services.answer_give(
            consultation=silence,
            position="object",
            text="Paragraph 4 should name labour exploitation in the platform economy.",
            by=_rep("LV"),
        )
        made += 1
    if not Consultation.objects.filter(title=VOTE).exists():
        vote = services.consultation_open(
            data={"title": VOTE, "procedure": "vote", "deadline": now + timedelta(days=1)},
            upload=placeholder_pdf("work-plan"),
            by=secretariat,
        )
        for code, position in (("EE", "approve"), ("FI", "approve"), ("SE", "approve"), ("PL", "abstain")):
            services.answer_give(consultation=vote, position=position, by=_rep(code))
        # Its deadline has passed: the job closed it with its outcome.
        Consultation.objects.filter(pk=vote.pk).update(
            opened_at=now - timedelta(days=16), deadline=now - timedelta(days=2)
        )
        services.consultation_close(consultation=vote)
        made += 1
    if not Consultation.objects.filter(title=COMMENTS).exists():
        comments = services.consultation_open(
            data={
                "title": COMMENTS,
                "procedure": "comments",
                "deadline": now + timedelta(days=20),
                "note": "Comments on any section; the secretariat answers each.",
            },
            upload=placeholder_pdf("strategy"),
            by=secretariat,
        )
        services.answer_give(
            consultation=comments,
            position="comments",
            text="Section 2 could cite the latest GRETA round.",
            section="2. Context",
            by=_rep("EE"),
        )
        made += 1
    return made
