"""Models of energy monitoring."""
