"""Bad input in every form (issue 12 §3): a value that is empty, too long or of the wrong type is
refused with 400; the form comes back with what was typed and the message at the field (the
element the field's aria-describedby names, marked aria-invalid), and the database is unchanged.

The table below names each form, who fills it in, valid data for it, and what "unchanged"
means for it; BAD lists the bad values, one field at a time. test_the_valid_data_is_accepted
shows that each form's valid data does go through, so a refusal below is the bad value's doing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, CaseDocument, CaseIdentity, Consent, FollowUp, Stage
from members import services as member_services
from members.models import AccessRequest, Role, User
from notifications.models import NotificationPreference
from tests.cases.factories import make_case, pdf_upload
from tests.referrals.factories import make_consent
from tests.trainings.factories import RegistrationFactory, make_training, participant_data
from trainings.models import Registration, Training, TrainingSession

LOCAL = "%Y-%m-%dT%H:%M"


def long_text(length: int) -> str:
    return ("A pasted page. " * (length // 15 + 1))[:length]


# What the page shows -------------------------------------------------------------------


class Page(HTMLParser):
    """A page's elements by id (tag, attributes, text), and which boxes, radios and options
    are chosen, by field name."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: dict[str, dict] = {}
        self.checked: dict[str, list[str]] = {}
        self.choices: dict[str, list[str]] = {}
        self.field_errors: list[str] = []
        self._collecting: tuple[str, str] | None = None
        self._select: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if "data-field-error" in attrs:
            self.field_errors.append(attrs["data-field-error"])
        if tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["selected"].append(attrs.get("value", ""))
        if tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            self.choices.setdefault(attrs.get("name", ""), []).append(attrs.get("value", "on"))
            if "checked" in attrs:
                self.checked.setdefault(attrs.get("name", ""), []).append(attrs.get("value", "on"))
        element_id = attrs.get("id")
        if element_id:
            element = {"tag": tag, "attrs": attrs, "text": "", "options": [], "selected": []}
            self.elements[element_id] = element
            if tag == "select":
                self._select = element
            if tag in ("textarea", "div"):
                self._collecting = (tag, element_id)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if self._collecting and self._collecting[0] == tag:
            self._collecting = None

    def handle_data(self, data):
        if self._collecting:
            self.elements[self._collecting[1]]["text"] += data


def assert_kept(page: Page, name: str, value, widget_id: str) -> None:
    """What was typed or chosen for `name` is in the form again."""
    element = page.elements.get(widget_id)
    assert element is not None, f"no element #{widget_id}"
    tag, attrs = element["tag"], element["attrs"]
    values = value if isinstance(value, list) else [value]
    if tag == "fieldset" or attrs.get("type") == "checkbox":
        # A value that is not one of the boxes (tampered) cannot be shown ticked.
        shown = [str(v) for v in values if v and str(v) in page.choices.get(name, [])]
        assert sorted(page.checked.get(name, [])) == sorted(shown), name
    elif attrs.get("type") == "password":
        assert not attrs.get("value"), "a password is never sent back into the page"
    elif tag == "textarea":
        assert element["text"].removeprefix("\n") == value, name
    elif tag == "select":
        # A value that is not one of the options (tampered) cannot be shown chosen.
        shown = [v for v in values if str(v) in element["options"]]
        assert element["selected"] == [str(v) for v in shown], name
    else:
        assert attrs.get("value", "") == str(value), name


# The forms -------------------------------------------------------------------------------


