"""Models of the stories app."""

from django.db import models  # noqa: F401
