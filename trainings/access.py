"""The only way from a URL id to a training or one of its participants.

Each answers 404 both when the object does not exist and when the user may not see
it. Trainers reach the trainings they run through guardian grants (given by
services.training_set_trainers), and only while their role is trainer: a grant left
behind by a role change opens nothing. The secretariat's role carries view_all_trainings.
"""

from django.http import Http404

from core.grants import granted
from core.types import AnyUser
from members.models import Role
from trainings.models import (
    Registration,
    Training,
    TrainingGroupObjectPermission,
    TrainingQuerySet,
    TrainingSession,
    TrainingUserObjectPermission,
)


def sees_all_trainings(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("trainings.view_all_trainings")


def trainings_for(user: AnyUser, perm: str = "trainings.view_training") -> TrainingQuerySet:
    if not user.is_authenticated or not user.is_active:
        return Training.objects.none()
    if sees_all_trainings(user):
        return Training.objects.all()
    if user.role != Role.TRAINER:
        return Training.objects.none()
    return Training.objects.filter(
        granted(user, perm, user_grants=TrainingUserObjectPermission, group_grants=TrainingGroupObjectPermission)
    )


def access_training(user: AnyUser, pk: int, perm: str = "trainings.view_training") -> Training:
    training = trainings_for(user, perm).select_related("member_state", "project").filter(pk=pk).first()
    if training is None:
        raise Http404("No such training.")
    return training


def access_registration(
    user: AnyUser, training_pk: int, pk: int, perm: str = "trainings.change_training"
) -> tuple[Training, Registration]:
    training = access_training(user, training_pk, perm)
    registration = Registration.objects.filter(training=training, pk=pk).first()
    if registration is None:
        raise Http404("No such participant.")
    return training, registration


def access_session(training: Training, pk: int) -> TrainingSession:
    session = TrainingSession.objects.filter(training=training, pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return session
