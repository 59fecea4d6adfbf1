"""`impact chat`: a conversation in the terminal, with history, streaming and slash commands."""

from __future__ import annotations

import sys
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

from assistant.answering import Answer, Answerer
from assistant.render import print_answer_sources, print_evidence_in_full

HELP = (
    "Ask a question in plain English. Follow-ups use the conversation so far.\n"
    "  /sources  show the passages behind the last answer in full\n"
    "  /reset    start a new conversation\n"
    "  /quit     leave (or Ctrl-D)"
)


def stream_answer(
    console: Console, answerer: Answerer, question: str, history, tags=None, column: int = 0
) -> Answer:  # type: ignore[no-untyped-def]
    """Print the answer as it arrives, then its numbered sources; return the Answer."""
    result: Answer | None = None
    for piece in answerer.stream(question, history, tags):
        if isinstance(piece, Answer):
            result = piece
            continue
        # Wrap between words ourselves: the text arrives piece by piece.
        if "\n" in piece:
            column = len(piece.rsplit("\n", 1)[1])
        elif column + len(piece) >= console.width:
            console.print()
            column = 0
        console.print(escape(piece), end="", soft_wrap=True)
        column += len(piece)
    console.print()
    assert result is not None
    if result.notice:
        console.print(f"[yellow]{escape(result.notice)}[/]")
    print_answer_sources(console, result)
    return result


def run_chat(
    console: Console,
    answerer: Answerer,
    read: Callable[[str], str] = input,
    tags=None,  # type: ignore[no-untyped-def]
) -> None:
    mode = "an LLM" if answerer.llm is not None else "offline mode (no LLM)"
    console.print(
        f"[bold]impact chat[/] — answers from the knowledge base in {mode}. "
        "Type /help for commands."
    )
    history: list[tuple[str, str]] = []
    last: Answer | None = None
    # Questions piped in are not echoed by the terminal: print them, so that a saved
    # transcript shows what each answer answers.
    echo = read is input and not sys.stdin.isatty()
    while True:
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if echo:
            console.print(escape(line), highlight=False)
        if not line:
            continue
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            return
        if command == "/help":
            console.print(HELP)
            continue
        if command == "/reset":
            history.clear()
            last = None
            console.print("[dim]New conversation.[/]")
            continue
        if command == "/sources":
            if last is None:
                console.print("[dim]No answer yet.[/]")
            else:
                print_evidence_in_full(console, last)
            continue
        if command.startswith("/"):
            console.print(f"[yellow]Unknown command {escape(line)}.[/] {HELP}")
            continue
        console.print("[bold cyan]assistant>[/] ", end="")
        last = stream_answer(console, answerer, line, history, tags, column=len("assistant> "))
        history.extend([("user", line), ("assistant", last.text)])
        history[:] = history[-12:]
