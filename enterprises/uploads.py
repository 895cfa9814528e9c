"""What the portal accepts as an uploaded document: PDF, DOCX, XLSX, PNG and JPEG, recognised by their content
(magic numbers, and for the Office formats the parts inside the zip), never by the file's name."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extension: str
    other_extensions: tuple[str, ...] = ()

    def names(self, filename: str) -> str:
        """`filename` with the extension of this kind: a DOCX sent as "plan.html" is "plan.docx" (a file is stored
        and offered by what it is, never by what its name claims). A right extension stays as it was written."""
        path = PurePath(filename or "")
        stem = path.stem if path.suffix else path.name
        if path.suffix.lower() in (self.extension, *self.other_extensions):
            return path.name
        return f"{stem or self.code}{self.extension}"


PDF = FileKind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = FileKind(
    "docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileKind("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PNG = FileKind("png", "PNG", "image/png", ".png")
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", ".jpg", (".jpeg",))
KINDS = {kind.code: kind for kind in (PDF, DOCX, XLSX, PNG, JPEG)}
KIND_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS.values()}
ACCEPTED_LABELS = "PDF、DOCX、XLSX、PNG、JPG"


def _office_kind(upload: UploadedFile) -> FileKind | None:
    """A DOCX or XLSX is a zip holding [Content_Types].xml and its main part."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload: UploadedFile) -> FileKind | None:
    """The kind of file this is, judged by its bytes; None when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def check_upload(upload: UploadedFile, *, accept: tuple[FileKind, ...] | None = None) -> FileKind:
    """The upload's kind, or a ValidationError saying what is wrong with it (in the user's language)."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": upload.name}, code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = sniff(upload)
    allowed = accept or tuple(KINDS.values())
    if kind is None or kind not in allowed:
        labels = "、".join(k.label for k in allowed) if accept else ACCEPTED_LABELS
        raise ValidationError(
            _("The file “%(name)s” is not a %(kinds)s file (judged by its content, not its name).")
            % {"name": upload.name, "kinds": labels},
            code="file_type",
        )
    return kind


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def download_name(filename: str, content_type: str) -> str:
    """The name a stored file is offered under: its name with the extension of the type judged at upload."""
    kind = KIND_BY_CONTENT_TYPE.get(content_type)
    return kind.names(filename) if kind is not None else filename
