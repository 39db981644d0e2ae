"""Handlers of the Support API, grouped by what they serve; `endpoints.py` binds them to paths."""
