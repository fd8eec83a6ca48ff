"""Writes of the agenda app: imports, portal events, proposals and moderation."""
