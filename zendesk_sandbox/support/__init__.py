"""Handlers of the Support API, grouped by what they serve; `tables/support.py` binds them to paths."""
