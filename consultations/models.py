"""Consultations of the member states between meetings: comments on a document, a written
procedure by silence, or a vote. One answer per state, changeable until the deadline, with
every earlier version kept; a new version of the document opens a new round."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class Procedure(models.TextChoices):
    COMMENTS = "comments", "Comments"
    SILENCE = "silence", "Written procedure by silence"
    VOTE = "vote", "Vote"


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "Adopted, no objection"
    SILENCE_BROKEN = "silence_broken", "Silence broken"
    APPROVED = "approved", "Approved"
    NOT_APPROVED = "not_approved", "Not approved"
    COMMENTS_CLOSED = "comments_closed", "Comments closed"


class Consultation(models.Model):
    title = models.CharField(max_length=200)
    procedure = models.CharField(max_length=20, choices=Procedure.choices)
    note = models.TextField(blank=True, max_length=4000, help_text="What the states are asked, and why.")
    deadline = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN)
    # A new version of the document opens a new round; the earlier rounds are kept as they closed.
    round = models.PositiveIntegerField(default=1)
    previous_round = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_round"
    )
    # The first round of the same document (empty on the first itself): all rounds in one query.
    first_round = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_rounds"
    )
    # The document, through the checked upload (a generated name; served by an access-checked view).
    file = models.FileField(upload_to="consultations/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(F("opened_at").desc(), F("id").desc(), name="consultation_list_idx"),
            # The list filtered by status, newest first.
            models.Index("status", F("opened_at").desc(), F("id").desc(), name="consultation_status_list_idx"),
            # The closing job: open consultations whose deadline has passed.
            models.Index(fields=["status", "deadline"], name="consultation_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="consultation_closed_has_a_time",
            ),
        ]
        permissions = [("manage_consultations", "Can circulate documents to the member states and close rounds")]

    def __str__(self) -> str:
        return self.title if self.round == 1 else f"{self.title} (round {self.round})"

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    def takes_answers(self, now=None) -> bool:
        return self.status == ConsultationStatus.OPEN and (now or timezone.now()) < self.deadline

    @property
    def answers_are_public(self) -> bool:
        """For votes and silence procedures every member sees what each state said; comments
        are the secretariat's and the state's, unless the state makes them visible."""
        return self.procedure != Procedure.COMMENTS


class Position(models.TextChoices):
    APPROVE = "approve", "Approve"
    OBJECT = "object", "Object"
    ABSTAIN = "abstain", "Abstain"
    NO_OBJECTION = "no_objection", "No objection"
    COMMENTS = "comments", "Comments"


# What a state may answer, by procedure (the first is the form's default).
POSITIONS = {
    Procedure.COMMENTS: (Position.COMMENTS,),
    Procedure.SILENCE: (Position.OBJECT, Position.NO_OBJECTION),
    Procedure.VOTE: (Position.APPROVE, Position.OBJECT, Position.ABSTAIN),
}


class Answer(models.Model):
    """A state's answer; any of its representatives gives or changes it before the deadline."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices)
    # The comments, the objection's reason or the vote's statement.
    text = models.TextField(blank=True, max_length=10_000)
    section = models.CharField(max_length=200, blank=True, help_text="The section commented on; empty: the whole.")
    visible_to_members = models.BooleanField(
        default=False, help_text="Comments only: let every member read them (the secretariat always does)."
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    # The secretariat's answer to comments, or that they were taken in.
    reply = models.TextField(blank=True, max_length=4000)
    taken_in = models.BooleanField(default=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member_state__name"]
        constraints = [models.UniqueConstraint("consultation", "member_state", name="answer_one_per_state")]

    def __str__(self) -> str:
        return f"{self.member_state}: {self.get_position_display()}"


class AnswerRevision(models.Model):
    """Each answer as it was given: the history of a state's answer (append-only)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    position = models.CharField(max_length=20, choices=Position.choices)
    text = models.TextField(blank=True)
    section = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answer", "-answered_at", "-id"]
        indexes = [models.Index(fields=["answer", "answered_at"], name="answer_revision_idx")]

    def __str__(self) -> str:
        return f"{self.answer} at {self.answered_at:%Y-%m-%d %H:%M}"
