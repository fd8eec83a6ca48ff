"""Models of the newsletter app."""

from django.db import models  # noqa: F401
