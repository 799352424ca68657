"""/search <words>: ranked results, paged in place, sortable and filterable (handlers/buyer/listing.py); when
nothing matches, somewhere useful to go instead.

The result pages' buttons carry the (normalised, short) query itself, base64url-encoded, so paging works the
same after a restart and never depends on memory; a sorted or filtered search is a stored listing view.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.listing import Listing
from domain.routes import Press, Route
from domain.usecases import catalog
from handlers.buyer.listing import Target, decode_query, encode_query, search_page_data, show_listing
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import send, show, text

FLOW = "b1.search"
QUERY = "query"

page_data = search_page_data
__all__ = ["decode_query", "encode_query", "page_data", "register"]


async def search_command(update: Update, context: Context) -> None:
    query = " ".join(context.args or [])
    if not catalog.search_words(query):
        await ask_query(update, context)
        return
    await run_search(update, context, query, 0)


async def ask_query(update: Update, context: Context) -> None:
    """The menu's Search button and a bare /search: the next message is the query."""
    await start_flow(update, context, FLOW, QUERY)
    await send(update, context, text(context, "buyer.search.ask"))


async def query_step(step: Step) -> str:
    """The words to look for."""
    if not catalog.search_words(step.text):
        raise DomainError(ErrorCode.INVALID_TEXT, field="search")
    await run_search(step.update, step.context, step.text, 0)
    return DONE


async def run_search(update: Update, context: Context, query: str, offset: int) -> None:
    words = catalog.search_words(query)
    if not words:
        raise DomainError(ErrorCode.INVALID_TEXT, field="search")
    await show_listing(update, context, Listing.of(words=words), Target.plain_search(" ".join(words)), offset)


@on_button(Route.SEARCH_PAGE, answer_first=True)
async def on_page(update: Update, context: Context, press: Press) -> None:
    offset = press.number(0)
    query = decode_query(press.arg(1)) if len(press.args) > 1 else None
    if offset is None or not query:
        await show(update, context, text(context, "buyer.stale"))
        return
    await run_search(update, context, query, offset)


def register(app: Application) -> None:
    register_flow(Flow(FLOW, {QUERY: query_step}, restart_step=QUERY))
    app.add_handler(CommandHandler("search", search_command))
    add_buttons(app, on_page)
