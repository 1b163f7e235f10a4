"""The declared access policy: for every URL pattern, what each role gets (DESIGN §5).

tests/access/test_every_url.py walks the resolver, requests every pattern as every role
below (GET, and POST with empty data as each role that must not reach the view) and
compares with this table. **A new URL needs an entry here**, or that test fails naming it.

An entry maps a URL name (namespaced: "cases:detail"; an unnamed pattern by its route)
to a Rule, or to {variant: Rule} when one pattern is checked against several objects
(the public, members-only and draft publication). Outcomes are strings:

- "200", "403", "404", "405", ... the status code;
- LOGIN: a redirect to the sign-in page; ADMIN_LOGIN: to the admin's sign-in page;
- to("cases:detail"): a redirect to that page (a page that forwards on success).

Deny by default: a page a role cannot use answers 403, an object 404 (so ids cannot be
probed), an anonymous visitor is sent to sign in.
"""

from dataclasses import dataclass, field

ANON = "anonymous"
OBSERVER = "observer"
REP = "representative EE"
NCP_EE = "NCP EE (owner)"
NCP_LV = "NCP LV (receiver)"
NCP_LT = "NCP LT (other state)"
TRAINER = "trainer (assigned)"
OTHER_TRAINER = "trainer (not assigned)"
SECRETARIAT = "secretariat"
ROLES = (ANON, OBSERVER, REP, NCP_EE, NCP_LV, NCP_LT, TRAINER, OTHER_TRAINER, SECRETARIAT)
SIGNED_IN = ROLES[1:]

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
# The receiving state's NCPs asking for a referral their state has lost (withdrawn, consent
# withdrawn, access period over) are sent to their inbox with a plain message instead of a
# 404: the view does not run, so this is a refusal like the others.
LOST_REFERRAL = "→ referrals:inbox"
# What a role that must not reach a view gets; only these are expected of a POST.
REFUSALS = {"403", "404", "405", LOGIN, ADMIN_LOGIN, LOST_REFERRAL}

_SHORT = {
    "anon": (ANON,),
    "observer": (OBSERVER,),
    "rep": (REP,),
    "ncp_ee": (NCP_EE,),
    "ncp_lv": (NCP_LV,),
    "ncp_lt": (NCP_LT,),
    "trainer": (TRAINER,),
    "other_trainer": (OTHER_TRAINER,),
    "secretariat": (SECRETARIAT,),
    "ncps": (NCP_EE, NCP_LV, NCP_LT),
    "trainers": (TRAINER, OTHER_TRAINER),
    "signed_in": SIGNED_IN,
}


def to(url_name: str) -> str:
    """A redirect to the page of that URL name."""
    return f"→ {url_name}"


def roles(default: str, **given: str) -> dict:
    """Every role gets `default` except those named (anon=..., ncp_ee=..., ncps=..., trainers=...).
    Groups are applied first, single roles after, so ncps="200", ncp_lt="404" means what it says."""
    result = dict.fromkeys(ROLES, default)
    for short in sorted(given, key=lambda name: -len(_SHORT[name])):
        for role in _SHORT[short]:
            result[role] = given[short]
    return result


@dataclass(frozen=True)
class Rule:
    get: dict
    # The roles to POST as (with empty data), and what each must get: always a refusal.
    post: dict = field(default_factory=dict)


def rule(get: dict, post: dict | None = None) -> Rule:
    """By default every role refused on GET is refused the same way on POST."""
    if post is None:
        post = {role: outcome for role, outcome in get.items() if outcome in REFUSALS}
    return Rule(get=get, post=post)


def page(**given: str) -> Rule:
    """A signed-in page (login_required): anonymous visitors sign in first."""
    return rule(roles("200", anon=LOGIN, **given))


def only(**allowed: str) -> Rule:
    """A page of one object: the named roles get their outcome, every other role 404."""
    return rule(roles("404", anon=LOGIN, **allowed))


