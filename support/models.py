"""Models of the support app."""

from django.db import models  # noqa: F401
