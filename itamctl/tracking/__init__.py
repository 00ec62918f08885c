"""Tracking: what expires, renews or falls due (events) and the policy gate (``itamctl check``)."""
