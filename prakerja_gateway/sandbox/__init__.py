"""The sandbox for testers: personas, outboxes, the clock, reconcile. No signatures."""
