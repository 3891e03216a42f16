"""Models of leadership cockpit and reports."""
