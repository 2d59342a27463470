"""The case API (``/api/v1/cases/``)."""