def post_only(refused: str = "404", **allowed: str) -> Rule:
    """A view that takes only POST (require_POST under login_required): a GET is 405 for
    every signed-in role; a POST is refused for every role not named in `allowed`
    (whose values are what an empty POST gets them; they are not posted)."""
    allowed_roles = {role for short in allowed for role in _SHORT[short]}
    post = {role: (LOGIN if role == ANON else refused) for role in ROLES if role not in allowed_roles}
    return Rule(get=roles("405", anon=LOGIN), post=post)


def public(ok: str = "200", post: str | None = "405") -> Rule:
    """Open to everyone. GET-only views (require_safe) answer 405 to a POST from anyone."""
    return Rule(get=roles(ok), post=roles(post) if post else {})


def variants(rules):
    if isinstance(rules, Rule):
        return [(None, rules)]
    return list(rules.items())


# The site ------------------------------------------------------------------------------

POLICY: dict = {
    "home": Rule(get=roles("200")),  # renders on any method; nothing to refuse
    "dashboard": page(),
    "health": public(),
    "sitemap": Rule(get=roles("200")),
}

# allauth: accounts, MFA and sessions. Sign-up is closed (the adapter), so its page says so.
# A signed-in user sent from a page for visitors goes to the dashboard; MFA pages a role
# does not use (recovery codes before any exist, TOTP removal without TOTP) answer 404.
POLICY |= {
    "account_login": Rule(get=roles(to("dashboard"), anon="200")),
    "account_logout": Rule(get=roles("200", anon=to("home"))),
    "account_inactive": public(),
    "account_signup": Rule(get=roles(to("dashboard"), anon="200")),
    "account_reauthenticate": page(),
    "account_request_reauthentication_code": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "account_confirm_reauthentication_code": rule(roles(to("account_request_reauthentication_code"), anon=LOGIN)),
    "account_email": page(),
    "account_email_verification_sent": public(),
    "account_change_password": page(),
    "account_set_password": rule(roles(to("account_change_password"), anon=LOGIN)),
    "account_reset_password": Rule(get=roles("200")),
    "account_confirm_login_code": rule(roles(to("dashboard"), anon=LOGIN)),
    "account_confirm_email": Rule(get=roles("200"), post=roles("404")),  # an unknown key
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": Rule(get=roles("200")),  # an unknown key: the page says so
    "account_reset_password_done": public(),
    "mfa_index": rule(roles("200", anon=LOGIN), post=roles("405", anon=LOGIN)),
    "mfa_authenticate": rule(roles(to("dashboard"), anon=LOGIN)),
    # Reauthenticating with a second factor needs one: NCPs and the secretariat have TOTP.
    "mfa_reauthenticate": rule(roles(to("account_reauthenticate"), anon=LOGIN, ncps="200", secretariat="200")),
    # Changing a second factor asks for the password again first (allauth's reauthentication).
    "mfa_activate_totp": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "mfa_deactivate_totp": rule(
        roles("404", anon=LOGIN, ncps=to("account_reauthenticate"), secretariat=to("account_reauthenticate"))
    ),
    "mfa_view_recovery_codes": rule(roles("404", anon=LOGIN), post=roles("405", anon=LOGIN)),
    "mfa_generate_recovery_codes": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "mfa_download_recovery_codes": rule(roles("404", anon=LOGIN)),
    "mfa_list_webauthn": rule(roles("200", anon=LOGIN), post=roles("405", anon=LOGIN)),
    "mfa_add_webauthn": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "mfa_reauthenticate_webauthn": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "mfa_remove_webauthn": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "mfa_edit_webauthn": rule(roles(to("account_reauthenticate"), anon=LOGIN)),
    "usersessions_list": page(),
}

