"""A workflow's moves as API commands, made from its declaration (accounts.workflows): one POST action per move, named
as in the table (`/<id>/<move-name>/`), taking the message the move takes under the field name the move declares,
each in the OpenAPI schema with its own request body. Adding a move to a table adds it to the API and the schema.

    @workflow_commands(APPLICATION_WORKFLOW, response=ApplicationSerializer)
    class ApplicationViewSet(...):
        def perform_move(self, move: Move, message: str) -> Model: ...
"""

from __future__ import annotations

import keyword
from collections.abc import Callable

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
        message = ""
        if body is not None:
            given = body(data=request.data)
            given.is_valid(raise_exception=True)
            message = given.validated_data[move.message_field]
        result = self.perform_move(move, message)
        return Response(self.move_response(result), status=code)

    command.__name__ = command_name(move)
    command.__doc__ = f"{move.summary or move.name}: the `{move.name}` move of the workflow table."
    described = extend_schema(request=body, responses={code: response}, summary=move.summary or move.name)
    url = move.name.replace("_", "-")
    return described(action(detail=True, methods=["post"], url_path=url, url_name=url)(command))


def workflow_commands(workflow: Workflow, *, response: type[serializers.Serializer]):
    """A class decorator for a viewset: one command per move of `workflow`, each needing the workflow's scope
    action on the object (added to `policy_actions`). The viewset supplies `perform_move(move, message)`, which
    calls the service, and `move_response(result)`, the serialized answer; a move that makes a new object (a new
    version) answers 201, the others 200."""

    def decorate(viewset):
        policy = dict(getattr(viewset, "policy_actions", {}) or {})
        for move in workflow.moves.values():
            code = status.HTTP_201_CREATED if move.creates else status.HTTP_200_OK
            setattr(viewset, command_name(move), _command(move, message_serializer(workflow, move), response, code))
            policy[command_name(move)] = workflow.scope_action
        viewset.policy_actions = policy
        return viewset

    return decorate
