# The two commands of the README: `make run` opens the app on the demo project, `make test`
# runs the tests. Each sets up what it needs first (scripts/setup.sh; fast when already done):
# `run` the app and its run-time dependencies only, `test` those plus the test and lint tools.
.PHONY: run test lint check-wheel

run:
	@bash scripts/setup.sh run
	.venv/bin/annotator

test:
	@bash scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q

lint:
	@bash scripts/setup.sh test
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/lint-imports

# The wheel `python -m build` makes, installed alone in a fresh venv, works from another folder.
check-wheel:
	@bash scripts/setup.sh test
	.venv/bin/python scripts/check_wheel.py
