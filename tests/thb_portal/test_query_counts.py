"""Form pages and admin pages (changelists, add and change forms, autocompletes) run as many
queries with many rows as with few (DESIGN §10).

List pages have their query-count tests beside their apps; these are the pages whose
rows are choices (a form's select, a changelist's foreign keys), where a `__str__` that
follows a foreign key turns every choice into a query.
"""

from itertools import count
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cases.models import ControlMeans, ExploitationForm
from consultations import services as consultation_services
from meetings import services as meeting_services
from members.models import Role
from members.services import user_reassign
from notifications.models import Announcement
from notifications.services import notify, notify_address
from publications.models import Audience, Topic
from reporting.models import IndicatorSet
from tests.cases.factories import make_case, pdf_upload
from tests.consultations.factories import open_consultation
from tests.discussions.factories import make_topic, start_thread
from tests.meetings.factories import make_meeting
from tests.members.factories import ExpertiseAreaFactory, MemberStateFactory, OrganisationFactory, UserFactory
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory
from tests.referrals.factories import make_referral
from tests.reporting.factories import open_call
from tests.trainings.factories import RegistrationFactory, make_training
from thb_portal.models import JobRun
from trainings.models import Audience as TrainingAudience
from trainings.models import HistoricalTotal

_serial = count(1)


@pytest.fixture
def grow_rows(make_user, mfa_user, demo_states):
    """grow_rows(n) -> n more rows of every model the admin lists, each pointing at other
    rows (a state, an organisation, a user of its own), so that a foreign key followed per
    row shows as a query per row."""
    secretariat = make_user(Role.SECRETARIAT)
    ee_ncp, lv_ncp = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    ee_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    training = make_training(start_in_days=-1)

    def user_in_a_new_state():
        state = MemberStateFactory()
        organisation = OrganisationFactory(member_state=state)
        return UserFactory(role_name=Role.NATIONAL_REPRESENTATIVE, member_state=state, organisation=organisation)

    def one_of_each() -> None:
        n = next(_serial)
        user = user_in_a_new_state()
        Group.objects.create(name=f"Group {n}")
        EmailAddress.objects.create(user=user, email=f"extra{n}@example.org")
        mfa_user(user)
        UserSession.objects.create(user=user, ip="192.0.2.1", session_key=f"session-{n}", user_agent="test")
        JobRun.objects.create(name=f"job.{n}", started_at=timezone.now(), succeeded=True)
        ExpertiseAreaFactory()
        user_reassign(
            user=UserFactory(role_name=Role.OBSERVER),
            role=Role.NCP,
            member_state=user.member_state,
            organisation=user.organisation,
            by=secretariat,
        )
        make_case(ee_ncp if n % 2 else lv_ncp)
        ExploitationForm.objects.create(code=f"form-{n}", name=f"Form {n}")
        ControlMeans.objects.create(code=f"means-{n}", name=f"Means {n}")
        make_referral(ee_ncp, demo_states["LV"], send=True)
        project = ProjectFactory(lead_organisation=user.organisation)
        PublicationFactory(project=project)
        Audience.objects.create(code=f"audience-{n}", name=f"Audience {n}", position=n)
        Topic.objects.create(code=f"topic-{n}", name=f"Topic {n}", position=n)
        make_training(member_state=user.member_state, project=project, trainers=[make_user(Role.TRAINER)])
        RegistrationFactory(training=training)
        HistoricalTotal.objects.create(
            audience=TrainingAudience.CONSULAR, year=1990 + n, member_state=user.member_state, people_trained=n
        )
        notify(recipients=[user], kind="announcement", text=f"Notice {n}", actor=secretariat)
        notify_address(to=f"someone{n}@example.net", subject="Hello", body="Hello.", key=f"address-{n}")
        Announcement.objects.create(
            title=f"Announcement {n}", body="Read it.", created_by=user, published_by=user, published_at=timezone.now()
        )
        meeting = make_meeting(secretariat, title=f"Meeting {n}", host_state=user.member_state)
        meeting_services.agenda_item_propose(
            meeting=meeting, data={"title": f"Item {n}", "purpose": "information"}, by=secretariat
        )
        meeting_services.delegation_register(
            meeting=meeting, state=demo_states["EE"], reply="not_attending", by=secretariat
        )
        consultation = open_consultation(secretariat, "vote", title=f"Vote {n}")
        consultation_services.answer_give(consultation=consultation, position="approve", by=ee_rep)
        discussion_topic = make_topic(secretariat, f"Discussion topic {n}")
        start_thread(discussion_topic, ee_rep, title=f"Thread {n}", upload=pdf_upload())
        open_call(secretariat, 1900 + n)
        IndicatorSet.objects.create(version=1000 + n, label=f"Indicators {n}")

    def _grow(n: int) -> None:
        for _ in range(n):
            one_of_each()

    return _grow