# Members: directories for every role (members.view_directory); the invitation link is the
# invitee's key, whoever opens it.
POLICY |= {
    "members:directory": page(),
    "members:ncp_directory": page(),
    "members:profile": page(),
    "members:accept_invitation": Rule(get=roles("200")),
    # Four-eyes on case access: the list is the deciding roles' page (NCPs, secretariat; 403
    # for others). The probe request (make someone an Estonian NCP, asked by the secretariat)
    # is Estonia's to decide and the secretariat's to see: 404 for everyone else.
    "members:access_requests": page(observer="403", rep="403", trainers="403"),
    "members:access_request_detail": only(ncp_ee="200", secretariat="200"),
    "members:access_request_confirm": post_only(
        ncp_ee=to("members:access_request_detail"), secretariat=to("members:access_request_detail")
    ),
    "members:access_request_decline": post_only(ncp_ee="400", secretariat="400"),
    "members:access_request_cancel": post_only(
        ncp_ee=to("members:access_request_detail"), secretariat=to("members:access_request_detail")
    ),
}

# Notifications: each user's own; the announcement is addressed to everyone.
POLICY |= {
    "notifications:list": page(),
    # The EE NCP's unread notification: a GET is the page that opens it by a POST (no write).
    "notifications:open": only(ncp_ee="200"),
    "notifications:mark_read": post_only(ncp_ee=to("notifications:list")),
    "notifications:mark_all_read": Rule(get=roles("405", anon=LOGIN), post={ANON: LOGIN}),
    "notifications:badge": page(),
    "notifications:preferences": page(),
    "notifications:announcement": page(),
}

# Cases: the NCPs' list and form are pages of contact points (403 for other roles); one
# case is its state's NCP team's only (404 for everyone else, the secretariat included).
# Each URL of one case is checked on Estonia's case, on Lithuania's, and on Estonia's with
# the ids of Lithuania's records (a consent, follow-up or document of another case: 404).


def _case(outcome: str) -> dict:
    """On each case variant: the owning state's NCPs get `outcome`, everyone else 404."""
    return {"EE": only(ncp_ee=outcome), "LT": only(ncp_lt=outcome), "EE with LT's records": only(ncp_ee=outcome)}


def _case_post(outcome: str) -> dict:
    return {
        "EE": post_only(ncp_ee=outcome),
        "LT": post_only(ncp_lt=outcome),
        "EE with LT's records": post_only(ncp_ee=outcome),
    }


_CASE_PAGE = _case("200")
# A page that also names one of the case's records: that record must be the case's own.
_CASE_RECORD_PAGE = {**_CASE_PAGE, "EE with LT's records": only()}
POLICY |= {
    "cases:list": page(observer="403", rep="403", trainers="403", secretariat="403"),
    "cases:create": page(observer="403", rep="403", trainers="403", secretariat="403"),
    "cases:statistics": page(signed_in="403", secretariat="200"),
    "cases:statistics_export": page(signed_in="403", secretariat="200"),
    "cases:detail": _CASE_PAGE,
    "cases:edit": _CASE_PAGE,
    "cases:move_stage": _case_post(to("cases:detail")),
    "cases:reopen": _case_post(to("cases:detail")),
    "cases:identity_edit": _CASE_PAGE,
    "cases:identity_reveal": _case_post("400"),  # no purpose given: refused, nothing shown
    "cases:record_add": _CASE_PAGE,
    "cases:consent_withdraw": _CASE_RECORD_PAGE,
    "cases:follow_up_done": _CASE_RECORD_PAGE,
    "cases:document_upload": _CASE_PAGE,
    "cases:document_download": _CASE_RECORD_PAGE,
    "cases:audit": _CASE_PAGE,
}

# Referrals: both states' NCP teams reach a sent referral (the receiver only its snapshot,
# its thread and documents); the case stays the sender's. Each URL of one referral is checked
# on three: sent; a draft (the receiver sees nothing until it is sent); and one the sender
# withdrew (the receiver loses it at once).
_SENDER_ONLY = only(ncp_ee="200")
# Latvia opening the withdrawn one is told so on its inbox, never a 404 (only Latvia: it was Latvia's).
_BOTH_SIDES = {
    "sent": only(ncp_ee="200", ncp_lv="200"),
    "draft": _SENDER_ONLY,
    "withdrawn": only(ncp_ee="200", ncp_lv=LOST_REFERRAL),
}


