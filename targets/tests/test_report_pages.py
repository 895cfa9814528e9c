"""The report run pages and API beyond permissions: bounded queries at two sizes, filters and sorting, the trigger
form's double submit, progress polling that stops when the run is done."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from targets.models import ReportRun
from targets.reporting import services

pytestmark = pytest.mark.django_db


def make_runs(user, n: int, *, year: int = 2022, succeeded: int = 0) -> list[ReportRun]:
    runs = [
        services.trigger_report_run(user=user, year=year, kind="yearly", carrier=None, request_key=f"{year}-{i}")
        for i in range(n)
    ]
    for run in runs[:succeeded]:
        _run, token = services.claim(run_id=run.pk)
        services.succeed(run_id=run.pk, token=token, snapshot={"title": "t", "subtitle": "s"}, html=b"<!DOCTYPE html>",
                         xlsx=b"PK", pdf=b"%PDF")  # fmt: skip
    return runs


@pytest.mark.parametrize("size", [3, 30])
def test_archive_and_api_list_in_bounded_queries(client_for, users, size, django_assert_max_num_queries):
    make_runs(users[Role.BUREAU], size, succeeded=2)
    make_runs(users[Role.OPERATOR], 2, year=2021)
    client = client_for(users[Role.BUREAU])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("targets:report_runs"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(size + 2, 25)
    with django_assert_max_num_queries(8):
        api = client.get(reverse("reportrun-list"))
    assert api.json()["count"] == size + 2


def test_archive_filters_and_sorts(client_for, users):
    make_runs(users[Role.BUREAU], 3, succeeded=1)
    old = make_runs(users[Role.OPERATOR], 1, year=2021)[0]
    client = client_for(users[Role.BUREAU])

    def shown(**query):
        return [run.pk for run in client.get(reverse("targets:report_runs"), query).context["page_obj"].object_list]

    assert shown(year=2021) == [old.pk]
    assert len(shown(status="succeeded")) == 1 and len(shown(status="queued")) == 3
    assert shown(sort="version")[0] in {old.pk, *ReportRun.objects.filter(version=1).values_list("pk", flat=True)}
    assert [ReportRun.objects.get(pk=pk).version for pk in shown(sort="-version", year=2022)] == [3, 2, 1]
    succeeded = ReportRun.objects.get(status="succeeded")
    services.publish(run=succeeded, by=users[Role.BUREAU])
    assert shown(published="true") == [succeeded.pk]
    assert succeeded.pk not in shown(published="false") and len(shown(published="false")) == 3


def test_a_double_submit_of_the_trigger_form_makes_one_run(client_for, users):
    client = client_for(users[Role.OPERATOR])
    data = {"year": 2022, "kind": "yearly", "carrier": "", "request_key": "form-key-1"}
    first = client.post(reverse("targets:report_run_trigger"), data)
    second = client.post(reverse("targets:report_run_trigger"), data)
    run = ReportRun.objects.get()
    assert first["Location"] == second["Location"] == reverse("targets:report_run_detail", args=[run.pk])
    assert run.triggered_by == users[Role.OPERATOR]


def test_the_trigger_form_refuses_a_future_year(client_for, users):
    from django.utils import timezone

    response = client_for(users[Role.BUREAU]).post(
        reverse("targets:report_run_trigger"),
        {"year": timezone.localdate().year + 1, "kind": "yearly", "carrier": "", "request_key": "k"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not ReportRun.objects.exists()


def test_progress_polls_while_active_and_reloads_the_page_when_done(client_for, users):
    queued, done = make_runs(users[Role.BUREAU], 2, succeeded=0)
    _run, token = services.claim(run_id=done.pk)
    services.record_progress(run_id=done.pk, token=token, percent=40, step="正在计算")
    client = client_for(users[Role.BUREAU])

    page = client.get(reverse("targets:report_run_detail", args=[done.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "40%" in page and "正在计算" in page
    partial = client.get(reverse("targets:report_run_status", args=[done.pk]), headers={"HX-Request": "true"})
    assert "HX-Refresh" not in partial and 'hx-trigger="every 1s"' in partial.content.decode()

    services.succeed(run_id=done.pk, token=token, snapshot={"title": "t", "subtitle": "s"}, html=b"h", xlsx=b"x",
                     pdf=b"p")  # fmt: skip
    partial = client.get(reverse("targets:report_run_status", args=[done.pk]), headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    page = client.get(reverse("targets:report_run_detail", args=[done.pk])).content.decode()
    assert "hx-trigger" not in page and 'id="download-pdf"' in page and 'id="publish-run"' in page
    assert client.get(reverse("targets:report_run_download", args=[queued.pk, "pdf"])).status_code == 404


def test_a_failed_run_shows_its_error(client_for, users):
    run = make_runs(users[Role.BUREAU], 1)[0]
    services.fail(run_id=run.pk, error="ValueError: 计划缺失")
    page = client_for(users[Role.BUREAU]).get(reverse("targets:report_run_detail", args=[run.pk])).content.decode()
    assert 'id="run-error"' in page and "ValueError: 计划缺失" in page and "hx-trigger" not in page
