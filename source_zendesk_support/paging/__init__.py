"""One page walker per way Zendesk pages its data. A walker asks for pages, yields them with the position a
later read resumes from, and owns its kind's rules: shrinking after a 504, de-duplicating page boundaries,
end_date, and refusing to walk in circles. Streams compose walkers with a checkpoint policy."""