def _referral_post(sender: str, receiver: str) -> dict:
    return {
        "sent": post_only(ncp_ee=sender, ncp_lv=receiver),
        "draft": post_only(ncp_ee=sender),
        "withdrawn": Rule(
            get=roles("405", anon=LOGIN),
            post={**post_only(ncp_ee=sender).post, NCP_LV: LOST_REFERRAL},
        ),
    }


POLICY |= {
    "referrals:inbox": page(observer="403", rep="403", trainers="403", secretariat="403"),
    "referrals:outbox": page(observer="403", rep="403", trainers="403", secretariat="403"),
    "referrals:statistics": page(signed_in="403", secretariat="200"),
    "referrals:create": {"EE": only(ncp_ee="200"), "LT": only(ncp_lt="200")},
    "referrals:detail": _BOTH_SIDES,
    # Only a draft can be edited, by its sender; the sender of a sent one is sent back to it.
    "referrals:edit": {
        "sent": only(ncp_ee=to("referrals:detail")),
        "draft": _SENDER_ONLY,
        "withdrawn": only(ncp_ee=to("referrals:detail")),
    },
    # Only a draft can be deleted (after a confirmation page), by its sending state's NCPs.
    "referrals:delete": {
        "sent": only(ncp_ee=to("referrals:detail")),
        "draft": _SENDER_ONLY,
        "withdrawn": only(ncp_ee=to("referrals:detail")),
    },
    # The page marks the reader's notices about the referral read (a POST, so GET stays write-free).
    "referrals:notices_read": _referral_post("200", "200"),
    "referrals:print": _BOTH_SIDES,
    # An empty POST gives no purpose: refused with a message, nothing shown.
    "referrals:identity_reveal": _referral_post("400", "400"),
    # "acknowledge" as the sender: a message on the referral's page; with an empty form as the
    # receiver: the page again, with the panel open and the errors next to the fields.
    "referrals:action": _referral_post(to("referrals:detail"), "400"),
    "referrals:message_post": _referral_post("400", "400"),
    # The draft variant asks for the sent referral's attachment through the draft: 404 for all.
    "referrals:document_download": {**_BOTH_SIDES, "draft": only()},
}

# Publications and projects: public for all, members-only for every signed-in role (a
# visitor is asked to sign in), drafts for the secretariat only (404 for everyone else).
# The views take GET and HEAD only.
_BY_VISIBILITY = {
    "public": public(),
    "members": Rule(get=roles("200", anon=LOGIN), post=roles("405")),
    "draft": Rule(get=roles("404", secretariat="200"), post=roles("405")),
}
POLICY |= {
    "publications:library": public(),
    "publications:feed_rss": Rule(get=roles("200")),
    "publications:feed_atom": Rule(get=roles("200")),
    "publications:detail": _BY_VISIBILITY,
    # None of the probe publications has a cover: 404 for everyone who may see the item.
    "publications:cover": {
        "public": public("404"),
        "members": Rule(get=roles("404", anon=LOGIN), post=roles("405")),
        "draft": Rule(get=roles("404"), post=roles("405")),
    },
    "publications:download": _BY_VISIBILITY,
    # The download button (POST only, it counts): a POST is posted only as a role refused it.
    "publications:download_counted": {
        "public": Rule(get=roles("405")),
        "members": Rule(get=roles("405"), post={ANON: LOGIN}),
        "draft": Rule(get=roles("405"), post={role: "404" for role in ROLES if role != SECRETARIAT}),
    },
    "publications:mandates": public(),
    "projects:ongoing": public(),
    "projects:psf": public(),
    "projects:all": public(),
    "projects:detail": _BY_VISIBILITY,
}

# Trainings: a trainer reaches the trainings they run (a grant per training), the
# secretariat every training; the list is their page (403 for other roles). Each URL of one
# training is checked on the assigned trainer's (A), the other trainer's (B), and on A with
# the ids of B's participant and session (404).


def _training(outcome: str, *, cross: str | None = None) -> dict:
    """On each training variant: its trainer and the secretariat get `outcome`, everyone else
    404; with another training's participant or session, `cross` for them (404 by default)."""
    return {
        "A": only(trainer=outcome, secretariat=outcome),
        "B": only(other_trainer=outcome, secretariat=outcome),
        "A with B's participant": only(trainer=cross, secretariat=cross) if cross else only(),
    }


