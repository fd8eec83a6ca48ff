"""Models of the community app."""

from django.db import models  # noqa: F401
