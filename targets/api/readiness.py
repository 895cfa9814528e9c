"""Accreditation readiness through the API: GET /api/v1/carrier-readiness/?year= judges every carrier in the reader's
scope by every accreditation scheme in force, as the page does (targets.selectors.readiness); ?carrier= for one.
Nothing is kept."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.api.viewsets import PolicyAPIView
from parks.choices import AccreditationLevel
from targets.api.evaluations import ResultSerializer, shown_results
from targets.choices import EvaluationOutcome
from targets.selectors.carrier_returns import filing_year
from targets.selectors.readiness import FIRST_YEAR, PAGE, carrier_readiness, carriers_for_readiness, readiness_date


class LevelReadinessSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text="The scheme's code (accreditation_municipal, …)")
    name = serializers.CharField()
    level = serializers.ChoiceField(
        choices=AccreditationLevel.choices, allow_null=True,
        help_text="The level it accredits; null for a scheme shown for reference",
    )  # fmt: skip
    held = serializers.BooleanField(help_text="The carrier holds this level or a higher one")
    version = serializers.IntegerField(allow_null=True, help_text="The version in force; null when none is")
    document_no = serializers.CharField(allow_blank=True)
    is_example = serializers.BooleanField(help_text="An example version, to be confirmed (待确认)")
    outcome = serializers.ChoiceField(choices=EvaluationOutcome.choices, allow_null=True)
    readiness = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True,
        help_text="The share of the conditions the records decide that are met (%)",
    )  # fmt: skip
    gaps = serializers.IntegerField(allow_null=True)
    results = ResultSerializer(many=True)


class CarrierReadinessSerializer(serializers.Serializer):
    carrier = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text="The day the year is judged as of: 31 December, or today for this year")
    held = serializers.ChoiceField(choices=AccreditationLevel.choices)
    next_level = serializers.CharField(allow_null=True, help_text="The scheme of the lowest level not held yet")
    levels = LevelReadinessSerializer(many=True)


def _level(item) -> dict:
    judgement, version = item.judgement, item.judgement.version if item.judgement else None
    return {
        "scheme": item.scheme.code, "name": item.scheme.display_name, "level": item.level, "held": item.held,
        "version": version.version if version else None, "document_no": version.document_no if version else "",
        "is_example": bool(version and version.is_example), "outcome": judgement.outcome if judgement else None,
        "readiness": judgement.readiness if judgement else None, "gaps": judgement.gaps if judgement else None,
        "results": shown_results(judgement.results_json()) if judgement else [],
    }  # fmt: skip


class CarrierReadinessView(PolicyAPIView):
    """Every carrier in the reader's scope (park staff: their own) against every accreditation scheme's version in
    force, on the year's records and verified annual returns: each condition's value, threshold, result, gap in
    words and records."""

    policy_page = PAGE

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: last year)"),
            OpenApiParameter("carrier", OpenApiTypes.INT, description="One carrier's id"),
        ],
        responses=CarrierReadinessSerializer(many=True),
        summary="Accreditation readiness",
    )
    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year") or filing_year(today))
        except ValueError:
            raise ValidationError({"year": "Enter a year."}) from None
        if not FIRST_YEAR <= year <= today.year:
            raise ValidationError({"year": f"Enter a year from {FIRST_YEAR} to {today.year}."})
        carriers = carriers_for_readiness(request.user)
        if request.query_params.get("carrier"):
            carriers = [item for item in carriers if str(item.pk) == request.query_params["carrier"]]
            if not carriers:
                raise NotFound
        rows = carrier_readiness(carriers=carriers, year=year, today=today)
        data = [
            {
                "carrier": row.carrier.pk,
                "code": row.carrier.code,
                "name": row.carrier.display_name,
                "year": year,
                "as_of": readiness_date(year, today),
                "held": row.held,
                "next_level": row.next_level.scheme.code if row.next_level else None,
                "levels": [_level(item) for item in row.levels],
            }  # fmt: skip
            for row in rows
        ]
        return Response(CarrierReadinessSerializer(data, many=True).data)
