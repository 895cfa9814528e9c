"""Staff export the roster, download the import template, upload it filled in with one bad row, read why the row is
refused, upload the corrected file and confirm it; the new tenants are then on the roster."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import Role
from enterprises.models import Enterprise
from incubation.models import Residency
from incubation.tests.import_files import OTHER_USCC, VALID_USCC, fill_template, tenant_row
from incubation.tests.test_pages_and_api import make_tenants
from parks.models import Carrier
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_export_the_roster_and_import_tenants(page, live_server, users, tmp_path: Path, screenshot):
    operator = users[Role.OPERATOR]
    make_tenants(operator, Carrier.objects.get(code="big-data"), 3)
    today = timezone.localdate().isoformat()

    sign_in(page, live_server, operator.username)
    page.goto(f"{live_server.url}/incubation/tenants/?sort=-enterprise")
    screenshot("40-tenant-roster-with-export")
    with page.expect_download() as download:
        page.click("#roster-actions >> text=导出 Excel")
    assert download.value.suggested_filename == f"在孵企业名册-{today}.xlsx"
    with page.expect_download() as download:
        page.click("#roster-actions >> text=导出 CSV")
    assert download.value.suggested_filename == f"在孵企业名册-{today}.csv"
    assert Path(download.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")

    page.click("#roster-actions >> text=批量导入在孵企业")
    page.wait_for_selector("#download-template")
    screenshot("41-tenant-import-upload")
    with page.expect_download() as download:
        page.click("#download-template")
    template = Path(download.value.path()).read_bytes()

    good = tenant_row(name="淄博云翔数据科技有限公司", uscc=VALID_USCC)
    bad = tenant_row(name="齐智汇算法团队", uscc=OTHER_USCC[:17] + "B", carrier="临淄区齐智汇科技孵化中心",
                     stage="创业苗圃", industry_field="大数据")  # fmt: skip
    first = tmp_path / "在孵企业-有错.xlsx"
    first.write_bytes(fill_template(template, [good, bad]))
    page.set_input_files("input[name=file]", str(first))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-rows")
    explanation = page.locator("tr[data-line='3']").inner_text()
    assert "校验码" in explanation, explanation
    assert page.locator("#import-summary button", has_text="确认导入").is_disabled()
    screenshot("42-tenant-import-preview-with-error")
    assert not Enterprise.objects.filter(uscc=VALID_USCC).exists(), "the preview wrote nothing"

    page.click("text=上传修改后的文件")
    fixed = tmp_path / "在孵企业-已修改.xlsx"
    fixed.write_bytes(fill_template(template, [good, {**bad, "uscc": OTHER_USCC}]))
    page.set_input_files("input[name=file]", str(fixed))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#confirm-import")
    screenshot("43-tenant-import-preview-ready")
    page.click("#confirm-import")
    page.wait_for_selector(".alert-success")
    assert page.get_by_text("导入已完成").is_visible()
    screenshot("44-tenant-import-applied")

    residency = Residency.objects.get(enterprise__uscc=OTHER_USCC)
    assert (residency.carrier.code, residency.stage, residency.started_on) == ("qizhihui", "seedbed", date(2024, 3, 1))
    page.goto(f"{live_server.url}/incubation/tenants/")
    assert page.get_by_text("淄博云翔数据科技有限公司").is_visible()
