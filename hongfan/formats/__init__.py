"""Project format overrides (settings.FORMAT_MODULE_PATH).

HTML date and datetime-local inputs accept only ISO values (2026-11-24, 2026-11-24T09:30).
Django's Chinese formats put 2026/11/24 first, so a form with an initial date rendered an
empty date field in the browser (and a required one could not be submitted). The input
formats below put the ISO forms first; the other common ways of writing a date are still
accepted when typed."""