class World:
    """The objects the forms work on, made when first asked for."""

    def __init__(self, make_user, login, client, demo_states):
        self.make_user, self.login, self.client, self.states = make_user, login, client, demo_states

    @cached_property
    def ncp(self):
        return self.make_user(Role.NCP, "EE", full_name="Eeva Contact")

    @cached_property
    def case(self):
        return make_case(self.ncp)

    @cached_property
    def consent(self):
        return make_consent(self.case, self.ncp, states=[self.states["LV"]])

    @cached_property
    def follow_up(self):
        record = FollowUp(due_on=timezone.localdate() + timedelta(days=7), method="phone")
        return case_services.case_record_add(case=self.case, record=record, by=self.ncp)

    @cached_property
    def case_with_identity(self):
        case = make_case(self.ncp)
        case_services.identity_save(case=case, by=self.ncp, data={"given_names": "Anna", "family_name": "Smith"})
        return case

    @cached_property
    def closed_case(self):
        case = make_case(self.ncp)
        return case_services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=self.ncp, closure_reason="referred")

    @cached_property
    def trainer(self):
        return self.make_user(Role.TRAINER, full_name="Tiina Trainer")

    @cached_property
    def training(self):
        return make_training(trainers=[self.trainer], capacity=5, start_in_days=-3)

    @cached_property
    def registration(self):
        return RegistrationFactory(training=self.training)

    @cached_property
    def expert(self):
        return self.make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")

    @cached_property
    def invited(self):
        secretariat = self.make_user(Role.SECRETARIAT)
        return member_services.user_invite(
            email="new.expert@example.org",
            full_name="New Expert",
            role=Role.OBSERVER,
            member_state=None,
            invited_by=secretariat,
        )

    @cached_property
    def access_request(self) -> AccessRequest:
        # The secretariat asks to make the representative an NCP; an EE contact point decides.
        request = member_services.user_reassign(
            user=self.expert,
            role=Role.NCP,
            member_state=self.states["EE"],
            organisation=None,
            by=self.make_user(Role.SECRETARIAT),
        )
        assert isinstance(request, AccessRequest)
        return request

    def as_user(self, who: str):
        if who == "anonymous":
            self.client.logout()
            return self.client
        return self.login(getattr(self, who))


