"""Models of equipment life cycle."""
