"""The shape of a workflow: one table of transitions (DESIGN.md section 4).

A workflow (a referral, a case's stage, a registration, a training's status) is a tuple
of `Transition` entries, each saying where it goes from and to, who may take it, the
form that collects its data, what it records, the fields it changes, whether it grants
or revokes access, whether it is destructive (a danger button and a confirmation) and
whom it tells. Services, forms, templates and the permission tests read the table, so
adding a step is one entry plus its form.

Pure data: core imports no app, so a transition names its form by dotted path (or
holds the class) and its hooks are plain callables the app's table supplies.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any


class UnknownTransition(LookupError):
    """A step that is not in the workflow's table (a mistyped name, a forged URL)."""


@dataclass(frozen=True)
class Notice:
    """Whom a step tells, and with which kind of notice.

    `kind` is a key of the notifications registry (notifications.kinds.KINDS), or of the
    participants' emails when `audience` is "participant" (they are not portal users).
    `audience` is said in the workflow's own terms: "other side", "trainers".
    """

    kind: str
    audience: str


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    # The sides or roles that may take it; the view's access check still comes first.
    by: tuple[str, ...] = ()
    # The form that collects its data: the class, or its dotted path (an app's forms import
    # its services, which import the table: a path avoids the cycle).
    form: type | str | None = None
    # The URL name through which it is taken, for the templates and the permission walk.
    url: str = ""
    # The kind of immutable event it records, if the workflow keeps a timeline.
    records: str = ""
    # record(obj, data) -> dict: checks the step's data and returns what the event keeps.
    record: Callable[..., dict[str, Any]] | None = None
    # Fields set to the moment the step is taken (accepted_at).
    stamps: tuple[str, ...] = ()
    # apply(obj, data, now) -> the names of the further fields it set, before the row is saved;
    # it refuses (ValidationError) a step that cannot be taken yet.
    apply: Callable[..., Iterable[str]] | None = None
    # effects(obj, step=, by=, now=): what the step does beyond its own row once that is saved
    # (no-shows marked, participants told). The function or its dotted path, as for the form.
    effects: Callable[..., Any] | str | None = None
    grants: bool = False
    revokes: bool = False
    # A branch leaves the normal path: a choice a side may make (decline, refer onward), never
    # the step an object waits for. Pages open the normal path's next step; work queues list it.
    branch: bool = False
    # Destructive steps get a danger button and say first what they undo.
    destructive: bool = False
    confirmation: str = ""
    notifies: tuple[Notice, ...] = ()
    # Said when the step is not possible from the current status; "{status}" is its label.
    refusal: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.label:
            raise ValueError("A transition needs a name and a label.")
        if not self.sources:
            raise ValueError(f"Transition “{self.name}” starts from no status.")
        if self.grants and self.revokes:
            raise ValueError(f"Transition “{self.name}” cannot both grant and revoke access.")
        if self.destructive and not self.confirmation:
            raise ValueError(f"Transition “{self.name}” is destructive: say what it undoes (confirmation).")

    def allows(self, status: str, by: str | None = None) -> bool:
        """Whether the step may be taken from `status` by that side or role (None: anyone)."""
        return status in self.sources and (by is None or not self.by or by in self.by)

    @property
    def button_class(self) -> str:
        return "btn-danger" if self.destructive else "btn-primary"

    def form_class(self) -> Any:
        """The form's class, imported on first use when the table names it by path."""
        return _resolve(self.form)

    def effects_function(self) -> Callable[..., Any] | None:
        """The effects' function, imported on first use when the table names it by path."""
        effects: Callable[..., Any] | None = _resolve(self.effects)
        return effects


def _resolve(value: Any) -> Any:
    """A class or function the table holds, or names by dotted path (imported when first used)."""
    if not isinstance(value, str):
        return value
    module, _, attribute = value.rpartition(".")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Workflow:
    name: str
    # What the workflow moves, for messages: "referral", "case", "training".
    noun: str
    transitions: tuple[Transition, ...]
    # Every status, in the order lists show them; transitions may name no other.
    states: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [transition.name for transition in self.transitions]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"The {self.name} workflow names these steps twice: {', '.join(repeated)}.")
        if self.states:
            for transition in self.transitions:
                unknown = {*transition.sources, transition.target} - set(self.states)
                if unknown:
                    raise ValueError(f"Transition “{transition.name}” names unknown states: {sorted(unknown)}.")

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions)

    def __len__(self) -> int:
        return len(self.transitions)

    def __contains__(self, name: object) -> bool:
        return any(transition.name == name for transition in self.transitions)

    @property
    def names(self) -> list[str]:
        return [transition.name for transition in self.transitions]

    def get(self, name: str) -> Transition:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise UnknownTransition(f"“{name}” is not a step of the {self.name} workflow.")

    def available(self, status: str, by: str | None = None) -> list[Transition]:
        """The steps possible from `status`, for that side or role (None: anyone), in table order."""
        return [transition for transition in self.transitions if transition.allows(status, by)]

    def between(self, source: str, target: str) -> Transition | None:
        """The step from `source` to `target`, for workflows whose form picks the new status."""
        return next((t for t in self.transitions if t.target == target and source in t.sources), None)

    def targets(self, status: str, by: str | None = None) -> list[str]:
        """The statuses reachable in one step, in the order of `states` (of the table without them)."""
        reachable = {transition.target for transition in self.available(status, by)}
        order = self.states or tuple(dict.fromkeys(transition.target for transition in self.transitions))
        return [state for state in order if state in reachable]

    def refusal(self, transition: Transition, status_label: str) -> str:
        """Why `transition` is not possible on an object whose status reads `status_label`."""
        if transition.refusal:
            return transition.refusal.format(status=status_label)
        return f"“{transition.label}” is not possible on a {self.noun} that is “{status_label}”."
