import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now, as the first request would, then move all that is loaded so far (some
# 240,000 objects: modules, classes, URL patterns) out of the cyclic garbage collector's sight.
# None of it is ever garbage, yet every full collection walked it: ~4 ms per request on average
# on a staff page (bench/README.md, 2026-12-07, fourth session). The collector still frees the
# cycles a request makes. gc.freeze() is the standard library's tool for exactly this.
get_resolver().url_patterns  # noqa: B018 (imports the URL configuration and its views)
gc.collect()
gc.freeze()
