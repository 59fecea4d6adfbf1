"""What the documents routes do: store an upload, ingest it into the key's tenant, list, delete."""

from __future__ import annotations

import shutil
from typing import Any

from fastapi import UploadFile

from api.auth import Principal
from api.documents import DocumentRef, new_document_id, not_found
from api.errors import DocumentNotFound, Forbidden
from api.services import Services
from api.uploads import check_type, copy_upload, safe_filename
from knowledge.errors import DocumentError, SourceNotFound
from knowledge.tenants import SHARED


def _view(ref: DocumentRef, info: Any) -> dict[str, Any]:
    shared = info.tenant == SHARED
    name = ref.filename or (
        info.source if shared else info.source.replace("\\", "/").rsplit("/")[-1]
    )
    return {
        "id": ref.id,
        "name": name,
        "title": info.title,
        "kind": info.kind,
        "passages": info.chunks,
        "shared": shared,
        "ingested_at": info.ingested_at,
        "content_hash": info.content_hash,
    }


def upload_document(services: Services, principal: Principal, upload: UploadFile) -> dict[str, Any]:
    """Check, store and ingest one upload; a file that cannot be read leaves nothing behind."""
    settings = services.settings
    check_type(upload.filename, upload.content_type, settings.upload_types)
    name = safe_filename(upload.filename)
    doc_id = new_document_id()
    folder = services.gateway.upload_folder(principal, doc_id)
    try:
        path = copy_upload(upload.file, folder, name, settings.api_max_upload_bytes)
        report = services.gateway.ingest_upload(principal, path)
        if report.failed:
            raise DocumentError(name, report.failed[0][1])
        if report.skipped:
            raise DocumentError(name, "is not a type the knowledge base reads")
        source = str(path.resolve())
        ref = services.documents.add(principal.tenant, source, name, principal.key_id, doc_id)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    infos = services.gateway.documents(principal)
    info = next((s for s in infos if s.source == source and s.tenant == principal.tenant), None)
    if info is None:  # deleted by someone else in the meantime
        raise not_found(doc_id)
    return _view(ref, info)


def list_documents(services: Services, principal: Principal) -> list[dict[str, Any]]:
    infos = services.gateway.documents(principal)
    refs = services.documents.ids_for([(i.tenant, i.source) for i in infos])
    out = [_view(refs[(i.tenant, i.source)], i) for i in infos]
    out.sort(key=lambda d: (d["shared"], d["title"].lower()))
    return out


def delete_document(services: Services, principal: Principal, document_id: str) -> None:
    """Remove the tenant's own document; the shared pack's are refused, others' are not found."""
    try:
        ref = services.documents.get(principal.tenant, document_id)
    except DocumentNotFound:
        try:
            services.documents.get(SHARED, document_id)
        except DocumentNotFound:
            raise not_found(document_id) from None
        raise Forbidden(
            "that document belongs to the shared NHS IMPACT pack, which every organisation "
            "reads; only your own documents can be deleted"
        ) from None
    try:
        services.gateway.forget(principal, ref.source)
    except SourceNotFound:  # removed outside the API (impact forget): the id goes too
        services.documents.remove(principal.tenant, document_id)
        raise not_found(document_id) from None
    services.documents.remove(principal.tenant, document_id)
