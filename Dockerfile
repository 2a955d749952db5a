# Production image of the portal: gunicorn serving Django, also used for the Celery worker and beat
# (see docker-compose.yml). Static files are collected at build time; nginx serves them.
#
#   docker build -t dangjian-portal .
#
# The portal runs from its source tree (pyproject.toml has `packages = []`), so the image installs
# only the pinned dependencies and copies the source to /app.

FROM python:3.11-slim

# gunicorn reads its worker count from WEB_CONCURRENCY; override it in .env.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

# The process never runs as root. Source files stay owned by root (read-only to the app); only
# /app/var (uploads, static files, beat schedule) belongs to the app user.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

# The report pack's DOCX draws its charts with matplotlib in a CJK font (ADR 0010).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, in their own layer: the direct pins of pyproject.toml, held to the
# transitive pins of constraints.txt. Dev extras (pytest, playwright, ruff) are not installed.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Build-time steps need settings to load; these throwaway values exist only for this RUN and are
# not kept in the image. compile_translations uses Babel, so no GNU gettext is needed.
RUN SECRET_KEY=build-only DEBUG=false ALLOWED_HOSTS=localhost \
        MEMBER_ID_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbm90LXVzZWQtZm9yLWRhdGE= \
        MEMBER_ID_HASH_KEY=build-only-build-only-build-only-00 \
        python manage.py compile_translations \
    && SECRET_KEY=build-only DEBUG=false ALLOWED_HOSTS=localhost \
        MEMBER_ID_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbm90LXVzZWQtZm9yLWRhdGE= \
        MEMBER_ID_HASH_KEY=build-only-build-only-build-only-00 \
        python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var/staticfiles /app/var/media /app/var/beat \
    && rm -rf /app/var/db.sqlite3 /app/var/broker \
    && chown -R portal:portal /app/var

USER portal

EXPOSE 8000

# /healthz answers 200 only when the database and the broker both answer. With DEBUG=false the
# probe must look like a proxied HTTPS request for an allowed host, or Django would redirect it to
# https:// (SECURE_SSL_REDIRECT) or refuse its Host header (ALLOWED_HOSTS). slim has no curl.
# The worker and beat services override this check in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.').replace('*', '') or 'localhost'; req = u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}); sys.exit(0 if u.urlopen(req, timeout=5).status == 200 else 1)"]

# Sync workers (WEB_CONCURRENCY of them) with two threads each; a request has 60 s before the
# worker is recycled. Workers restart after ~1000 requests to bound memory growth. Only nginx on
# the compose network reaches this port, so forwarded headers from any peer are trusted.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--threads", "2", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--keep-alive", "5", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--forwarded-allow-ips", "*", \
     "--error-logfile", "-"]
