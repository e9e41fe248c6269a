# Thin wrappers: the scripts are the real entry points (no make needed).
.PHONY: build test run

build:
	swift build

test:
	./scripts/test.sh

run:
	./scripts/run.sh
