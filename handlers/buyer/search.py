"""/search <words>: ranked results, paged in place; when nothing matches, somewhere useful to go instead.

The result pages' buttons carry the (normalised, short) query itself, base64url-encoded, so paging works the
same after a restart and never depends on memory.
"""

from __future__ import annotations

import base64
import binascii

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.usecases import catalog
from handlers.buyer.browse import category_button, product_lines, product_list_markup
from handlers.buyer.formatting import join
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, keyboard, send, show, text
from i18n import t

FLOW = "b1.search"
QUERY = "query"


def encode_query(query: str) -> str:
    return base64.urlsafe_b64encode(query.encode()).decode().rstrip("=")


def decode_query(token: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def page_data(query: str, offset: int) -> str:
    return Route.SEARCH_PAGE.data(offset, encode_query(query))


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
    result = await catalog.search(services(context), query=query, offset=offset)
    language = lang(context)
    if result.found:
        listing = result.products
        body = join(
            [
                text(context, "buyer.search.results", query=result.query, total=listing.page.total),
                *product_lines(language, listing),
            ]
        )
        rows = product_list_markup(language, listing, lambda o: page_data(result.query, o))
        await show(update, context, body, keyboard(rows))
        return
    await show(update, context, *_no_match(language, result))


def _no_match(language: str, result: catalog.SearchResult) -> tuple[str, InlineKeyboardMarkup | None]:
    parts = [t(language, "buyer.search.none", query=result.query)]
    rows: list[list[ButtonSpec]] = []
    if result.matching_words:
        parts.append(t(language, "buyer.search.try_words"))
        rows.append([(f"🔍 {word}", page_data(word, 0)) for word in result.matching_words[:4]])
    if result.categories:
        parts.append(t(language, "buyer.search.try_categories"))
        rows += [[category_button(name, count)] for name, count in result.categories]
    else:
        parts.append(t(language, "buyer.search.catalog_empty"))
    parts.append(t(language, "buyer.search.tips"))
    return join(parts), keyboard(rows)


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
