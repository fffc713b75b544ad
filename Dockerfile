# A small image with the `assure` command as its entry point.
#   docker build -t assure .
#   docker run --rm -v "$PWD:/work" assure check drafts/ --format sarif:assure.sarif
# Stage 1 builds the wheel of this checkout; stage 2 installs only that wheel (and its
# dependencies) on python:slim, so the image holds no source tree and no build tools.
FROM python:3.12-slim AS build
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir "hatchling>=1.21" \
 && pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /dist .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/assure_housing_health-*.whl \
 && rm -rf /tmp/dist \
 && useradd --create-home --uid 1000 assure
USER assure
WORKDIR /work
ENTRYPOINT ["assure"]
CMD ["--help"]
