# Conveniences over ./dev, which is what the README and CI use.
.PHONY: run test i18n lint

run:
	./dev run

test:
	./dev test

i18n:
	./dev i18n

lint:
	.venv/bin/ruff check .