def _training_post(outcome: str, *, cross: str | None = None) -> dict:
    return {
        "A": post_only(trainer=outcome, secretariat=outcome),
        "B": post_only(other_trainer=outcome, secretariat=outcome),
        "A with B's participant": post_only(trainer=cross, secretariat=cross) if cross else post_only(),
    }


# Pages that name only the training: B's participant is not in their URL, so A's outcome holds.
_TRAINING_PAGE = _training("200", cross="200")
POLICY |= {
    "trainings:list": page(signed_in="403", trainers="200", secretariat="200"),
    "trainings:detail": _TRAINING_PAGE,
    "trainings:settings": _TRAINING_PAGE,
    "trainings:session_add": _training_post("400", cross="400"),
    "trainings:session_remove": _training_post(to("trainings:settings")),
    "trainings:register": _TRAINING_PAGE,
    "trainings:import": _TRAINING_PAGE,
    "trainings:import_confirm": _training_post(to("trainings:import"), cross=to("trainings:import")),
    "trainings:attendance": _TRAINING_PAGE,
    "trainings:attendance_toggle": _training_post(to("trainings:attendance")),
    "trainings:move": _training_post(to("trainings:detail")),
    "trainings:certificate": _training("200"),
    "trainings:certificates": _TRAINING_PAGE,
    "trainings:export_csv": _TRAINING_PAGE,
    "trainings:export_xlsx": _TRAINING_PAGE,
    "trainings:complete": _TRAINING_PAGE,  # GET asks, saying who is affected; POST completes
    "trainings:facts": Rule(get=roles("200")),
}


# The expert group's meetings: its members (the observer, the states' representatives and
# NCPs, the secretariat) see them; trainers and visitors see nothing (404 even to a visitor,
# whose 404 page offers to sign in: the group's pages do not show that they exist).
# The secretariat's pages answer 404 to every other member. Item pages are of Estonia's
# pending proposal: Estonia's and the secretariat's; papers are public or restricted (not
# for observers).
_MEMBERS_PAGE = rule(roles("200", anon="404", trainers="404"))
_STATES_PAGE = rule(roles("200", anon="404", trainers="404", observer="404"))
_SECRETARIATS = rule(roles("404", secretariat="200"))


def _group_post_only(**allowed: str) -> Rule:
    """A POST-only view of the group: a GET is 405 for members, 404 for everyone else; a
    POST is refused (404) for every role not named."""
    allowed_roles = {role for short in allowed for role in _SHORT[short]}
    members = (OBSERVER, REP, NCP_EE, NCP_LV, NCP_LT, SECRETARIAT)
    get = {role: "405" if role in members else "404" for role in ROLES}
    return Rule(get=get, post={role: "404" for role in ROLES if role not in allowed_roles})


POLICY |= {
    "meetings:list": _MEMBERS_PAGE,
    "meetings:create": _SECRETARIATS,
    "meetings:detail": _MEMBERS_PAGE,
    "meetings:edit": _SECRETARIATS,
    "meetings:step": _SECRETARIATS,  # GET asks; an empty POST is refused (proposals pending)
    "meetings:propose": _STATES_PAGE,
    "meetings:item": rule(roles("404", rep="200", ncp_ee="200", secretariat="200")),
    "meetings:item_decide": _SECRETARIATS,
    "meetings:item_move": _group_post_only(secretariat=to("meetings:detail")),
    "meetings:paper_add": _SECRETARIATS,
    "meetings:paper_download": {"public": _MEMBERS_PAGE, "restricted": _STATES_PAGE},
    "meetings:registration": rule(roles("200", anon="404", trainers="404", secretariat="404")),
    "meetings:delegations": _SECRETARIATS,
    "meetings:attendance": _SECRETARIATS,
    # Of the held meeting: minutes circulated, comments by Estonia and Lithuania, an action
    # point for Estonia (every member reads it; Estonia and the secretariat update it).
    "meetings:minutes": _MEMBERS_PAGE,
    "meetings:minutes_version": _MEMBERS_PAGE,
    "meetings:minutes_edit": _SECRETARIATS,
    "meetings:minutes_circulate": _SECRETARIATS,
    "meetings:decision_add": _SECRETARIATS,
    "meetings:action_add": _SECRETARIATS,
    "meetings:action_update": _MEMBERS_PAGE,
    "meetings:actions": _MEMBERS_PAGE,
    "meetings:calendar": _MEMBERS_PAGE,  # POST makes a new address
    # The feed: its secret token is the sign-in, whoever asks (a calendar app has no session).
    "meetings:calendar_feed": {"valid": public(), "reset": public("404")},
}


