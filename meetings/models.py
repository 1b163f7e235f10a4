"""The expert group's meetings: the meeting, its agenda, papers, delegations and attendees."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.languages import LANGUAGES


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Regular meeting"
    EXTRAORDINARY = "extraordinary", "Extraordinary meeting"
    ONLINE = "online", "Online meeting"
    JOINT = "joint", "Joint meeting with another body"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_OPEN = "agenda_open", "Agenda open"
    AGENDA_CLOSED = "agenda_closed", "Agenda closed"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


# A meeting still ahead: delegations may register, papers may be added.
UPCOMING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_CLOSED)


class Meeting(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=200, blank=True, help_text="City and venue; leave empty for an online meeting.")
    online_link = models.URLField(
        blank=True, max_length=500, help_text="The link to join; shown to members of the expert group only."
    )
    host_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_meetings"
    )
    chair = models.CharField(max_length=200, blank=True, help_text="Who chairs it (usually the CBSS presidency).")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    proposals_close_at = models.DateTimeField(help_text="Members may propose agenda items until then.")
    registration_closes_at = models.DateTimeField(help_text="States register their delegations until then.")
    note = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(F("starts_on").desc(), F("id").desc(), name="meeting_list_idx"),
            # The list filtered by kind, newest first.
            models.Index("kind", F("starts_on").desc(), F("id").desc(), name="meeting_kind_idx"),
            # The dashboard: the meetings ahead, nearest first.
            models.Index(fields=["status", "starts_on", "id"], name="meeting_upcoming_idx"),
            # The reminder job: upcoming meetings whose registration closes soon.
            models.Index(fields=["status", "registration_closes_at"], name="meeting_registration_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="meeting_ends_not_before_start",
                violation_error_message="The meeting cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(place="", online_link=""),
                name="meeting_has_place_or_link",
                violation_error_message="Give a place, an online link, or both.",
            ),
        ]
        permissions = [("manage_meetings", "Can run the expert group's meetings")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.proposals_close_at and self.starts_on and self.proposals_close_at.date() > self.starts_on:
            errors["proposals_close_at"] = "Agenda proposals must close before the meeting starts."
        if self.registration_closes_at and self.starts_on and self.registration_closes_at.date() > self.starts_on:
            errors["registration_closes_at"] = "Registration must close before the meeting starts."
        if self.kind == MeetingKind.ONLINE and not self.online_link:
            errors["online_link"] = "An online meeting needs the link to join."
        if errors:
            raise ValidationError(errors)

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES

    def accepts_proposals(self, now=None) -> bool:
        return self.status == MeetingStatus.AGENDA_OPEN and (now or timezone.now()) <= self.proposals_close_at

    def registration_is_open(self, now=None) -> bool:
        return self.is_upcoming and (now or timezone.now()) <= self.registration_closes_at


class Purpose(models.TextChoices):
    INFORMATION = "information", "For information"
    DISCUSSION = "discussion", "For discussion"
    DECISION = "decision", "For decision"


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "On the agenda"
    MERGED = "merged", "Merged into another item"
    DECLINED = "declined", "Declined"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    # The state that proposed it; empty for the secretariat's own items.
    proposing_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.PROPOSED)
    decision_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Its place on the agenda once accepted (1, 2, ...).
    position = models.PositiveIntegerField(null=True, blank=True)
    rapporteur = models.CharField(max_length=200, blank=True, help_text="Who presents it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "status", "position", "id"], name="agendaitem_meeting_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="agendaitem_merged_names_item"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:item", args=[self.meeting_id, self.pk])

    @property
    def proposer_label(self) -> str:
        return self.proposing_state.name if self.proposing_state is not None else "Secretariat"


class Paper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    # The item it belongs to; empty for the meeting's general papers (the agenda, a list of participants).
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="papers")
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    restricted = models.BooleanField(
        default=False, help_text="For the member states' delegates only: observers do not see it."
    )
    file = models.FileField(upload_to="meetings/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "language", "id"]
        indexes = [models.Index(fields=["meeting", "item", "title"], name="paper_meeting_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:paper_download", args=[self.meeting_id, self.pk])


class Reply(models.TextChoices):
    ATTENDING = "attending", "Will attend"
    NOT_ATTENDING = "not_attending", "Will not attend"


class Delegation(models.Model):
    """A state's answer to a meeting's invitation; any of its members may give or change it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegations")
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    reply = models.CharField(max_length=20, choices=Reply.choices)
    note = models.CharField(max_length=500, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member_state__name"]
        constraints = [models.UniqueConstraint("meeting", "member_state", name="delegation_one_per_state")]

    def __str__(self) -> str:
        return f"{self.member_state} at {self.meeting}"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    # The state's delegation; empty for an observer, who registers alone.
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, null=True, blank=True, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(max_length=200, blank=True)
    guest_organisation = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    # Recorded during or after the meeting: None until then.
    present = models.BooleanField(null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["meeting", "id"], name="attendee_meeting_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_name="") | Q(user__isnull=True) & ~Q(guest_name=""),
                name="attendee_user_or_guest",
                violation_error_message="An attendee is a portal user or a guest with a name.",
            ),
            models.UniqueConstraint(
                "meeting", "user", condition=Q(user__isnull=False), name="attendee_user_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.full_name if self.user_id and self.user else self.guest_name


class MinutesVersion(models.Model):
    """One version of a meeting's minutes. A draft is changed in place until it is circulated;
    changing circulated minutes makes a new version, so every version that members saw is kept."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField()
    # Paragraphs are separated by a blank line; comments name a paragraph by its number.
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    circulated_at = models.DateTimeField(null=True, blank=True)
    comments_close_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint("meeting", "number", name="minutes_version_unique_number")]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:minutes_version", args=[self.meeting_id, self.number])

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.replace("\r\n", "\n").split("\n\n") if part.strip()]

    @property
    def status_label(self) -> str:
        if self.approved_at:
            return "Approved"
        if self.circulated_at:
            return "Circulated for comments"
        return "Draft"

    def takes_comments(self, now=None) -> bool:
        return bool(
            self.circulated_at
            and not self.approved_at
            and self.comments_close_at
            and (now or timezone.now()) <= self.comments_close_at
        )


class MinutesComment(models.Model):
    """A state's comment on circulated minutes: on one paragraph, or overall. Seen by the
    secretariat and the commenting state only."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="comments")
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    # The paragraph's number (1, 2, ...), or empty for a comment on the whole.
    paragraph = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paragraph", "created_at", "id"]
        indexes = [models.Index(fields=["version", "member_state", "paragraph"], name="minutes_comment_idx")]

    def __str__(self) -> str:
        return f"{self.member_state} on {self.version}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    text = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionPoint(models.Model):
    """What the meeting asked someone to do: a state, a person or the secretariat, by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_points")
    text = models.TextField("what", max_length=2000)
    owner_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_secretariat = models.BooleanField(default=False)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.TextField(blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The open action points page and the overdue job: by status, then due date.
            models.Index(fields=["status", "due_on", "id"], name="action_status_due_idx"),
            models.Index(fields=["owner_state", "status", "due_on", "id"], name="action_state_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_state__isnull=False, owner_user__isnull=True, owner_secretariat=False)
                    | Q(owner_state__isnull=True, owner_user__isnull=False, owner_secretariat=False)
                    | Q(owner_state__isnull=True, owner_user__isnull=True, owner_secretariat=True)
                ),
                name="action_point_one_owner",
                violation_error_message="An action point has one owner: a state, a person or the secretariat.",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_update", args=[self.meeting_id, self.pk])

    @property
    def owner_label(self) -> str:
        if self.owner_state is not None:
            return self.owner_state.name
        if self.owner_user is not None:
            return self.owner_user.full_name
        return "Secretariat"

    def is_overdue(self, today=None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < (today or timezone.localdate())


class CalendarFeed(models.Model):
    """A member's secret calendar address. Only a hash of the token is kept: the address is
    shown once, when it is made; resetting it makes a new one and the old stops working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
