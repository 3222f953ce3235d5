"""The HTTP API's response shapes (they are its published OpenAPI schema) and request-body docs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from modscreen._api_input import MAX_POSTS_PER_REQUEST
from worker.types import Post


class PostBatch(BaseModel):
    """Several posts recorded together (all or nothing)."""

    posts: list[Post] = Field(min_length=1, max_length=MAX_POSTS_PER_REQUEST)


class AcceptedPost(BaseModel):
    id: str
    revision: int
    status: Literal["accepted", "duplicate", "stale"] = Field(
        description="accepted: recorded and queued for screening; duplicate: this content was recorded before "
                    "(nothing new to screen); stale: a newer revision of the post is already recorded")


class Submission(BaseModel):
    accepted: list[AcceptedPost] = Field(description="One entry per submitted post, in submission order.")


class ErrorResponse(BaseModel):
    error: str
    problems: list[str] = Field(
        default=[], description="Each culprit, by position for batches: `posts[3].id: is required` (0-based).")


class EvidenceOut(BaseModel):
    field: Literal["body", "title"]
    start: int
    end: int
    text: str | None = Field(default=None, description="Absent once the post is past retention (offsets stay).")


class ReasonOut(BaseModel):
    category: str
    code: str
    score: float
    threshold: float
    action: Literal["review", "reject"]
    message: str
    evidence: list[EvidenceOut]


class Outcome(BaseModel):
    screening_id: int
    post_id: str
    revision: int
    decision: Literal["approve", "review", "reject"]
    language: str | None
    scores: dict[str, float]
    reasons: list[ReasonOut]
    failures: list[dict[str, Any]]
    policy_version: str
    content_hash: str
    checks: dict[str, str]
    truncated: bool = Field(default=False, description="The body was longer than the policy's cap (100,000 "
                                                       "characters): only its first part was screened.")
    screened_at: str
    source: str


class PostStatus(BaseModel):
    post_id: str
    revision: int = Field(description="The latest revision recorded for this post.")
    status: str = Field(description="`pending` (latest revision not screened yet), `screened`, or `error`.")
    outcome: Outcome | None = Field(description="The current outcome; null until the post was first screened.")


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(description="Each dependency: `ok`, or what failed.")


def submission_request_body() -> tuple[dict[str, Any], dict[str, Any]]:
    """The request body's OpenAPI entry and the schemas it refers to.

    The route reads its body itself (to cap its size while streaming and to report every invalid
    post at once), so FastAPI cannot derive this from a parameter: it is described here instead.
    """
    schema = TypeAdapter(Post | PostBatch).json_schema(ref_template="#/components/schemas/{model}")
    components = schema.pop("$defs", {})
    body = {"required": True, "content": {"application/json": {"schema": schema}},
            "description": "One post (the input contract), or `{\"posts\": [...]}` with 1 to "
                           f"{MAX_POSTS_PER_REQUEST:,} posts."}
    return body, components
