"""Models of the agenda app."""

from django.db import models  # noqa: F401
