"""Evidence files on qualifications: uploaded through the enterprise page or the API, checked by content, served
only to who may see the enterprise, and removable by who may edit it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from enterprises.models import Document
from enterprises.tests.factories import EnterpriseMembershipFactory, HTECertificateFactory
from incubation.tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(users):
    membership = EnterpriseMembershipFactory(user=users[Role.ENTERPRISE])
    return HTECertificateFactory(enterprise=membership.enterprise)


@pytest.fixture
def other():
    return HTECertificateFactory(enterprise=EnterpriseMembershipFactory().enterprise)


def _upload_url(certificate):
    return reverse("enterprises:evidence_add", args=[certificate.enterprise_id, "hte", certificate.pk])


def test_the_enterprise_user_uploads_evidence_and_sees_it_on_the_page(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(
        _upload_url(own), {"title": "高企证书扫描件", "file": SimpleUploadedFile("scan.png", PNG_BYTES)}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.hte_certificate == own and document.content_type == "image/png"
    page = client.get(reverse("enterprises:enterprise_detail", args=[own.enterprise_id])).content.decode()
    assert "高企证书扫描件" in page and reverse("enterprises:document_download", args=[document.pk]) in page


def test_a_file_that_is_not_what_it_claims_is_refused_with_a_chinese_message(client_for, users, own):
    response = client_for(users[Role.ENTERPRISE]).post(
        _upload_url(own), {"title": "", "file": SimpleUploadedFile("scan.pdf", b"#!/bin/sh\nrm -rf /\n")}
    )
    assert response.status_code == 200
    assert "根据文件内容判断" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("role", "own_outcome", "other_outcome"),
    [
        (Role.ENTERPRISE, 302, 404),
        (Role.OPERATOR, 302, 302),
        (Role.BUREAU, 403, 403),
        (Role.EXPERT, 403, 403),
        (Role.PARK_STAFF, 403, 403),  # enterprises keep their own records; the operating company helps
    ],
)
def test_who_may_upload_evidence(client_for, users, own, other, role, own_outcome, other_outcome):
    client = client_for(users[role])
    for certificate, outcome in ((own, own_outcome), (other, other_outcome)):
        response = client.post(_upload_url(certificate), {"title": "", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
        assert response.status_code == outcome


def test_evidence_through_the_api_and_deleting_it(client_for, users, own, other):
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(
        "/api/v1/documents/evidence/", {"hte_certificate": own.pk, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["download"].endswith(f"/documents/{body['id']}/")
    refused = client.post(
        "/api/v1/documents/evidence/", {"hte_certificate": other.pk, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert refused.status_code == 404
    both = client.post(
        "/api/v1/documents/evidence/",
        {"hte_certificate": own.pk, "honour": 1, "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    assert both.status_code == 400
    assert client.delete(f"/api/v1/documents/{body['id']}/").status_code == 204
    assert not Document.objects.exists()
    assert client_for(users[Role.BUREAU]).get("/api/v1/documents/").status_code == 200


# --- Files are named by what they are, not by the extension they were sent with ------------------------------------


@pytest.mark.parametrize(
    ("sent_as", "content", "stored_suffix", "offered_as"),
    [
        ("plan.html", "docx", ".docx", "plan.docx"),
        ("扫描件.PDF.exe", "pdf", ".pdf", "扫描件.PDF.pdf"),
        ("photo.jpeg", "jpeg", ".jpeg", "photo.jpeg"),
        ("noextension", "png", ".png", "noextension.png"),
        ("Report.XLSX", "xlsx", ".xlsx", "Report.XLSX"),
    ],
)
def test_a_stored_file_and_its_download_are_named_by_the_detected_type(
    client_for, users, own, sent_as, content, stored_suffix, offered_as
):
    from urllib.parse import quote

    from incubation.tests.factories import office_bytes

    payload = {
        "docx": office_bytes("word/document.xml"),
        "xlsx": office_bytes("xl/workbook.xml"),
        "pdf": PDF_BYTES,
        "png": PNG_BYTES,
        "jpeg": b"\xff\xd8\xff\xe0" + b"\0" * 32,
    }[content]
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(_upload_url(own), {"title": "材料", "file": SimpleUploadedFile(sent_as, payload)})
    assert response.status_code == 302

    document = Document.objects.get()
    assert document.file.name.endswith(stored_suffix)
    assert document.original_name == offered_as
    download = client.get(reverse("enterprises:document_download", args=[document.pk]))
    disposition = download["Content-Disposition"]
    assert offered_as in disposition or quote(offered_as) in disposition
    assert ".html" not in disposition and ".exe" not in disposition


def test_a_document_stored_before_under_a_wrong_extension_is_offered_by_its_type(client_for, users, own):
    from django.core.files.base import ContentFile

    from incubation.tests.factories import office_bytes

    document = Document(
        enterprise=own.enterprise, title="旧材料", original_name="plan.html", size=10, sha256="0" * 64,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip
    document.file.save("plan.html", ContentFile(office_bytes("word/document.xml")), save=True)

    download = client_for(users[Role.ENTERPRISE]).get(reverse("enterprises:document_download", args=[document.pk]))

    assert 'filename="plan.docx"' in download["Content-Disposition"]


def test_a_listing_carries_its_evidence_on_the_page_and_through_the_api(client_for, users):
    from rest_framework.test import APIClient

    from enterprises.tests.factories import CorporateEventFactory

    membership = EnterpriseMembershipFactory(user=users[Role.ENTERPRISE])
    listing = CorporateEventFactory(enterprise=membership.enterprise)
    foreign = CorporateEventFactory(enterprise=EnterpriseMembershipFactory().enterprise)
    client = client_for(users[Role.ENTERPRISE])
    url = reverse("enterprises:evidence_add", args=[listing.enterprise_id, "corporate-events", listing.pk])
    assert (
        client.post(url, {"title": "挂牌公告", "file": SimpleUploadedFile("notice.pdf", PDF_BYTES)}).status_code == 302
    )
    document = Document.objects.get()
    assert document.corporate_event == listing and document.evidence_of == listing
    page = client.get(reverse("enterprises:enterprise_detail", args=[listing.enterprise_id])).content.decode()
    assert "挂牌公告" in page
    other_url = reverse("enterprises:evidence_add", args=[foreign.enterprise_id, "corporate-events", foreign.pk])
    assert client.post(other_url, {"file": SimpleUploadedFile("x.pdf", PDF_BYTES)}).status_code == 404

    api = APIClient()
    api.force_authenticate(users[Role.ENTERPRISE])
    response = api.post("/api/v1/documents/evidence/",
                        {"corporate_event": listing.pk, "file": SimpleUploadedFile("b.pdf", PDF_BYTES)})  # fmt: skip
    assert response.status_code == 201 and response.json()["corporate_event"] == listing.pk
    refused = api.post("/api/v1/documents/evidence/",
                       {"corporate_event": foreign.pk, "file": SimpleUploadedFile("c.pdf", PDF_BYTES)})  # fmt: skip
    assert refused.status_code == 404
    assert Document.objects.count() == 2
