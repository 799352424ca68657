"""Faults injected through the driver: a failing method answers with Telegram's error shape, then recovers."""

from __future__ import annotations

from sandbox import BUYER_ALICE_ID, SandboxDriver
from tests.sandbox.conftest import RawApi


async def test_an_injected_failure_answers_the_next_calls_then_stops(driver: SandboxDriver, raw: RawApi) -> None:
    await driver.inject_fault("sendMessage", fail_times=2, error_code=502, description="Bad Gateway")
    failed = [await raw.call("sendMessage", chat_id=BUYER_ALICE_ID, text="hi") for _ in range(2)]
    assert failed == [(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})] * 2
    status, body = await raw.call("sendMessage", chat_id=BUYER_ALICE_ID, text="hi")
    assert status == 200 and body["result"]["text"] == "hi"


async def test_a_slow_method_is_listed_and_cleared(driver: SandboxDriver, raw: RawApi) -> None:
    listed = await driver.inject_fault("answerCallbackQuery", delay=0.05)
    assert listed == {"answercallbackquery": {"delay": 0.05}}
    assert await driver.clear_faults() == {}
    status, _ = await raw.call("getMe")
    assert status == 200
