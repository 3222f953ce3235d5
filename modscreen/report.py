"""A readable report of one verdict: the decision, each reason in words, the evidence highlighted."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from worker.types import Post

_DECISION_STYLE = {"approve": "bold green", "review": "bold yellow", "reject": "bold red"}
_ACTION_WORDS = {"reject": "rejects", "review": "sends to review"}
# Terminal control characters in a post could drive the reader's terminal: show them inert,
# one for one, so evidence offsets still line up.
_INERT = {code: "\ufffd" for code in [*range(0, 9), 11, 12, *range(13, 32), 127, *range(128, 160)]}


def print_report(record: dict[str, Any], post: Post | None, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    if "error" in record:
        console.print(Text(f"line {record['line']}: cannot screen: {record['error']}", style="bold red"))
        return
    decision = record["decision"]
    heading = Text.assemble(
        (f"{record['post_id'].translate(_INERT)} (revision {record['revision']}): ", "bold"),
        (decision.upper(), _DECISION_STYLE[decision]),
        f"   language {record['language'] or 'unknown'}, policy {record['policy_version']}",
    )
    console.print(heading)
    for number, reason in enumerate(record["reasons"], start=1):
        words = f"{reason['category'].replace('_', ' ')} {reason['score']:.2f}: {_ACTION_WORDS[reason['action']]} at {reason['threshold']:.2f}"
        console.print(Text.assemble(f"  {number}. ", (words, "bold"), f"  [{reason['code']}]"))
        console.print(Text(f"     {reason['message']}"))
        for item in reason["evidence"]:
            console.print(Text.assemble("     ", (item["field"], "dim"), f" {item['start']}-{item['end']}: ",
                                        (item["text"][:200].translate(_INERT), "reverse")))
    for failure in record["failures"]:
        console.print(Text(f"  check {failure['check']} failed: {failure['error']} (sent to review)", style="red"))
    if record.get("truncated"):
        console.print(Text("  the body was screened on its first characters only (over the length cap)", style="dim"))
    if post is not None:
        for field_name, source in (("title", post.title), ("body", post.body)):
            if source:
                console.print(Text(f"  {field_name}:", style="dim"))
                console.print(_highlighted(source, field_name, record["reasons"]))
    console.print()


def _highlighted(source: str, field_name: str, reasons: list[dict[str, Any]]) -> Text:
    text = Text("    " + source.translate(_INERT).replace("\n", "\n    "))
    shift = _indent_shift(source)
    for reason in reasons:
        style = "black on red" if reason["action"] == "reject" else "black on yellow"
        for item in reason["evidence"]:
            if item["field"] == field_name:
                text.stylize(style, shift(item["start"]), shift(item["end"]))
    return text


def _indent_shift(source: str):
    # each line of the shown text is indented by 4 characters: shift offsets accordingly
    newlines = [index for index, char in enumerate(source) if char == "\n"]

    def shift(offset: int) -> int:
        from bisect import bisect_left

        return offset + 4 * (1 + bisect_left(newlines, offset))

    return shift
