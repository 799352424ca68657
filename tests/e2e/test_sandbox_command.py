"""README's "run the product" command: `shopbot sandbox` comes up with the page and the demo."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from sandbox.driver import SandboxDriver
from tests.net import free_port

STARTUP_LIMIT_S = 90.0  # a hang guard, not a speed requirement


def test_shopbot_sandbox_serves_the_page_and_a_seeded_bot(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPBOT_")}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while time.monotonic() - started < STARTUP_LIMIT_S:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "shopbot sandbox is up" in line:
                break
        assert any("shopbot sandbox is up" in line for line in lines), "".join(lines)[-2000:]
        assert f"http://127.0.0.1:{port}/" in "".join(lines)

        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "<html" in page.lower()

        # a buyer says /start through the driver API and the demo bot answers with its main menu
        asyncio.run(_greeted(f"http://127.0.0.1:{port}"))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    assert process.returncode == 0


async def _greeted(url: str) -> None:
    async with SandboxDriver(url) as driver:
        await driver.send_text(BUYER_ALICE_ID, "/start")
        await driver.wait_for_message(BUYER_ALICE_ID, "Welcome", timeout=60)  # a hang guard
        # the demo was seeded, not lived through: nobody starts with stale news (e.g. "Approve" on an open shop)
        for user in (ADMIN_ADA_ID, MERCHANT_BOB_ID, BUYER_XIAOMING_ID):
            await driver.wait_for_no_message(user, duration=1.5, since=0)
