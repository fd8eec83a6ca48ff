#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # A machine that gives SECRET_KEY in its environment is a deployment: without an explicit
    # DJANGO_SETTINGS_MODULE, commands (migrate, qcluster...) run with the production settings there, never
    # with the development ones (DEBUG, their own key). Elsewhere, development settings.
    default = "portal.settings.production" if os.environ.get("SECRET_KEY") else "portal.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
