"""Models of patient voice."""
