"""The expert group's work at the size's scale: meetings with action points, consultations
answered by every state, and discussions (one big topic with many threads, one thread with
many posts), so that the group's list pages are measured as they grow (issue 14, point 7).

Written in bulk like the rest; the rows are what the services write (statuses and their
times consistent, one answer per state, a thread's post count and last post kept), without
files: nothing here is downloaded by the benchmark.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, models

from consultations.models import Answer, Consultation
from discussions.models import Follow, Post, Thread, Topic
from meetings.models import ActionPoint, Meeting
from members.demo import PARTICIPATING_STATE_CODES
from members.expert_group import GROUP_STATE_KINDS
from members.models import Role
from thb_portal.bench_data.bulk import Row, copy, next_id
from thb_portal.bench_data.world import World

BIG_TOPIC_TITLE = "Labour exploitation (benchmark)"
BIG_THREAD_TITLE = "Thread 00000 (benchmark)"


@dataclass(frozen=True)
class GroupSize:
    meetings: int
    consultations: int
    # Threads of the big topic, and posts of its big thread (every other thread has three).
    threads: int
    posts: int


GROUP_SIZES = {
    "S": GroupSize(meetings=20, consultations=20, threads=50, posts=50),
    "M": GroupSize(meetings=200, consultations=200, threads=500, posts=2_000),
    "L": GroupSize(meetings=2_000, consultations=2_000, threads=5_000, posts=20_000),
}
ACTION_POINTS_PER_MEETING = 5
SMALL_TOPICS = 9


def _row(model: type[models.Model], **values) -> Row:
    """A row with every column: the given values, the field's default for the rest."""
    row = {}
    for field in model._meta.concrete_fields:
        if field.name in values:
            row[field.column] = values[field.name]
        elif field.column in values:
            row[field.column] = values[field.column]
        elif not field.primary_key:
            row[field.column] = field.get_default()
    return row


def write_expert_group(world: World) -> None:
    size = GROUP_SIZES[world.size.name]
    _meetings(world, size)
    _consultations(world, size)
    _discussions(world, size)


def _group_states(world: World) -> list:
    return [world.states[code] for code in PARTICIPATING_STATE_CODES if world.states[code].kind in GROUP_STATE_KINDS]


def _meetings(world: World, size: GroupSize) -> None:
    """Meetings from years ago to months ahead: the past ones with approved minutes and
    their action points (open and done), the coming ones with the agenda open."""
    secretariat = world.users[Role.SECRETARIAT]
    states = _group_states(world)
    first = next_id(Meeting)
    meetings, actions = [], []
    for index in range(size.meetings):
        # Spread evenly from six years back to a year ahead.
        day = (world.now - timedelta(days=6 * 365) + timedelta(days=7 * 365 * index / size.meetings)).date()
        past = day < world.now.date()
        at = world.now - timedelta(days=(world.now.date() - day).days)
        meetings.append(
            _row(
                Meeting,
                id=first + index,
                title=f"Meeting {index:05d} (benchmark)",
                starts_on=day,
                ends_on=day + timedelta(days=1),
                place="Stockholm",
                host_state_id=states[index % len(states)].pk,
                status="minutes_approved" if past else "agenda_open",
                proposals_close_at=at - timedelta(days=14),
                registration_closes_at=at - timedelta(days=7),
                created_by_id=secretariat.pk,
                created_at=at - timedelta(days=60),
                updated_at=at,
            )
        )
        if past:
            for n in range(ACTION_POINTS_PER_MEETING):
                actions.append(
                    _row(
                        ActionPoint,
                        meeting_id=first + index,
                        text=f"Action point {index:05d}-{n}",
                        owner_state_id=states[(index + n) % len(states)].pk,
                        due_on=day + timedelta(days=30 + n),
                        status="open" if (index + n) % 3 == 0 else "done",
                        updated_by_id=secretariat.pk,
                        updated_at=at,
                        created_at=at,
                    )
                )
    copy(Meeting, meetings)
    copy(ActionPoint, actions)


