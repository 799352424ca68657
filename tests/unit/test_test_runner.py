"""``python -m tests`` runs pytest in parallel: one worker per CPU, SHOPBOT_TEST_WORKERS to change it."""

from __future__ import annotations

import pytest

from tests.__main__ import WORKERS_ENV, worker_args


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    monkeypatch.setattr("tests.__main__.cpu_count", lambda: 2)


def test_one_worker_per_cpu_taking_work_from_each_other_by_default() -> None:
    assert worker_args([]) == ["-n", "2", "--dist", "worksteal"]


@pytest.mark.parametrize(("wanted", "expected"), [("4", ["-n", "4", "--dist", "worksteal"]), ("1", []), ("0", [])])
def test_the_environment_sets_the_number_of_workers_and_one_or_none_means_one_process(
    monkeypatch: pytest.MonkeyPatch, wanted: str, expected: list[str]
) -> None:
    monkeypatch.setenv(WORKERS_ENV, wanted)
    assert worker_args(["-m", "slow"]) == expected


@pytest.mark.parametrize("argv", [["-n", "3"], ["-n3"], ["--numprocesses=3"], ["tests/unit", "--numprocesses", "3"]])
def test_a_number_of_workers_on_the_command_line_wins(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.setenv(WORKERS_ENV, "4")
    assert worker_args(argv) == []


def test_a_word_for_the_number_of_workers_is_refused_with_the_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "many")
    with pytest.raises(SystemExit, match=WORKERS_ENV):
        worker_args([])
