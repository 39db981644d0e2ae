"""Sync-wide machinery shared by streams: the run's context, shared export pages, page permits, parent lists,
checkpoints."""
