"""How the API answers errors: always JSON (`{"detail": …}` or the fields' messages), in the user's language, never
the HTML error pages, also when the error happens outside a DRF view (no route: 404, an uncaught error: 500)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


def portal_exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with the same messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail=detail)
    return exception_handler(exc, context)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error_response(error: type[exceptions.APIException]) -> JsonResponse:
    """The JSON answer DRF gives for `error` (its message from DRF's own catalogue, in the active language)."""
    return JsonResponse({"detail": str(error.default_detail)}, status=error.status_code)