def admin_pages(client) -> list[str]:
    """Every registered admin's changelist, add form (where it may add), the change form of
    its first row (where it may see one) and each of its autocomplete fields' answers, for
    the user signed in on `client`."""
    request = client.get(reverse("admin:index")).wsgi_request
    pages = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        first = model._default_manager.order_by("pk").first()
        if model_admin.has_view_or_change_permission(request, first):
            pages.append(reverse(f"{name}_change", args=[first.pk]))
        # An autocomplete field's choices come as JSON, a page of them, each by its __str__.
        for field_name in model_admin.get_autocomplete_fields(request):
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}
            pages.append(f"{reverse('admin:autocomplete')}?{urlencode(query)}")
    return pages


@pytest.fixture
def superuser_client(client, make_user, mfa_user):
    user = make_user(Role.SECRETARIAT)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    mfa_user(user)
    client.force_login(user)
    return client


def test_every_admin_page_runs_as_many_queries_with_7_rows_as_with_2(
    superuser_client, grow_rows, assert_constant_queries
):
    grow_rows(2)
    measured = assert_constant_queries(superuser_client, *admin_pages(superuser_client), grow=lambda: grow_rows(5))
    # Each admin was measured, and with more rows: grow_rows makes rows of every registered model.
    grown = {
        large.response.context["cl"].model._meta.label_lower
        for small, large in measured
        if "cl" in (large.response.context or {})
        and large.response.context["cl"].result_count > small.response.context["cl"].result_count
    }
    assert grown == {model._meta.label_lower for model in admin.site._registry}


def test_the_secretariats_admin_pages_run_as_many_queries_with_7_rows_as_with_2(
    secretariat_client, grow_rows, assert_constant_queries
):
    # The secretariat is not a superuser: its admins may show other columns, fields or rows.
    grow_rows(2)
    pages = admin_pages(secretariat_client)
    assert reverse("admin:members_user_changelist") in pages
    assert_constant_queries(secretariat_client, *pages, grow=lambda: grow_rows(5))


@pytest.fixture
def case_forms(make_user, login, demo_states):
    """An Estonian NCP of an Estonian organisation, with a case, a consent to share with Latvia
    and a draft referral; grow() adds choices to every form: organisations, case workers,
    states to refer to (with a contact point each), consents and areas of expertise."""
    from tests.referrals.factories import make_consent

    organisation = OrganisationFactory(member_state=demo_states["EE"])
    ncp = make_user(Role.NCP, "EE", organisation=organisation)
    OrganisationFactory(member_state=demo_states["EE"])  # two organisations, as in the issue
    make_user(Role.NCP, "LV")
    case = make_case(ncp)
    consent = make_consent(case, ncp, states=[demo_states["LV"]])
    draft = make_referral(ncp, demo_states["LV"], case=case, consent=consent)

    def grow() -> None:
        OrganisationFactory.create_batch(38, member_state=demo_states["EE"])
        for code in ("LT", "FI", "SE", "PL", "DE"):
            make_user(Role.NCP, code)
            make_user(Role.NCP, "EE")
            ExpertiseAreaFactory()
            make_consent(case, ncp, states=[demo_states[code], demo_states["LV"]])

    client = login(ncp)
    pages = [
        reverse("cases:create"),
        reverse("cases:edit", args=[case.pk]),
        reverse("referrals:create", args=[case.pk]),
        reverse("referrals:edit", args=[draft.pk]),
        reverse("members:profile"),
        reverse("notifications:preferences"),
    ]
    return client, pages, grow


def test_the_case_referral_and_profile_forms_run_as_many_queries_with_40_organisations_as_with_2(
    case_forms, assert_constant_queries
):
    client, pages, grow = case_forms
    (create, *_) = assert_constant_queries(client, *pages, grow=grow)
    small, large = create
    assert small.response.content.decode().count(" (EE)</option>") == 2
    assert large.response.content.decode().count(" (EE)</option>") == 40


def test_the_acknowledge_form_runs_as_many_queries_with_many_contacts(make_user, login, assert_constant_queries):
    # The receiving state's NCPs are the choices of the key and alternate contact.
    sender, receiver = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    referral = make_referral(sender, receiver.member_state, send=True)
    assert_constant_queries(
        login(receiver),
        referral.get_absolute_url(),
        grow=lambda: [make_user(Role.NCP, "LV") for _ in range(15)],
    )


def test_the_training_forms_run_as_many_queries_with_many_participants(
    make_user, login, client, assert_constant_queries
):
    trainer = make_user(Role.TRAINER)
    training = make_training(trainers=[trainer], start_in_days=5)
    pages = [
        reverse("trainings:settings", args=[training.pk]),
        reverse("trainings:register", args=[training.pk]),
        reverse("trainings:import", args=[training.pk]),
    ]
    RegistrationFactory.create_batch(2, training=training)
    assert_constant_queries(
        login(trainer), *pages, grow=lambda: RegistrationFactory.create_batch(30, training=training)
    )
