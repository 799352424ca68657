"""Every button of the product, in one typed table, and the one codec for the callback data they carry.

Callback data is ``<ns><version>:<action>[:arg...]`` (e.g. ``o1:acc:123``), at most 64 bytes, each part
``[A-Za-z0-9_.-]``. A route is the ``<ns><version>:<action>`` part: use cases put ``Route.ORDER_ACCEPT.with_id(7)``
on a notification's button, a handler registers ``Route.ORDER_ACCEPT.pattern`` and reads the press back with
``decode``. The strings never change once shipped: stored notifications and messages already in chats carry them.
A client can forge callback data, so decoding only checks the shape; every use case re-checks who may act.
Most buttons carry one id (an order, a shop…) or an offset; a comment names less obvious arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.\-]*$")


class Route(StrEnum):
    # --- the buyer: browsing, search, product page (b1) ---
    BROWSE_CATEGORIES = "b1:cats"
    BROWSE_CATEGORY = "b1:cat"  # :<category token>:<offset>
    BROWSE_SHOPS = "b1:shops"
    BROWSE_SHOP = "b1:shop"
    SEARCH_PAGE = "b1:s"  # :<offset>:<query, base64url>
    PRODUCT_OPEN = "b1:p"
    PRODUCT_ADD_TO_CART = "b1:add"
    PRODUCT_PHOTOS = "b1:ph"
    PRODUCT_SHARE = "b1:shr"
    PRODUCT_SKU_PHOTO = "b1:skph"  # :<sku> the photo of the SKU picked (variants)
    PRODUCT_PICK = "b1:pick"  # :<product>:<value of option 1>:<of option 2> (1-based; 0 not picked yet) variants
    LANGUAGE = "b1:lang"
    TIME_ZONES = "b1:tzs"  # the time zone screen
    TIME_ZONE = "b1:tz"  # :<index in handlers.buyer.time_zone.COMMON_ZONES>
    TIME_ZONE_TYPE = "b1:tzt"  # type a zone's name instead
    BUYER_PAGE_COUNTER = "b1:nop"  # the n/m between a list's arrows
    # --- the buyer: favourites (收藏) and recently viewed (足迹) (b1) ---
    FAVOURITE_SET = "b1:fav"  # :<product>:<1|0> the state wanted (a doubled press changes nothing)
    FAVOURITES_LIST = "b1:fl"  # :<offset>
    FAVOURITE_REMOVE = "b1:fr"  # :<product>:<offset of the list>
    FAVOURITE_ALERTS = "b1:fa"  # :<1|0>:<offset of the list> the price-drop note wanted or not
    RECENT_LIST = "b1:rv"  # :<offset>
    RECENT_CLEAR = "b1:rvc"  # [:y] asks first; y clears
    # --- the buyer: sorting and filtering a search or a category (b1) ---
    LISTING_FROM = "b1:lo"  # :<sort code | f for filters>:<q + query base64url | c + category token> a list drawn plain
    LISTING_PAGE = "b1:lp"  # :<listing view>:<offset>
    LISTING_SORT = "b1:ls"  # :<listing view>:<sort code>
    LISTING_FILTERS = "b1:lf"  # :<listing view> the filter screen
    LISTING_PRICE = "b1:lpr"  # :<listing view>:<preset index | x for any price>
    LISTING_PRICE_TYPE = "b1:lpt"  # :<listing view> type a range instead
    LISTING_IN_STOCK = "b1:lin"  # :<listing view> in stock only, on or off
    LISTING_CATEGORIES = "b1:lcs"  # :<listing view>:<offset> the category picker
    LISTING_CATEGORY = "b1:lca"  # :<listing view>:<category token | x for any>
    LISTING_SHOPS = "b1:lss"  # :<listing view>:<offset> the shop picker
    LISTING_SHOP = "b1:lsh"  # :<listing view>:<shop | 0 for any>
    LISTING_CLEAR = "b1:lcf"  # :<listing view> no filters, same sort
    # --- the buyer: cart, checkout, addresses, orders (b1) ---
    CART_VIEW = "b1:cart"
    CART_INCREASE = "b1:inc"
    CART_DECREASE = "b1:dec"
    CART_REMOVE = "b1:rm"
    CART_CLEAR = "b1:clr"  # [:y] asks first; y clears
    CART_QUANTITY = "b1:qty"  # :<product> type a quantity
    CHECKOUT_CART = "b1:co"
    CHECKOUT_BUY_NOW = "b1:buy"
    CHECKOUT_QUANTITY = "b1:q"
    CHECKOUT_ADDRESS = "b1:ads"
    CHECKOUT_NEW_ADDRESS = "b1:adn"
    CHECKOUT_CHANGE_ADDRESS = "b1:adc"
    CHECKOUT_CONFIRM = "b1:cfm"  # :<nonce of the review confirmed>
    CHECKOUT_CANCEL = "b1:cxl"
    CHECKOUT_COUPON = "b1:cpu"  # :<shop>:<coupon, 0: none> the coupon the review uses for that shop
    # --- the buyer's coupons (优惠券) (b1) ---
    COUPON_CLAIM = "b1:cpc"  # :<coupon>
    ADDRESS_LIST = "b1:adl"
    ADDRESS_ADD = "b1:ana"
    ADDRESS_DELETE = "b1:adx"  # :<address>[:y] asks first; y deletes
    ADDRESS_EDIT = "b1:ade"  # :<address> type it again (name, phone, address)
    ADDRESS_DEFAULT = "b1:adf"  # :<address> make it the one offered first
    ADDRESS_CONFIRM = "b1:ady"  # the read-back of a typed address is right: save it
    ADDRESS_RETYPE = "b1:adr"  # the read-back is wrong: type it again
    ADDRESS_REGIONS = "b1:adg"  # :<offset> the delivery regions to pick from, a page at a time
    ADDRESS_REGION = "b1:adp"  # :<region code> the delivery region picked: the read-back again
    ORDERS_LIST = "b1:ol"
    # --- orders, both sides (o1) ---
    ORDER_DETAIL = "o1:det"
    ORDER_PAY = "o1:pay"
    ORDER_CANCEL = "o1:cnl"  # :<order>[:y] asks first; y cancels
    ORDER_TRACK = "o1:trk"  # :<order>[:r] r refreshes in place
    ORDER_CONFIRM_RECEIPT = "o1:cfm"  # :<order>[:y] asks first; y confirms
    ORDER_EXTEND_RECEIPT = "o1:ext"  # 延长收货, once per order
    ORDER_ACCEPT = "o1:acc"
    ORDER_DECLINE = "o1:dec"
    ORDER_SHIP = "o1:shp"
    # --- reviews (r1) ---
    REVIEW_NEW = "r1:new"
    REVIEW_LINE = "r1:ln"
    REVIEW_SCORE = "r1:sc"
    REVIEW_SKIP_TEXT = "r1:skip"
    REVIEW_PHOTOS_DONE = "r1:pd"
    REVIEW_PUBLISH = "r1:ok"
    REVIEW_CANCEL = "r1:x"
    REVIEW_REPLY = "r1:rp"
    REVIEW_LIST = "r1:rl"
    REVIEW_PRODUCT_LIST = "r1:pr"  # :<product>:<filter, domain.reviews.ReviewFilter>:<offset> anyone reads
    REVIEW_PHOTOS = "r1:rph"  # :<review> its photos, sent to the one who asked
    # --- after-sales tickets (t1) ---
    TICKET_LIST_BUYER = "t1:lb"
    TICKET_LIST_MERCHANT = "t1:lm"
    TICKET_VIEW = "t1:v"
    TICKET_PHOTOS = "t1:ph"
    TICKET_MESSAGE = "t1:msg"
    TICKET_NEW = "t1:new"
    TICKET_KIND = "t1:k"
    TICKET_ITEMS_QUANTITY = "t1:iq"  # :<product>:<units> how many units of one line to have paid back
    TICKET_ITEMS_ALL = "t1:ia"  # every returnable unit
    TICKET_ITEMS_PAGE = "t1:ip"  # :<page> of the item picker
    TICKET_ITEMS_DONE = "t1:in"  # the pick is done: on to the reason
    TICKET_EXCHANGE_LINE = "t1:xl"  # :<product of the order line> the line an exchange swaps (0: back to the lines)
    TICKET_EXCHANGE_SKU = "t1:xs"  # :<sku> the SKU the exchange asks for instead (the same one: the same again)
    TICKET_REASON = "t1:r"
    TICKET_PHOTOS_DONE = "t1:pd"
    TICKET_SUBMIT = "t1:ok"
    TICKET_FORM_CANCEL = "t1:x"
    TICKET_SHIP_RETURN = "t1:ret"
    TICKET_RETURN_CARRIER = "t1:rc"
    TICKET_WITHDRAW = "t1:wd"
    TICKET_WITHDRAW_CONFIRMED = "t1:wdy"
    TICKET_ESCALATE = "t1:esc"
    TICKET_ESCALATE_CONFIRMED = "t1:escy"
    TICKET_APPROVE = "t1:ap"
    TICKET_APPROVE_CONFIRMED = "t1:apy"
    TICKET_REJECT = "t1:rj"
    TICKET_RECEIVED = "t1:rcv"
    TICKET_RECEIVED_CONFIRMED = "t1:rcvy"  # :<ticket>:<s|d> back to stock, or damaged
    TICKET_REPLACEMENT = "t1:rpl"  # :<ticket> the merchant ships an exchange's replacement: which line, how many
    TICKET_REPLACEMENT_LINE = "t1:rpll"  # :<ticket>:<product>:<units> the line and units chosen
    TICKET_REPLACEMENT_CARRIER = "t1:rplc"  # :<ticket>:<carrier index> the replacement's carrier
    TICKET_REPLACEMENT_RECEIVED = "t1:rplok"  # :<ticket> the buyer has the replacement
    # --- group buys: the buyer's pages and the merchant's settings (g1) ---
    GROUP_LIST = "g1:view"
    GROUP_START = "g1:start"
    GROUP_JOIN = "g1:join"
    GROUP_PICK = "g1:pk"  # :<group>:<value of option 1>:<of option 2> a joiner's SKU picker (1-based; 0 not yet)
    GROUP_JOIN_SKU = "g1:jsk"  # :<group>:<SKU> join a group of a product with options with the SKU picked
    GROUP_PAGE = "g1:grp"
    GROUP_ADDRESS = "g1:ad"
    GROUP_NEW_ADDRESS = "g1:adn"
    GROUP_CANCEL = "g1:cx"
    GROUP_SETTINGS_LIST = "g1:cfl"
    GROUP_SETTINGS = "g1:cfg"
    GROUP_SETTINGS_CHANGE = "g1:cfs"
    GROUP_SETTINGS_SIZE = "g1:csz"
    GROUP_SETTINGS_OFF = "g1:cfo"
    # --- the merchant (m1) ---
    MERCHANT_DASHBOARD = "m1:db"
    MERCHANT_ADD_PRODUCT = "m1:add"
    MERCHANT_STATS = "m1:st"
    MERCHANT_PAGE_COUNTER = "m1:noop"
    MERCHANT_PAY_DEPOSIT = "m1:dep"
    MERCHANT_APPLICATION = "m1:ap"  # :<what>[:<arg>] a button of the /open_shop form
    MERCHANT_NEW_PRODUCT = "m1:np"  # :<what>[:<arg>] a button of the /add_product form
    MERCHANT_PRODUCTS = "m1:pl"
    MERCHANT_PRODUCT = "m1:pv"
    MERCHANT_PRODUCT_ON_SALE = "m1:pa"  # :<product>:<0|1>:<offset>
    MERCHANT_PRODUCT_EDIT = "m1:pe"  # :<product>:<field> type a new value for one field
    MERCHANT_PRODUCT_EDIT_MENU = "m1:pem"  # :<product> which field to edit
    MERCHANT_PRODUCT_EDIT_CONFIRM = "m1:pey"  # :<product> save the value read back
    MERCHANT_PRODUCT_PHOTOS_DONE = "m1:pd"
    MERCHANT_ORDERS = "m1:ol"
    MERCHANT_ORDER = "m1:ov"
    MERCHANT_DECLINE_PRESET = "m1:dr"
    MERCHANT_DECLINE_TYPED = "m1:dt"
    MERCHANT_SHIP_CARRIER = "m1:sc"
    MERCHANT_TRACKING_UPDATE = "m1:tu"
    # --- the merchant's money (m1) ---
    MERCHANT_BALANCE = "m1:bal"  # :<history offset>
    MERCHANT_PAYOUT = "m1:po"  # :<shop> how much to ask for
    MERCHANT_PAYOUT_ALL = "m1:poa"  # :<shop> confirm asking for all of it
    MERCHANT_PAYOUT_TYPED = "m1:pot"  # :<shop> type an amount
    MERCHANT_PAYOUT_CONFIRMED = "m1:poy"  # :<shop>:<amount>:<times the balance had moved when shown>
    MERCHANT_TOP_UP = "m1:dtu"  # :<shop> the invoice for what the deposit lacks
    # --- the merchant's shipping template (运费模板) (m1) ---
    MERCHANT_SHIPPING = "m1:sh"  # the template as it is (also Cancel of a draft)
    MERCHANT_SHIPPING_EDIT = "m1:she"  # :<free|fee|over|extra|regions> change one part of the draft
    MERCHANT_SHIPPING_SAVE = "m1:shy"  # save the draft read back
    # --- the merchant's coupons (优惠券) (m1) ---
    MERCHANT_COUPONS = "m1:cp"  # the shop's coupons (also Cancel of a draft)
    MERCHANT_COUPON_NEW = "m1:cpn"  # :<amount|percent> start a draft: the numbers are typed
    MERCHANT_COUPON_CREATE = "m1:cpy"  # create the draft read back
    MERCHANT_COUPON_END = "m1:cpx"  # :<coupon>
    # --- the merchant's product imports (m1) ---
    MERCHANT_ALERTS = "m1:al"  # /notifications: the alert settings screen
    MERCHANT_ALERT_SET = "m1:als"  # :<event group>:<channel>:<1|0> the state wanted (a doubled press changes nothing)
    MERCHANT_ALERT_EMAIL = "m1:ale"  # type an e-mail address (a code is sent to it)
    MERCHANT_ALERT_PHONE = "m1:alp"  # :<shop|typed> verify the shop's contact phone, or type one (an SMS code)
    MERCHANT_ALERT_QUIET = "m1:alq"  # type the SMS quiet hours ("22:00-08:00" or "off")
    # --- the merchant's staff (子账号) and the shop's group chat (m1) ---
    MERCHANT_STAFF = "m1:sf"  # /staff: the shop's staff, invitations and group chat
    MERCHANT_STAFF_INVITE = "m1:sfi"  # :<role> a one-time invitation link for that role
    MERCHANT_STAFF_REMOVE = "m1:sfr"  # :<user> asks first
    MERCHANT_STAFF_REMOVE_YES = "m1:sfx"  # :<user> removes at once
    MERCHANT_GROUP_ALERTS = "m1:sfg"  # :<1|0> the group chat's alerts wanted on or off
    STAFF_JOIN = "m1:sfj"  # :<invitation token> the invitee's ✅ Accept
    STAFF_WORK_IN = "m1:sfw"  # :<shop> staff of several shops: work in this one now
    MERCHANT_ALERT_REMOVE = "m1:alr"  # :<email|sms>:<0|1> remove the verified e-mail or phone (0 asks, 1 confirmed)
    MERCHANT_IMPORTS = "m1:il"  # :<offset> recent import jobs
    MERCHANT_IMPORT = "m1:iv"  # :<job>
    MERCHANT_IMPORT_STOP = "m1:is"  # :<job>
    MERCHANT_IMPORT_ERRORS = "m1:ie"  # :<job> every refused row as a CSV file
    MERCHANT_IMPORT_START = "m1:imp"  # /import_products as a button (the next step once the shop is open)
    MERCHANT_APPLY_AGAIN = "m1:apa"  # /open_shop as a button (after a rejection)
    # --- the merchant's promotions (p1) ---
    PROMO_LIST = "p1:ls"
    PROMO_PAUSE = "p1:ps"
    PROMO_RESUME = "p1:rs"
    PROMO_END = "p1:end"
    PROMO_END_CONFIRMED = "p1:endy"
    PROMO_NEW_LIMITED = "p1:nlt"
    PROMO_NEW_SPEND_OFF = "p1:nso"
    PROMO_CANCEL = "p1:cx"
    PROMO_PRODUCTS_PAGE = "p1:pp"
    PROMO_WHOLE_SHOP = "p1:all"
    PROMO_PRODUCT = "p1:pk"  # :<product>[:all] (all: every SKU of a product with variants)
    PROMO_KIND = "p1:kd"  # :<pct|amt>
    PROMO_START = "p1:st"
    PROMO_END_AFTER = "p1:en"
    PROMO_SUGGESTED_NAME = "p1:nmd"
    PROMO_CREATE = "p1:ok"
    # --- the admin console (a1) ---
    ADMIN_MENU = "a1:m"
    ADMIN_PAGE_COUNTER = "a1:noop"
    ADMIN_APPLICATIONS = "a1:q"
    ADMIN_DOCUMENTS = "a1:doc"
    ADMIN_APPROVE = "a1:ap"  # :<shop> asks to confirm
    ADMIN_APPROVE_CONFIRMED = "a1:apc"  # :<shop> approves
    ADMIN_REJECT = "a1:rj"
    ADMIN_REJECT_PRESET = "a1:rr"
    ADMIN_REJECT_TYPED = "a1:ro"
    ADMIN_SHOPS = "a1:sl"
    ADMIN_SHOP_SEARCH = "a1:ss"
    ADMIN_SHOP = "a1:sh"
    ADMIN_SUSPEND = "a1:su"
    ADMIN_SUSPEND_PRESET = "a1:sr"
    ADMIN_SUSPEND_TYPED = "a1:so"
    ADMIN_REINSTATE = "a1:ri"
    ADMIN_REINSTATE_CONFIRMED = "a1:ric"
    ADMIN_CLOSE = "a1:cl"
    ADMIN_CLOSE_CONFIRMED = "a1:clc"
    ADMIN_CLOSE_WITH_ORDERS = "a1:clf"  # :<shop> also cancels and refunds its open orders
    ADMIN_EVALUATE = "a1:ev"
    ADMIN_EVALUATE_RUN = "a1:evr"
    ADMIN_DISPUTES = "a1:tl"
    ADMIN_DISPUTE = "a1:tk"
    ADMIN_DISPUTE_PHOTOS = "a1:tp"
    ADMIN_RULE_REFUND = "a1:tr"
    ADMIN_RULE_CLOSE = "a1:tc"
    ADMIN_RULE_REFUND_CONFIRMED = "a1:trc"
    ADMIN_RULE_CLOSE_CONFIRMED = "a1:tcc"
    ADMIN_RULE_SKIP_NOTE = "a1:tn"  # :<ticket>:<r|c> rules (refund or close) without a note
    ADMIN_TICKET_MESSAGE = "a1:tm"  # :<ticket>:<buyer|merchant> the next text goes to that party
    ADMIN_STATS = "a1:st"
    ADMIN_TEAM = "a1:al"
    ADMIN_APPOINT = "a1:aa"
    ADMIN_APPOINT_USER = "a1:an"
    ADMIN_APPOINT_BY_ID = "a1:ai"
    ADMIN_REMOVE = "a1:ar"
    ADMIN_REMOVE_CONFIRMED = "a1:arc"
    ADMIN_AUDIT = "a1:au"
    ADMIN_UNREACHABLE = "a1:ur"  # merchants who blocked the bot while their shops have open orders
    ADMIN_PROVIDER_REFUNDS = "a1:pl"  # :<offset> provider refunds waiting for an admin
    ADMIN_PROVIDER_REFUND = "a1:pr"
    ADMIN_PROVIDER_REFUND_DONE = "a1:pd"  # :<refund> asks for the provider's reference
    ADMIN_PROVIDER_REFUND_CONFIRMED = "a1:pdc"  # :<refund> marks it done with the reference typed
    ADMIN_PAYOUTS = "a1:pol"  # :<offset>
    ADMIN_PAYOUT = "a1:pov"
    ADMIN_PAYOUT_PAY = "a1:pop"  # :<payout> type the reference
    ADMIN_PAYOUT_PAID = "a1:popy"  # :<payout> confirm the reference typed
    ADMIN_PLATFORM_COUPONS = "a1:pc"  # platform coupons (also Cancel of a draft)
    ADMIN_PLATFORM_COUPON_NEW = "a1:pcn"  # :<amount|percent> start a draft: the numbers are typed
    ADMIN_PLATFORM_COUPON_CREATE = "a1:pcy"  # create the draft read back
    ADMIN_PLATFORM_COUPON_END = "a1:pcx"  # :<coupon>

    def data(self, *args: int | str) -> str:
        """The callback data of a button of this route carrying ``args``; ValueError if it would be malformed."""
        parts = [str(arg) for arg in args]
        for part in parts:
            if not _PART.match(part):
                raise ValueError(f"callback argument {part!r} must be [A-Za-z0-9_.-]")
        data = ":".join([self.value, *parts])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
        return data

    def with_id(self, entity_id: int) -> str:
        """The callback data of this route's button for one order, shop, ticket…"""
        return self.data(entity_id)

    @property
    def pattern(self) -> str:
        """The regular expression a CallbackQueryHandler matches this route's presses with."""
        return rf"^{re.escape(self.value)}(:|$)"


