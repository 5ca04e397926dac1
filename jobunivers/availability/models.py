"""Availability (rådighed): a per-citizen state driven only by explicit citizen actions."""
