"""Threshold tuning for analysts: labels from moderator decisions, report, sweep, what-if, shadow.

Every figure is computed by pure functions over plain records (``labels``, ``metrics``), so a
page can call the same functions (``sweep.slider_point`` answers a threshold slider) and the
tests can check every number exactly.
"""
