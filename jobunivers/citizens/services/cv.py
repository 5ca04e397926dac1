"""The citizen's uploaded CV (PDF or DOCX), checked by content, stored outside the web root."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ..models import Citizen, CvDocument
from ._common import _require_owner
from .profile import profile_changed

CV_MAX_BYTES = 5 * 1024 * 1024
CV_PDF = "application/pdf"
CV_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- CV --------------------------------------------------------------------------


def _sniff_cv(head: bytes, data: bytes) -> str | None:
    """The CV's real type from its content, not its name: a PDF header, or a DOCX (a ZIP package
    with a Word main document). Anything else (renamed executables, images, old .doc) is refused."""
    if head.startswith(b"%PDF-"):
        return CV_PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return CV_DOCX
    return None


def cv_directory() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "cv"


def cv_upload(*, actor, citizen: Citizen, uploaded_file) -> CvDocument:
    """Store a CV privately (replacing any earlier one). Type and size are checked on the content."""
    _require_owner(actor, citizen)
    name = Path(getattr(uploaded_file, "name", "") or "cv").name[:200]
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > CV_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than %(mb)s MB.") % {"mb": CV_MAX_BYTES // (1024 * 1024)}]})
    data = uploaded_file.read(CV_MAX_BYTES + 1)
    if len(data) > CV_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than %(mb)s MB.") % {"mb": CV_MAX_BYTES // (1024 * 1024)}]})
    if not data:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    content_type = _sniff_cv(data[:8], data)
    if content_type is None:
        raise ValidationFailed({"file": [_("The CV must be a PDF or a Word document (DOCX).")]})
    extension = ".pdf" if content_type == CV_PDF else ".docx"
    if not name.lower().endswith(extension):
        name = Path(name).stem[:190] + extension
    directory = cv_directory()
    directory.mkdir(parents=True, exist_ok=True)
    storage_name = f"{uuid.uuid4().hex}{extension}"
    path = directory / storage_name
    # Write to a temporary name and rename, so a half-written file is never served.
    temporary = directory / f".{storage_name}.part"
    temporary.write_bytes(data)
    temporary.replace(path)
    old_path = None
    try:
        with transaction.atomic():
            old = CvDocument.all_tenants.select_for_update().filter(citizen=citizen).first()
            if old is not None:
                old_path = directory / old.storage_name
                old.delete()
            document = CvDocument.all_tenants.create(
                citizen=citizen, municipality_id=citizen.municipality_id, storage_name=storage_name,
                original_name=name, content_type=content_type, size_bytes=len(data),
            )
            profile_changed(citizen)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    if old_path is not None:
        transaction.on_commit(lambda: old_path.unlink(missing_ok=True))
    return document


def cv_delete(*, actor, citizen: Citizen) -> None:
    _require_owner(actor, citizen)
    document = CvDocument.all_tenants.filter(citizen=citizen).first()
    if document is None:
        return
    path = cv_directory() / document.storage_name
    with transaction.atomic():
        document.delete()
        profile_changed(citizen)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


