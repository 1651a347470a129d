"""Jobs and scheduled jobs."""
