"""The in-memory world the sandbox simulates: users, their private chats with the bot, messages,
the update queue, files, command menus, invoices and payments.

Everything here is plain data plus small bookkeeping; Telegram's rules live in ``methods/`` and the
users' side in ``actions.py``. Every change goes through :meth:`World.touch`, which bumps a global
sequence number (``seq``) and wakes waiters, so "what changed since N" is always answerable.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.defaults import DEFAULT_USERS, FIRST_GENERATED_USER_ID
from sandbox.errors import CHAT_NOT_FOUND, bad_request
from sandbox.signals import Signal
from sandbox.telegram_html import FormattedText

# Update types delivered when allowed_updates is empty (Telegram's default).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def now_ts() -> int:
    return int(time.time())


@dataclass
class BotIdentity:
    id: int
    username: str
    first_name: str
    # language_code -> text ("" is the default language)
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)


@dataclass
class SimUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"
    last_name: str | None = None
    blocked: bool = False
    # True once the user wrote to the bot (matters only with strict first contact).
    started: bool = False


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    mime_type: str
    file_name: str | None
    file_path: str
    width: int = 0
    height: int = 0
    url: str | None = None  # sent by URL: known, but there are no bytes to download

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Invoice:
    chat_id: int
    message_id: int
    title: str
    description: str
    payload: str
    currency: str
    prices: list[dict[str, Any]]
    provider_token: str
    start_parameter: str | None = None
    paid_charge_id: str | None = None

    @property
    def total_amount(self) -> int:
        return sum(int(p.get("amount", 0)) for p in self.prices)


@dataclass
class Payment:
    charge_id: str
    provider_charge_id: str
    user_id: int
    currency: str
    total_amount: int
    payload: str
    message_id: int
    refunded: bool = False


@dataclass(frozen=True)
class StarTransaction:
    """One line of the bot's Stars account (``getStarTransactions``): a buyer's payment in, or its refund out."""

    charge_id: str  # Telegram's transaction id: the charge id, for the payment and for its refund alike
    user_id: int
    amount: int
    payload: str
    date: int
    incoming: bool  # True: the buyer paid (``source``); False: the payment was refunded (``receiver``)


QueryKind = Literal["callback_query", "pre_checkout_query", "inline_query"]


@dataclass
class PendingQuery:
    """A query the bot must answer: a button press, a pre-checkout check or an inline query."""

    id: str
    kind: QueryKind
    user_id: int
    created: float = field(default_factory=time.monotonic)
    message_id: int | None = None
    data: str | None = None
    answered: bool = False
    expired: bool = False
    ok: bool | None = None
    error_message: str | None = None
    lose_payment_update: bool = False  # a test's fault: charge the user, but never tell the bot
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    results: list[dict[str, Any]] | None = None
    outcome: dict[str, Any] | None = None
    group_id: int | None = None  # a press in this group chat: the answer shows there too, beside the presser's toast


@dataclass
class SimMessage:
    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    created_seq: int
    seq: int
    text: FormattedText | None = None
    text_source: str | None = None
    caption: FormattedText | None = None
    caption_source: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    document: dict[str, Any] | None = None
    invoice: Invoice | None = None
    successful_payment: dict[str, Any] | None = None
    refunded_payment: dict[str, Any] | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    # Inline mode: posted "via @bot"; by another user (``sender_id``) into this user's chat with them, where the
    # bot is no member (it gets no update, and edits it only through ``inline_message_id``).
    via_bot: bool = False
    sender_id: int | None = None
    inline_message_id: str | None = None
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]] | None:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup["inline_keyboard"]
        return None


@dataclass
class SystemEntry:
    """Something the user sees that is not a message: a toast, a payment error, a notice."""

    created_seq: int
    date: int
    kind: str
    text: str
    show_alert: bool = False
    # In a group chat: the member it is about (who pressed the button the bot answered, who added the bot, ...).
    user_id: int | None = None


@dataclass
class Chat:
    id: int
    user: SimUser
    messages: dict[int, SimMessage] = field(default_factory=dict)
    system: list[SystemEntry] = field(default_factory=list)
    next_message_id: int = 1
    seq: int = 0
    # The reply keyboard currently shown under the composer (set by the latest bot message with one).
    reply_keyboard: dict[str, Any] | None = None
    # A group chat (negative id): its title and the users in it besides the bot; ``user`` then stands for the group
    # itself (its ``blocked``: the bot is not in it). None for a private chat.
    title: str | None = None
    members: list[int] = field(default_factory=list)
    supergroup: bool = False
    creator: int | None = None  # the group's admin: who made it (only they may remove the bot)

    @property
    def is_group(self) -> bool:
        return self.title is not None

    @property
    def has_bot(self) -> bool:
        """In a group chat: the bot is a member (it gets the updates privacy mode lets through)."""
        return self.is_group and not self.user.blocked


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class Counters:
    method_calls: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    messages_per_chat: Counter[int] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            "method_calls": dict(self.method_calls),
            "errors": {str(k): v for k, v in self.errors.items()},
            "rate_limited": self.rate_limited,
            "messages_per_chat": {str(k): v for k, v in self.messages_per_chat.items()},
        }


class _Ids:
    """Identifiers that stay unique for the whole life of the server, across resets."""

    def __init__(self) -> None:
        self.update = itertools.count(1)
        self.file = itertools.count(1)
        self.query = itertools.count(1)
        self.charge = itertools.count(1)
        self.media_group = itertools.count(1)
        self.inline_message = itertools.count(1)
        self.group = itertools.count(1)


def _suffix(file_name: str | None) -> str:
    """A stored file's path ending: the name's extension, or "bin"."""
    return file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"


def scope_key(scope: dict[str, Any] | None) -> str:
    scope = scope or {"type": "default"}
    kind = str(scope.get("type", "default"))
    if kind in ("chat", "chat_administrators"):
        return f"{kind}:{scope.get('chat_id')}"
    if kind == "chat_member":
        return f"{kind}:{scope.get('chat_id')}:{scope.get('user_id')}"
    return kind


class World:
    def __init__(self, bot: BotIdentity, *, default_users: bool = True) -> None:
        self.bot = bot
        self.changes = Signal()
        self._ids = _Ids()
        self._default_users = default_users
        self.seq = 0
        # Bumped by each getUpdates call so that a newer call ends an older one.
        self.poll_generation = 0
        self._reset_bot_config()
        self.reset()

    def _reset_bot_config(self) -> None:
        self.allowed_updates: list[str] = []
        self.webhook: Webhook | None = None
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.default_menu_button: dict[str, Any] | None = None
        self.chat_menu_buttons: dict[int, dict[str, Any]] = {}

    def reset(self, *, bot_config: bool = False) -> None:
        """Forget the users' side: users (default ones come back), chats, files, payments, queued
        updates and counters. The bot's configuration (webhook, allowed updates, command menus, menu
        buttons) survives unless ``bot_config``, so a running bot keeps working. Ids keep increasing."""
        if bot_config:
            self._reset_bot_config()
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.updates: list[dict[str, Any]] = []
        self.payments: dict[str, Payment] = {}
        self.star_transactions: list[StarTransaction] = []
        self.queries: dict[str, PendingQuery] = {}
        # inline_message_id -> (chat id, message id) of a result a user posted with inline mode
        self.inline_messages: dict[str, tuple[int, int]] = {}
        self.counters = Counters()
        if self._default_users:
            for seed in DEFAULT_USERS:
                self.add_user(seed.id, seed.first_name, seed.username, seed.language_code)
        self.touch_all_chats()

    # ---- change tracking ------------------------------------------------------------------------

    def touch(self, chat: Chat | None = None) -> int:
        self.seq += 1
        if chat is not None:
            chat.seq = self.seq
        self.changes.notify()
        return self.seq

    def touch_all_chats(self) -> int:
        """A change every chat shows (command menus, the bot's name)."""
        self.seq += 1
        for chat in self.chats.values():
            chat.seq = self.seq
        self.changes.notify()
        return self.seq

    # ---- users and chats ------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int | None = None,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> SimUser:
        """Create a user (and their private chat), or update the given fields of an existing one."""
        if user_id is None:
            user_id = FIRST_GENERATED_USER_ID
            while user_id in self.users:
                user_id += 1
        user = self.users.get(user_id)
        if user is None:
            user = SimUser(user_id, first_name or f"User {user_id}", username, language_code or "en", last_name)
            self.users[user_id] = user
            self.chats[user_id] = Chat(user_id, user)
        else:
            user.first_name = first_name or user.first_name
            user.username = username if username is not None else user.username
            user.language_code = language_code or user.language_code
            user.last_name = last_name if last_name is not None else user.last_name
        self.touch(self.chats[user_id])
        return user

    def add_group(self, chat_id: int, title: str, members: list[int], *, supergroup: bool = False) -> Chat:
        """A group chat with these users in it, the first one its creator (the bot joins it with
        ``actions.add_bot``)."""
        if chat_id >= 0:
            raise ValueError("a group chat's id is negative")
        chat = self.chats.get(chat_id)
        if chat is None:
            group = SimUser(chat_id, title, started=True, blocked=True)
            chat = Chat(chat_id, group, title=title, supergroup=supergroup, creator=members[0] if members else None)
            self.chats[chat_id] = chat
        chat.members = sorted(set(chat.members) | set(members))
        self.touch(chat)
        return chat

    def new_group_id(self, *, supergroup: bool) -> int:
        """A fresh group chat id, shaped as Telegram's: -N for a group, -100N for a supergroup."""
        while True:
            n = next(self._ids.group)
            chat_id = -(1_001_000_000_000 + n) if supergroup else -(4_000_000 + n)
            if chat_id not in self.chats:
                return chat_id

    def groups(self) -> list[Chat]:
        return [chat for chat in self.chats.values() if chat.is_group]

    def api_chat(self, chat_id: Any) -> Chat:
        """The chat a Bot API call names, or Telegram's 400 "chat not found"."""
        try:
            chat = self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    # ---- messages -------------------------------------------------------------------------------

    def add_message(self, chat: Chat, *, from_bot: bool, **fields: Any) -> SimMessage:
        seq = self.seq + 1
        message = SimMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            from_bot=from_bot,
            date=now_ts(),
            created_seq=seq,
            seq=seq,
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            self.counters.messages_per_chat[chat.id] += 1
        self.touch(chat)
        return message

    def changed(self, chat: Chat, message: SimMessage) -> None:
        message.seq = self.touch(chat)

    def add_system(
        self, chat: Chat, kind: str, text: str, *, show_alert: bool = False, user_id: int | None = None
    ) -> SystemEntry:
        entry = SystemEntry(self.seq + 1, now_ts(), kind, text, show_alert, user_id)
        chat.system.append(entry)
        self.touch(chat)
        return entry

    # ---- files ----------------------------------------------------------------------------------

    def add_file(
        self,
        data: bytes,
        *,
        mime_type: str,
        file_name: str | None,
        folder: str,
        width: int = 0,
        height: int = 0,
        url: str | None = None,
    ) -> StoredFile:
        n = next(self._ids.file)
        stored = StoredFile(
            file_id=f"sbx-{folder}-{n}",
            file_unique_id=f"sbxu{n}",
            data=data,
            mime_type=mime_type,
            file_name=file_name,
            file_path=f"{folder}/file_{n}.{_suffix(file_name)}",
            width=width,
            height=height,
            url=url,
        )
        return self._keep_file(stored)

    def _keep_file(self, stored: StoredFile) -> StoredFile:
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # ---- queries and payments -------------------------------------------------------------------

    def put_file(
        self, file_id: str, data: bytes, *, mime_type: str, file_name: str, width: int = 0, height: int = 0
    ) -> StoredFile:
        """Store a file under a chosen id (demo data keeps stable ids across sandbox restarts)."""
        path = f"seeded/{file_id}.{_suffix(file_name)}"
        return self._keep_file(StoredFile(file_id, f"u-{file_id}", data, mime_type, file_name, path, width, height))

    def new_query(self, kind: QueryKind, user_id: int, **fields: Any) -> PendingQuery:
        query = PendingQuery(id=str(7_000_000_000_000 + next(self._ids.query)), kind=kind, user_id=user_id, **fields)
        self.queries[query.id] = query
        return query

    def new_charge_ids(self) -> tuple[str, str]:
        n = next(self._ids.charge)
        return f"sbx_{n}", f"sbx_provider_{n}"

    def new_media_group_id(self) -> str:
        return f"sbx-album-{next(self._ids.media_group)}"

    def new_inline_message_id(self, chat_id: int, message_id: int) -> str:
        inline_id = f"sbx-inline-{next(self._ids.inline_message)}"
        self.inline_messages[inline_id] = (chat_id, message_id)
        return inline_id

    # ---- updates --------------------------------------------------------------------------------

    def update_allowed(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in DEFAULT_EXCLUDED_UPDATES

    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update for getUpdates or the webhook; returns its id (None if not allowed)."""
        if not self.update_allowed(kind):
            return None
        update_id = next(self._ids.update)
        self.updates.append({"update_id": update_id, kind: payload})
        self.touch()
        return update_id

    def confirm_updates(self, offset: int) -> None:
        """getUpdates' ``offset``: forget updates below it; negative keeps only the last -offset."""
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def drop_update(self, update_id: int) -> None:
        self.updates = [u for u in self.updates if u["update_id"] != update_id]

    def deliverable_updates(self) -> list[dict[str, Any]]:
        return [u for u in self.updates if any(self.update_allowed(k) for k in u if k != "update_id")]

    # ---- command menus --------------------------------------------------------------------------

    def effective_group_commands(self, chat: Chat, member: SimUser | None) -> list[dict[str, str]]:
        """The menu a group chat shows a member: chat scope, then all group chats, then default; within each scope
        the member's language first, then the scope's default list."""
        language = ((member.language_code if member else None) or "")[:2]
        for key in (f"chat:{chat.id}", "all_group_chats", "default"):
            for lang in (language, ""):
                commands = self.commands.get((key, lang))
                if commands:
                    return commands
        return []

    def effective_commands(self, user: SimUser) -> list[dict[str, str]]:
        """The menu a private chat shows: chat scope, then all private chats, then default;
        within each scope the user's language first, then the scope's default list."""
        language = (user.language_code or "")[:2]
        for key in (f"chat:{user.id}", "all_private_chats", "default"):
            for lang in (language, ""):
                commands = self.commands.get((key, lang))
                if commands:
                    return commands
        return []
