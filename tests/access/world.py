"""The world the every-URL test walks: one object of each kind, made through the services.

Every object a URL pattern can point at exists once (or once per visibility level), so
that each pattern is requested with a real id, and the probe values below are
distinctive enough that finding one in a response body can only mean a leak.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases import services as case_services
from cases.models import ControlMeans, ExploitationForm, FollowUp, RiskAssessment
from consultations import services as consultation_services
from core.visibility import Visibility
from discussions import services as discussion_services
from meetings import services as meeting_services
from members.models import ExpertiseArea, Organisation, Role
from members.services import invitation_token, user_invite, user_reassign
from notifications.models import Announcement, Delivery, Notification
from notifications.services import notify
from publications.models import Audience, Topic
from referrals import services as referral_services
from reporting import services as reporting_services
from reporting.profiles import profile_save
from tests.access import policy as p
from tests.cases.factories import make_case, pdf_upload
from tests.meetings.factories import make_meeting
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory, attach_pdf
from tests.referrals.factories import make_consent, make_referral
from tests.trainings.factories import make_training, participant_data
from thb_portal.models import JobRun
from trainings import services as training_services
from trainings.models import Audience as TrainingAudience
from trainings.models import HistoricalTotal

# The identity of the Estonian case. Each value is unlike anything else the portal prints.
GIVEN_NAMES = "Zuzanna-Probe"
FAMILY_NAME = "Kowalczyk-Probe"
DOCUMENT_NUMBER = "PROBE-DOC-4711"
CONTACT = "probe-contact-4711@example.net"
ADDRESS = "Probe-Street 4711, Narva"
IDENTITY_VALUES = (GIVEN_NAMES, FAMILY_NAME, DOCUMENT_NUMBER, CONTACT, ADDRESS)
# The identity of a Lithuanian case: Lithuania's alone, Estonia's NCPs included.
LT_IDENTITY_VALUES = ("Probe-Lithuanian-Given", "PROBE-LT-DOC-0815")
# Training participants, by training (A: the assigned trainer's; B: the other trainer's).
PARTICIPANTS = (
    ("Paula Probe-Participant", "probe-participant-a@example.net"),
    ("Bruno Probe-Participant", "probe-participant-b@example.net"),
)
# Values of the case file that the referral does not share: the owning state's alone.
CASE_VALUES = ("Probe-best-interests-note", "Probe-risk-needs", "Probe-safety-plan")
# What the referral itself says to the receiving state: the two states' NCPs', nobody else's
# (the secretariat sees a referral's metadata, never its note or its messages).
REFERRAL_VALUES = ("Probe-referral-note", "Probe-message-body")
# The expert group's: the meeting's link is for its members; a restricted paper for the
# states' delegates and the secretariat (not observers); a state's pending proposal for that
# state and the secretariat.
MEETING_LINK = "https://meet.example.net/probe-meeting-4711"
RESTRICTED_PAPER = "Probe-restricted-paper"
EE_PROPOSAL = "Probe-EE-proposal-note"
LT_PROPOSAL = "Probe-LT-proposal-title"
# Comments on circulated minutes: the commenting state's and the secretariat's.
EE_MINUTES_COMMENT = "Probe-EE-minutes-comment"
LT_MINUTES_COMMENT = "Probe-LT-minutes-comment"
# A state's comments in a consultation: that state's and the secretariat's (not made visible).
EE_CONSULTATION_COMMENT = "Probe-EE-consultation-comment"
# A discussion post is for the group's members; a post the secretariat hid, for it alone.
DISCUSSION_POST = "Probe-discussion-post"
HIDDEN_POST = "Probe-hidden-post"
# A note in Estonia's draft return: Estonia's and the secretariat's.
EE_RETURN_NOTE = "Probe-EE-return-note"


@dataclass
class CaseObjects:
    case: object
    consent: object
    follow_up: object
    document: object


def astuple_records(objects: CaseObjects) -> tuple:
    return objects.consent, objects.follow_up, objects.document


@dataclass
class TrainingObjects:
    training: object
    session: object
    registration: object


@dataclass
class World:
    users: dict[str, object]
    case: object  # the Estonian one
    consent: object
    follow_up: object
    case_document: object
    cases: dict[str, CaseObjects]  # "EE", "LT", and "EE with LT's records"
    referral: object  # the sent one
    referral_document: object
    referrals: dict[str, object]  # by status: sent, draft, withdrawn
    referral_documents: dict[str, object]
    training: object  # A, the assigned trainer's
    trainings: dict[str, TrainingObjects]  # "A", "B", and "A with B's participant"
    session: object
    registration: object
    announcement: object
    notification: object
    invitation_token: str
    access_request: object
    publications: dict[str, object]
    projects: dict[str, object]
    meeting: object = None
    meeting_items: dict[str, object] = field(default_factory=dict)
    papers: dict[str, object] = field(default_factory=dict)
    held_meeting: object = None  # held, its minutes circulated, with an action point for Estonia
    action_point: object = None
    consultations: dict[str, object] = field(default_factory=dict)  # "comments" and "vote", both open
    consultation_answer: object = None  # Estonia's comments
    calendar_token: str = ""  # the Estonian representative's calendar address
    # A topic, its thread, the Estonian representative's post (with a file), Lithuania's hidden one.
    discussion: dict[str, object] = field(default_factory=dict)
    data_call: object = None
    ee_return: object = None  # Estonia's, a draft
    # Admin model label ("cases.case") -> the primary key of one row of it.
    admin_rows: dict[str, object] = field(default_factory=dict)


def build_world(make_user, demo_states, mfa_user) -> World:
    users = {
        p.OBSERVER: make_user(Role.OBSERVER, full_name="Olga Observer"),
        p.REP: make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative"),
        p.NCP_EE: make_user(Role.NCP, "EE", full_name="Eeva Owner"),
        p.NCP_LV: make_user(Role.NCP, "LV", full_name="Liga Receiver"),
        p.NCP_LT: make_user(Role.NCP, "LT", full_name="Lina Outsider"),
        p.TRAINER: make_user(Role.TRAINER, full_name="Tiina Trainer"),
        p.OTHER_TRAINER: make_user(Role.TRAINER, full_name="Otto Othertrainer"),
        p.SECRETARIAT: make_user(Role.SECRETARIAT, full_name="Sanna Secretariat"),
    }
    for role in (p.NCP_EE, p.NCP_LV, p.NCP_LT, p.SECRETARIAT):
        mfa_user(users[role])
    ee = users[p.NCP_EE]

    # The Estonian case, with everything a case page can point at.
    case = make_case(ee, gender="woman", age_band="21-23", best_interests_note=CASE_VALUES[0])
    case_services.identity_save(
        case=case,
        by=ee,
        data={
            "given_names": GIVEN_NAMES,
            "family_name": FAMILY_NAME,
            "date_of_birth": "1999-04-07",
            "document_numbers": DOCUMENT_NUMBER,
            "contact_details": CONTACT,
            "address": ADDRESS,
        },
    )
    consent = make_consent(case, ee, states=[demo_states["LV"]], categories=("case_variables", "identity", "contact"))
    follow_up = case_services.case_record_add(
        case=case, record=FollowUp(due_on=date(2027, 1, 15), method="phone"), by=ee
    )
    case_services.case_record_add(
        case=case,
        record=RiskAssessment(
            kind="initial",
            assessed_on=date(2026, 11, 1),
            level="high",
            needs=CASE_VALUES[1],
            safety_plan=CASE_VALUES[2],
        ),
        by=ee,
    )
    case_document = case_services.document_upload(
        case=case, upload=pdf_upload("statement.pdf"), title="Statement", by=ee
    )

    # A Lithuanian case with the same kinds of records: the other direction of every check.
    lt = users[p.NCP_LT]
    lt_case = make_case(lt, gender="man")
    case_services.identity_save(
        case=lt_case,
        by=lt,
        data={"given_names": LT_IDENTITY_VALUES[0], "family_name": "Probe", "document_numbers": LT_IDENTITY_VALUES[1]},
    )
    cases = {
        "EE": CaseObjects(case, consent, follow_up, case_document),
        "LT": CaseObjects(
            lt_case,
            make_consent(lt_case, lt, states=[demo_states["EE"]]),
            case_services.case_record_add(
                case=lt_case, record=FollowUp(due_on=date(2027, 2, 1), method="visit"), by=lt
            ),
            case_services.document_upload(case=lt_case, upload=pdf_upload("lt.pdf"), title="Statement", by=lt),
        ),
    }
    # Estonia's case with Lithuania's records: a record id of another case opens nothing.
    cases["EE with LT's records"] = CaseObjects(case, *astuple_records(cases["LT"]))

    # Referrals to Latvia, sharing the identity and the contact details: one sent, with a
    # message and its attachment; one still a draft (Latvia sees nothing yet); one withdrawn
    # by Estonia after a message (Latvia has lost it).
    referrals, referral_documents = {}, {}
    for status in ("sent", "draft", "withdrawn"):
        referral = make_referral(
            ee,
            demo_states["LV"],
            case=case,
            consent=consent,
            shared_categories=["case_variables", "identity", "contact"],
            note=REFERRAL_VALUES[0],
            send=status != "draft",
        )
        if status != "draft":
            message = referral_services.referral_message_post(
                referral=referral,
                by=ee,
                body=f"{REFERRAL_VALUES[1]}: the shelter report is attached.",
                upload=pdf_upload("shelter.pdf"),
            )
            referral_documents[status] = message.attachment
        if status == "withdrawn":
            referral = referral_services.referral_transition(
                referral=referral, action="withdraw", by=ee, data={"reason": "The person chose to stay."}
            )
        referrals[status] = referral
    # A draft has no thread: its "document" is the sent referral's, which must not open through it.
    referral_documents["draft"] = referral_documents["sent"]
    referral = referrals["sent"]

    # The trainer's training and another trainer's, each with a participant who attended.
    trainings = {}
    for key, trainer, (name, email) in (("A", p.TRAINER, PARTICIPANTS[0]), ("B", p.OTHER_TRAINER, PARTICIPANTS[1])):
        training = make_training(trainers=[users[trainer]], start_in_days=-1, sessions=2, title=f"Course {key}")
        session = training.sessions.order_by("starts_at").first()
        registration = training_services.registration_register(
            training=training, data=participant_data(1, full_name=name, email=email), by=users[trainer]
        )
        registration = training_services.attendance_set(
            registration=registration, session=session, present=True, by=users[trainer]
        )
        trainings[key] = TrainingObjects(training, session, registration)
    # Training A with B's participant and session: an id of another training opens nothing.
    trainings["A with B's participant"] = TrainingObjects(
        trainings["A"].training, trainings["B"].session, trainings["B"].registration
    )
    training, session, registration = trainings["A"].training, trainings["A"].session, trainings["A"].registration

    announcement = Announcement.objects.create(
        title="Coordinated response", body="Read the alert.", audience_all=True, published_at=timezone.now()
    )
    for user in users.values():
        notify(recipients=[user], kind="announcement", text=f"Note for {user.full_name}", link="/dashboard/")
    notification = Notification.objects.filter(recipient=ee).latest("pk")

    invited = user_invite(
        email="invited@example.org",
        full_name="Ivo Invited",
        role=Role.OBSERVER,
        member_state=None,
        invited_by=users[p.SECRETARIAT],
    )

    # The secretariat asks that someone become an Estonian NCP: pending until Estonia confirms.
    applicant = make_user(Role.OBSERVER, full_name="Ada Applicant")
    access_request = user_reassign(
        user=applicant, role=Role.NCP, member_state=demo_states["EE"], organisation=None, by=users[p.SECRETARIAT]
    )

    publications = {
        level: PublicationFactory(title=f"{level} publication", slug=f"probe-{level}", visibility=level)
        for level in (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT)
    }
    for publication in publications.values():
        attach_pdf(publication)
    projects = {
        level: ProjectFactory(title=f"{level} project", slug=f"probe-project-{level}", visibility=level)
        for level in (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT)
    }

    meeting, meeting_items, papers = _build_meeting(users, demo_states)
    held_meeting, action_point = _build_held_meeting(users, demo_states)
    consultations, consultation_answer = _build_consultations(users)
    calendar_token = meeting_services.calendar_feed_reset(by=users[p.REP])
    discussion = _build_discussion(users)
    data_call, ee_return = _build_reporting(users)

    HistoricalTotal.objects.create(audience=TrainingAudience.CONSULAR, year=2015, people_trained=100, trainings_held=4)
    JobRun.objects.create(name="referrals.overdue", started_at=timezone.now(), succeeded=True)
    organisation = Organisation.objects.create(name="Probe NGO", member_state=demo_states["EE"])
    expertise = ExpertiseArea.objects.create(name="Probe expertise")
    audience = Audience.objects.first() or Audience.objects.create(code="probe", name="Probe audience")
    topic = Topic.objects.first() or Topic.objects.create(code="probe", name="Probe topic")
    UserSession.objects.create(
        user=ee, ip="192.0.2.1", session_key="probe-session-key", user_agent="probe", created_at=timezone.now()
    )
    from auditlog.models import LogEntry

    admin_rows = {
        "auth.group": Group.objects.get(name=Role.NCP).pk,
        "account.emailaddress": EmailAddress.objects.get_or_create(user=ee, email=ee.email)[0].pk,
        "mfa.authenticator": Authenticator.objects.filter(user=ee).first().pk,
        "usersessions.usersession": UserSession.objects.get(session_key="probe-session-key").pk,
        # A change record of the case: the one whose values the secretariat must not read.
        "auditlog.logentry": LogEntry.objects.get_for_object(case).order_by("pk").first().pk,
        "thb_portal.jobrun": JobRun.objects.first().pk,
        "members.memberstate": demo_states["EE"].pk,
        "members.organisation": organisation.pk,
        "members.expertisearea": expertise.pk,
        "members.user": ee.pk,
        "members.accessrequest": access_request.pk,
        "cases.case": case.pk,
        "cases.exploitationform": ExploitationForm.objects.first().pk,
        "cases.controlmeans": ControlMeans.objects.first().pk,
        "referrals.referral": referral.pk,
        "projects.project": projects[Visibility.PUBLIC].pk,
        "publications.publication": publications[Visibility.PUBLIC].pk,
        "publications.audience": audience.pk,
        "publications.topic": topic.pk,
        "trainings.training": training.pk,
        "trainings.registration": registration.pk,
        "trainings.historicaltotal": HistoricalTotal.objects.first().pk,
        "notifications.notification": notification.pk,
        "notifications.delivery": Delivery.objects.first().pk,
        "notifications.announcement": announcement.pk,
        "meetings.meeting": meeting.pk,
        "meetings.agendaitem": meeting_items["on the agenda"].pk,
        "meetings.delegation": meeting.delegations.get().pk,
        "consultations.consultation": consultations["comments"].pk,
        "consultations.answer": consultation_answer.pk,
        "discussions.topic": discussion["topic"].pk,
        "discussions.thread": discussion["thread"].pk,
        "discussions.post": discussion["post"].pk,
        "reporting.datacall": data_call.pk,
        "reporting.return": ee_return.pk,
        "reporting.indicatorset": data_call.indicator_set_id,
        # For admin:view_on_site: the public publication has a page of its own.
        "view_on_site": (
            ContentType.objects.get_for_model(publications[Visibility.PUBLIC]).pk,
            publications[Visibility.PUBLIC].pk,
        ),
    }
    return World(
        users=users,
        case=case,
        consent=consent,
        follow_up=follow_up,
        case_document=case_document,
        cases=cases,
        referral=referral,
        referral_document=referral_documents["sent"],
        referrals=referrals,
        referral_documents=referral_documents,
        training=training,
        trainings=trainings,
        session=session,
        registration=registration,
        announcement=announcement,
        notification=notification,
        invitation_token=invitation_token(invited),
        access_request=access_request,
        publications=publications,
        projects=projects,
        meeting=meeting,
        meeting_items=meeting_items,
        papers=papers,
        held_meeting=held_meeting,
        action_point=action_point,
        consultations=consultations,
        consultation_answer=consultation_answer,
        calendar_token=calendar_token,
        discussion=discussion,
        data_call=data_call,
        ee_return=ee_return,
        admin_rows=admin_rows,
    )


def _build_meeting(users, demo_states):
    """An upcoming meeting with its agenda open: an item on the agenda, Estonia's and
    Lithuania's pending proposals, a public and a restricted paper, Estonia's delegation."""
    secretariat = users[p.SECRETARIAT]
    meeting = make_meeting(secretariat, kind="online", place="", online_link=MEETING_LINK)
    items = {
        "on the agenda": meeting_services.agenda_item_propose(
            meeting=meeting, data={"title": "Tour de table", "purpose": "information"}, by=secretariat
        ),
        "EE's proposal": meeting_services.agenda_item_propose(
            meeting=meeting,
            data={"title": "Labour exploitation in agriculture", "purpose": "discussion", "note": EE_PROPOSAL},
            by=users[p.REP],
        ),
        "LT's proposal": meeting_services.agenda_item_propose(
            meeting=meeting, data={"title": LT_PROPOSAL, "purpose": "decision"}, by=users[p.NCP_LT]
        ),
    }
    papers = {
        level: meeting_services.paper_add(
            meeting=meeting,
            upload=pdf_upload(f"{level}.pdf"),
            title=RESTRICTED_PAPER if level == "restricted" else "Draft agenda",
            language="en",
            restricted=level == "restricted",
            by=secretariat,
        )
        for level in ("public", "restricted")
    }
    meeting_services.delegation_register(
        meeting=meeting,
        state=demo_states["EE"],
        reply="attending",
        members=[(users[p.NCP_EE], "online")],
        by=users[p.REP],
    )
    return meeting, items, papers


def _build_held_meeting(users, demo_states):
    """A meeting held three days ago: its minutes circulated with a comment from Estonia and
    one from Lithuania, a decision, and an action point for Estonia."""
    secretariat = users[p.SECRETARIAT]
    meeting = make_meeting(secretariat, starts_in_days=-3, title="Held meeting")
    item = meeting_services.agenda_item_propose(
        meeting=meeting, data={"title": "Work plan", "purpose": "decision"}, by=secretariat
    )
    meeting_services.meeting_transition(meeting=meeting, step="close_agenda", by=secretariat)
    meeting_services.meeting_transition(meeting=meeting, step="mark_held", by=secretariat)
    meeting_services.minutes_save(
        meeting=meeting, text="The chair opened.\n\nThe work plan was adopted.", by=secretariat
    )
    version = meeting_services.minutes_circulate(
        meeting=meeting, comments_close_at=timezone.now() + timedelta(days=7), by=secretariat
    )
    meeting_services.minutes_comment(version=version, paragraph=2, text=EE_MINUTES_COMMENT, by=users[p.REP])
    meeting_services.minutes_comment(version=version, paragraph=None, text=LT_MINUTES_COMMENT, by=users[p.NCP_LT])
    meeting_services.decision_record(meeting=meeting, item=item, text="The work plan is adopted.", by=secretariat)
    action = meeting_services.action_point_add(
        meeting=meeting,
        item=item,
        text="Send the national figures",
        due_on=timezone.localdate() + timedelta(days=30),
        owner_state=demo_states["EE"],
        by=secretariat,
    )
    return meeting, action


def _build_consultations(users):
    """A comments procedure with Estonia's comments (for Estonia and the secretariat) and
    Lithuania's (made visible to every member); a vote in which Estonia objects."""
    secretariat = users[p.SECRETARIAT]
    consultations = {
        procedure: consultation_services.consultation_open(
            data={
                "title": f"Draft {procedure} document",
                "procedure": procedure,
                "deadline": timezone.now() + timedelta(days=10),
            },
            upload=pdf_upload(f"{procedure}.pdf"),
            by=secretariat,
        )
        for procedure in ("comments", "vote")
    }
    answer = consultation_services.answer_give(
        consultation=consultations["comments"], position="comments", text=EE_CONSULTATION_COMMENT, by=users[p.REP]
    )
    consultation_services.answer_give(
        consultation=consultations["comments"],
        position="comments",
        text="Lithuania supports the draft.",
        visible_to_members=True,
        by=users[p.NCP_LT],
    )
    consultation_services.answer_give(
        consultation=consultations["vote"], position="object", text="Not yet.", by=users[p.NCP_EE]
    )
    return consultations, answer


