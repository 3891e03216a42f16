"""Models of integrity."""