class MalformedPress(ValueError):
    """A press lacks an argument its route needs: forged, or drawn by an older version of the bot."""


@dataclass(frozen=True)
class Press:
    """A pressed button's callback data, decoded: its route and the arguments after it."""

    route: Route
    args: tuple[str, ...]

    def arg(self, index: int) -> str:
        """The ``index``-th argument as sent, or "" when there is none."""
        return self.args[index] if len(self.args) > index else ""

    def number(self, index: int = 0) -> int | None:
        """The ``index``-th argument as a strict non-negative int, or None when missing or not a number."""
        value = self.arg(index)
        return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None

    def id(self, index: int = 0) -> int:
        """The ``index``-th argument as an id (an order, a shop…); MalformedPress when there is none."""
        value = self.number(index)
        if value is None:
            raise MalformedPress(f"{self.route.value} needs a number at {index}, got {self.args!r}")
        return value


_ROUTES: dict[str, Route] = {route.value: route for route in Route}


def decode(data: str | None) -> Press | None:
    """A button's callback data read back; None for anything malformed or for a route that does not exist."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or not all(_PART.match(part) for part in parts):
        return None
    route = _ROUTES.get(f"{parts[0]}:{parts[1]}")
    return Press(route, tuple(parts[2:])) if route is not None else None
