"""Models of logistics service."""
