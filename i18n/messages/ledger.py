"""Texts of the ledger's error codes (domain/ledger.py). No placeholders: the params differ per caller."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.insufficient_funds": (
        "There is not enough money in the balance for that.",
        "余额不足,无法完成此操作。",
    ),
    "error.ledger_unbalanced": (
        "😵 That money movement does not add up, so nothing was booked. Please tell an admin.",
        "😵 该笔资金变动不平衡,未予记账,请联系管理员。",
    ),
    "error.ledger_key_reused": (
        "😵 That money movement clashes with one already booked, so nothing was changed. Please tell an admin.",
        "😵 该笔资金变动与已记账的记录冲突,未做任何更改,请联系管理员。",
    ),
}
