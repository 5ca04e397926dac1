"""Test data for the dialogue app: minimal valid files and a thread made through the service."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def big_upload(name: str, size: int) -> io.BytesIO:
    """A file of `size` bytes that starts like a PDF (the size check must win)."""
    return SimpleUploadedFile(name, PDF + b"0" * (size - len(PDF)), content_type="application/pdf")


def thread_for(citizen, *, subject="Spørgsmål om min plan", text="Hej, kan I hjælpe mig?", **kwargs):
    from jobunivers.dialogue import services

    return services.thread_open(actor=citizen.user, citizen=citizen, subject=subject, text=text, **kwargs)
