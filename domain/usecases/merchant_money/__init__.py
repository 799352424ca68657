"""Merchant money (README "Money"): what the platform holds for a shop and how it reaches the merchant.

A completed order's money settles into the shop's pending balance (domain/usecases/settlement.py); ``release``
makes it available once the after-sales window is over; ``payouts`` lets the merchant ask for available money and
admins pay it; ``deposits`` tops the deposit up after a deduction and returns a closed shop's deposit; ``balance``
is the merchant's ``/balance`` screen. ``accounts`` holds what they share.
"""

from __future__ import annotations

from domain.usecases.merchant_money.accounts import ShopMoney, shop_money, top_up_due
from domain.usecases.merchant_money.balance import Balance, HistoryLine, merchant_balance
from domain.usecases.merchant_money.deposits import (
    DepositCharge,
    TopUp,
    deposit_top_up,
    record_deposit_charge,
    refund_deposit_charge,
    return_deposit,
    top_up_deposit,
    validate_deposit_top_up,
)
from domain.usecases.merchant_money.payouts import (
    PayoutOffer,
    PayoutPage,
    PayoutQuote,
    PayoutView,
    mark_payout_paid,
    payout_offer,
    payout_queue,
    payout_reference,
    quote_payout,
    request_payout,
    view_payout,
)
from domain.usecases.merchant_money.release import release_due, release_order

__all__ = [
    "Balance",
    "DepositCharge",
    "HistoryLine",
    "PayoutOffer",
    "PayoutPage",
    "PayoutQuote",
    "PayoutView",
    "ShopMoney",
    "TopUp",
    "deposit_top_up",
    "mark_payout_paid",
    "merchant_balance",
    "payout_offer",
    "payout_queue",
    "payout_reference",
    "quote_payout",
    "record_deposit_charge",
    "refund_deposit_charge",
    "release_due",
    "release_order",
    "request_payout",
    "return_deposit",
    "shop_money",
    "top_up_deposit",
    "top_up_due",
    "validate_deposit_top_up",
    "view_payout",
]
