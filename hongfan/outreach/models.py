"""Models of outreach, honours and mobilisation."""
