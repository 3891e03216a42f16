"""Models of publicity and culture."""