def _row(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


def _settings_data(w: World) -> dict:
    training = Training.objects.get(pk=w.training.pk)
    return {
        "status": training.status,
        "format": training.format,
        "city": "Tartu",
        "venue": "Town hall",
        "language": "English",
        "capacity": "12",
        "waitlist_enabled": "on",
        "registration_opens": "",
        "registration_closes": "",
        "reminder_days": "3",
    }


def _session_data(w: World) -> dict:
    start = timezone.localtime(timezone.now() + timedelta(days=20)).replace(hour=10, minute=0)
    return {"title": "Extra session", "starts_at": start.strftime(LOCAL), "ends_at": f"{start:%Y-%m-%d}T12:00"}


def _preferences_data(w: World) -> dict:
    # Every kind the user chooses for (the list grows as apps add kinds): the page's own choices.
    form = w.client.get(reverse("notifications:preferences")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["email_announcement"] = "digest"
    return data


CASE_DATA = {
    "trafficking_status": "possible",
    "gender": "woman",
    "age_band": "21-23",
    "languages": "Estonian, Russian",
    "interpretation_language": "Russian",
    "best_interests_note": "",
}
CONSENT_DATA = {
    "given_by": "person",
    "given_on": "2026-11-01",
    "method": "written",
    "purposes": ["assistance"],
    "data_categories": ["case_variables"],
    "interpreter_language": "Russian",
    **{
        f"informed_of_{point}": "on"
        for point in ["purpose", "data_use", "research_use", "access_right", "retention", "withdrawal"]
    },
}


@dataclass(frozen=True)
class Form:
    who: str
    url: Callable[[World], str]
    data: Callable[[World], dict]
    unchanged: Callable[[World], object]
    htmx: bool = False


FORMS: dict[str, Form] = {
    "case create": Form(
        "ncp",
        lambda w: reverse("cases:create"),
        lambda w: dict(CASE_DATA),
        lambda w: Case.objects.count(),
    ),
    "case edit": Form(
        "ncp",
        lambda w: reverse("cases:edit", args=[w.case.pk]),
        lambda w: dict(CASE_DATA),
        lambda w: _row(Case, w.case.pk),
    ),
    "consent": Form(
        "ncp",
        lambda w: reverse("cases:record_add", args=[w.case.pk, "consent"]),
        lambda w: dict(CONSENT_DATA),
        lambda w: Consent.objects.count(),
    ),
    "risk assessment": Form(
        "ncp",
        lambda w: reverse("cases:record_add", args=[w.case.pk, "risk"]),
        lambda w: {"kind": "initial", "assessed_on": "2026-11-02", "level": "high", "needs": "Shelter"},
        lambda w: w.case.riskassessments.count(),
    ),
    "assistance service": Form(
        "ncp",
        lambda w: reverse("cases:record_add", args=[w.case.pk, "assistance"]),
        lambda w: {"type": "medical", "status": "ongoing", "provider": "Clinic", "start_date": "2026-11-01"},
        lambda w: w.case.assistanceservices.count(),
    ),
    "proceedings": Form(
        "ncp",
        lambda w: reverse("cases:record_add", args=[w.case.pk, "proceedings"]),
        lambda w: {
            "country": "EE",
            "kind": "criminal",
            "stage": "investigation",
            "victim_role": "witness",
            "outcome": "Pending",
        },
        lambda w: w.case.proceedingss.count(),
    ),
    "follow-up plan": Form(
        "ncp",
        lambda w: reverse("cases:record_add", args=[w.case.pk, "follow_up"]),
        lambda w: {"due_on": "2027-01-01", "method": "phone"},
        lambda w: w.case.followups.count(),
    ),
    "follow-up done": Form(
        "ncp",
        lambda w: reverse("cases:follow_up_done", args=[w.case.pk, w.follow_up.pk]),
        lambda w: {"done_on": "2026-11-05", "outcome": "Doing well."},
        lambda w: _row(FollowUp, w.follow_up.pk),
    ),
    "consent withdrawal": Form(
        "ncp",
        lambda w: reverse("cases:consent_withdraw", args=[w.case.pk, w.consent.pk]),
        lambda w: {"reason": "The person no longer agrees."},
        lambda w: _row(Consent, w.consent.pk),
    ),
    "identity": Form(
        "ncp",
        lambda w: reverse("cases:identity_edit", args=[w.case.pk]),
        lambda w: {"given_names": "Anna", "family_name": "Smith", "date_of_birth": "1990-01-01", "address": ""},
        lambda w: (CaseIdentity.objects.filter(case=w.case).exists(), LogEntry.objects.count()),
    ),
    "identity reveal": Form(
        "ncp",
        lambda w: reverse("cases:identity_reveal", args=[w.case_with_identity.pk]),
        lambda w: {"purpose": "contact", "note": "Calling her today."},
        lambda w: LogEntry.objects.filter(additional_data__what="identity revealed").count(),
    ),
    "identity reveal (htmx)": Form(
        "ncp",
        lambda w: reverse("cases:identity_reveal", args=[w.case_with_identity.pk]),
        lambda w: {"purpose": "contact", "note": "Calling her today."},
        lambda w: LogEntry.objects.filter(additional_data__what="identity revealed").count(),
        htmx=True,
    ),
    "stage move": Form(
        "ncp",
        lambda w: reverse("cases:move_stage", args=[w.case.pk]),
        lambda w: {"to_stage": Stage.FORMALLY_IDENTIFIED},
        lambda w: _row(Case, w.case.pk),
    ),
    "stage move (htmx)": Form(
        "ncp",
        lambda w: reverse("cases:move_stage", args=[w.case.pk]),
        lambda w: {"to_stage": Stage.FORMALLY_IDENTIFIED},
        lambda w: _row(Case, w.case.pk),
        htmx=True,
    ),
    "reopening": Form(
        "ncp",
        lambda w: reverse("cases:reopen", args=[w.closed_case.pk]),
        lambda w: {"to_stage": Stage.URGENT_ASSISTANCE, "reason": "The person came back for help."},
        lambda w: _row(Case, w.closed_case.pk),
    ),
    "document": Form(
        "ncp",
        lambda w: reverse("cases:document_upload", args=[w.case.pk]),
        lambda w: {"title": "Statement", "file": pdf_upload()},
        lambda w: CaseDocument.objects.count(),
    ),
    "training settings": Form(
        "trainer",
        lambda w: reverse("trainings:settings", args=[w.training.pk]),
        _settings_data,
        lambda w: _row(Training, w.training.pk),
    ),
    "session": Form(
        "trainer",
        lambda w: reverse("trainings:session_add", args=[w.training.pk]),
        _session_data,
        lambda w: TrainingSession.objects.filter(training=w.training).count(),
    ),
    "registration": Form(
        "trainer",
        lambda w: reverse("trainings:register", args=[w.training.pk]),
        lambda w: {**participant_data(1), "consent": "on"},
        lambda w: Registration.objects.count(),
    ),
    "participant status": Form(
        "trainer",
        lambda w: reverse("trainings:move", args=[w.training.pk, w.registration.pk]),
        lambda w: {"to": "cancelled"},
        lambda w: _row(Registration, w.registration.pk),
    ),
    "profile": Form(
        "expert",
        lambda w: reverse("members:profile"),
        lambda w: {"full_name": "Rein Rep", "position": "Adviser", "phone": "+372 600 0000", "languages": "Estonian"},
        lambda w: (_row(User, w.expert.pk), list(w.expert.expertise.all())),
    ),
    "invitation password": Form(
        "anonymous",
        lambda w: reverse("members:accept_invitation", args=[member_services.invitation_token(w.invited)]),
        lambda w: {"password1": "correct-horse-battery-2026", "password2": "correct-horse-battery-2026"},
        lambda w: User.objects.get(pk=w.invited.pk).password,
    ),
    "access request decline": Form(
        "ncp",
        lambda w: reverse("members:access_request_decline", args=[w.access_request.pk]),
        lambda w: {"reason": "Not a member of our team."},
        lambda w: _row(AccessRequest, w.access_request.pk),
    ),
    "notification preferences": Form(
        "expert",
        lambda w: reverse("notifications:preferences"),
        _preferences_data,
        lambda w: list(NotificationPreference.objects.values_list("user", "kind", "email")),
    ),
}


@dataclass(frozen=True)
class Bad:
    form: str
    field: str
    kind: str
    value: object
    # Other fields the bad value needs to matter (a reason matters for "not identified").
    extra: dict = field(default_factory=dict)
    # The element the field's widget is, when it is not Django's id_<field>.
    widget_id: Callable[[World], str] | None = None


EMPTY, TOO_LONG, WRONG = "empty", "too long", "wrong type"
BAD = [
    Bad("case create", "trafficking_status", EMPTY, ""),
    Bad("case create", "languages", TOO_LONG, long_text(201)),
    Bad("case create", "best_interests_note", TOO_LONG, long_text(4001)),
    Bad("case create", "case_worker", WRONG, "abc"),
    Bad("case edit", "age_band", EMPTY, ""),
    Bad("case edit", "interpretation_language", TOO_LONG, long_text(101)),
    Bad("case edit", "age_band", WRONG, "twenty"),
    Bad("consent", "given_on", EMPTY, ""),
    Bad("consent", "given_on", WRONG, "last Tuesday"),
    Bad("consent", "interpreter_language", TOO_LONG, long_text(101)),
    Bad("consent", "purposes", EMPTY, []),
    Bad("risk assessment", "assessed_on", WRONG, "2026-13-45"),
    Bad("risk assessment", "needs", TOO_LONG, long_text(4001)),
    Bad("risk assessment", "level", EMPTY, ""),
    Bad("assistance service", "provider", TOO_LONG, long_text(201)),
    Bad("assistance service", "start_date", WRONG, "soon"),
    Bad("assistance service", "end_date", WRONG, "2026-10-01"),  # before it starts
    Bad("proceedings", "country", EMPTY, ""),
    Bad("proceedings", "country", WRONG, "Atlantis"),
    Bad("proceedings", "outcome", TOO_LONG, long_text(4001)),
    Bad("follow-up plan", "due_on", EMPTY, ""),
    Bad("follow-up plan", "due_on", WRONG, "tomorrow"),
    Bad("follow-up done", "done_on", EMPTY, ""),
    Bad("follow-up done", "done_on", WRONG, "yesterday"),
    Bad("follow-up done", "outcome", TOO_LONG, long_text(4001)),
    Bad("consent withdrawal", "reason", EMPTY, ""),
    Bad("consent withdrawal", "reason", TOO_LONG, long_text(2001)),
    Bad("identity", "given_names", TOO_LONG, long_text(201)),
    Bad("identity", "date_of_birth", TOO_LONG, long_text(101)),
    Bad("identity", "address", TOO_LONG, long_text(2001)),
    Bad("identity reveal", "purpose", EMPTY, ""),
    Bad("identity reveal", "purpose", WRONG, "curiosity"),
    Bad("identity reveal", "note", TOO_LONG, long_text(501)),
    Bad("identity reveal", "note", EMPTY, "", extra={"purpose": "other"}),
    Bad("identity reveal (htmx)", "note", EMPTY, "", extra={"purpose": "other"}),
    Bad("identity reveal (htmx)", "purpose", WRONG, "curiosity"),
    Bad("stage move", "to_stage", EMPTY, ""),
    Bad("stage move", "to_stage", WRONG, "vanished"),
    Bad("stage move", "reason", EMPTY, " ", extra={"to_stage": Stage.NOT_IDENTIFIED}),
    Bad("stage move", "reason", TOO_LONG, long_text(2001), extra={"to_stage": Stage.NOT_IDENTIFIED}),
    Bad(
        "stage move",
        "reflection_start",
        WRONG,
        "first of May",
        extra={"to_stage": Stage.REFLECTION_PERIOD, "reflection_end": "2026-12-01"},
    ),
    Bad("stage move", "closure_reason", EMPTY, "", extra={"to_stage": Stage.CLOSED}),
    Bad("stage move (htmx)", "reason", EMPTY, "", extra={"to_stage": Stage.NOT_IDENTIFIED}),
    Bad(
        "stage move (htmx)",
        "reflection_end",
        WRONG,
        "later",
        extra={"to_stage": Stage.REFLECTION_PERIOD, "reflection_start": "2026-11-01"},
    ),
    Bad("reopening", "reason", EMPTY, "   "),
    Bad("reopening", "reason", TOO_LONG, long_text(2001)),
    Bad("reopening", "to_stage", WRONG, Stage.CLOSED),
    Bad("document", "title", TOO_LONG, long_text(201)),
    Bad("training settings", "capacity", EMPTY, ""),
    Bad("training settings", "capacity", WRONG, "twenty"),
    Bad("training settings", "capacity", WRONG, "0"),
    Bad("training settings", "city", TOO_LONG, long_text(101)),
    Bad("training settings", "registration_opens", WRONG, "next Monday"),
    Bad("session", "starts_at", EMPTY, ""),
    Bad("session", "starts_at", WRONG, "ten o'clock"),
    Bad("session", "title", TOO_LONG, long_text(201)),
    Bad("registration", "full_name", EMPTY, ""),
    Bad("registration", "full_name", TOO_LONG, long_text(201)),
    Bad("registration", "email", WRONG, "not an email"),
    Bad("registration", "consent", EMPTY, ""),
    Bad("registration", "country", WRONG, "Atlantis"),
    Bad("participant status", "to", EMPTY, "", widget_id=lambda w: f"move-{w.registration.pk}"),
    Bad("participant status", "to", WRONG, "bogus", widget_id=lambda w: f"move-{w.registration.pk}"),
    # Known, but not a move open to a confirmed participant: the service's refusal, at the row.
    Bad("participant status", "to", WRONG, "registered", widget_id=lambda w: f"move-{w.registration.pk}"),
    Bad("profile", "full_name", EMPTY, ""),
    Bad("profile", "full_name", TOO_LONG, long_text(151)),
    Bad("profile", "phone", WRONG, "call me at noon"),
    Bad("profile", "languages", TOO_LONG, long_text(201)),
    Bad("profile", "expertise", WRONG, ["abc"]),
    Bad("invitation password", "password1", EMPTY, ""),
    Bad("invitation password", "password1", TOO_LONG, long_text(4097)),
    Bad("invitation password", "password2", WRONG, "correct-horse-battery-2027"),  # does not match
    Bad("access request decline", "reason", EMPTY, ""),
    Bad("access request decline", "reason", TOO_LONG, long_text(501)),
    Bad("notification preferences", "email_announcement", EMPTY, ""),
    Bad("notification preferences", "email_announcement", WRONG, "fax"),
]


@pytest.fixture
def world(make_user, login, client, demo_states):
    return World(make_user, login, client, demo_states)


def _post(client, form: Form, url: str, data: dict):
    headers = {"HX-Request": "true"} if form.htmx else {}
    return client.post(url, data, headers=headers)


@pytest.mark.parametrize("bad", BAD, ids=lambda bad: f"{bad.form}: {bad.field} {bad.kind}")
def test_bad_input_is_refused_at_its_field_with_what_was_typed_and_changes_nothing(world, bad):
    form = FORMS[bad.form]
    url = form.url(world)
    client = world.as_user(form.who)
    data = {**form.data(world), **bad.extra, bad.field: bad.value}
    before = form.unchanged(world)

    response = _post(client, form, url, data)

    assert response.status_code == 400
    content = response.content.decode()
    if form.htmx:
        assert "<html" not in content  # the fragment htmx swaps in
    page = Page(content)
    widget_id = bad.widget_id(world) if bad.widget_id else f"id_{bad.field}"
    widget = page.elements.get(widget_id)
    assert widget is not None, f"no #{widget_id} in the page"
    # The message stands at the field, and the field says so to assistive technology.
    error = page.elements.get(f"{widget_id}_error")
    assert error is not None and error["text"].strip(), f"no message at {bad.field}"
    assert f"{widget_id}_error" in widget["attrs"].get("aria-describedby", "").split()
    if widget["tag"] != "fieldset":
        assert widget["attrs"].get("aria-invalid") == "true"
    # Only the bad field is refused, so the message is the bad value's.
    assert page.field_errors == [bad.field]
    # What was typed is all there again: the bad value and the rest.
    for name, value in data.items():
        if name == "file":
            continue  # browsers never keep a chosen file
        element_id = widget_id if name == bad.field else f"id_{name}"
        if element_id in page.elements:
            assert_kept(page, name, value, element_id)
    assert form.unchanged(world) == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_valid_data_is_accepted(world, name):
    """The data the bad values are mixed into is valid: without them, each form saves."""
    form = FORMS[name]
    url = form.url(world)
    client = world.as_user(form.who)
    before = form.unchanged(world)
    response = _post(client, form, url, form.data(world))
    # A redirect, or the result itself (a revealed identity, a swapped fragment).
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert form.unchanged(world) != before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_an_empty_post_is_refused_and_changes_nothing(world, name):
    """Nothing filled in at all (or a request without its fields) is bad input too, not a first visit."""
    form = FORMS[name]
    url = form.url(world)
    client = world.as_user(form.who)
    before = form.unchanged(world)
    response = _post(client, form, url, {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "data-error-summary" in content or "data-field-error" in content
    assert form.unchanged(world) == before


def test_every_form_of_the_brief_is_in_the_table():
    assert {bad.form for bad in BAD} == set(FORMS)


def test_a_tampered_or_missing_import_preview_is_refused_on_the_upload_page(world):
    client = world.as_user("trainer")
    url = reverse("trainings:import_confirm", args=[world.training.pk])
    for token in ("", "abc:def"):
        response = client.post(url, {"token": token})
        assert response.status_code == 400
        content = response.content.decode()
        assert 'data-testid="import-refused"' in content and 'name="file"' in content
    assert not Registration.objects.exists()


def test_an_import_without_a_file_is_refused_at_the_file_field(world):
    client = world.as_user("trainer")
    response = client.post(reverse("trainings:import", args=[world.training.pk]), {})
    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.field_errors == ["file"] and "id_file_error" in page.elements["id_file"]["attrs"]["aria-describedby"]


def test_the_summary_at_the_top_links_to_each_refused_field(world):
    client = world.as_user("ncp")
    response = client.post(reverse("cases:record_add", args=[world.case.pk, "follow_up"]), {"method": "phone"})
    assert response.status_code == 400
    content = response.content.decode()
    summary = content[content.index("data-error-summary") : content.index("</ul>", content.index("data-error-summary"))]
    assert 'href="#id_due_on"' in summary and "This field is required." in summary
