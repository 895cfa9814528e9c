"""The tenant-import pages and API endpoints, tried by every role and an anonymous visitor, on the visitor's own
import and on another user's; and the web journey: upload, preview, confirm once.

Staff (admin, operator, park staff) import; park staff see only the imports they uploaded (another's: 404). The
bureau, experts and enterprise users get 403 everywhere; anonymous visitors go to the sign-in page (web) or are
refused (API).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from enterprises.models import Enterprise
from incubation.models import Residency, TenantImport, TenantImportStatus
from incubation.tenant_import import tenant_import_preview
from incubation.tests.import_files import tenant_row, xlsx
from tests.matrix import DENIED, EVERYONE, LOGIN, NOT_FOUND, OK, OTHER, OWN, _row, assert_api_refused, assert_page
from tests.matrix import role_id as role_name

pytestmark = pytest.mark.django_db

# fmt: off
#                 anonymous  admin  operator  park staff  bureau  expert  enterprise
STAFF      = _row(LOGIN,     OK,    OK,       OK,         DENIED, DENIED, DENIED)
OTHERS     = _row(LOGIN,     OK,    OK,       NOT_FOUND,  DENIED, DENIED, DENIED)
# fmt: on
ON_IMPORT = {OWN: STAFF, OTHER: OTHERS}


def upload(name: str = "名册.xlsx", rows=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx(rows if rows is not None else [tenant_row()]))


@pytest.fixture
def imports(users):
    """For each role that may import, one import of its own; "other" is an import uploaded by the operator."""
    own = {
        role: tenant_import_preview(by=users[role], file_name=f"{role.value}.xlsx", content=xlsx([tenant_row()]))
        for role in (Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF)
    }
    other = tenant_import_preview(by=users[Role.OPERATOR], file_name="运营公司.xlsx", content=xlsx([tenant_row()]))
    return {OWN: own, OTHER: other}


def import_for(imports, role, where) -> TenantImport:
    if where == OTHER:
        return imports[OTHER]
    return imports[OWN].get(role, imports[OTHER])


@pytest.mark.parametrize("url_name", ["incubation:tenant_import", "incubation:tenant_import_template"])
@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_import_pages(visit, users, url_name, role):
    assert_page(visit(role).get(reverse(url_name)), STAFF[role])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_the_preview_page(visit, imports, role, where):
    record = import_for(imports, role, where)
    assert_page(visit(role).get(reverse("incubation:tenant_import_detail", args=[record.pk])), ON_IMPORT[where][role])


@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_uploading(visit, users, role):
    before = TenantImport.objects.count()
    response = visit(role).post(reverse("incubation:tenant_import"), {"file": upload()})
    if STAFF[role] == OK:
        record = TenantImport.objects.latest("pk")
        assert response.status_code == 302 and response["Location"] == reverse(
            "incubation:tenant_import_detail", args=[record.pk]
        )
        assert record.created_by == users[role]
    else:
        assert_page(response, STAFF[role])
        assert TenantImport.objects.count() == before


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_confirming(visit, imports, role, where):
    record = import_for(imports, role, where)
    outcome = ON_IMPORT[where][role]
    if role is Role.PARK_STAFF and where == OWN:
        outcome = OK  # their own file: a new enterprise is an error for them, so confirming is refused on the page
    response = visit(role).post(reverse("incubation:tenant_import_detail", args=[record.pk]))
    record.refresh_from_db()
    if outcome == OK and role is not Role.PARK_STAFF:
        assert response.status_code == 302
        assert record.status == TenantImportStatus.APPLIED
    elif outcome == OK:
        assert response.status_code == 200 and record.status == TenantImportStatus.DRAFT
        assert response.context["form"].non_field_errors()
    else:
        assert_page(response, outcome)
        assert record.status == TenantImportStatus.DRAFT


# --- API ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_api_upload_previews(visit, users, role):
    response = visit(role).post(reverse("tenantimport-list"), {"file": upload()})
    if STAFF[role] == OK:
        assert response.status_code == 201, response.content.decode()
        assert response.json()["status"] == "draft" and response.json()["rows"][0]["line"] == 2
        assert not Enterprise.objects.exists(), "a preview writes no enterprise"
    else:
        assert_api_refused(response, STAFF[role])
        assert not TenantImport.objects.exists()


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_api_retrieve(visit, imports, role, where):
    record = import_for(imports, role, where)
    response = visit(role).get(reverse("tenantimport-detail", args=[record.pk]))
    if ON_IMPORT[where][role] == OK:
        assert response.status_code == 200 and response.json()["id"] == record.pk
    else:
        assert_api_refused(response, ON_IMPORT[where][role])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_name)
def test_api_confirm(visit, imports, role, where):
    record = import_for(imports, role, where)
    url = reverse("tenantimport-confirm", args=[record.pk])
    outcome = ON_IMPORT[where][role]
    response = visit(role).post(url)
    if outcome != OK:
        assert_api_refused(response, outcome)
    elif role is Role.PARK_STAFF:
        assert response.status_code == 400, "their file's new enterprise is an error: nothing to confirm"
    else:
        assert response.status_code == 200 and response.json()["status"] == "applied"
        again = visit(role).post(url)  # confirming twice applies once
        assert again.status_code == 200 and Enterprise.objects.count() == 1 and Residency.objects.count() == 1


def test_api_upload_refuses_a_file_that_is_not_xlsx(client_for, users):
    response = client_for(users[Role.OPERATOR]).post(
        reverse("tenantimport-list"), {"file": SimpleUploadedFile("名册.csv", b"a,b\n1,2\n")}
    )
    assert response.status_code == 400 and "不是 Excel 工作簿" in response.json()["file"][0]


# --- The web journey -----------------------------------------------------------------------------------------------


def test_upload_shows_the_bad_row_and_blocks_confirmation_then_a_corrected_file_applies(client_for, users):
    client = client_for(users[Role.OPERATOR])
    bad = [tenant_row(), tenant_row(name="坏团队", uscc="", registered_on=None, started_on="明年")]
    response = client.post(reverse("incubation:tenant_import"), {"file": upload(rows=bad)}, follow=True)
    html = response.content.decode()
    assert "“明年”不是日期" in html
    assert "disabled>确认导入" in html, "the confirm button is disabled while a row has an error"
    assert not Enterprise.objects.exists()

    good = [tenant_row(), tenant_row(name="坏团队", uscc="", registered_on=None, started_on="2025-01-01")]
    response = client.post(reverse("incubation:tenant_import"), {"file": upload(rows=good)}, follow=True)
    record = response.context["tenant_import"]
    response = client.post(reverse("incubation:tenant_import_detail", args=[record.pk]), follow=True)
    assert "导入已完成" in response.content.decode()
    assert Enterprise.objects.count() == 2 and Residency.objects.count() == 2
    response = client.post(reverse("incubation:tenant_import_detail", args=[record.pk]), follow=True)
    assert "本次未写入任何数据" in response.content.decode()
    assert Enterprise.objects.count() == 2


def test_upload_of_a_non_xlsx_file_says_so_on_the_form(client_for, users):
    response = client_for(users[Role.OPERATOR]).post(
        reverse("incubation:tenant_import"),
        {"file": SimpleUploadedFile("名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
    )
    assert response.status_code == 200 and ".xls" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("count", [5, 60])
def test_the_preview_page_costs_the_same_queries_whatever_the_rows(
    client_for, users, django_assert_max_num_queries, count
):
    rows = [tenant_row(name=f"团队{n:03d}", uscc="", registered_on=None) for n in range(count)]
    record = tenant_import_preview(by=users[Role.OPERATOR], file_name="x.xlsx", content=xlsx(rows))
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incubation:tenant_import_detail", args=[record.pk]))
    assert response.status_code == 200
