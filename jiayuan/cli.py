"""The ``jiayuan`` console script: Django's manage.py plus the project's own commands."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiayuan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiayuan", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
