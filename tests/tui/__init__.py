"""Tests of the terminal UI: pilot-driven workflows and snapshots on the demo network."""
