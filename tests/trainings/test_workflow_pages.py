"""The final steps' pages read the training table (trainings.workflow): what they undo, their
danger button, and how many people they affect."""

from django.urls import reverse
from django.utils.html import escape

from tests.trainings.test_settings import full_training, settings_data
from trainings.models import TrainingStatus
from trainings.workflow import TRAINING_WORKFLOW


def test_the_complete_page_says_what_completing_undoes_with_a_danger_button(trainer_client, training):
    step = TRAINING_WORKFLOW.get("complete")
    page = trainer_client.get(reverse("trainings:complete", args=[training.pk])).content.decode()
    assert 'data-testid="complete-effect"' in page
    assert escape(step.confirmation) in page
    assert '<button class="btn btn-danger" type="submit">Yes, mark the training completed</button>' in page


def test_cancelling_asks_with_the_tables_confirmation_and_the_number_told(trainer_client, training):
    full_training(training, waiting=1)
    step = TRAINING_WORKFLOW.get("cancel")
    url = reverse("trainings:settings", args=[training.pk])
    page = trainer_client.post(url, settings_data(training, status=TrainingStatus.CANCELLED)).content.decode()
    assert escape(step.confirmation) in page
    assert "4 participants (registered, confirmed or waiting)" in page
    assert '<button class="btn btn-danger" type="submit">Yes, cancel the training and tell 4 participants' in page
