"""The Celery app, its queues and thin tasks around the engine.

The engine (`worker`) never imports this package; tasks call the engine.
"""
