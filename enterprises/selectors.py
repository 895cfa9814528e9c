"""Reads of enterprises: a bounded number of queries whatever the number of enterprises and records."""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.models import (
    Document,
    Enterprise,
    FinancingEvent,
    Honour,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from enterprises.uscc import normalise_uscc

_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _total(queryset: QuerySet, field: str, output_field):
    summed = queryset.order_by().annotate(_g=Value(1)).values("_g").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=output_field), Value(0), output_field=output_field)


def enterprise_list(*, user, action: str = "view", today: datetime.date | None = None) -> QuerySet[Enterprise]:
    """The enterprises `user` may `action`, each with: the latest 科技型中小企业 year, whether it holds a valid HTE
    certificate today, total financing (万元) and team size."""
    today = today or timezone.localdate()
    return (
        Enterprise.objects.for_user(user, action)
        .select_related("industry_field")
        .annotate(
            latest_tech_sme_year=Subquery(
                TechSMERegistration.objects.filter(enterprise=OuterRef("pk")).order_by("-year").values("year")[:1],
                output_field=IntegerField(),
            ),
            has_valid_hte=Exists(
                HTECertificate.objects.filter(enterprise=OuterRef("pk"), issued_on__lte=today, expires_on__gt=today)
            ),
            financing_total=_total(FinancingEvent.objects.filter(enterprise=OuterRef("pk")), "amount", _MONEY),
            team_size=Coalesce(
                Subquery(
                    TeamMember.objects.filter(enterprise=OuterRef("pk"))
                    .order_by()
                    .annotate(_g=Value(1))
                    .values("_g")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )


def search_enterprises(queryset: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """Fuzzy search by name or USCC: any part of the name (works for Chinese), the code's prefix, or a name
    similar by trigrams (pg_trgm: catches typos in Latin-letter names), the closest first."""
    text = text.strip()
    if not text:
        return queryset
    return (
        queryset.annotate(similarity=TrigramWordSimilarity(text, "name"))
        .filter(Q(name__icontains=text) | Q(uscc__startswith=normalise_uscc(text)) | Q(similarity__gte=0.3))
        .order_by("-similarity", "name", "id")
    )


EVIDENCE = Prefetch("evidence", queryset=Document.objects.order_by("uploaded_at", "id"))


def enterprise_detail(*, user, pk: int) -> Enterprise:
    """One enterprise with everything its page shows (Enterprise.DoesNotExist if `user` may not see it)."""
    return (
        enterprise_list(user=user)
        .prefetch_related(
            Prefetch("team_members", queryset=TeamMember.objects.order_by("-is_founder", "id")),
            Prefetch(
                "tech_sme_registrations",
                queryset=TechSMERegistration.objects.order_by("-year").prefetch_related(EVIDENCE),
            ),
            Prefetch(
                "hte_certificates", queryset=HTECertificate.objects.order_by("-issued_on").prefetch_related(EVIDENCE)
            ),
            Prefetch("honours", queryset=Honour.objects.order_by("-year", "id").prefetch_related(EVIDENCE)),
            Prefetch("financing_events", queryset=FinancingEvent.objects.order_by("-occurred_on", "id")),
            Prefetch("memberships__user"),
        )
        .get(pk=pk)
    )


__all__ = ["enterprise_detail", "enterprise_list", "search_enterprises"]