def _build_discussion(users):
    """A topic and a thread: the Estonian representative's post with a file, and Lithuania's
    post with a file, which the secretariat hid."""
    secretariat = users[p.SECRETARIAT]
    topic = discussion_services.topic_create(title="Probe topic", by=secretariat)
    thread = discussion_services.thread_start(
        topic=topic, title="Probe thread", body=DISCUSSION_POST, upload=pdf_upload("note.pdf"), by=users[p.REP]
    )
    post = thread.posts.get()
    hidden = discussion_services.post_add(
        thread=thread, body=HIDDEN_POST, upload=pdf_upload("hidden.pdf"), by=users[p.NCP_LT]
    )
    discussion_services.post_hide(post=hidden, reason="Personal data", by=secretariat)
    return {
        "topic": topic,
        "thread": thread,
        "post": post,
        "hidden": hidden,
        "attachments": {"visible": post.attachments.get(), "hidden": hidden.attachments.get()},
    }


def _build_reporting(users):
    """A data call for last year; Estonia's return a draft with a note on one value."""
    call = reporting_services.data_call_open(
        year=timezone.localdate().year - 1, deadline=timezone.localdate() + timedelta(days=30), by=users[p.SECRETARIAT]
    )
    ee_return = call.returns.get(member_state__code="EE")
    reporting_services.return_save(
        return_record=ee_return,
        entries={"victims.identified": reporting_services.Entry(number=12, note=EE_RETURN_NOTE)},
        by=users[p.REP],
    )
    profile_save(
        state=ee_return.member_state,
        data={"national_coordinator": "Ministry of Justice", "hotlines": "Probe hotline 4711"},
        by=users[p.REP],
    )
    section = call.indicator_set.indicators.filter(kind="text").order_by("position").first()
    reporting_services.return_file_attach(
        return_record=ee_return, code=section.code, upload=pdf_upload("action-plan.pdf"), by=users[p.REP]
    )
    return call, ee_return
