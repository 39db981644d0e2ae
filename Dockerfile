# Connector image. Built offline from local wheels (scripts/build_wheels.sh fills wheels/deps and wheels/project).
# BASE_IMAGE defaults to Airbyte's Python connector base (metadata.yaml: connectorBuildOptions.baseImage);
# where no registry is reachable, pass the local stand-in: --build-arg BASE_IMAGE=local/python-base:bookworm
# (scripts/build_base_images.sh). The base must provide python3.11 with its venv module.
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

FROM ${BASE_IMAGE} AS build
USER root
ENV PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Dependencies first: this layer stays cached while only the project changes.
COPY wheels/deps /tmp/deps
RUN python3 -m venv /airbyte/venv && /airbyte/venv/bin/pip install --find-links=/tmp/deps /tmp/deps/*.whl
COPY wheels/project /tmp/project
RUN /airbyte/venv/bin/pip install --no-deps /tmp/project/*.whl \
    && /airbyte/venv/bin/pip check

# The final stage copies only the venv, so the wheels do not stay in a layer.
FROM ${BASE_IMAGE}
USER root
# Airbyte's platform runs connectors as uid 1000 `airbyte`; create it when the base image lacks it.
RUN id -u airbyte >/dev/null 2>&1 || useradd --uid 1000 --create-home --shell /usr/sbin/nologin airbyte
COPY --from=build /airbyte/venv /airbyte/venv
COPY main.py /airbyte/integration_code/main.py
ENV PATH=/airbyte/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    AIRBYTE_ENTRYPOINT="python /airbyte/integration_code/main.py"
WORKDIR /airbyte/integration_code
USER airbyte
# Python runs as PID 1 here, which the kernel spares from SIGTERM's default action: run.py installs a handler
# so `docker stop` ends the connector at once instead of waiting for the kill timeout.
ENTRYPOINT ["python", "/airbyte/integration_code/main.py"]

LABEL io.airbyte.name=zendesk-support-connector/source-zendesk-support \
      io.airbyte.version=6.0.0
