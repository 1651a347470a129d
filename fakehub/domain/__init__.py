"""Domain records and operations: no HTTP, no wall clock."""
