"""Models of the kits app."""

from django.db import models  # noqa: F401
