"""What an operator meets first: settings that fail in one clear line, and the shopbot command's answers."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings, parse_duration


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings come from the environment and a .env in the working directory: start from neither."""
    import os

    for name in list(os.environ):
        if name.startswith("SHOPBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("48h", timedelta(hours=48)),
        ("10d", timedelta(days=10)),
    ],
)
def test_durations_read_the_way_the_readme_says(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("SHOPBOT_PAY_DEADLINE", "soon", "SHOPBOT_PAY_DEADLINE"),
        ("SHOPBOT_SHIP_DEADLINE", "0", "SHOPBOT_SHIP_DEADLINE"),
        ("SHOPBOT_ADMIN_IDS", "42,ada", "SHOPBOT_ADMIN_IDS"),
        ("SHOPBOT_CURRENCY", "DOGE", "SHOPBOT_CURRENCY"),
        ("SHOPBOT_DATABASE_URL", "mysql://x", "SHOPBOT_DATABASE_URL"),
        ("SHOPBOT_DEFAULT_LANGUAGE", "fr", "SHOPBOT_DEFAULT_LANGUAGE"),
        ("SHOPBOT_EVALUATION_TIME", "25:00", "SHOPBOT_EVALUATION_TIME"),
        ("SHOPBOT_RECONCILE_EVERY", "often", "SHOPBOT_RECONCILE_EVERY"),
    ],
)
def test_a_bad_setting_fails_in_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert named in message and "\n" not in message


def test_settings_become_the_domain_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPBOT_ADMIN_IDS", "9001, 42")
    monkeypatch.setenv("SHOPBOT_PAY_DEADLINE", "45m")
    monkeypatch.setenv("SHOPBOT_CURRENCY", "cny")
    policy = load_settings().policy()
    assert policy.root_admin_ids == frozenset({9001, 42})
    assert policy.deadlines.pay == timedelta(minutes=45)
    assert policy.currency == "CNY"


def test_run_without_a_token_points_to_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert "shopbot sandbox" in capsys.readouterr().err


def test_a_bad_setting_stops_any_command_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHOPBOT_SHIP_DEADLINE", "whenever")
    assert main(["jobs"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("shopbot: invalid setting SHOPBOT_SHIP_DEADLINE: 'whenever' is not a duration")
    assert "\n" not in err


def test_db_upgrade_then_jobs_shows_an_empty_marketplace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHOPBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'ops.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert main(["jobs"]) == 0
    out = capsys.readouterr().out
    assert "(head)" in out and "order" in out and "Outbox" in out
    assert "Reconciler (at start-up and every 10m): no charge has needed repair" in out


@pytest.mark.parametrize("command", [[], ["run"], ["sandbox"], ["db"], ["jobs"], ["bench"]])
def test_every_subcommand_has_help(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "usage: shopbot" in result.stdout
