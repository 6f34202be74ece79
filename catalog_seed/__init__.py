"""Deterministic Indonesian seed data at programme scale. Built in a later issue."""
