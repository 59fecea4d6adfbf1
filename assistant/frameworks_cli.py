"""`impact frameworks list | show | validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assistant.errors import FrameworkError
from assistant.session_cli import JsonOption, _guarded, _json, _settings, err, frameworks_app, out

__all__: list[str] = []


@frameworks_app.command("list")
@_guarded
def frameworks_list(as_json: JsonOption = False) -> None:
    """List the frameworks (packaged, and any in IMPACT_FRAMEWORKS_DIR)."""
    from assistant.frameworks import list_frameworks

    infos = list_frameworks(_settings().frameworks_dir)
    if as_json:
        _json([info.__dict__ for info in infos])
        return
    for info in infos:
        if info.error:
            out.print(f"[red]{escape(info.name)}[/]  invalid: {escape(info.error)}")
        else:
            out.print(
                f"[bold]{escape(info.name)}[/]  {escape(info.title)}  "
                f"[dim]({info.sections} sections, {info.questions} questions; {escape(info.origin)})[/]"
            )


@frameworks_app.command("show")
@_guarded
def frameworks_show(
    name: Annotated[str, typer.Argument(help="Framework name.")], as_json: JsonOption = False
) -> None:
    """Show a framework's sections, questions and rating scale."""
    from assistant.frameworks import get_framework

    fw = get_framework(name, _settings().frameworks_dir)
    if as_json:
        _json(fw.model_dump(mode="json"))
        return
    out.print(f"[bold]{escape(fw.title)}[/] ({escape(fw.name)}, version {escape(fw.version)})")
    if fw.description:
        out.print(escape(fw.description.strip()))
    out.print(f"\n[bold]Rating scale[/] ({escape(fw.scale.name)})")
    for level in fw.scale.levels:
        out.print(f"  {escape(fw.scale.label(level.value))}: {escape(level.descriptor)}")
    if fw.scale.note:
        out.print(f"  [dim]{escape(fw.scale.note)}[/]")
    for section in fw.sections:
        out.print(f"\n[bold cyan]{escape(section.id)}  {escape(section.title)}[/]")
        for question in section.questions:
            mark = " [magenta](rated)[/]" if question.rated else ""
            out.print(f"  {escape(question.id)}  {escape(question.text)}{mark}")


@frameworks_app.command("validate")
@_guarded
def frameworks_validate(
    file: Annotated[Path, typer.Argument(help="A framework YAML file.")],
    as_json: JsonOption = False,
) -> None:
    """Check a framework file; every problem is listed with its line number."""
    from assistant.frameworks import validate_framework

    try:
        fw = validate_framework(file)
    except FrameworkError as exc:
        if as_json:
            _json(
                {
                    "file": str(file),
                    "valid": False,
                    "problems": [{"line": ln, "message": m} for ln, m in exc.problems],
                }
            )
        else:
            for line, message in exc.problems:
                err.print(f"[red]{escape(str(file))}:{line}:[/] {escape(message)}")
        raise typer.Exit(1) from None
    count = sum(1 for _ in fw.questions())
    if as_json:
        _json(
            {
                "file": str(file),
                "valid": True,
                "name": fw.name,
                "sections": len(fw.sections),
                "questions": count,
            }
        )
    else:
        out.print(
            f"[green]{escape(str(file))}: valid[/] ({fw.name}: {len(fw.sections)} sections, {count} questions)"
        )