def _consultations(world: World, size: GroupSize) -> None:
    """Consultations of every procedure, the last tenth open; each answered by every state but one."""
    secretariat = world.users[Role.SECRETARIAT]
    states = _group_states(world)
    procedures = ("comments", "silence", "vote")
    positions = {"comments": "comments", "silence": "no_objection", "vote": "approve"}
    first = next_id(Consultation)
    consultations, answers = [], []
    for index in range(size.consultations):
        opened = world.now - timedelta(days=6 * 365) + timedelta(days=6 * 365 * index / size.consultations)
        is_open = index >= size.consultations * 9 // 10
        procedure = procedures[index % 3]
        deadline = world.now + timedelta(days=10) if is_open else opened + timedelta(days=14)
        consultations.append(
            _row(
                Consultation,
                id=first + index,
                title=f"Consultation {index:05d} (benchmark)",
                procedure=procedure,
                deadline=deadline,
                status="open" if is_open else "closed",
                file="consultations/bench.pdf",
                original_name="bench.pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                opened_by_id=secretariat.pk,
                opened_at=opened,
                closed_at=None if is_open else deadline,
                outcome=""
                if is_open
                else {"comments": "comments_closed", "silence": "adopted", "vote": "approved"}[procedure],
            )
        )
        for state in states[1:]:
            answers.append(
                _row(
                    Answer,
                    consultation_id=first + index,
                    member_state_id=state.pk,
                    position=positions[procedure],
                    text="Bench answer.",
                    answered_by_id=world.users[state.code].pk,
                    answered_at=opened + timedelta(days=3),
                )
            )
    copy(Consultation, consultations)
    copy(Answer, answers)


def _discussions(world: World, size: GroupSize) -> None:
    """Ten topics; the big one with `threads` threads, its first with `posts` posts; the
    representative of the big state follows the big topic, with posts unread."""
    secretariat = world.users[Role.SECRETARIAT]
    representative = world.users[Role.NATIONAL_REPRESENTATIVE]
    authors = [world.users[code] for code in PARTICIPATING_STATE_CODES]
    start = world.now - timedelta(days=365)
    first_topic = next_id(Topic)
    topics = [
        _row(
            Topic,
            id=first_topic + n,
            title=title,
            created_by_id=secretariat.pk,
            created_at=start,
            last_post_at=world.now,
        )
        for n, title in enumerate([BIG_TOPIC_TITLE, *(f"Topic {n} (benchmark)" for n in range(SMALL_TOPICS))])
    ]
    plan = [(first_topic, index) for index in range(size.threads)]
    plan += [(first_topic + 1 + n, index) for n in range(SMALL_TOPICS) for index in range(5)]
    first_thread = next_id(Thread)
    threads, posts = [], []
    for offset, (topic_id, index) in enumerate(plan):
        count = size.posts if offset == 0 else 3
        # The big thread's posts come last, up to now; the others are spread over the year.
        began = start + timedelta(days=365 * offset / len(plan))
        step = (world.now - began) / (count + 1) if offset == 0 else timedelta(hours=1)
        times = [began + step * (n + 1) for n in range(count)]
        threads.append(
            _row(
                Thread,
                id=first_thread + offset,
                topic_id=topic_id,
                title=f"Thread {index:05d} (benchmark)"
                if topic_id == first_topic
                else f"Thread {offset:05d} (benchmark)",
                started_by_id=authors[offset % len(authors)].pk,
                started_at=times[0],
                last_post_at=times[-1],
                post_count=count,
            )
        )
        for n, at in enumerate(times):
            author = authors[(offset + n) % len(authors)]
            posts.append(
                _row(
                    Post,
                    thread_id=first_thread + offset,
                    author_id=author.pk,
                    author_state_id=author.member_state_id,
                    body=f"Post {n} of thread {offset}: what we see in the field.",
                    created_at=at,
                )
            )
    copy(Topic, topics)
    copy(Thread, threads)
    copy(Post, posts)
    copy(Follow, [_row(Follow, user_id=representative.pk, topic_id=first_topic, thread_id=None, created_at=start)])
    with connection.cursor() as cursor:
        # The ids given explicitly: the sequences continue after them.
        for sql in connection.ops.sequence_reset_sql(no_style(), [Meeting, Consultation, Topic, Thread]):
            cursor.execute(sql)
