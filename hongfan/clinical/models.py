"""Models of clinical integrity analytics."""
