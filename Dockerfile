# syntax=docker/dockerfile:1
# One image for the API, the workers and the migrations: the command picks
# (`serve --no-worker`, `worker`, `db upgrade`). Multi-stage: the build stage makes the
# wheel and a virtualenv of the pinned set (constraints.txt); the runtime stage copies the
# virtualenv alone onto a slim Python and runs as a non-root user.
#
# torch must be its CPU build (the pins say 2.13.0+cpu): pass PyTorch's CPU wheel index as
#   docker build --build-arg PIP_EXTRA_INDEX_URL=<PyTorch CPU wheel index> -t sales-agent .
# (see docs/DEPLOYMENT.md); without it pip cannot find the +cpu build and the build stops.

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ARG PIP_EXTRA_INDEX_URL=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL}
WORKDIR /build
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/sales-agent \
 && /opt/sales-agent/bin/pip install --constraint constraints.txt /wheels/*.whl \
 && find /opt/sales-agent -name '__pycache__' -prune -exec rm -rf {} +

FROM python:${PYTHON_VERSION}-slim AS runtime
# Nothing from apt: psycopg and pgserver (pg_dump / pg_restore) bring their own libraries.
RUN useradd --create-home --uid 10001 --user-group sales-agent
COPY --from=build /opt/sales-agent /opt/sales-agent
ENV PATH=/opt/sales-agent/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SALES_AGENT_HOST=0.0.0.0 \
    SALES_AGENT_PORT=8000 \
    SALES_AGENT_DATA_DIR=/home/sales-agent/data \
    HF_HUB_OFFLINE=1
USER sales-agent
WORKDIR /home/sales-agent
EXPOSE 8000
# The API answers /health; a worker has no port, so its check is that the process lives
# (compose and Cloud Run override it for the worker with their own).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4); sys.exit(0)"
ENTRYPOINT ["sales-agent"]
CMD ["serve", "--no-worker"]
