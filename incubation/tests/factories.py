"""Applications and the files applicants upload, for tests."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from enterprises.tests.factories import EnterpriseFactory
from incubation.models import Application
from parks.models import Carrier

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office_bytes(main_part: str) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml and its main part (word/… or xl/…)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def pdf_upload(name: str = "商业计划书.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_upload(name: str = "补充材料.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, office_bytes("word/document.xml"), content_type="application/octet-stream")


class ApplicationFactory(DjangoModelFactory):
    """A complete draft (every field submission needs, except the business plan upload)."""

    class Meta:
        model = Application

    enterprise = factory.SubFactory(
        EnterpriseFactory, contact_name="王经理", contact_phone="13905330001", contact_email="wang@example.cn"
    )
    carrier = factory.LazyFunction(lambda: Carrier.objects.get(code="big-data"))
    stage = "incubator"
    created_by = factory.LazyAttribute(
        lambda o: o.enterprise.memberships.first().user if o.enterprise.memberships.exists() else _any_user()
    )
    project_name = "工业互联网数据中台"
    technology = "基于时序数据库的设备数据采集与分析平台，已在两家化工企业试点。"
    intellectual_property = "发明专利申请 2 项，软件著作权 3 项。"
    team = "创始人为山东理工大学博士，核心团队 8 人。"
    market = "面向齐鲁石化周边中小化工企业，目标客户 300 家。"
    finances = "2025 年营收 120 万元，预计 2027 年达到 800 万元。"
    funding_needs = "天使轮融资 500 万元，用于研发与市场拓展。"
    requested_area = 120
    requested_space_type = "office"


def _any_user():
    from accounts.models import User

    return User.objects.order_by("pk").first()
