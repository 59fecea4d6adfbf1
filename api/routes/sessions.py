"""/v1/sessions and /v1/frameworks: facilitated board sessions in the key's organisation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Response

from api.auth import Facilitator
from api.facilitation import EXPORT_TYPES, actions_view, full_view
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES
from api.session_schemas import (
    ActionCreate,
    ActionEdit,
    FrameworkList,
    Rating,
    Respond,
    SessionCreate,
    SessionList,
)

router = APIRouter(prefix="/v1", tags=["sessions"])
SessionId = Path(pattern="^[0-9a-f]{32}$", description="The id POST /v1/sessions returned")
QuestionId = Path(max_length=64, description="A question id of the session's framework")
ActionRef = Path(max_length=16, description="An action's reference, e.g. A1")
ERRORS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    404: {"description": "No such session, question or action in this organisation"},
    409: {"description": "The step does not fit the session now (stage, closed, conflict)"},
}


@router.get(
    "/frameworks",
    response_model=FrameworkList,
    summary="The frameworks a session can follow (facilitator or admin)",
    responses=PROBLEM_RESPONSES,
)
def get_frameworks(services: ServicesDep, principal: Facilitator) -> dict[str, Any]:
    return {"frameworks": services.facilitation.frameworks()}


@router.post(
    "/sessions",
    status_code=201,
    summary="Open a board session (facilitator or admin)",
    responses=ERRORS,
)
def create_session(
    body: SessionCreate, services: ServicesDep, principal: Facilitator
) -> dict[str, Any]:
    state = services.facilitation.service(principal).create(
        framework=body.framework,
        board=body.board,
        organisation=body.organisation,
        meeting_date=body.date,
        facilitator=body.facilitator,
        participants=body.participants,
        sections=body.sections,
        next_board=body.next_board,
        carry_from=body.carry_from,
    )
    return full_view(state)


@router.get(
    "/sessions",
    response_model=SessionList,
    summary="This organisation's sessions, latest meeting first",
    responses=PROBLEM_RESPONSES,
)
def list_sessions(
    services: ServicesDep,
    principal: Facilitator,
    board: str | None = Query(None, max_length=200),
) -> dict[str, Any]:
    found = services.facilitation.service(principal).list_sessions(board)
    return {"sessions": [s.to_dict() for s in found]}


@router.get("/sessions/{session_id}", summary="One session, whole", responses=ERRORS)
def get_session(
    services: ServicesDep, principal: Facilitator, session_id: str = SessionId
) -> dict[str, Any]:
    return full_view(services.facilitation.service(principal).get(session_id))


@router.post(
    "/sessions/{session_id}/questions/{question_id}",
    summary="Record the room's response: notes, private ratings, spread, agreed rating, target",
    responses=ERRORS,
)
def respond(
    body: Respond,
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
    question_id: str = QuestionId,
) -> dict[str, Any]:
    result = services.facilitation.service(principal).respond(
        session_id,
        question_id,
        actor=body.actor,
        notes=body.notes,
        ratings=body.ratings,
        show_spread=body.show_spread,
        agreed=body.agreed,
        rationale=body.rationale,
        target=body.target,
        by=body.by,
        decision=body.decision,
        skip=body.skip,
    )
    return full_view(result)


@router.post(
    "/sessions/{session_id}/questions/{question_id}/ratings",
    summary="One member's private rating (only the count shows until the spread is shown)",
    responses=ERRORS,
)
def rate(
    body: Rating,
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
    question_id: str = QuestionId,
) -> dict[str, Any]:
    result = services.facilitation.service(principal).respond(
        session_id, question_id, ratings={body.member: body.level}
    )
    return full_view(result)


@router.get(
    "/sessions/{session_id}/questions/{question_id}/evidence",
    summary="Passages for the question from the knowledge base (searched once, then kept)",
    responses=ERRORS,
)
def evidence(
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
    question_id: str = QuestionId,
) -> dict[str, Any]:
    items = services.facilitation.evidence(principal, services.gateway, session_id, question_id)
    return {"question": question_id, "evidence": items}


@router.get("/sessions/{session_id}/actions", summary="The session's actions", responses=ERRORS)
def list_actions(
    services: ServicesDep, principal: Facilitator, session_id: str = SessionId
) -> dict[str, Any]:
    return {"actions": actions_view(services.facilitation.service(principal).get(session_id))}


@router.post(
    "/sessions/{session_id}/actions",
    status_code=201,
    summary="Add an action the facilitator writes",
    responses=ERRORS,
)
def add_action(
    body: ActionCreate,
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
) -> dict[str, Any]:
    fields = body.model_dump()
    result = services.facilitation.service(principal).add_action(session_id, **fields)
    return {"actions": actions_view(result)}


@router.patch(
    "/sessions/{session_id}/actions/{ref}",
    summary="Agree, drop or finish an action; change its owner, due date, text or priority",
    responses=ERRORS,
)
def edit_action(
    body: ActionEdit,
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
    ref: str = ActionRef,
) -> dict[str, Any]:
    result = services.facilitation.service(principal).edit_action(
        session_id, ref, actor=body.actor, **body.changes()
    )
    return {"actions": actions_view(result)}


@router.post("/sessions/{session_id}/close", summary="Close the session", responses=ERRORS)
def close_session(
    services: ServicesDep, principal: Facilitator, session_id: str = SessionId
) -> dict[str, Any]:
    return full_view(services.facilitation.service(principal).close(session_id))


@router.get(
    "/sessions/{session_id}/export",
    summary="Download the board paper (docx, md) or the action log (csv)",
    responses={
        **ERRORS,
        200: {
            "description": "The file, as an attachment",
            "content": {t: {} for t in EXPORT_TYPES.values()},
        },
    },
    response_class=Response,
)
def export(
    services: ServicesDep,
    principal: Facilitator,
    session_id: str = SessionId,
    format: str = Query("docx", pattern="^(docx|md|csv)$", description="docx, md or csv"),
) -> Response:
    data, name = services.facilitation.export(principal, session_id, format)
    return Response(
        data,
        media_type=EXPORT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
