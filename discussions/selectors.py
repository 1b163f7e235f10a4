"""Reads on the discussions that depend on who asks: whether they follow, what is unread."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.types import AnyUser
from discussions.access import is_member
from discussions.models import Attachment, Follow, Post, Thread, ThreadRead, Topic


def _user_id(user: AnyUser) -> int:
    return user.pk or 0  # an anonymous visitor follows and has read nothing


def _user_follows(user: AnyUser) -> QuerySet[Follow]:
    return Follow.objects.filter(user_id=_user_id(user))


def topic_list(*, user: AnyUser, followed_only: bool = False, q: str = "") -> QuerySet[Topic]:
    """Every topic (or those followed, or whose title has `q`), with its number of threads and
    whether the member follows it."""
    if not is_member(user):
        return Topic.objects.none()
    threads = Thread.objects.filter(topic=OuterRef("pk")).order_by().values("topic").annotate(n=Count("pk"))
    topics = Topic.objects.order_by("title").annotate(
        thread_total=Coalesce(Subquery(threads.values("n"), output_field=IntegerField()), 0),
        followed=Exists(_user_follows(user).filter(topic=OuterRef("pk"))),
    )
    if followed_only:
        topics = topics.filter(followed=True)
    return topics.filter(title__icontains=q) if q else topics


def follows_topic(*, user: AnyUser, topic: Topic) -> bool:
    return _user_follows(user).filter(topic=topic).exists()


def follows_thread(*, user: AnyUser, thread: Thread) -> bool:
    """Following the thread itself (following its topic is shown on the topic)."""
    return _user_follows(user).filter(thread=thread).exists()


def _with_unread(threads: QuerySet[Thread], user: AnyUser) -> QuerySet[Thread]:
    """Annotate `unread`: the posts of others, not hidden, since the member last read the
    thread, or (never read) since they began to follow it; 0 where they do not follow it."""
    read_at = ThreadRead.objects.filter(user_id=_user_id(user), thread=OuterRef("pk")).values("read_at")[:1]
    followed_since = (
        _user_follows(user)
        .filter(Q(thread=OuterRef("pk")) | Q(topic=OuterRef("topic_id")))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    threads = threads.annotate(followed_since=Subquery(followed_since, output_field=DateTimeField())).annotate(
        # Nothing is unread in a thread the member does not follow (any more).
        unread_since=Case(
            When(followed_since__isnull=True, then=Value(None, output_field=DateTimeField())),
            default=Coalesce(Subquery(read_at, output_field=DateTimeField()), F("followed_since")),
        )
    )
    unread_posts = Post.objects.filter(
        thread=OuterRef("pk"), created_at__gt=OuterRef("unread_since"), hidden_at__isnull=True
    ).exclude(author_id=_user_id(user))
    counted = unread_posts.order_by().values("thread").annotate(n=Count("pk")).values("n")
    first = unread_posts.order_by("created_at", "id").values("pk")[:1]
    return threads.annotate(
        unread=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        first_unread=Subquery(first, output_field=IntegerField()),
    )


def thread_list(*, user: AnyUser, topic: Topic, followed_only: bool = False, q: str = "") -> QuerySet[Thread]:
    """A topic's threads, latest post first, with what is unread for the member."""
    if not is_member(user):
        return Thread.objects.none()
    threads = Thread.objects.filter(topic=topic).select_related("started_by")
    if followed_only:
        threads = threads.filter(_followed_by(user))
    if q:
        threads = threads.filter(title__icontains=q)
    threads = threads.annotate(
        followed=Exists(_user_follows(user).filter(thread=OuterRef("pk")), output_field=BooleanField())
    )
    return _with_unread(threads, user).order_by("-last_post_at", "-id")


def _followed_by(user: AnyUser) -> Q:
    follows = _user_follows(user)
    return Q(pk__in=follows.filter(thread__isnull=False).values("thread")) | Q(
        topic__in=follows.filter(topic__isnull=False).values("topic")
    )


def posts_of(*, thread: Thread) -> QuerySet[Post]:
    """A thread's posts in order, with their authors and files (hidden ones are shown as
    hidden by the template; their text only to the secretariat)."""
    return (
        Post.objects.filter(thread=thread)
        .select_related("author", "author_state", "hidden_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def unread_followed(*, user: AnyUser) -> QuerySet[Thread]:
    """For the dashboard: the threads the member follows (or whose topic they follow) with
    posts they have not read, latest first."""
    if not is_member(user):
        return Thread.objects.none()
    threads = Thread.objects.filter(_followed_by(user)).select_related("topic")
    threads = _with_unread(threads, user)
    # A thread with no post since is skipped before its posts are counted.
    return threads.filter(Q(last_post_at__gt=F("unread_since")), Q(unread__gt=0)).order_by("-last_post_at", "-id")
