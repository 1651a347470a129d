"""Scenario files: a hub's starting state, scripted outcomes, faults and a timeline, in YAML."""