# Consultations: the group's members see them and the status board; a state's representatives
# answer (not observers, not the secretariat, which circulates and replies). Walked on the
# comments procedure, whose Estonian comments are Estonia's and the secretariat's.
POLICY |= {
    # GET only: a POST is 405 for members; the others get 404 (the page does not exist for them).
    "consultations:list": Rule(
        get=roles("404", **{"observer": "200", "rep": "200", "ncps": "200", "secretariat": "200"}),
        post=roles("405", anon="404", trainers="404"),
    ),
    "consultations:create": _SECRETARIATS,
    "consultations:detail": _MEMBERS_PAGE,
    "consultations:document": _MEMBERS_PAGE,
    "consultations:answer": rule(roles("200", anon="404", trainers="404", observer="404", secretariat="404")),
    "consultations:reply": _SECRETARIATS,
    "consultations:new_round": _SECRETARIATS,
}


# Discussions: every member reads and posts; the author edits their post; the secretariat
# opens topics and hides posts. Walked on a thread whose first post is the Estonian
# representative's (with a file) and whose second, Lithuania's, the secretariat hid.
# GET only: a POST is 405 for members, 404 for everyone else (the group's pages do not exist for them).
_GROUP_POST_405 = roles("405", anon="404", trainers="404")
_MEMBERS_GET_ONLY = Rule(
    get=roles("404", **{"observer": "200", "rep": "200", "ncps": "200", "secretariat": "200"}), post=_GROUP_POST_405
)
_EVERY_MEMBER = {"observer": "", "rep": "", "ncps": "", "secretariat": ""}
POLICY |= {
    "discussions:list": _MEMBERS_GET_ONLY,
    "discussions:topic_create": _SECRETARIATS,
    "discussions:topic": _MEMBERS_GET_ONLY,
    "discussions:topic_follow": _group_post_only(**_EVERY_MEMBER),
    "discussions:thread_start": _MEMBERS_PAGE,
    "discussions:thread": _MEMBERS_GET_ONLY,
    "discussions:thread_follow": _group_post_only(**_EVERY_MEMBER),
    "discussions:thread_read": _group_post_only(**_EVERY_MEMBER),
    "discussions:reply": _MEMBERS_PAGE,
    # A post's address sends members on to its thread's page.
    "discussions:post": Rule(
        get=roles(
            "404",
            **{k: to("discussions:thread") for k in ("observer", "rep", "ncps", "secretariat")},
        ),
        post=_GROUP_POST_405,
    ),
    "discussions:post_edit": rule(roles("404", rep="200")),
    "discussions:post_hide": _SECRETARIATS,
    "discussions:attachment": {
        "visible": _MEMBERS_GET_ONLY,
        "hidden": Rule(get=roles("404", secretariat="200"), post=_GROUP_POST_405),
    },
}


