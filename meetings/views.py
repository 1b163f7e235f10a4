"""The expert group's meeting pages. Every page answers 404 to anyone outside the group
(meetings.access); the secretariat's pages answer 404 to members who do not run meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.errors import error_text
from core.forms import add_service_error, form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest
from core.workflow import UnknownTransition
from meetings import selectors, services
from meetings.access import (
    access_action_point,
    access_agenda_item,
    access_meeting,
    access_minutes_version,
    access_paper,
    manages,
    may_update_action_point,
    require_manager,
)
from meetings.calendar import calendar_bytes, feed_meetings
from meetings.forms import (
    ActionFilterForm,
    ActionPointForm,
    ActionUpdateForm,
    AttendanceForm,
    CirculateForm,
    CommentForm,
    DecisionForm,
    DecisionRecordForm,
    DelegationForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    ObserverForm,
    PaperForm,
    ProposalForm,
    SecretariatItemForm,
    StepForm,
)
from meetings.models import CalendarFeed, ItemStatus, Meeting
from meetings.workflow import MEETING_WORKFLOW
from members.expert_group import (
    acting_state,
    group_members,
    group_members_only,
    is_group_member,
    is_observer,
    participating_states,
    state_members,
)
from members.models import Role


@group_members_only
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = MeetingFilterForm(request.GET or None)
    meetings = selectors.meeting_list(user=request.user)
    if filters.is_valid():
        chosen = {name: value for name, value in filters.cleaned_data.items() if value}
        meetings = meetings.filter(**chosen)
    context = {
        "page": paginate(request, meetings),
        "filters": filters,
        "querystring": querystring_without_page(request),
        "manages": manages(request.user),
    }
    return render(request, "meetings/list.html", context)


@group_members_only
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    require_manager(request.user)
    form = MeetingForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(meeting=Meeting(), data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The meeting is planned. Open its agenda when members may propose items.")
            return redirect(meeting)
    context = {"form": form, "title": "Plan a meeting"}
    return render(request, "meetings/form.html", context, status=form_status(form))


@group_members_only
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    form = MeetingForm(*form_data(request), instance=meeting)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.meeting_save(meeting=Meeting.objects.get(pk=meeting.pk), data=changed, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The meeting is saved.")
            return redirect(meeting)
    context = {"form": form, "title": f"Change {meeting.title}", "meeting": meeting}
    return render(request, "meetings/form.html", context, status=form_status(form))


@never_cache
@group_members_only
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    user = request.user
    secretariat = manages(user)
    state = acting_state(user)
    context = {
        "meeting": meeting,
        "manages": secretariat,
        "state": state,
        "agenda": selectors.agenda(user=user, meeting=meeting),
        "proposals": selectors.proposals(user=user, meeting=meeting),
        "papers": selectors.general_papers(user=user, meeting=meeting),
        "delegation": selectors.own_delegation(user=user, meeting=meeting),
        "observer": is_observer(user),
        "observer_registration": (
            selectors.own_observer_registration(user=user, meeting=meeting) if is_observer(user) else None
        ),
        "steps": MEETING_WORKFLOW.available(meeting.status) if secretariat else [],
        "counts": selectors.reply_counts(meeting=meeting) if secretariat else None,
        "accepts_proposals": meeting.accepts_proposals() and (secretariat or state is not None),
        "registration_open": meeting.registration_is_open(),
    }
    return render(request, "meetings/detail.html", context)


@group_members_only
def meeting_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """GET asks (saying what the step does), POST takes it."""
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    try:
        transition = MEETING_WORKFLOW.get(step)
    except UnknownTransition:
        raise Http404("No such step.") from None
    form = StepForm(*form_data(request))
    refusal = services.meeting_step_refusal(meeting, transition, by=request.user)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.meeting_transition(meeting=meeting, step=step, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{transition.label}: done.")
            return redirect(meeting)
    context = {"meeting": meeting, "transition": transition, "form": form, "refusal": refusal}
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/step.html", context, status=status)


@group_members_only
def item_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    secretariat = manages(request.user)
    if not secretariat and acting_state(request.user) is None:
        raise Http404("Observers do not propose agenda items.")
    form_class = SecretariatItemForm if secretariat else ProposalForm
    form = form_class(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_propose(meeting=meeting, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            done = "added to the agenda" if secretariat else "proposed; the secretariat will decide on it"
            messages.success(request, f"“{item.title}” {done}.")
            return redirect(meeting)
    context = {"meeting": meeting, "form": form, "open": meeting.accepts_proposals() or secretariat}
    return render(request, "meetings/propose.html", context, status=form_status(form))


@never_cache
@group_members_only
def item_detail(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk, item_pk)
    papers = selectors.item_papers(user=request.user, item=item)
    context = {"meeting": item.meeting, "item": item, "papers": papers, "manages": manages(request.user)}
    return render(request, "meetings/item.html", context)


@group_members_only
def item_decide(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk, item_pk)
    require_manager(request.user)
    form = DecisionForm(*form_data(request), item=item)
    if item.status != ItemStatus.PROPOSED:
        messages.info(request, f"This item is already decided: {item.get_status_display().lower()}.")
        return redirect(item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.agenda_item_decide(item=item, step=data.pop("step"), data=data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{item.title}”: decided; the proposing state is told.")
            return redirect(item.meeting)
    context = {"meeting": item.meeting, "item": item, "form": form}
    return render(request, "meetings/decide.html", context, status=form_status(form))


@group_members_only
@require_POST
def item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk, item_pk)
    require_manager(request.user)
    try:
        services.agenda_item_move(item=item, direction=request.POST.get("direction", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(item.meeting)


@group_members_only
def paper_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    form = PaperForm(*form_data(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = services.paper_add(
                meeting=meeting,
                item=data["item"],
                upload=data["file"],
                title=data["title"],
                language=data["language"],
                restricted=data["restricted"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Paper “{paper.title}” added; the members are told.")
            return redirect(meeting)
    context = {"meeting": meeting, "form": form}
    return render(request, "meetings/paper_form.html", context, status=form_status(form))


@never_cache
@group_members_only
def paper_download(request: AuthenticatedRequest, pk: int, paper_pk: int) -> FileResponse:
    paper = access_paper(request.user, pk, paper_pk)
    return FileResponse(
        paper.file.open("rb"), as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )


@group_members_only
def registration(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A state's delegation, or an observer's own attendance."""
    meeting = access_meeting(request.user, pk)
    if is_observer(request.user):
        return _observer_registration(request, meeting)
    state = acting_state(request.user)
    if state is None:
        raise Http404("The secretariat records delegations on the delegations page.")
    candidates = list(state_members(state).order_by("full_name"))
    delegation = selectors.own_delegation(user=request.user, meeting=meeting)
    initial = DelegationForm.initial_for(delegation, candidates)
    form = DelegationForm(*form_data(request), candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_register(
                meeting=meeting,
                state=state,
                reply=form.cleaned_data["reply"],
                members=form.members(),
                guests=form.guests(),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{state}'s answer is saved.")
            return redirect(meeting)
    context = {"meeting": meeting, "form": form, "state": state, "delegation": delegation}
    return render(request, "meetings/registration.html", context, status=form_status(form))


def _observer_registration(request: AuthenticatedRequest, meeting: Meeting) -> HttpResponse:
    current = selectors.own_observer_registration(user=request.user, meeting=meeting)
    initial = {"attending": "yes" if current else "no", "mode": current.mode if current else None}
    form = ObserverForm(*form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.observer_register(
                meeting=meeting,
                attending=form.cleaned_data["attending"],
                mode=form.cleaned_data["mode"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your answer is saved.")
            return redirect(meeting)
    context = {"meeting": meeting, "form": form, "observer": True}
    return render(request, "meetings/registration.html", context, status=form_status(form))


@never_cache
@group_members_only
def delegations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    context = {
        "meeting": meeting,
        "board": selectors.delegation_board(meeting=meeting),
        "counts": selectors.reply_counts(meeting=meeting),
        "observers": selectors.observers(meeting=meeting),
    }
    return render(request, "meetings/delegations.html", context)


@never_cache
@group_members_only
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    attendees = selectors.attendance_sheet(meeting=meeting)
    initial = {"present": [a.pk for a in attendees if a.present]}
    form = AttendanceForm(*form_data(request), attendees=attendees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record(meeting=meeting, present=form.cleaned_data["present"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Attendance recorded: {count} of {len(attendees)} present.")
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "attendees": attendees,
        "chosen": set(map(str, form["present"].value() or [])),
    }
    return render(request, "meetings/attendance.html", context, status=form_status(form))


# Minutes, decisions and action points --------------------------------------------------


def _render_minutes(request: AuthenticatedRequest, meeting: Meeting, version, *, form=None, status=200) -> HttpResponse:
    user = request.user
    latest = services.latest_minutes(meeting)
    takes_comments = version is not None and latest is not None and version.pk == latest.pk and version.takes_comments()
    decisions, actions = selectors.meeting_outcomes(meeting=meeting)
    comments = selectors.minutes_comments(user=user, version=version) if version else []
    if form is None and takes_comments and acting_state(user) is not None:
        form = CommentForm(paragraphs=len(version.paragraphs))
    context = {
        "meeting": meeting,
        "version": version,
        "versions": list(selectors.visible_minutes(user=user, meeting=meeting)),
        "latest": latest,
        "paragraphs": list(enumerate(version.paragraphs, start=1)) if version else [],
        "comments": comments,
        "comment_form": form,
        "takes_comments": takes_comments,
        "decisions": decisions,
        "actions": actions,
        "manages": manages(user),
        "state": acting_state(user),
    }
    return render(request, "meetings/minutes.html", context, status=status)


@never_cache
@group_members_only
def minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The latest version this member may read, its comments, the decisions and action points.
    A state's member comments here (POST)."""
    meeting = access_meeting(request.user, pk)
    version = selectors.visible_minutes(user=request.user, meeting=meeting).first()
    if request.method != "POST":
        return _render_minutes(request, meeting, version)
    if version is None or acting_state(request.user) is None:
        raise Http404("There are no minutes to comment on.")
    form = CommentForm(*form_data(request), paragraphs=len(version.paragraphs))
    if form.is_valid():
        try:
            services.minutes_comment(
                version=version,
                paragraph=form.cleaned_data["paragraph"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your comment is sent to the secretariat.")
            return redirect("meetings:minutes", pk=meeting.pk)
    return _render_minutes(request, meeting, version, form=form, status=400)


@never_cache
@group_members_only
def minutes_version(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    version = access_minutes_version(request.user, pk, number)
    return _render_minutes(request, version.meeting, version)


@group_members_only
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    latest = services.latest_minutes(meeting)
    form = MinutesForm(*form_data(request), initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.minutes_save(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Minutes saved (version {version.number}, not yet circulated).")
            return redirect("meetings:minutes", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "latest": latest}
    return render(request, "meetings/minutes_edit.html", context, status=form_status(form))


@group_members_only
def minutes_circulate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    form = CirculateForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.minutes_circulate(
                meeting=meeting, comments_close_at=form.cleaned_data["comments_close_at"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Version {version.number} circulated; the members are told.")
            return redirect("meetings:minutes", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "latest": services.latest_minutes(meeting)}
    return render(request, "meetings/minutes_circulate.html", context, status=form_status(form))


@group_members_only
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    form = DecisionRecordForm(*form_data(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                meeting=meeting, item=form.cleaned_data["item"], text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("meetings:minutes", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "title": "Record a decision"}
    return render(request, "meetings/outcome_form.html", context, status=form_status(form))


@group_members_only
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require_manager(request.user)
    form = ActionPointForm(
        *form_data(request),
        meeting=meeting,
        states=participating_states().order_by("name"),
        users=group_members().exclude(role=Role.SECRETARIAT).order_by("full_name"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_point_add(
                meeting=meeting,
                item=data["item"],
                text=data["text"],
                due_on=data["due_on"],
                by=request.user,
                **form.owner_of(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Action point recorded; its owner is told.")
            return redirect("meetings:minutes", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "title": "Record an action point"}
    return render(request, "meetings/outcome_form.html", context, status=form_status(form))


@group_members_only
def action_update(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    """An action point's page: every member reads it; its owner and the secretariat update it."""
    action = access_action_point(request.user, pk, action_pk)
    may_update = may_update_action_point(request.user, action)
    initial = {"status": action.status, "status_note": action.status_note}
    form = ActionUpdateForm(*form_data(request), initial=initial) if may_update else None
    if request.method == "POST":
        if form is None:
            raise Http404("Only the action point's owner updates it.")
        if form.is_valid():
            try:
                services.action_point_update(
                    action=action,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["status_note"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Action point updated.")
                return redirect("meetings:actions")
    context = {"meeting": action.meeting, "action": action, "form": form}
    return render(request, "meetings/action.html", context, status=form_status(form) if form else 200)


@never_cache
@group_members_only
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    """The group's action points across meetings: open ones by default, per state or overall."""
    states = participating_states().order_by("name")
    own = acting_state(request.user)
    filters = ActionFilterForm(request.GET or None, states=states)
    state, status = None, ""
    if filters.is_valid():
        state, status = filters.cleaned_data["state"], filters.cleaned_data["status"]
    page = paginate(request, selectors.action_points(user=request.user, state=state, status=status))
    context = {"page": page, "filters": filters, "own": own, "querystring": querystring_without_page(request)}
    return render(request, "meetings/actions.html", context)


# The calendar feed ---------------------------------------------------------------------


@never_cache
@group_members_only
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    """The member's calendar address: POST makes a new one and shows it once."""
    feed_url = None
    if request.method == "POST":
        token = services.calendar_feed_reset(by=request.user)
        feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
    context = {"feed": CalendarFeed.objects.filter(user=request.user).first(), "feed_url": feed_url}
    return render(request, "meetings/calendar.html", context)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for calendar apps: the secret token is the sign-in. A member who has left the
    group, or a token that was reset, gets 404."""
    feed = (
        CalendarFeed.objects.select_related("user__member_state")
        .filter(token_sha256=services.calendar_token_hash(token))
        .first()
    )
    if feed is None or not is_group_member(feed.user):
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_bytes(feed_meetings()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tf-thb-meetings.ics"'
    return response
