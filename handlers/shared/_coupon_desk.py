"""One screen for issuing and ending coupons, used twice: a merchant's shop coupons (/coupons) and an admin's
platform coupons (/platform_coupons, 🎟 Platform coupons on /admin).

The screen lists the live coupons with 🔚 End buttons and two to start a new one (amount off over a minimum spend,
or a percent off with a cap). The terms are typed as one line of numbers (the desk's flow), read back with
✅ Create and ✖️ Cancel; only Create issues the coupon, once. Bad input is answered and changes nothing. Who may
is the use cases' (re-checked on every call): the shop's owner, or an admin for the platform's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.coupons import Coupon
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.routes import Press, Route
from domain.services import Services
from domain.usecases.coupons import AMOUNT, PERCENT, CouponTerms, create_coupon_draft, end_coupon, parse_terms
from handlers.common import flows
from handlers.common.buttons import ButtonHandler, add_buttons, on_button
from handlers.common.deps import Context, lang, services
from handlers.common.flows import STAY, Flow, Step, buttons_only
from handlers.common.reply import ButtonSpec, error_text, keyboard, label, send, show, text
from i18n.coupons import coupon_terms

CONFIRM = "confirm"
KINDS = (AMOUNT, PERCENT)


@dataclass(frozen=True)
class CouponDesk:
    """Where the screen's buttons go and whose coupons it shows."""

    flow: str
    command: str
    view: Route  # the list (also Cancel of a draft)
    new: Route  # :<amount|percent>
    create: Route
    end: Route  # :<coupon>
    actor: Callable[[Update], Actor]
    # The card's first line and the live coupons (also the permission check before anything is asked).
    listing: Callable[[Services, Actor, Context], Awaitable[tuple[str, Sequence[Coupon]]]]
    platform: bool = False
    back: tuple[str, Route] | None = None  # a button under the list (label key, route)

    async def show(self, update: Update, context: Context, *, note: str = "") -> None:
        title, coupons = await self.listing(services(context), self.actor(update), context)
        lines = [title]
        lines += [
            text(
                context,
                "coupons.item",
                code=c.code,
                terms=coupon_terms(lang(context), c),
                left=c.left,
                total=c.total,
                per_user=c.per_user,
                ends=c.ends_at,
            )
            for c in coupons
        ] or [text(context, "coupons.none")]
        rows: list[list[ButtonSpec]] = [
            [(label(context, "coupons.btn.end", code=c.code), self.end.data(c.id))] for c in coupons
        ]
        rows.append([(label(context, f"coupons.btn.new_{kind}"), self.new.data(kind)) for kind in KINDS])
        if self.back is not None:
            rows.append([(label(context, self.back[0]), self.back[1].data())])
        body = "\n".join(lines)
        await show(update, context, f"{note}\n\n{body}" if note else body, keyboard(rows))

    async def _ask_terms(self, update: Update, context: Context, kind: str, *, note: str = "") -> None:
        """The question for the terms (after ``note``, what was wrong with the last answer)."""
        cancel = [[(label(context, "merchant.btn.cancel"), self.view.data())]]
        ask = text(context, f"coupons.ask.{kind}")
        await send(update, context, f"{note}\n\n{ask}" if note else ask, keyboard(cancel))

    async def _read_back(self, update: Update, context: Context, terms: CouponTerms) -> None:
        svc = services(context)
        coupon = terms.coupon(None if self.platform else 0, svc.policy.currency, svc.clock.now())
        rows = [
            [(label(context, "coupons.btn.create"), self.create.data())],
            [(label(context, "merchant.btn.cancel"), self.view.data())],
        ]
        body = text(
            context,
            "platform_coupons.read_back" if self.platform else "coupons.read_back",
            terms=coupon_terms(lang(context), coupon),
            total=terms.total,
            per_user=terms.per_user,
            days=terms.days,
        )
        await send(update, context, body, keyboard(rows))

    async def terms_step(self, step: Step) -> str:
        """The typed numbers of the new coupon; read back, or answered and asked again."""
        svc = services(step.context)
        kind = step.state.step
        try:
            terms = parse_terms(kind, step.text, svc.policy.currency, svc.clock.now())
        except DomainError as error:
            if error.code is ErrorCode.INVALID_NUMBER:
                note = text(step.context, "coupons.bad", value=step.text[:40])
            elif error.code in (ErrorCode.INVALID_COUPON, ErrorCode.INVALID_PERCENT):
                note = error_text(step.context, error)
            else:
                raise
            await self._ask_terms(step.update, step.context, kind, note=note)
            return STAY
        step.data["terms"] = terms.to_data()
        await self._read_back(step.update, step.context, terms)
        return CONFIRM

    async def _ask(self, update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
        if step == CONFIRM:
            await self._read_back(update, context, CouponTerms.from_data(data["terms"]))
        else:
            await self._ask_terms(update, context, step)

    def buttons(self) -> list[ButtonHandler]:
        @on_button(self.view)
        async def on_view(update: Update, context: Context, press: Press) -> None:
            """The coupons as they are; also the Cancel of a draft (the draft is dropped)."""
            await flows.drop_flow(update, context, self.flow)
            await self.show(update, context)

        @on_button(self.new)
        async def on_new(update: Update, context: Context, press: Press) -> None:
            kind = press.arg(0)
            if kind not in KINDS:
                await self.show(update, context)
                return
            await self.listing(services(context), self.actor(update), context)  # allowed, before asking anything
            await flows.start_flow(update, context, self.flow, kind, {})
            await self._ask_terms(update, context, kind)

        @on_button(self.end)
        async def on_end(update: Update, context: Context, press: Press) -> None:
            actor = self.actor(update)
            coupon = await end_coupon(services(context), actor=actor, coupon_id=press.id(), platform=self.platform)
            await self.show(update, context, note=text(context, "coupons.ended", code=coupon.code))

        @on_button(self.create)
        async def on_create(update: Update, context: Context, press: Press) -> None:
            """✅ Create: the coupon read back is issued, once; pressed again (or replayed), the same list."""
            made = await create_coupon_draft(
                services(context), actor=self.actor(update), flow=self.flow, steps=(CONFIRM,), platform=self.platform
            )
            coupon = await flows.made_by_draft(
                update, context, made, flow=self.flow, gone_key="coupons.stale", ask=self._ask
            )
            if coupon is not None:
                await self.show(update, context, note=text(context, "coupons.created", code=coupon.code))

        return [on_view, on_new, on_end, on_create]

    def register(self, app: Application) -> None:
        steps = {AMOUNT: self.terms_step, PERCENT: self.terms_step, CONFIRM: buttons_only("coupons.use_buttons")}
        flows.register_flow(Flow(self.flow, steps, cancel_key="coupons.cancelled"))
        app.add_handler(CommandHandler(self.command, lambda update, context: self.show(update, context)))
        add_buttons(app, *self.buttons())
