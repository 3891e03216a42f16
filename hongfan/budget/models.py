"""Models of budget."""
