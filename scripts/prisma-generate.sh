#!/bin/sh
# `prisma generate` without network: the CLI wants Prisma's native schema engine before any command,
# but generate never runs it, so point it at a stub unless the machine provides a real one.
set -e
export CHECKPOINT_DISABLE=1
: "${PRISMA_SCHEMA_ENGINE_BINARY:=/bin/false}"
export PRISMA_SCHEMA_ENGINE_BINARY
exec prisma generate "$@"
