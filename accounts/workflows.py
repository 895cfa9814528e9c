"""The workflow engine: a workflow is declared as data (its states, its moves, who may make each, what each needs and
what it causes), and one service skeleton performs any move of any workflow. The declarations live beside their
models: incubation.workflow (applications), incubation.residency_workflow (promote, transfer, graduate, exit) and
enterprises.report_workflow (operating reports). Hypha's funds/workflows is the model: one engine, many definitions.

A move is made in one transaction, always in this order:

    lock the row → role → object scope → party → source state → message → preconditions
      → transition (the move's effects) → timeline → audit → announce (notices are mailed after commit)

and `offers()` answers "which moves may this user make on this object" for the pages and the API alike, with the
unmet preconditions the page explains instead of offering the move.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import ensure_allowed
from accounts.audit import record
from accounts.models import AuditAction, User
from accounts.phrasebook import Phrase
from accounts.roles import Role, roles_of
from accounts.services import notify


@dataclasses.dataclass(frozen=True)
class Party:
    """Who a move is for, beyond the role: the applicant (a member of the applying enterprise), the filer (the
    enterprise's own users or the operating company), the carrier's staff (staff who may change the object)."""

    name: str
    includes: Callable[[Any, Any], bool]  # (user, the object)
    refusal: Promise = _("You do not have permission to do this.")


@dataclasses.dataclass
class Context:
    """What a move is made with: the actor, the move, the message, the state it left, and the move's own
    parameters (a date, a stage, a carrier …). Effects may leave what they made in `made`."""

    by: User
    move: Move
    message: str
    before: str
    params: dict[str, Any]
    now: datetime.datetime
    made: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Precondition:
    """A named check of a move, with the words a user reads when it fails. `holds(obj, context)` says whether it
    is met; `problems(obj, context)` may name every problem by field instead of the one message (e.g. an
    incomplete form). `message` may use %(name)s placeholders filled by `values(obj, context)`. `previewed`: the
    page checks it before offering the move (and shows the move disabled with the message while unmet); checks
    that need the move's own input (a date) are judged only when the move is made."""

    name: str
    message: Promise
    # Each is called as (the object, the Context); a previewed check is called with None for the context (the
    # page asks before any move is made), so only checks with previewed=False may rely on it.
    holds: Callable[[Any, Any], bool]
    field: str | None = None
    values: Callable[[Any, Any], Mapping[str, Any]] | None = None
    problems: Callable[[Any, Any], Mapping[str, list[str]]] | None = None
    previewed: bool = True

    def explain(self, obj, context: Context | None = None) -> str:
        message = str(self.message)
        return message % dict(self.values(obj, context)) if self.values else message

    def ensure(self, obj, context: Context) -> None:
        if self.problems is not None:
            problems = self.problems(obj, context)
            if problems:
                raise ValidationError(dict(problems))
            return
        if not self.holds(obj, context):
            message = self.explain(obj, context)
            raise ValidationError({self.field: message} if self.field else message)


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    action: str
    obj: models.Model
    changes: dict[str, list]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a transition made: the object the caller gets back and the audit rows to write."""

    result: models.Model
    audit: tuple[AuditEntry, ...]


# An effect changes the object before it is saved and returns the changes to audit (field -> [before, after]).
Effect = Callable[[Any, Context], Mapping[str, list]]
# A transition replaces the plain "set the state and save" (a correction makes a new version; a promotion closes
# one residency and opens the next).
TransitionFn = Callable[[Any, Context], Outcome]


@dataclasses.dataclass(frozen=True)
class Move:
    """One allowed move: from any of `sources` to `target`, by a user holding one of `roles` who is of `party`."""

    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    party: Party
    needs_message: bool = False
    message_label: Promise | None = None
    message_field: str = "message"  # how the form and the API name the message (a reason, a comment, a note)
    missing_message: Promise | None = None  # what is said when a required message is missing
    preconditions: tuple[Precondition, ...] = ()
    effects: tuple[Effect, ...] = ()
    transition: TransitionFn | None = None
    tells: tuple[str, ...] = ()  # the audiences told after the move (names of the workflow's audiences)
    creates: bool = False  # the move makes a new object (a new version) rather than changing this one
    style: str = "primary"  # how the page shows the button: primary, secondary, success, danger
    summary: str = ""  # the API command's one line in the OpenAPI schema

    @property
    def missing_message_error(self) -> str:
        """What a user is told when the required message is missing, naming the field they see."""
        if self.missing_message is not None:
            return str(self.missing_message)
        label = self.message_label or _("message")
        return gettext("“%(field)s” is required.") % {"field": label}

    @property
    def takes_message(self) -> bool:
        return self.needs_message or self.message_label is not None


@dataclasses.dataclass(frozen=True)
class Notice:
    """What an audience is told: the portal's words as phrases (each reader reads them in their language), or the
    words someone wrote, as text."""

    subject: Phrase | str
    body: Phrase | str
    link: str


@dataclasses.dataclass(frozen=True)
class Audience:
    """Who is told after a move, and what: `recipients(obj, context)` the users, `notice(obj, context)` the words."""

    recipients: Callable[[Any, Context], Iterable[User]]
    notice: Callable[[Any, Context], Notice]


@dataclasses.dataclass(frozen=True)
class Workflow:
    """A workflow as data. `state_of` reads an object's state; `lock` loads it again under a row lock (and its
    parents first, in the house's lock order); `moved_on` is the refusal when the object is no longer in a source
    state (someone acted a moment ago); `timeline` writes the move into the object's history, if it keeps one."""

    name: str
    model: type[models.Model]
    states: type[models.TextChoices]
    moves: dict[str, Move]
    lock: Callable[[Any], Any]
    moved_on: Callable[[Any, Move], str]
    state_field: str | None = "status"
    state_of: Callable[[Any], str] | None = None
    scope_action: str = "change"
    audit_message: bool = True  # the move's message is kept in the audit row too
    timeline: Callable[[Any, Context], None] | None = None
    save: Callable[[Any], None] | None = None  # how the object is saved, when not plainly (constraints in words)
    audiences: Mapping[str, Audience] = dataclasses.field(default_factory=dict)

    def state(self, obj) -> str:
        return self.state_of(obj) if self.state_of else getattr(obj, self.state_attribute)

    @property
    def state_attribute(self) -> str:
        """The model field holding the state, for a workflow whose moves set it (set_state)."""
        if self.state_field is None:
            raise TypeError(f"The workflow on {self.model.__name__} keeps no state field.")
        return self.state_field

    def move(self, name: str) -> Move:
        chosen = self.moves.get(name)
        if chosen is None:
            raise ValidationError(gettext("Unknown action."))
        return chosen

    def moves_from(self, state: str) -> list[Move]:
        return [move for move in self.moves.values() if state in move.sources]


def declare(*moves: Move) -> dict[str, Move]:
    """The moves of a workflow by name, in the order declared (the order the page shows them in)."""
    return {move.name: move for move in moves}


def may_by_role(move: Move, user) -> bool:
    """Whether the user's role may ever make this move (the page answers 403 before anything else otherwise)."""
    return bool(roles_of(user) & move.roles)


def set_state(workflow: Workflow, obj, context: Context) -> Outcome:
    """The plain transition: set the target state, apply the move's effects, save, and audit the change."""
    setattr(obj, workflow.state_attribute, context.move.target)
    changes: dict[str, list] = {workflow.state_attribute: [context.before, context.move.target]}
    for effect in context.move.effects:
        changes.update(effect(obj, context))
    if workflow.save is not None:
        workflow.save(obj)
    else:
        obj.save()
    if workflow.audit_message and context.message:
        changes["message"] = [None, context.message]
    return Outcome(result=obj, audit=(AuditEntry(AuditAction.UPDATE, obj, changes),))


def perform(workflow: Workflow, *, obj, move: str, by, message: str = "", **params: Any):
    """Make one move of `workflow` on `obj`, on the locked row: of two people acting at once, one moves it and the
    other is told it has moved on. Refusals raise PermissionDenied (role, scope, party) or ValidationError (state,
    message, preconditions) and change nothing. Returns what the move made (the object, or a new version)."""
    chosen = workflow.move(move)
    message = (message or "").strip()
    with transaction.atomic():
        obj = workflow.lock(obj)
        if not may_by_role(chosen, by):
            raise PermissionDenied(gettext("You do not have permission to do this."))
        ensure_allowed(by, workflow.scope_action, obj)
        if not chosen.party.includes(by, obj):
            raise PermissionDenied(str(chosen.party.refusal))
        before = workflow.state(obj)
        if before not in chosen.sources:
            raise ValidationError(workflow.moved_on(obj, chosen))
        if chosen.needs_message and not message:
            raise ValidationError({chosen.message_field: chosen.missing_message_error})
        context = Context(by=by, move=chosen, message=message, before=before, params=params, now=timezone.now())
        for precondition in chosen.preconditions:
            precondition.ensure(obj, context)
        outcome = (chosen.transition or (lambda o, c: set_state(workflow, o, c)))(obj, context)
        if workflow.timeline is not None:
            workflow.timeline(outcome.result, context)
        for entry in outcome.audit:
            record(actor=by, action=entry.action, obj=entry.obj, changes=entry.changes)
        for name in chosen.tells:
            audience = workflow.audiences[name]
            notice = audience.notice(outcome.result, context)
            notify(recipients=audience.recipients(outcome.result, context), subject=notice.subject,
                   body=notice.body, link=notice.link, by=by)  # fmt: skip
    return outcome.result


@dataclasses.dataclass(frozen=True)
class Offer:
    """A move the user may make now, and the previewed preconditions still unmet (the page shows the move
    disabled, with these messages, until they are met)."""

    move: Move
    unmet: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.move.name

    @property
    def label(self) -> Promise:
        return self.move.label

    @property
    def style(self) -> str:
        return self.move.style

    @property
    def needs_message(self) -> bool:
        return self.move.needs_message

    @property
    def available(self) -> bool:
        return not self.unmet


# The main move first, the refusals last.
_STYLE_ORDER = {"primary": 0, "success": 0, "secondary": 1, "danger": 2}


def offers(
    workflow: Workflow, *, user, obj, may_change: bool | None = None, check_preconditions: bool = False
) -> list[Offer]:
    """The moves `user` may make on `obj` now, by role, object scope, party and state, the main move first. The
    page and the API both ask this. `may_change` may be passed when already known (the API annotates a whole page
    at once); otherwise it costs one query. With `check_preconditions` (a page about one object) each offer
    carries its unmet previewed preconditions (the page shows such a move disabled, not as its main action)."""
    if not roles_of(user):
        return []
    if may_change is None:
        restricted: Any = workflow.model._default_manager.all()  # every workflow model's queryset has for_user
        may_change = restricted.for_user(user, workflow.scope_action).filter(pk=obj.pk).exists()
    if not may_change:
        return []
    found = []
    for move in workflow.moves_from(workflow.state(obj)):
        if not may_by_role(move, user) or not move.party.includes(user, obj):
            continue
        unmet: tuple[str, ...] = ()
        if check_preconditions:
            unmet = tuple(p.explain(obj) for p in move.preconditions if p.previewed and not p.holds(obj, None))
        found.append(Offer(move=move, unmet=unmet))
    return sorted(found, key=lambda offer: _STYLE_ORDER.get(offer.style, 1))
