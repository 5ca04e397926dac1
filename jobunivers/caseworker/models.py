"""Models of the caseworker app."""
