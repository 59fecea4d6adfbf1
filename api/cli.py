"""The `impact` command: the assistant's commands plus `impact serve` and `impact keys`.

Heavy modules (FastAPI, uvicorn, argon2, SQLAlchemy) are imported inside the commands that need
them, so `impact --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from assistant.cli import app, err, leave_if_done_reading, out, settings
from assistant.settings import apply_offline_environment

keys_app = typer.Typer(
    help="API keys for the HTTP API: create, list, revoke.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


def _store():  # type: ignore[no-untyped-def]
    from api.database import open_engine
    from api.keys import KeyStore

    return KeyStore(open_engine(settings()), settings().api_key_cache_s)


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="The organisation the key belongs to, e.g. rxy.")],
    role: Annotated[
        str,
        typer.Option(help="reader (ask, search), facilitator (+ sessions), admin (+ documents)."),
    ],
    origin: Annotated[
        str | None,
        typer.Option(
            help="The web origin allowed to use it from a browser, e.g. https://intranet.example.nhs.uk."
        ),
    ] = None,
    label: Annotated[str | None, typer.Option(help="A note for `impact keys list`.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {id, key, tenant, role}.")] = False,
) -> None:
    """Create a key; it is printed once and only its hash is stored."""
    record, key = _store().create(tenant, role, origin=origin, label=label)
    if as_json:
        print(
            json.dumps({"id": record.id, "key": key, "tenant": record.tenant, "role": record.role})
        )
        return
    out.print(
        f"Created key {record.id} for tenant {escape(record.tenant)} (role {record.role}"
        + (f", origin {escape(record.origin)}" if record.origin else "")
        + "). It is shown only now; keep it safe:"
    )
    print(key)


@keys_app.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's keys.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List keys (ids, tenants, roles, origins; never the keys themselves)."""
    keys = _store().list(tenant)
    if as_json:
        print(json.dumps([k.to_dict() for k in keys], indent=2))
        return
    if not keys:
        out.print("No keys yet. Create one with `impact keys create --tenant T --role reader`.")
        return
    rows = [
        [
            k.id,
            k.tenant,
            k.role,
            "active" if k.active else "revoked",
            f"{k.created_at:%Y-%m-%d}",
            k.origin or "-",
            k.label or "",
        ]
        for k in keys
    ]
    header = ["id", "tenant", "role", "status", "created", "origin", "label"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.print(escape("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()))


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The id from `impact keys list`.")],
) -> None:
    """Revoke a key: every server refuses it within IMPACT_API_KEY_CACHE_S seconds."""
    record = _store().revoke(key_id)
    out.print(
        f"Revoked {record.id} (tenant {escape(record.tenant)}). Running servers refuse it within "
        f"{settings().api_key_cache_s:g} s."
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            help="Index the bundled pack if needed and print a demo key (what `make run` does)."
        ),
    ] = False,
) -> None:
    """Serve the HTTP API, the facilitator console (/console) and the widget demo (/demo)."""
    import uvicorn

    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if demo:
        _prepare_demo(base)
    else:
        _store()  # migrate before the workers start, and fail early on a bad database URL
    out.print(
        f"Starting impact-assistant on [bold]{base}[/]  (console {base}/console, widget demo "
        f"{base}/demo, API {base}/openapi.json). It answers once the model is loaded "
        '(the log says {"event": "ready"}); Ctrl-C stops.'
    )
    uvicorn.run(
        "api.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the app writes its own JSON access lines, without query strings
        log_level="warning",
        timeout_graceful_shutdown=5,
    )


def _prepare_demo(base: str) -> None:
    from api.demo import ensure_demo_key
    from assistant.cli import _kb
    from assistant.render import ingest_progress, print_report

    kb = _kb()
    files = kb.bundled_files()
    with ingest_progress(err, len(files)) as advance:
        report = kb.ingest_bundled(progress=advance)
    if report.added or report.updated or report.removed or report.failed:
        print_report(out, err, report)
    kb.close()
    key, note = ensure_demo_key(_store(), settings().data_dir, settings().tenant)
    out.print(escape(note))
    if key:
        out.print(f"Demo page:  {base}/demo#key={key}")
        out.print(f"Console:    {base}/console#key={key}")


def main() -> None:
    apply_offline_environment()
    try:
        app()
    except Exception as exc:
        from api.errors import ApiError
        from assistant.errors import AssistantError
        from knowledge.errors import KnowledgeError

        if not isinstance(exc, ApiError | AssistantError | KnowledgeError):
            raise
        err.print(f"[red]error:[/] {escape(str(exc))}")
        sys.exit(1 if isinstance(exc, KnowledgeError) else 2)
    except SystemExit as exc:
        leave_if_done_reading(exc.code)
        raise


if __name__ == "__main__":
    main()
