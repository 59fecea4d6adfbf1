"""/v1/documents: an organisation's own documents (upload, list, delete) beside the shared pack."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.auth import Admin, Reader
from api.document_ops import delete_document, list_documents, upload_document
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, DocumentList, DocumentOut

router = APIRouter(prefix="/v1/documents", tags=["documents"])
DocumentId = Path(max_length=64, description="The id GET /v1/documents lists")
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The file is over the upload limit"},
    415: {"description": "The file's type is not accepted"},
    422: {"description": "The file cannot be read (corrupt, encrypted, no text); nothing stored"},
}


@router.post(
    "",
    status_code=201,
    response_model=DocumentOut,
    summary="Upload a document (multipart field `file`) into this organisation (admin)",
    responses={**PROBLEM_RESPONSES, **UPLOAD_ERRORS},
)
async def post_document(
    services: ServicesDep,
    principal: Admin,
    file: Annotated[UploadFile, File(description="A PDF, DOCX, HTML, Markdown or text file")],
) -> dict[str, Any]:
    try:
        return await run_in_threadpool(upload_document, services, principal, file)
    finally:
        await file.close()


@router.get(
    "",
    response_model=DocumentList,
    summary="This organisation's documents and the shared NHS IMPACT pack (marked `shared`)",
    responses=PROBLEM_RESPONSES,
)
def get_documents(services: ServicesDep, principal: Reader) -> dict[str, Any]:
    return {"documents": list_documents(services, principal)}


@router.delete(
    "/{document_id}",
    status_code=204,
    summary="Remove one of this organisation's documents and its passages (admin)",
    responses={**PROBLEM_RESPONSES, 404: {"description": "No such document of this organisation"}},
)
def remove_document(
    services: ServicesDep, principal: Admin, document_id: str = DocumentId
) -> Response:
    delete_document(services, principal, document_id)
    return Response(status_code=204)
