# The two commands of the README: `make run` opens the app on the demo project, `make test`
# runs the tests. Both set everything up first (scripts/setup.sh; fast when already done).
.PHONY: run test lint bench setup

setup:
	@bash scripts/setup.sh

run: setup
	.venv/bin/annotator

test: setup
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/lint-imports
