"""The browser pages: the demo intranet page, the facilitator console and the widget script."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

STATIC = Path(__file__).resolve().parents[1] / "static"
# The pages load only this server's own files: no CDN, no inline script.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/console", status_code=307)


@router.get("/demo")
def demo() -> FileResponse:
    return FileResponse(STATIC / "demo.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/console")
def console() -> FileResponse:
    return FileResponse(STATIC / "console.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/widget.js")
def widget() -> FileResponse:
    # Loaded by other sites' pages: any origin may fetch the script itself (never the API).
    return FileResponse(
        STATIC / "widget.js",
        media_type="text/javascript",
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )
