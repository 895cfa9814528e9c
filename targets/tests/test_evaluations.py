"""Evaluations kept: one set-based pass for every enterprise, idempotent, history kept; published rule versions and
kept evaluations never change (the database refuses it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import UserFactory
from enterprises.choices import ReportStatus
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.report_factories import report
from targets.choices import EvaluationOutcome
from targets.models import Band, Criterion, Evaluation, SchemeVersion
from targets.services import record_evaluations
from targets.tasks import evaluate_enterprises

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def filer():
    return UserFactory()


def _companies(count: int) -> list[Enterprise]:
    companies = EnterpriseFactory.create_batch(count, registered_on=datetime.date(2021, 3, 1))
    for company in companies:
        report(company, year=2025, status=ReportStatus.VERIFIED, total_assets=Decimal(3000))
    return companies


@pytest.mark.parametrize("count", [3, 30])
def test_every_enterprise_is_judged_in_a_bounded_number_of_queries(count, django_assert_max_num_queries):
    _companies(count)
    with django_assert_max_num_queries(12):
        run = record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON)
    assert run.judged == run.recorded == count
    assert Evaluation.objects.filter(is_current=True).count() == count


def test_a_repeated_run_keeps_nothing_new_and_a_changed_figure_keeps_history():
    (company,) = _companies(1)
    record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON)
    assert record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON).recorded == 0
    first = Evaluation.objects.get(enterprise=company)
    # The report's figures (FIGURES): 12 of 40 tech staff (30 %: 20), R&D 150 / 1,200 (12.5 %: 50), 2 invention
    # patents (30) = 100 points.
    assert first.score == 100
    assert first.outcome == EvaluationOutcome.QUALIFIED
    company.operating_reports.update(total_assets=Decimal(30000))
    assert record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON).recorded == 1
    first.refresh_from_db()
    assert not first.is_current
    latest = Evaluation.objects.get(enterprise=company, is_current=True)
    assert latest.outcome == EvaluationOutcome.NOT_QUALIFIED
    assert first.outcome == EvaluationOutcome.QUALIFIED  # as it was made


def test_the_nightly_task_evaluates_both_schemes():
    _companies(2)
    assert evaluate_enterprises.apply(kwargs={"year": 2026}).get() == {
        "tech_sme_evaluation": 2,
        "hte_recognition": 2,
    }
    assert evaluate_enterprises.apply(kwargs={"year": 2026}).get() == {"tech_sme_evaluation": 0, "hte_recognition": 0}


def test_an_evaluation_keeps_value_threshold_result_and_source():
    (company,) = _companies(1)
    record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON)
    evaluation = Evaluation.objects.get(enterprise=company)
    employees = next(item for item in evaluation.results if item["code"] == "employees")
    assert employees["value"] == "40"
    assert employees["threshold"] == "500"
    assert employees["operator"] == "le"
    assert employees["result"] == "met"
    assert employees["sources"] == [{"kind": "report", "id": company.operating_reports.get().pk, "year": 2025}]
    assert evaluation.version.document_no == "国科发政〔2017〕115号"


def test_the_database_refuses_changes_to_a_published_version():
    version = SchemeVersion.objects.get(scheme__code="tech_sme_evaluation", version=1)
    criterion = version.criteria.get(code="employees")
    band = Band.objects.filter(criterion__version=version).first()
    for write in (
        lambda: SchemeVersion.objects.filter(pk=version.pk).update(title="x"),
        lambda: SchemeVersion.objects.filter(pk=version.pk).delete(),
        lambda: Criterion.objects.filter(pk=criterion.pk).update(threshold=600),
        lambda: Criterion.objects.filter(pk=criterion.pk).delete(),
        lambda: Criterion.objects.create(
            version=version,
            code="extra",
            kind="gate",
            metric="employees",
            operator="le",
            threshold=1,
            unit="count",
            text="x",
        ),
        lambda: Band.objects.filter(pk=band.pk).update(value=99),
        lambda: Band.objects.create(criterion=band.criterion, lower=Decimal("99"), value=1),
    ):
        with pytest.raises(IntegrityError, match="never change"), transaction.atomic():
            write()
    assert Criterion.objects.get(pk=criterion.pk).threshold == 500


def test_the_database_refuses_rewriting_a_kept_evaluation():
    (company,) = _companies(1)
    record_evaluations(scheme="tech_sme_evaluation", year=2026, on=ON)
    evaluation = Evaluation.objects.get(enterprise=company)
    with pytest.raises(IntegrityError, match="kept as it was made"), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(outcome="not_qualified")
    Evaluation.objects.filter(pk=evaluation.pk).update(is_current=False)
    with pytest.raises(IntegrityError, match="kept as it was made"), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(is_current=True)
