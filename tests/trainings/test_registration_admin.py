"""The participants' admin: the secretariat corrects details and removes participants, both
through the services; registering and moving a status are done where the rules hold."""

from django.urls import reverse

from notifications.models import Delivery
from tests.admin_forms import admin_form_data, change_url
from tests.trainings.factories import RegistrationFactory, make_training
from trainings import services
from trainings.models import Registration, RegistrationStatus


def test_no_participant_is_added_in_the_admin(secretariat_client, db):
    assert secretariat_client.get(reverse("admin:trainings_registration_add")).status_code == 403


def test_correcting_a_participant_goes_through_the_service_and_leaves_the_status(secretariat_client, service_calls):
    registration = RegistrationFactory(training=make_training(), full_name="Ana Tamn")
    calls = service_calls(services, "registration_update_details")
    url = change_url(registration)
    data = admin_form_data(secretariat_client, url, full_name="Ana Tamm", status=RegistrationStatus.CANCELLED)
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    assert calls == [{"registration": registration, "data": {"full_name": "Ana Tamm"}, "by": secretariat_client.user}]
    registration.refresh_from_db()
    assert (registration.full_name, registration.status) == ("Ana Tamm", RegistrationStatus.CONFIRMED)


def test_an_address_taken_by_another_participant_is_refused_on_the_page(secretariat_client):
    training = make_training()
    RegistrationFactory(training=training, email="taken@example.net")
    registration = RegistrationFactory(training=training, email="mine@example.net")
    url = change_url(registration)
    response = secretariat_client.post(url, admin_form_data(secretariat_client, url, email="taken@example.net"))
    assert response.status_code == 200  # the admin shows its form again, with the error
    assert response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.email == "mine@example.net"


def test_removing_a_participant_frees_their_place_for_the_waiting_list(secretariat_client, service_calls):
    training = make_training(capacity=1, waitlist_enabled=True)
    seated = RegistrationFactory(training=training, status=RegistrationStatus.CONFIRMED)
    waiting = RegistrationFactory(training=training, status=RegistrationStatus.WAITLISTED)
    calls = service_calls(services, "registration_delete")
    url = reverse("admin:trainings_registration_delete", args=[seated.pk])
    assert secretariat_client.post(url, {"post": "yes"}).status_code == 302
    assert [call["by"] for call in calls] == [secretariat_client.user]
    assert not Registration.objects.filter(pk=seated.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status != RegistrationStatus.WAITLISTED


def test_removing_a_participant_removes_the_emails_about_them(db):
    training = make_training()
    registration = services.registration_register(
        training=training,
        data={"full_name": "Ana Tamm", "email": "ana@example.net", "consent": True},
        by=None,
    )
    assert Delivery.objects.exists()
    services.registration_delete(registration=registration, by=None)
    assert not Delivery.objects.exists()
