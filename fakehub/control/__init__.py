"""The ``/_fakehub/*`` control API: everything a test can do that the Hub has no route for."""
