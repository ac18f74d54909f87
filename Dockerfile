# envcheck as a container image: a static-stdlib release build, then a slim Debian 12
# runtime holding only the shared libraries the binary needs (Tests/EndToEndTests/
# DockerfileTests.swift checks that list against the binary CI builds the same way).
#
#   docker build -t envcheck .
#   docker run --rm --env-file .env envcheck check
#   docker run --rm --env-file .env -p 9850:9850 envcheck serve --listen 0.0.0.0:9850
#
# To add envcheck to an application image instead, copy the binaries and install the same
# runtime packages there (see README.md, "Container healthcheck").

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config libpq-dev libhiredis-dev libcurl4-openssl-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY scripts/man.sh ./scripts/man.sh
# envcheck-serve is `envcheck serve`'s HTTP server: envcheck execs it from its own
# directory, so the binary everything else runs carries no HTTP server (docs/serve.md).
RUN swift build -c release --static-swift-stdlib --product envcheck \
 && swift build -c release --static-swift-stdlib --product envcheck-serve \
 && install -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck" /usr/local/bin/envcheck \
 && install -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck-serve" /usr/local/bin/envcheck-serve
# The man page, generated from the command definitions (scripts/man.sh).
RUN scripts/man.sh /usr/local/bin/envcheck /usr/local/share/man/man1 release

FROM debian:bookworm-slim
# Runtime libraries: libpq (postgres), hiredis (redis), libcurl (s3, openrouter), OpenSSL,
# and the CA bundle TLS verification needs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpq5 libhiredis0.14 libcurl4 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/envcheck /usr/local/bin/envcheck
COPY --from=build /usr/local/bin/envcheck-serve /usr/local/bin/envcheck-serve
COPY --from=build /usr/local/share/man/man1/envcheck.1 /usr/local/share/man/man1/envcheck.1
COPY probes /etc/envcheck/probes
USER 65532:65532
# `--probes backend` finds /etc/envcheck/probes/backend.yaml; mount .env or a Next.js
# build here too, or pass --env-file / --next-dir.
WORKDIR /etc/envcheck
ENTRYPOINT ["envcheck"]
CMD ["check"]
# The healthcheck ends by its own 3 s deadline, well inside Docker's timeout.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["envcheck", "healthcheck"]
