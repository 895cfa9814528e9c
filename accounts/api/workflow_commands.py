"""A workflow's moves as API commands, made from its declaration (accounts.workflows): one POST action per move, named
as in the table (`/<id>/<move-name>/`), taking the message the move takes under the field name the move declares,
each in the OpenAPI schema with its own request body. Adding a move to a table adds it to the API and the schema.
A move that takes parameters besides its message (a date, a stage, a carrier) names its request body in `bodies`.

    @workflow_commands(APPLICATION_WORKFLOW, response=ApplicationSerializer)
    class ApplicationViewSet(...):
        def perform_move(self, move: Move, message: str, **params) -> Model: ...
        def move_response(self, move: Move, result: Model) -> dict: ...
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.workflows import Move, Workflow


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def command_name(move: Move) -> str:
    """The viewset method (and policy action) of a move: its name, `return_` for a Python keyword."""
    return f"{move.name}_" if keyword.iskeyword(move.name) else move.name


def message_serializer(workflow: Workflow, move: Move) -> type[serializers.Serializer] | None:
    """The request body of a move that takes a message: one field, named as the move names it; None otherwise."""
    if not move.takes_message:
        return None
    label = str(move.message_label or "")
    field = (
        serializers.CharField(help_text=label)
        if move.needs_message
        else serializers.CharField(required=False, allow_blank=True, default="", help_text=label)
    )
    return type(f"{_camel(workflow.name)}{_camel(move.name)}Serializer", (serializers.Serializer,),
                {move.message_field: field})  # fmt: skip


def _command(move: Move, body: type[serializers.Serializer] | None, response, code: int) -> Callable:
    def command(self, request, pk=None):
        params: dict = {}
        if body is not None:
            given = body(data=request.data)
            given.is_valid(raise_exception=True)
            params = dict(given.validated_data)
        message = params.pop(move.message_field, "") if move.takes_message else ""
        result = self.perform_move(move, message, **params)
        return Response(self.move_response(move, result), status=code)

    command.__name__ = command_name(move)
    command.__doc__ = f"{move.summary or move.name}: the `{move.name}` move of the workflow table."
    described = extend_schema(request=body, responses={code: response}, summary=move.summary or move.name)
    url = move.name.replace("_", "-")
    return described(action(detail=True, methods=["post"], url_path=url, url_name=url)(command))


def workflow_commands(
    workflow: Workflow,
    *,
    response: type[serializers.Serializer],
    bodies: Mapping[str, type[serializers.Serializer]] | None = None,
    responses: Mapping[str, tuple[type[serializers.Serializer], int]] | None = None,
):
    """A class decorator for a viewset: one command per move of `workflow`, each needing the workflow's scope
    action on the object (added to `policy_actions`). The viewset supplies `perform_move(move, message, **params)`,
    which calls the service, and `move_response(move, result)`, the serialized answer. A move's request body is its
    message (message_serializer), or `bodies[move]` when it takes parameters too (that serializer then holds the
    message under the move's message field). A move answers `response`, 201 when it makes a new object (a new
    version) and 200 otherwise, unless `responses[move]` names another (serializer, status)."""
    bodies = bodies or {}
    responses = responses or {}
    unknown = (set(bodies) | set(responses)) - set(workflow.moves)
    if unknown:
        raise ValueError(f"The {workflow.name} workflow has no move {', '.join(sorted(unknown))}.")

    def decorate(viewset):
        policy = dict(getattr(viewset, "policy_actions", {}) or {})
        for move in workflow.moves.values():
            code = status.HTTP_201_CREATED if move.creates else status.HTTP_200_OK
            answer, code = responses.get(move.name, (response, code))
            body = bodies.get(move.name) or message_serializer(workflow, move)
            setattr(viewset, command_name(move), _command(move, body, answer, code))
            policy[command_name(move)] = workflow.scope_action
        viewset.policy_actions = policy
        return viewset

    return decorate
