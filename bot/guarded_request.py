"""The Bot API request object the bot uses: PTB's HTTPXRequest, refusing calls made inside a transaction.

Every Bot API call (and file download) of the Application and the jobs goes through ``GuardedRequest``, which asks
storage.transaction_guard whether the calling task holds a database transaction open, and then warns or refuses
according to ``SHOPBOT_TRANSACTION_GUARD`` (off in production, warn in the sandbox, raise in the test suite).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.request import BaseRequest, RequestData

from storage.transaction_guard import GuardMode, check

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

DEFAULT_NONE = BaseRequest.DEFAULT_NONE


class GuardedRequest(BaseRequest):
    """Wraps another request object; before each call, ``check()`` the transaction guard."""

    def __init__(self, inner: BaseRequest, mode: GuardMode) -> None:
        self.inner = inner
        self.mode = mode

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        check(f"Bot API {url.rsplit('/', 1)[-1]}", self.mode)
        return await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
