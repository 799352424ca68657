"""The button routes: one typed table, the strings already shipped never change, every route has exactly one
handler in the built Application and every callback pattern registered there is a route's."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import CallbackQuery, Update, User
from telegram.ext import Application, CallbackQueryHandler

from bot.app import Runtime, open_runtime
from bot.settings import Settings
from domain.routes import MAX_BYTES, MalformedPress, Press, Route, decode
from handlers.common.buttons import ButtonHandler
from handlers.shared.fallbacks import FALLBACK_GROUP

# Every callback string the bot has ever put on a button: stored notifications and messages already in chats
# carry them, so a route may be added but none of these may change or go.
SHIPPED_TEXT = """
b1:cats b1:cat b1:shops b1:shop b1:s b1:p b1:add b1:ph b1:shr b1:lang b1:nop b1:cart b1:inc b1:dec b1:rm b1:clr
b1:qty b1:co b1:buy b1:q b1:ads b1:adn b1:adc b1:cfm b1:cxl b1:adl b1:ana b1:adx b1:ol
o1:det o1:pay o1:cnl o1:trk o1:cfm o1:ext o1:acc o1:dec o1:shp
r1:new r1:ln r1:sc r1:skip r1:pd r1:ok r1:x r1:rp r1:rl
t1:lb t1:lm t1:v t1:ph t1:msg t1:new t1:k t1:iq t1:ia t1:ip t1:in t1:r t1:pd t1:ok t1:x t1:ret t1:rc t1:wd
t1:wdy t1:esc t1:escy t1:ap t1:apy t1:rj t1:rcv t1:rcvy
g1:view g1:start g1:join g1:grp g1:ad g1:adn g1:cx g1:cfl g1:cfg g1:cfs g1:csz g1:cfo
m1:db m1:add m1:st m1:noop m1:dep m1:ap m1:np m1:pl m1:pv m1:pa m1:pe m1:pd m1:ol m1:ov m1:dr m1:dt m1:sc m1:tu
p1:ls p1:ps p1:rs p1:end p1:endy p1:nlt p1:nso p1:cx p1:pp p1:all p1:pk p1:kd p1:st p1:en p1:nmd p1:ok
a1:m a1:noop a1:q a1:doc a1:ap a1:rj a1:rr a1:ro a1:sl a1:ss a1:sh a1:su a1:sr a1:so a1:ri a1:ric a1:cl a1:clc
a1:clf a1:ev a1:evr a1:tl a1:tk a1:tp a1:tr a1:tc a1:trc a1:tcc a1:st a1:al a1:aa a1:an a1:ai a1:ar a1:arc a1:au
a1:pl a1:pr a1:pd a1:pdc
m1:bal m1:po m1:poa m1:pot m1:poy m1:dtu a1:pol a1:pov a1:pop a1:popy
m1:il m1:iv m1:is m1:ie
b1:tzs b1:tz b1:tzt
b1:lo b1:lp b1:ls b1:lf b1:lpr b1:lpt b1:lin b1:lcs b1:lca b1:lss b1:lsh b1:lcf
a1:apc a1:tn a1:tm
m1:sf m1:sfi m1:sfr m1:sfx m1:sfg m1:sfj
m1:alr
a1:pc a1:pcn a1:pcy a1:pcx b1:adg b1:adp
b1:pick b1:skph
g1:pk g1:jsk
"""
SHIPPED = SHIPPED_TEXT.split()


def test_the_strings_already_on_buttons_are_all_still_routes() -> None:
    assert len(SHIPPED) == len(set(SHIPPED))
    assert set(SHIPPED) <= {route.value for route in Route}


def test_no_two_routes_share_a_string_and_each_is_namespace_and_action() -> None:
    assert len(Route.__members__) == len(list(Route)), "a repeated value makes an alias, not a route"
    for route in Route:
        assert re.fullmatch(r"[a-z]\d:[a-z]+", route.value), route.name


def test_a_buttons_data_reads_back_as_its_route_and_arguments() -> None:
    data = Route.ADMIN_REJECT_PRESET.data(12, "docs")

    assert data == "a1:rr:12:docs"
    assert decode(data) == Press(Route.ADMIN_REJECT_PRESET, ("12", "docs"))
    assert decode(Route.ORDER_ACCEPT.with_id(7)) == Press(Route.ORDER_ACCEPT, ("7",))
    assert decode(Route.CART_VIEW.data()) == Press(Route.CART_VIEW, ())


@pytest.mark.parametrize("argument", ["two words", "a:b", "中文", "x" * MAX_BYTES])
def test_data_that_telegram_or_the_codec_would_refuse_is_never_built(argument: str) -> None:
    with pytest.raises(ValueError):
        Route.SEARCH_PAGE.data(0, argument)


@pytest.mark.parametrize(
    "data",
    [None, "", "o1", "o1:acc:1 2", "o1:acc:１", "zz:acc:1", "o1:nope:1", "o1:acc:" + "9" * MAX_BYTES, "o1:acc:ü"],
)
def test_forged_or_malformed_data_reads_as_nothing(data: str | None) -> None:
    assert decode(data) is None


def test_an_id_the_press_lacks_is_refused_as_malformed_not_guessed() -> None:
    press = decode("o1:acc:abc")
    assert press is not None and press.number() is None and press.arg(0) == "abc" and press.arg(3) == ""
    with pytest.raises(MalformedPress):
        press.id()
    assert Press(Route.MERCHANT_PRODUCT, ("5", "40")).id(1) == 40


def test_a_pattern_takes_its_own_route_only_not_a_longer_action() -> None:
    pattern = re.compile(Route.ADMIN_CLOSE.pattern)

    assert pattern.match("a1:cl") and pattern.match("a1:cl:5")
    assert not pattern.match("a1:clc:5") and not pattern.match("a1:clf:5") and not pattern.match("xa1:cl:5")


# --- the handlers a built Application registers -------------------------------------------------------------------


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token="123:test", database_url=f"sqlite+aiosqlite:///{tmp_path / 'routes.db'}"
    )
    opened = await open_runtime(settings, migrate=False)
    yield opened
    await opened.database.dispose()


def callback_handlers(application: Application) -> list[tuple[int, CallbackQueryHandler]]:
    return [
        (group, handler)
        for group, handlers in application.handlers.items()
        for handler in handlers
        if isinstance(handler, CallbackQueryHandler)
    ]


async def test_every_route_has_exactly_one_handler_and_every_pattern_is_a_route(runtime: Runtime) -> None:
    by_pattern = {route.pattern: route for route in Route}
    handled: Counter[Route] = Counter()
    for group, handler in callback_handlers(runtime.application):
        if handler.pattern is None:  # the catch-all that answers a button nobody handles
            assert group == FALLBACK_GROUP
            continue
        assert isinstance(handler.pattern, re.Pattern)
        route = by_pattern.get(handler.pattern.pattern)
        assert route is not None, f"{handler.pattern.pattern!r} is not a route's pattern"
        assert isinstance(handler.callback, ButtonHandler) and route in handler.callback.routes
        handled[route] += 1

    assert [route for route in Route if handled[route] != 1] == []


async def test_a_press_of_each_route_reaches_its_own_handler_and_no_other(runtime: Runtime) -> None:
    handlers = [handler for group, handler in callback_handlers(runtime.application) if group != FALLBACK_GROUP]
    for route in Route:
        data = route.data(1, 2)
        takers = [handler.callback for handler in handlers if handler.check_update(_press(data))]
        assert len(takers) == 1 and isinstance(takers[0], ButtonHandler) and route in takers[0].routes, route


def _press(data: str) -> Update:
    return Update(1, callback_query=CallbackQuery("q", User(1, "Test", is_bot=False), "chat", data=data))