# National reporting: a state's return is its representatives' and NCPs' and the
# secretariat's; the board and the data calls are the secretariat's. Observers, trainers and
# visitors get 404 everywhere. Walked on Estonia's return, a draft.
_REPORTERS = rule(roles("200", anon="404", trainers="404", observer="404"))
_EE_RETURN = rule(roles("404", rep="200", ncp_ee="200", secretariat="200"))
POLICY |= {
    "reporting:index": _REPORTERS,
    "reporting:call_create": _SECRETARIATS,
    "reporting:call": _SECRETARIATS,
    # Its POST without a note is refused (Estonia's return is a draft): the call stays open.
    "reporting:call_close": _SECRETARIATS,
    "reporting:return": _EE_RETURN,
    "reporting:return_export": _EE_RETURN,
    "reporting:indicators": _SECRETARIATS,
    "reporting:figures": _SECRETARIATS,
    "reporting:figures_csv": _SECRETARIATS,
    "reporting:roundup": _SECRETARIATS,
    # The region's figures as published: protected, for everyone.
    "reporting:region": public(),
    # Country profiles: public; Estonia's own members edit and confirm Estonia's (walked on it).
    "countries:list": public(),
    "countries:detail": public(),
    "countries:edit": rule(roles("404", rep="200", ncp_ee="200")),
    "countries:confirm": Rule(get=roles("405"), post={role: "404" for role in ROLES if role not in (REP, NCP_EE)}),
    # Only who may change the return imports into it: Estonia's members, while it is a draft.
    "reporting:return_import": rule(roles("404", rep="200", ncp_ee="200")),
    # The step in the URL is "submit": a step of Estonia's national representatives (an empty
    # POST is refused: problems remain); Estonia's NCPs fill in the draft but do not submit it.
    "reporting:return_step": rule(roles("404", rep="200")),
    # A file with a qualitative section of Estonia's return (the walk adds one): like the return.
    # GET only: a POST is 405 for whoever reports, before the return is looked up.
    "reporting:return_file": Rule(get=_EE_RETURN.get, post=roles("405", anon="404", trainers="404", observer="404")),
    # POST only, like the comments; only who may change the return adds or removes its files.
    "reporting:return_file_upload": Rule(
        get=roles("405", anon="404", trainers="404", observer="404"),
        post={role: "404" for role in ROLES if role not in (REP, NCP_EE)},
    ),
    # POST only; states that report get 405 for a GET before the return is looked up.
    "reporting:return_comment": Rule(
        get=roles("405", anon="404", trainers="404", observer="404"),
        post={role: "404" for role in ROLES if role not in (REP, NCP_EE, SECRETARIAT)},
    ),
}


# The admin -----------------------------------------------------------------------------
# Only the secretariat is staff: every other role, signed in or not, is sent to the
# admin's sign-in page. What the secretariat may do per model is its role's model
# permissions; each registered model is declared here with one of these kinds.

_VIEW_KINDS = ("changelist", "add", "history", "delete", "change")
NO_ACCESS = dict.fromkeys(_VIEW_KINDS, "403")
READ_ONLY = {
    "changelist": "200",
    "add": "403",
    "history": "200",
    "delete": "403",
    "change": "200",
    "change POST": "403",
}
CHANGE_ONLY = {"changelist": "200", "add": "403", "history": "200", "delete": "403", "change": "200"}
NO_DELETE = {"changelist": "200", "add": "200", "history": "200", "delete": "403", "change": "200"}
NO_ADD = {"changelist": "200", "add": "403", "history": "200", "delete": "200", "change": "200"}
FULL = dict.fromkeys(_VIEW_KINDS, "200")

