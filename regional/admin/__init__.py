"""The admin of regional party building: committees and units, then the joint work."""

from regional.admin import committees, joint  # noqa: F401  (each module registers its models)
