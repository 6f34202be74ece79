"""Locust load tests of the checkout path, their shapes, and the benchmark command."""