ADMIN_MODELS = {
    # Groups, email addresses, authenticators and sessions change only through services.
    "auth.group": NO_ACCESS,
    "account.emailaddress": NO_ACCESS,
    "mfa.authenticator": NO_ACCESS,
    "usersessions.usersession": NO_ACCESS,
    "thb_portal.jobrun": READ_ONLY,
    # The audit trail's metadata only; no history page (it would title itself with values).
    "auditlog.logentry": {**READ_ONLY, "history": None},
    "members.memberstate": NO_DELETE,
    "members.organisation": FULL,
    "members.expertisearea": FULL,
    "members.user": NO_DELETE,  # deactivated, never deleted: the audit trail keeps its actors
    "members.accessrequest": READ_ONLY,  # decided on the portal's pages, by a second person
    # Case data: metadata only, read-only; the lookups are data migrations.
    "cases.case": READ_ONLY,
    "cases.exploitationform": NO_ACCESS,
    "cases.controlmeans": NO_ACCESS,
    "referrals.referral": READ_ONLY,
    "projects.project": FULL,
    "publications.publication": FULL,
    "publications.audience": FULL,
    "publications.topic": FULL,
    "trainings.training": FULL,
    # Registered on the training's page or by import, where the window and places hold.
    "trainings.registration": NO_ADD,
    "trainings.historicaltotal": FULL,
    "notifications.notification": READ_ONLY,
    "notifications.delivery": CHANGE_ONLY,  # "change" is the retry action; every field is read-only
    "notifications.announcement": NO_DELETE,
    # Meetings change on the portal's pages, where the cut-offs and one answer per state hold.
    "meetings.meeting": READ_ONLY,
    "meetings.agendaitem": READ_ONLY,
    "meetings.delegation": READ_ONLY,
    "consultations.consultation": READ_ONLY,
    "consultations.answer": READ_ONLY,
    # Topics are corrected here (through the service); posts change on the portal's pages.
    "discussions.topic": CHANGE_ONLY,
    "discussions.thread": CHANGE_ONLY,
    "discussions.post": READ_ONLY,
    "reporting.datacall": READ_ONLY,
    "reporting.return": READ_ONLY,
    "reporting.indicatorset": READ_ONLY,
}
# Views of a model admin beyond the five generated ones, by URL name.
ADMIN_EXTRA_VIEWS = {
    "members_user_invite_csv": "200",
    "publications_publication_import": "200",
    "publications_publication_process_import": "405",  # the import's second step takes POST only
    "publications_publication_export": "200",
    "trainings_registration_import": "200",
    "trainings_registration_process_import": "405",
    "trainings_registration_export": "200",
}


_SAME = "same as GET"


def _admin(secretariat_get: str, secretariat_post: str | None = _SAME) -> Rule:
    """Every role but the secretariat goes to the admin's sign-in, on GET and POST. The
    secretariat is POSTed as only where refused (by default: where its GET is refused)."""
    post = roles(ADMIN_LOGIN)
    del post[SECRETARIAT]
    if secretariat_post == _SAME:
        secretariat_post = secretariat_get if secretariat_get in REFUSALS else None
    if secretariat_post:
        post[SECRETARIAT] = secretariat_post
    return Rule(get=roles(ADMIN_LOGIN, secretariat=secretariat_get), post=post)


POLICY |= {
    "admin:index": _admin("200"),
    # allauth's admin login: a visitor signs in through allauth; a signed-in non-staff user is refused.
    "admin:login": rule(roles("403", anon=LOGIN, secretariat=to("admin:index"))),
    # Django's admin sends everyone but staff from logout to the index (and so to sign-in).
    "admin:logout": Rule(get=roles(to("admin:index"), secretariat="405")),
    "admin:password_change": _admin("200"),
    "admin:password_change_done": _admin("200"),
    "admin:autocomplete": _admin("403", "405"),  # GET without a field to complete; GET only
    "admin:jsi18n": _admin("200"),
    "admin:view_on_site": _admin(to("publications:detail")),
    "admin:app_list": _admin("200"),
    "admin/(?P<url>.*)$": _admin("404"),  # the admin's catch-all: an unknown admin page
}
for _label, _kinds in ADMIN_MODELS.items():
    _app, _model = _label.split(".")
    for _kind in _VIEW_KINDS:
        if _kinds[_kind] is None:
            continue  # a view this model's admin does not have
        _post = _kinds.get(f"{_kind} POST")
        POLICY[f"admin:{_app}_{_model}_{_kind}"] = _admin(_kinds[_kind], _post)
    # /admin/<app>/<model>/<id>/ forwards to the change page, for staff only.
    POLICY[f"admin/{_app}/{_model}/<path:object_id>/"] = _admin(to(f"admin:{_app}_{_model}_change"))
for _name, _outcome in ADMIN_EXTRA_VIEWS.items():
    # The import's second step takes only POST, which the secretariat may make.
    POLICY[f"admin:{_name}"] = _admin(_outcome, None if _name.endswith("process_import") else _SAME)
