"""Domain errors carry a stable code; handlers turn the code into localised text."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    # generic
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID_TRANSITION = "invalid_transition"
    CONFLICT = "conflict"
    ALREADY_DONE = "already_done"
    RATE_LIMITED = "rate_limited"
    # input
    INVALID_AMOUNT = "invalid_amount"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_NUMBER = "invalid_number"
    INVALID_TEXT = "invalid_text"
    INVALID_PRICE_RANGE = "invalid_price_range"
    PRICE_RANGE_REVERSED = "price_range_reversed"
    TEXT_TOO_LONG = "text_too_long"
    NOT_ONE_LINE = "not_one_line"  # a title, category or brand sent on several lines
    TEXT_TOO_SHORT = "text_too_short"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_QUIET_HOURS = "invalid_quiet_hours"
    PHONE_NOT_VERIFIED = "phone_not_verified"
    INVALID_TRACKING = "invalid_tracking"
    INVALID_SCORE = "invalid_score"
    INVALID_DATE = "invalid_date"
    INVALID_PERCENT = "invalid_percent"
    INVALID_GROUP_SIZE = "invalid_group_size"
    INVALID_PROMOTION = "invalid_promotion"
    INVALID_COUPON = "invalid_coupon"
    INVALID_COUPON_CODE = "invalid_coupon_code"
    INVALID_FILE = "invalid_file"
    TOO_MANY_PHOTOS = "too_many_photos"
    CURRENCY_MISMATCH = "currency_mismatch"
    # marketplace rules
    COUPON_GONE = "coupon_gone"  # no such coupon live, or every copy claimed
    COUPON_LIMIT = "coupon_limit"  # the buyer holds as many as one may
    COUPON_USED = "coupon_used"  # the claim went to another order meanwhile
    OUT_OF_STOCK = "out_of_stock"
    INVALID_OPTIONS = "invalid_options"  # variants: the options typed cannot be read (``reason`` says why)
    INVALID_SKUS = "invalid_skus"  # variants: a SKU line cannot be read or names no combination
    NO_OPTIONS = "no_options"  # variants: SKUs asked of a product without options
    PRICED_PER_SKU = "priced_per_sku"  # variants: the price or stock of a product with options is its SKUs'
    CHOOSE_OPTIONS = "choose_options"  # a product with options is bought as one of its SKUs: pick them first
    PRODUCT_INACTIVE = "product_inactive"
    SHOP_NOT_ACTIVE = "shop_not_active"
    SELF_DEALING = "self_dealing"  # 刷单: a merchant buying from, joining or reviewing their own shop
    SHOP_ALREADY_EXISTS = "shop_already_exists"
    CART_EMPTY = "cart_empty"
    ADDRESS_REQUIRED = "address_required"
    PRICE_CHANGED = "price_changed"
    CREDIT_CHANGED = "credit_changed"  # the buyer's store credit moved between the review and Confirm
    PAYMENT_MISMATCH = "payment_mismatch"
    PAYMENT_EXPIRED = "payment_expired"
    ORDER_NOT_PAYABLE = "order_not_payable"
    GROUP_FULL = "group_full"
    GROUP_CLOSED = "group_closed"
    ALREADY_IN_GROUP = "already_in_group"
    NO_GROUP_PRICE = "no_group_price"
    AFTER_SALE_WINDOW_CLOSED = "after_sale_window_closed"
    TICKET_ALREADY_OPEN = "ticket_already_open"
    EXCHANGE_PRICE_DIFFERS = "exchange_price_differs"  # another SKU at another price: a return and a new order
    EXCHANGE_SOLD_OUT = "exchange_sold_out"  # the SKU an exchange asked for ran out before the replacement shipped
    ORDER_REFUNDED = "order_refunded"
    RECEIPT_ALREADY_EXTENDED = "receipt_already_extended"
    REVIEW_WINDOW_CLOSED = "review_window_closed"
    ALREADY_REVIEWED = "already_reviewed"
    ALREADY_REPLIED = "already_replied"
    SHOP_HAS_OPEN_ORDERS = "shop_has_open_orders"
    CANNOT_REMOVE_ROOT_ADMIN = "cannot_remove_root_admin"
    USER_UNREACHABLE = "user_unreachable"
    AGREEMENT_REQUIRED = "agreement_required"
    DOCUMENTS_REQUIRED = "documents_required"
    # merchant journeys
    NO_SHOP = "no_shop"
    INVITE_INVALID = "invite_invalid"  # a staff invitation that is unknown, used or expired
    OWN_SHOP_STAFF = "own_shop_staff"  # the owner opened their own staff invitation
    STAFF_FULL = "staff_full"
    INVALID_CSV = "invalid_csv"
    # buyer journeys
    CART_FULL = "cart_full"
    NOT_IN_CART = "not_in_cart"
    TOO_MANY_ADDRESSES = "too_many_addresses"
    FAVOURITES_FULL = "favourites_full"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    # money (domain/ledger.py)
    INSUFFICIENT_FUNDS = "insufficient_funds"
    LEDGER_UNBALANCED = "ledger_unbalanced"
    LEDGER_KEY_REUSED = "ledger_key_reused"
    # merchant money (domain/usecases/merchant_money)
    NOTHING_TO_PAY_OUT = "nothing_to_pay_out"
    PAYOUT_TOO_LARGE = "payout_too_large"
    BALANCE_CHANGED = "balance_changed"
    DEPOSIT_FULL = "deposit_full"


class DomainError(Exception):
    """A rule said no. ``code`` is stable; ``params`` fill the localised message."""

    def __init__(self, code: ErrorCode, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code.value} {params}" if params else code.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DomainError) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)
