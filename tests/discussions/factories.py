from datetime import timedelta

from discussions import services
from discussions.models import Post, Thread, Topic


def make_topic(secretariat, title="Labour exploitation") -> Topic:
    return services.topic_create(title=title, description="Seasonal work.", by=secretariat)


def start_thread(topic, author, *, title="Joint inspections", body="Who joins?", **kwargs) -> Thread:
    return services.thread_start(topic=topic, title=title, body=body, by=author, **kwargs)


def age_post(post: Post, minutes: int) -> Post:
    """Time travel: the post was written `minutes` ago."""
    Post.objects.filter(pk=post.pk).update(created_at=post.created_at - timedelta(minutes=minutes))
    post.refresh_from_db()
    return post
