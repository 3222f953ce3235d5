"""The screening engine: text in, verdict out. Knows nothing of queues or databases."""

from worker.assembly import build_engine
from worker.document import Document
from worker.engine import Engine
from worker.policy import Policy
from worker.types import Decision, Evidence, Finding, Hit, Post, PostFormat, Reason, Span, Verdict

__all__ = [
    "Decision",
    "Document",
    "Engine",
    "Evidence",
    "Finding",
    "Hit",
    "Policy",
    "Post",
    "PostFormat",
    "Reason",
    "Span",
    "Verdict",
    "build_engine",
]
