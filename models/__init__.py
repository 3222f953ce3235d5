"""Persistence: SQLAlchemy models, Alembic migrations and the store that maps verdicts to rows.

The engine (`worker`) never imports this package; the service does.
"""
