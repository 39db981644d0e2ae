"""What turns Zendesk's pages into records: extractors, deletion markers, typed custom fields, time formats."""
