# syntax=docker/dockerfile:1
# check=skip=SecretsUsedInArgOrEnv
# (The SECRET_KEY build argument below is a placeholder that only lets the settings import for collectstatic; it is
# not kept in the image's environment. The real key comes from the environment at run time.)

# The Linzi incubation portal: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Build: docker build -t linzi-portal .    Run: see docker-compose.yml and docs/operations.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/var/staticfiles \
    MEDIA_ROOT=/app/var/media \
    CELERY_BEAT_SCHEDULE_FILENAME=/app/var/beat/celerybeat-schedule

# An unprivileged user with a home of its own (gunicorn keeps its control socket there).
RUN groupadd --system --gid 10001 linzi \
    && useradd --system --uid 10001 --gid linzi --create-home --home-dir /home/linzi \
        --shell /usr/sbin/nologin linzi

WORKDIR /app

# Dependencies first, so that a change to the code does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

# The application (see .dockerignore for what stays out). It stays owned by root: the app cannot rewrite itself.
COPY . .

# Placeholders so that config.settings.production imports at build time. Nothing connects to these addresses.
ARG SECRET_KEY=build-time-placeholder-only-used-by-collectstatic-never-at-run-time
ARG ALLOWED_HOSTS=localhost
ARG DATABASE_URL=postgres://build@localhost:5432/build
ARG REDIS_URL=redis://localhost:6379/0
ARG EMAIL_URL=smtp://localhost:25

# Static files are collected (hashed and compressed for WhiteNoise) into the image, read-only for the app; uploads
# and the beat schedule live in volumes mounted on the two directories created here, which the app user owns.
RUN DJANGO_SETTINGS_MODULE=config.settings.production python manage.py collectstatic --no-input \
    && mkdir -p /app/var/media /app/var/beat \
    && chown linzi:linzi /app/var/media /app/var/beat

USER linzi

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
