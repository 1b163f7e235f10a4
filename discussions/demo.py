"""Demo discussions for `manage.py seed_demo` (thb_portal.demo), made through the services:
three topics with threads, replies, an urgent alert, an attachment, and a topic the Estonian
representative follows (its posts are unread on their dashboard). Idempotent: a topic that exists is left alone."""

from core.demo import placeholder_pdf
from discussions import services
from discussions.models import Topic
from members.demo import SECRETARIAT_EMAIL
from members.models import User


def _rep(code: str) -> User:
    # members.demo gives every state a representative with this address.
    return User.objects.get(email=f"rep.{code.lower()}@example.org")


# Topic, its description, and its threads: (title, [(author, text), ...]); "urgent:" marks an alert.
TOPICS = [
    (
        "Ukraine response",
        "Protection of people fleeing the war against trafficking: what each state sees and does.",
        [
            (
                "Recruitment at the border crossings",
                [
                    (
                        "FI",
                        "urgent:Offers of transport and work are made at the crossings again. Please brief your "
                        "border guards and reception centres this week.",
                    ),
                    ("PL", "We see the same in our reception points; the hotline number is now shown on every poster."),
                ],
            ),
        ],
    ),
    (
        "Labour exploitation",
        "Seasonal work, posted workers, the platform economy.",
        [
            (
                "Berry picking season: joint inspections",
                [
                    ("SE", "Who would join joint labour inspections this summer? We can share our checklist."),
                    ("LT", "Lithuania would; the checklist would help our inspectors."),
                ],
            ),
            ("Platform economy and delivery riders", [("DK", "A short note on what we found in 2026 is attached.")]),
        ],
    ),
    (
        "Data collection",
        "Comparable national figures for the yearly round-up.",
        [
            (
                "Counting presumed victims",
                [
                    (
                        "secretariat",
                        "How does your state count presumed victims who do not enter the national "
                        "referral mechanism? A line each would help the round-up.",
                    ),
                    ("EE", "Estonia counts them once the police or a service provider identifies them."),
                ],
            ),
        ],
    ),
]


# Who follows a topic from its start: the Estonian representative finds its posts unread.
FOLLOWERS = {"Labour exploitation": ("EE",)}


def seed_demo_discussions() -> int:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    made = 0
    for title, description, threads in TOPICS:
        if Topic.objects.filter(title=title).exists():
            continue
        topic = services.topic_create(title=title, description=description, by=secretariat)
        for code in FOLLOWERS.get(title, ()):
            services.follow_set(by=_rep(code), topic=topic, following=True)
        for thread_title, posts in threads:
            thread = None
            for author_code, text in posts:
                author = secretariat if author_code == "secretariat" else _rep(author_code)
                urgent = text.startswith("urgent:")
                body = text.removeprefix("urgent:")
                upload = placeholder_pdf("platform-note") if "attached" in body else None
                if thread is None:
                    thread = services.thread_start(
                        topic=topic, title=thread_title, body=body, urgent=urgent, upload=upload, by=author
                    )
                else:
                    services.post_add(thread=thread, body=body, urgent=urgent, upload=upload, by=author)
        made += 1
    return made
