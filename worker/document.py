"""What every check reads: a post's fields as screened text, computed once per post."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from worker.markup import FieldText, read_field
from worker.types import FieldName, Post


@dataclass(frozen=True, slots=True)
class Document:
    post: Post
    body: FieldText
    title: FieldText | None
    truncated: bool
    language: str | None = None
    """ISO 639-1, detected (or the post's hint when detection is unsure); None when unknown."""

    @classmethod
    def from_post(cls, post: Post, *, max_body_chars: int, regex_timeout: float) -> Document:
        truncated = len(post.body) > max_body_chars
        body_source = post.body[:max_body_chars] if truncated else post.body
        body = read_field(body_source, post.format, "body", regex_timeout)
        title = read_field(post.title, post.format, "title", regex_timeout) if post.title is not None else None
        return cls(post=post, body=body, title=title, truncated=truncated)

    def with_language(self, language: str | None) -> Document:
        return replace(self, language=language)

    def field(self, name: FieldName) -> FieldText | None:
        return self.body if name == "body" else self.title

    @property
    def is_reply(self) -> bool:
        return self.post.reply_to is not None

    @property
    def language_hint(self) -> str | None:
        hint = self.post.language
        return hint.split("-")[0].split("_")[0].lower() if hint else None


def content_hash(post: Post) -> str:
    """Identifies what was screened: the same text in the same format hashes the same."""
    canonical = json.dumps([post.format.value, post.title, post.body], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
