#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point: on a fresh clone it runs with the development
    # defaults. Production sets DEBUG=false in its environment (.env), and the web, worker and
    # beat processes start through wsgi.py and celery, which never take this default.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
