"""The OpenAPI schema says what every operation answers, errors too: a 400 with the fields' messages where the
request carries data or query parameters, a 403 (not signed in, or the role may not) and a 404 (no such row in the
user's scope) everywhere; their bodies are JSON (accounts.api.exceptions)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the user's language.")


VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The request's fields (or `non_field_errors`) with their messages."
)
ERRORS = {
    "400": VALIDATION_ERROR,
    "403": OpenApiResponse(ErrorSerializer, description="Not signed in, or the role may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="No such object in the user's scope, or no such page."),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, error in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
