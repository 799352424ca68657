// Telegram sandbox play page: one phone-like pane per simulated user, kept live by long polling
// /sandbox/wait. Message HTML comes from the server's whitelist renderer and is sanitised again here.
"use strict";

(() => {
  const panesEl = document.getElementById("panes");
  const template = document.getElementById("pane-template");
  const statusEl = document.getElementById("connection-status");
  const panes = new Map(); // user id -> pane state
  const groupPanes = new Map(); // group chat id -> pane state
  let users = []; // the sandbox's users, as the last overview listed them
  let worldSeq = 0;
  let bot = null;

  // ---- HTTP -------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    const data = await response.json();
    if (!data.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data.result;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---- the pane's language (what the Telegram app would show its user) ----------------------------

  // key -> [English, Chinese]
  const TEXTS = {
    pay: ["Pay {price}", "支付 {price}"],
    paid: ["Paid ✓", "已支付 ✓"],
    paying: ["Paying…", "支付中…"],
    youPaid: ["You paid {price}", "你支付了 {price}"],
    refunded: ["Refunded {price}", "已退款 {price}"],
    alert: ["Alert: {text}", "提醒：{text}"],
    message: ["Message", "消息"],
    block: ["Block", "屏蔽"],
    restart: ["Restart", "重新启动"],
    botLine: ["bot", "机器人"],
    blockedLine: ["you blocked this bot", "你已屏蔽此机器人"],
    postTo: ["Post to", "发到"],
    thisChat: ["this chat (@{bot})", "本聊天（@{bot}）"],
    chatWith: ["chat with {name}", "与 {name} 的聊天"],
    asking: ["Asking @{bot}…", "正在询问 @{bot}…"],
    noResults: ["No results", "没有结果"],
    noAnswer: ["The bot did not answer", "机器人没有回应"],
    via: ["via @{bot}", "通过 @{bot}"],
    edited: ["edited", "已编辑"],
    copied: ["Copied", "已复制"],
    close: ["Close", "关闭"],
    inlineHint: ["search @{bot}", "在 @{bot} 中搜索"],
    noCommands: ["The bot has no commands for this chat.", "机器人没有为此聊天设置命令。"],
    posted: ["Posted to {name}", "已发到 {name}"],
    inbox: ["Inbox: e-mail and SMS", "收件箱：邮件和短信"],
    inboxEmpty: ["Nothing yet. The bot's e-mails and SMS to this user's verified (or pending) address and phone show here.", "还没有。机器人发往该用户已验证（或待验证）邮箱和电话的邮件和短信会显示在这里。"],
    noAddress: ["no e-mail or phone yet", "还没有邮箱或电话"],
    textPart: ["Plain-text part", "纯文本部分"],
    smsFrom: ["SMS to {to}", "短信 → {to}"],
    actAs: ["Act as", "身份"],
    members: ["{count} members", "{count} 位成员"],
    withBot: ["{count} members · @{bot} is in the group", "{count} 位成员 · @{bot} 在群里"],
    removeBot: ["Remove bot", "移除机器人"],
    addBot: ["Add bot", "添加机器人"],
    groupCreated: ["{name} created the group", "{name} 创建了群组"],
    botAdded: ["{name} added @{bot}", "{name} 添加了 @{bot}"],
    botRemoved: ["{name} removed @{bot}", "{name} 移除了 @{bot}"],
    toldAlert: ["Alert to {name}: {text}", "给 {name} 的提醒：{text}"],
    toldToast: ["Answer to {name}: {text}", "给 {name} 的回应：{text}"],
  };

  function say(pane, key, values = {}) {
    // A user's pane speaks its user's language; a group's pane the language of the member acting in it.
    const own = pane.groupId === undefined && pane.chat && pane.chat.user.language_code;
    const language = (own || pane.language || "en").toLowerCase();
    return TEXTS[key][language.startsWith("zh") ? 1 : 0].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? (name === "bot" ? botUsername() : "")));
  }

  const botUsername = () => (bot ? bot.username : "bot");

  // t.me/<this bot>?start=X (or tg://resolve?domain=<this bot>&start=X): Telegram opens the chat with the bot and
  // sends "/start X". Returns the payload ("" for a plain link to the bot), or null for any other link.
  function startPayload(href) {
    if (!bot || !href) return null;
    let url;
    try {
      url = new URL(href);
    } catch (error) {
      return null;
    }
    const name = bot.username.toLowerCase();
    const web = /^https?:$/.test(url.protocol) && /^(t|telegram)\.me$/i.test(url.hostname)
      && url.pathname.replace(/^\/|\/$/g, "").toLowerCase() === name;
    const app = url.protocol === "tg:" && url.hostname === "resolve" && (url.searchParams.get("domain") || "").toLowerCase() === name;
    return web || app ? url.searchParams.get("start") || "" : null;
  }

  function openLink(pane, href, event) {
    const payload = startPayload(href);
    if (payload === null) return;
    event.preventDefault();
    sendText(pane, payload ? `/start ${payload}` : "/start");
  }

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  // ---- safe HTML ---------------------------------------------------------------------------------

  const ALLOWED_TAGS = new Set(["B", "I", "U", "S", "CODE", "PRE", "BLOCKQUOTE", "A", "SPAN"]);
  const ALLOWED_CLASSES = new Set(["tg-spoiler", "bot-command", "link", "expandable"]);
  const SAFE_HREF = /^(https?:|tg:|mailto:)/i;

  function copySafe(source, target) {
    for (const node of source.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (!ALLOWED_TAGS.has(node.tagName)) {
          copySafe(node, target);
          continue;
        }
        const clean = document.createElement(node.tagName.toLowerCase());
        const cls = node.getAttribute("class");
        if (cls && ALLOWED_CLASSES.has(cls)) clean.className = cls;
        if (node.tagName === "A") {
          const href = node.getAttribute("href") || "";
          if (SAFE_HREF.test(href)) {
            clean.setAttribute("href", href);
            clean.setAttribute("target", "_blank");
            clean.setAttribute("rel", "noopener noreferrer");
          }
        }
        copySafe(node, clean);
        target.appendChild(clean);
      }
    }
  }

  function safeHtml(html) {
    const parsed = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
    const fragment = document.createDocumentFragment();
    copySafe(parsed.body, fragment);
    return fragment;
  }

  // ---- DOM helpers -------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function timeOf(unix) {
    const d = new Date(unix * 1000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function formatPrice(currency, amount) {
    if (currency === "XTR") return `★ ${amount}`;
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }

  function isNearBottom(node) {
    return node.scrollHeight - node.scrollTop - node.clientHeight < 40;
  }

  // ---- rendering ---------------------------------------------------------------------------------

  function renderInlineKeyboard(pane, message) {
    const keyboard = el("div", "inline-keyboard");
    for (const row of message.inline_keyboard) {
      const rowEl = el("div", "inline-row");
      for (const button of row) {
        let btn;
        const inline = inlineSwitch(button);
        if (button.url) {
          btn = el("a", "inline-btn url", button.text);
          if (SAFE_HREF.test(button.url)) btn.href = button.url;
          btn.target = "_blank";
          btn.rel = "noopener noreferrer";
          btn.addEventListener("click", (event) => openLink(pane, button.url, event));
        } else if (inline) {
          btn = el("button", "inline-btn switch", button.text);
          btn.type = "button";
          btn.dataset.switchInline = inline.query;
          btn.addEventListener("click", () => openInline(pane, inline.query, inline.here ? null : otherUserId(pane)));
        } else if (button.copy_text) {
          btn = el("button", "inline-btn copy", button.text);
          btn.type = "button";
          btn.addEventListener("click", async () => {
            try {
              await navigator.clipboard.writeText(button.copy_text.text);
            } catch (error) {
              // the page may not be allowed the clipboard; the toast still says what was copied
            }
            showToast(pane, { kind: "toast", text: `${say(pane, "copied")}: ${button.copy_text.text}` });
          });
        } else {
          btn = el("button", "inline-btn", button.text);
          btn.type = "button";
          if (button.callback_data !== undefined) btn.dataset.callbackData = button.callback_data;
          btn.dataset.messageId = message.message_id;
          btn.addEventListener("click", () => pressButton(pane, message.message_id, button, btn));
        }
        rowEl.appendChild(btn);
      }
      keyboard.appendChild(rowEl);
    }
    return keyboard;
  }

  // A switch_inline_query* button: the query it puts after @bot, and whether it stays in this chat.
  function inlineSwitch(button) {
    if (button.switch_inline_query !== undefined) return { query: button.switch_inline_query, here: false };
    if (button.switch_inline_query_current_chat !== undefined) {
      return { query: button.switch_inline_query_current_chat, here: true };
    }
    const chosen = button.switch_inline_query_chosen_chat;
    if (chosen) return { query: chosen.query || "", here: false };
    return null;
  }

  function renderInvoice(pane, message) {
    const invoice = message.invoice;
    const box = el("div", "invoice");
    box.appendChild(el("div", "invoice-title", invoice.title));
    box.appendChild(el("div", "invoice-desc", invoice.description));
    box.appendChild(el("div", "invoice-price", formatPrice(invoice.currency, invoice.total_amount)));
    const price = formatPrice(invoice.currency, invoice.total_amount);
    const pay = el("button", "pay-btn", invoice.paid ? say(pane, "paid") : say(pane, "pay", { price }));
    pay.type = "button";
    pay.dataset.messageId = message.message_id;
    pay.disabled = invoice.paid;
    pay.dataset.price = price;
    pay.addEventListener("click", () => payInvoice(pane, message.message_id, pay));
    box.appendChild(pay);
    return box;
  }

  function renderService(pane, message) {
    const p = message.successful_payment || message.refunded_payment;
    const price = formatPrice(p.currency, p.total_amount);
    return el("div", "system payment", say(pane, message.successful_payment ? "youPaid" : "refunded", { price }));
  }

  function renderMessage(pane, message) {
    if (message.successful_payment || message.refunded_payment) return renderService(pane, message);
    const wrap = el("div", "msg");
    wrap.dataset.messageId = message.message_id;
    wrap.dataset.sender = message.sender;
    // In a group, the acting member's own messages are on the right; everyone else's carry their name.
    const own = pane.groupId !== undefined && message.from_user && message.from_user.id === pane.actingId;
    if (own) wrap.dataset.sender = "user";
    const bubble = el("div", "bubble");
    if ((message.from_user && !own) || message.via_bot) {
      // Posted with inline mode: by another user into this user's chat with them, or by this user
      const head = el("div", "msg-from");
      if (message.from_user) head.appendChild(el("span", "peer-name", message.from_user.first_name));
      if (message.via_bot) head.appendChild(el("span", "via", say(pane, "via", { bot: message.via_bot })));
      bubble.appendChild(head);
    }
    for (const fileId of message.photos || []) {
      const img = el("img", "photo");
      img.src = `/sandbox/files/${encodeURIComponent(fileId)}`;
      img.alt = "photo";
      img.dataset.fileId = fileId;
      bubble.appendChild(img);
    }
    if (message.document) {
      const link = el("a", "document");
      link.href = `/sandbox/files/${encodeURIComponent(message.document.file_id)}`;
      link.download = message.document.file_name || "document";
      link.appendChild(el("span", "icon", "⬇"));
      link.appendChild(el("span", "name", message.document.file_name || "document"));
      bubble.appendChild(link);
    }
    if (message.invoice) bubble.appendChild(renderInvoice(pane, message));
    const html = message.html ?? message.caption_html;
    if (html) {
      const text = el("div", "text");
      text.appendChild(safeHtml(html));
      bubble.appendChild(text);
    }
    const meta = el("span", "meta", `${message.edited ? `${say(pane, "edited")} ` : ""}${timeOf(message.date)}`);
    bubble.appendChild(meta);
    wrap.appendChild(bubble);
    if (message.inline_keyboard) wrap.appendChild(renderInlineKeyboard(pane, message));
    return wrap;
  }

  function renderSystem(pane, entry) {
    const node = el("div", `system ${entry.kind}`, entry.kind === "alert" ? say(pane, "alert", { text: entry.text }) : entry.text);
    node.dataset.kind = entry.kind;
    if (pane.groupId !== undefined) sayInGroup(pane, entry, node);
    return node;
  }

  // A group's own lines, in the acting member's language: who made the group, added or removed the bot, and
  // whom the bot's answer to a press told what (it popped up on that member's screen only).
  const GROUP_LINES = { group_created: "groupCreated", bot_added: "botAdded", bot_removed: "botRemoved" };

  function groupLine(pane, entry) {
    const name = memberName(pane, entry.user_id);
    if (GROUP_LINES[entry.kind]) return say(pane, GROUP_LINES[entry.kind], { name });
    if ((entry.kind === "alert" || entry.kind === "toast") && entry.user_id) {
      return say(pane, entry.kind === "alert" ? "toldAlert" : "toldToast", { name, text: entry.text });
    }
    return entry.text;
  }

  function sayInGroup(pane, entry, node) {
    node.textContent = groupLine(pane, entry);
    if (entry.user_id) {
      node.dataset.userId = entry.user_id;
      node.classList.add("told");
    }
  }

  function memberName(pane, userId) {
    const found = ((pane.chat && pane.chat.group.members) || users).find((user) => user.id === userId)
      || users.find((user) => user.id === userId);
    return found ? found.first_name : String(userId ?? "");
  }

  function showToast(pane, entry) {
    const toast = el("div", `toast ${entry.kind}`, entry.text);
    const layer = pane.el.querySelector(".toast-layer");
    layer.appendChild(toast);
    while (layer.children.length > 2) layer.firstElementChild.remove();
    setTimeout(() => toast.remove(), entry.kind === "alert" ? 5000 : 3300);
  }

  function renderReplyKeyboard(pane, keyboard) {
    const box = pane.el.querySelector(".reply-keyboard");
    box.replaceChildren();
    box.hidden = !keyboard;
    if (!keyboard) return;
    for (const row of keyboard.keyboard) {
      const rowEl = el("div", "reply-row");
      for (const button of row) {
        const btn = el("button", "reply-btn", button.text);
        btn.type = "button";
        btn.addEventListener("click", () => sendText(pane, button.text));
        rowEl.appendChild(btn);
      }
      box.appendChild(rowEl);
    }
  }

  function renderCommandMenu(pane) {
    const menu = pane.el.querySelector(".command-menu");
    menu.replaceChildren();
    const commands = (pane.chat && pane.chat.commands) || [];
    if (!commands.length) menu.appendChild(el("div", "empty", say(pane, "noCommands")));
    for (const command of commands) {
      const item = el("button", "command");
      item.type = "button";
      item.dataset.command = command.command;
      item.appendChild(el("span", "name", `/${command.command}`));
      item.appendChild(el("span", "description", command.description));
      item.addEventListener("click", () => {
        menu.hidden = true;
        sendText(pane, `/${command.command}`);
      });
      menu.appendChild(item);
    }
  }

  function renderPane(pane, chat) {
    const firstRender = !pane.chat;
    pane.chat = chat;
    const user = chat.user;
    pane.el.classList.toggle("blocked", user.blocked);
    pane.el.querySelector(".pane-label .name").textContent = user.first_name;
    pane.el.querySelector(".pane-label .details").textContent =
      `id ${user.id} · ${user.language_code || "?"}${user.username ? ` · @${user.username}` : ""}`;
    pane.el.querySelector(".user-line").textContent = say(pane, user.blocked ? "blockedLine" : "botLine");
    pane.el.querySelector(".block-btn").textContent = say(pane, user.blocked ? "restart" : "block");
    pane.el.querySelector(".composer input[type='text']").placeholder = say(pane, "message");
    pane.el.lang = (user.language_code || "en").startsWith("zh") ? "zh-CN" : user.language_code || "en";
    const pick = pickerButton(pane);
    if (pick) pick.textContent = user.first_name;

    const list = pane.el.querySelector(".messages");
    const stick = firstRender || pane.stick;
    const nodes = [];
    for (const entry of chat.messages) {
      if (entry.kind === "message") {
        nodes.push(renderMessage(pane, entry));
      } else {
        nodes.push(renderSystem(pane, entry));
        if ((entry.kind === "toast" || entry.kind === "alert" || entry.kind === "payment_error") && entry.seq > pane.toastSeq && !firstRender) {
          showToast(pane, entry);
        }
      }
      if (entry.kind !== "message") pane.toastSeq = Math.max(pane.toastSeq, entry.seq);
    }
    pane.el.querySelector(".messages-inner").replaceChildren(...nodes);
    for (const spoiler of list.querySelectorAll(".tg-spoiler")) {
      spoiler.addEventListener("click", () => spoiler.classList.add("revealed"));
    }
    for (const command of list.querySelectorAll(".msg[data-sender='bot'] .bot-command")) {
      command.addEventListener("click", () => sendText(pane, command.textContent));
    }
    for (const link of list.querySelectorAll(".bubble a[href]")) {
      link.addEventListener("click", (event) => openLink(pane, link.getAttribute("href"), event));
    }
    // The keyboard and menu change the height left for messages: lay them out before scrolling.
    renderReplyKeyboard(pane, chat.reply_keyboard);
    renderCommandMenu(pane);
    if (stick) scrollToNewest(pane);
  }

  // ---- the user's inbox: e-mails (HTML in a sandboxed frame, plus the text part) and SMS ---------------

  function renderMail(pane, mail) {
    const item = el("article", "mail");
    item.appendChild(el("div", "mail-subject", mail.subject));
    item.appendChild(el("div", "mail-meta", `${mail.from} → ${mail.to.join(", ")}`));
    if (mail.html) {
      // The mail's HTML never enters this document: a frame with no scripts and no same-origin access.
      const frame = document.createElement("iframe");
      frame.className = "mail-html";
      frame.setAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.title = mail.subject;
      frame.srcdoc = mail.html;
      item.appendChild(frame);
    }
    const details = el("details", "mail-text");
    details.appendChild(el("summary", null, say(pane, "textPart")));
    details.appendChild(el("pre", null, mail.text));
    item.appendChild(details);
    return item;
  }

  function renderSms(pane, sms) {
    const item = el("article", "sms");
    item.appendChild(el("div", "sms-to", say(pane, "smsFrom", { to: sms.to })));
    item.appendChild(el("div", "sms-text", sms.text));
    return item;
  }

  function renderInbox(pane) {
    const inbox = pane.inbox || { emails: [], sms: [], addresses: [], phones: [] };
    const count = inbox.emails.length + inbox.sms.length;
    const button = pane.el.querySelector(".inbox-btn");
    button.querySelector(".inbox-count").textContent = String(count);
    button.classList.toggle("has-mail", count > 0);
    const panel = pane.el.querySelector(".inbox-panel");
    panel.querySelector(".inbox-title").textContent = say(pane, "inbox");
    const where = [...inbox.addresses, ...inbox.phones];
    panel.querySelector(".inbox-addresses").textContent = where.length ? where.join(" · ") : say(pane, "noAddress");
    const items = [...inbox.emails.map((mail) => renderMail(pane, mail)), ...inbox.sms.map((sms) => renderSms(pane, sms))];
    if (!items.length) items.push(el("div", "inbox-empty", say(pane, "inboxEmpty")));
    // Rebuilt only when it changed: a frame re-rendered every poll would flicker and lose its scroll.
    const key = JSON.stringify([inbox.emails.length, inbox.sms.length, where, pane.chat && pane.chat.user.language_code]);
    if (panel.dataset.key !== key) {
      panel.dataset.key = key;
      panel.querySelector(".inbox-list").replaceChildren(...items);
    }
  }

  async function refreshInbox(pane) {
    try {
      pane.inbox = await api("GET", `/sandbox/users/${pane.userId}/inbox`);
      renderInbox(pane);
    } catch (error) {
      // the next poll tries again
    }
  }

  let inboxSeq = -1;
  async function pollInboxes() {
    // Mail and SMS arrive outside the chat world: a cheap counter is polled, each inbox fetched when it moves.
    for (;;) {
      try {
        const { seq } = await api("GET", "/sandbox/inbox");
        if (seq !== inboxSeq) {
          inboxSeq = seq;
          await Promise.all([...panes.values()].map(refreshInbox));
        }
      } catch (error) {
        // reconnecting: the chat poll shows the state
      }
      await sleep(700);
    }
  }

  // Panes follow the newest message while their user is at the bottom, whatever changes the heights later
  // (photos loading, fonts, the reply keyboard, toasts, the inline panel).
  function scrollToNewest(pane) {
    const list = pane.el.querySelector(".messages");
    pane.stick = true;
    list.scrollTop = list.scrollHeight;
  }

  function followNewest(pane) {
    const list = pane.el.querySelector(".messages");
    list.addEventListener("scroll", () => { pane.stick = isNearBottom(list); }, { passive: true });
    const keep = () => { if (pane.stick) list.scrollTop = list.scrollHeight; };
    const observer = new ResizeObserver(keep);
    observer.observe(list);
    observer.observe(pane.el.querySelector(".messages-inner"));
    list.addEventListener("load", keep, true); // images
  }

  // ---- user actions ------------------------------------------------------------------------------

  function reportError(pane, error) {
    showToast(pane, { kind: "alert", text: `⚠ ${error.message}` });
  }

  async function sendText(pane, text) {
    if (!text.trim()) return;
    scrollToNewest(pane); // as in Telegram, writing brings the chat down to the newest message
    try {
      if (pane.groupId !== undefined) {
        await api("POST", `/sandbox/groups/${pane.groupId}/messages`, { user_id: pane.actingId, text });
      } else {
        await api("POST", `/sandbox/users/${pane.userId}/messages`, { text });
      }
    } catch (error) {
      reportError(pane, error);
    }
  }

  async function pressButton(pane, messageId, button, btn) {
    if (pane.groupId !== undefined) return pressInGroup(pane, messageId, button, btn);
    btn.classList.add("pending");
    try {
      await api("POST", `/sandbox/users/${pane.userId}/press`, {
        message_id: messageId,
        callback_data: button.callback_data,
        text: button.callback_data === undefined ? button.text : undefined,
        exact: true,
      });
    } catch (error) {
      btn.classList.remove("pending");
      reportError(pane, error);
    }
  }

  async function payInvoice(pane, messageId, btn) {
    btn.disabled = true;
    btn.textContent = say(pane, "paying");
    const again = () => {
      btn.disabled = false;
      btn.textContent = say(pane, "pay", { price: btn.dataset.price });
    };
    try {
      const outcome = await api("POST", `/sandbox/users/${pane.userId}/pay`, { message_id: messageId });
      if (outcome.status !== "paid") again();
    } catch (error) {
      again();
      reportError(pane, error);
    }
  }

  // A press in a group, by the member acting there: waits for the bot's answer, which the group's transcript
  // then shows with whom it told (a refused press's alert included).
  async function pressInGroup(pane, messageId, button, btn) {
    btn.classList.add("pending");
    try {
      const pressed = await api("POST", `/sandbox/groups/${pane.groupId}/press`, {
        user_id: pane.actingId,
        message_id: messageId,
        callback_data: button.callback_data,
        text: button.callback_data === undefined ? button.text : undefined,
        exact: true,
        wait: true,
      });
      if (pressed.answer && pressed.answer.status === "timeout") showToast(pane, { kind: "toast", text: say(pane, "noAnswer") });
    } catch (error) {
      reportError(pane, error);
    } finally {
      btn.classList.remove("pending");
    }
  }

  // ---- inline mode -------------------------------------------------------------------------------
  // "@bot query" in the composer, or a switch_inline_query* button: the bot's results in a panel above the
  // composer; the one chosen is posted via the bot into this chat or into the chat with the user picked.

  function otherUserId(pane) {
    for (const id of panes.keys()) if (id !== pane.userId) return id;
    return null;
  }

  function openInline(pane, query, targetId) {
    const panel = pane.el.querySelector(".inline-panel");
    const target = panel.querySelector(".inline-target");
    target.replaceChildren();
    const here = el("option", null, say(pane, "thisChat"));
    here.value = "";
    target.appendChild(here);
    for (const [id, other] of panes) {
      if (id === pane.userId || !other.chat) continue;
      const option = el("option", null, say(pane, "chatWith", { name: other.chat.user.first_name }));
      option.value = String(id);
      target.appendChild(option);
    }
    target.value = targetId === null || targetId === undefined ? "" : String(targetId);
    panel.querySelector(".inline-label").textContent = say(pane, "postTo");
    panel.querySelector(".inline-close").title = say(pane, "close");
    const input = panel.querySelector(".inline-query");
    input.placeholder = say(pane, "inlineHint");
    input.value = query;
    panel.hidden = false;
    runInline(pane);
  }

  function closeInline(pane) {
    pane.el.querySelector(".inline-panel").hidden = true;
    pane.inlineRun = (pane.inlineRun || 0) + 1; // late answers are dropped
  }

  async function runInline(pane) {
    const panel = pane.el.querySelector(".inline-panel");
    const list = panel.querySelector(".inline-results");
    const targetId = panel.querySelector(".inline-target").value;
    const run = (pane.inlineRun = (pane.inlineRun || 0) + 1);
    list.replaceChildren(el("div", "inline-note", say(pane, "asking")));
    let answer;
    try {
      answer = await api("POST", `/sandbox/users/${pane.userId}/inline-query`, {
        query: panel.querySelector(".inline-query").value,
        chat_type: targetId ? "private" : "sender",
        timeout: 10,
      });
    } catch (error) {
      if (run === pane.inlineRun) list.replaceChildren(el("div", "inline-note", `⚠ ${error.message}`));
      return;
    }
    if (run !== pane.inlineRun) return;
    const results = answer.results || [];
    if (answer.status !== "answered") {
      list.replaceChildren(el("div", "inline-note", say(pane, "noAnswer")));
      return;
    }
    if (!results.length) {
      list.replaceChildren(el("div", "inline-note", say(pane, "noResults")));
      return;
    }
    list.replaceChildren(...results.map((result) => renderInlineResult(pane, answer.inline_query_id, result)));
  }

  function renderInlineResult(pane, queryId, result) {
    const item = el("button", "inline-result");
    item.type = "button";
    item.dataset.resultId = result.id;
    item.appendChild(el("span", "result-title", result.title || result.id));
    if (result.description) item.appendChild(el("span", "result-description", result.description));
    item.addEventListener("click", () => chooseInline(pane, queryId, result, item));
    return item;
  }

  async function chooseInline(pane, queryId, result, item) {
    const panel = pane.el.querySelector(".inline-panel");
    const targetId = panel.querySelector(".inline-target").value;
    item.disabled = true;
    try {
      await api("POST", `/sandbox/users/${pane.userId}/inline-results`, {
        inline_query_id: queryId,
        result_id: String(result.id),
        to_user_id: targetId ? Number(targetId) : null,
      });
      closeInline(pane);
      const composer = pane.el.querySelector(".composer input[type='text']");
      if (composer.value.startsWith("@")) composer.value = "";
      const target = targetId ? panes.get(Number(targetId)) : null;
      if (target) {
        showToast(pane, { kind: "toast", text: say(pane, "posted", { name: target.chat.user.first_name }) });
        showPane(target);
      }
    } catch (error) {
      item.disabled = false;
      reportError(pane, error);
    }
  }

  // ---- the pane picker: which phones are on screen ----------------------------------------------

  function pickerButton(pane) {
    if (pane.groupId !== undefined) return document.querySelector(`#pane-picker button[data-group-id="${pane.groupId}"]`);
    return document.querySelector(`#pane-picker button[data-user-id="${pane.userId}"]`);
  }

  const allPanes = () => [...panes.values(), ...groupPanes.values()];

  function setActive(pane) {
    for (const other of allPanes()) {
      other.el.classList.toggle("active", other === pane);
      const pick = pickerButton(other);
      if (pick) pick.setAttribute("aria-pressed", String(other === pane));
    }
  }

  // On a narrow screen one phone shows at a time; on a wide one the strip scrolls to it. Either way it flashes.
  function showPane(pane) {
    setActive(pane);
    pane.el.scrollIntoView({ block: "nearest", inline: "nearest" });
    pane.el.classList.remove("flash");
    void pane.el.offsetWidth; // restart the highlight animation
    pane.el.classList.add("flash");
  }

  async function sendFile(pane, file, caption) {
    const form = new FormData();
    form.append("file", file, file.name);
    if (caption) form.append("caption", caption);
    const kind = file.type.startsWith("image/") ? "photos" : "documents";
    try {
      await api("POST", `/sandbox/users/${pane.userId}/${kind}`, form);
    } catch (error) {
      reportError(pane, error);
    }
  }

  // ---- panes -------------------------------------------------------------------------------------

  function createPane(user) {
    const fragment = template.content.cloneNode(true);
    const section = fragment.querySelector(".pane");
    section.dataset.userId = user.id;
    const label = el("div", "pane-label");
    label.appendChild(el("span", "name", user.first_name));
    label.appendChild(el("span", "details"));
    section.prepend(label);
    const pane = {
      userId: user.id, el: section, chat: null, seq: -1, toastSeq: 0, refreshing: null, stick: true,
      language: user.language_code,
    };

    section.querySelector(".bot-title").textContent = bot ? bot.first_name : "Bot";
    section.querySelector(".avatar").textContent = (bot ? bot.first_name : "B").slice(0, 1);
    const composer = section.querySelector(".composer");
    const input = composer.querySelector("input[type='text']");
    const fileInput = composer.querySelector(".file-input");
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      closeInline(pane);
      sendText(pane, text);
    });
    // "@bot words" in the composer asks the bot inline, as Telegram does while you type.
    let typing = null;
    input.addEventListener("input", () => {
      const match = bot && input.value.match(new RegExp(`^@${bot.username}(?:\\s+(.*))?$`, "is"));
      const panel = section.querySelector(".inline-panel");
      if (!match || input.value.trim() === `@${bot.username}` && !/\s$/.test(input.value)) {
        if (!panel.hidden && !match) closeInline(pane);
        return;
      }
      clearTimeout(typing);
      typing = setTimeout(() => {
        if (panel.hidden) openInline(pane, match[1] || "", null);
        else {
          panel.querySelector(".inline-query").value = match[1] || "";
          runInline(pane);
        }
      }, 250);
    });
    const panel = section.querySelector(".inline-panel");
    let retyping = null;
    panel.querySelector(".inline-query").addEventListener("input", () => {
      clearTimeout(retyping);
      retyping = setTimeout(() => runInline(pane), 250);
    });
    panel.querySelector(".inline-target").addEventListener("change", () => runInline(pane));
    panel.querySelector(".inline-close").addEventListener("click", () => closeInline(pane));
    section.querySelector(".menu-btn").addEventListener("click", () => {
      const menu = section.querySelector(".command-menu");
      menu.hidden = !menu.hidden;
    });
    section.querySelector(".attach-btn").addEventListener("click", () => fileInput.click());
    fileInput.addEventListener("change", () => {
      const file = fileInput.files[0];
      if (file) sendFile(pane, file, input.value.trim());
      input.value = "";
      fileInput.value = "";
    });
    section.querySelector(".inbox-btn").addEventListener("click", () => {
      const inboxPanel = section.querySelector(".inbox-panel");
      inboxPanel.hidden = !inboxPanel.hidden;
      if (!inboxPanel.hidden) refreshInbox(pane);
    });
    section.querySelector(".inbox-close").addEventListener("click", () => {
      section.querySelector(".inbox-panel").hidden = true;
    });
    section.querySelector(".block-btn").addEventListener("click", async () => {
      // Restart, as in Telegram, unblocks the bot and sends /start.
      if (pane.chat && pane.chat.user.blocked) {
        await sendText(pane, "/start");
        return;
      }
      try {
        await api("POST", `/sandbox/users/${pane.userId}/block`);
      } catch (error) {
        reportError(pane, error);
      }
    });
    panesEl.appendChild(section);
    panes.set(user.id, pane);
    followNewest(pane);
    const pick = el("button", null, user.first_name);
    pick.type = "button";
    pick.dataset.userId = user.id;
    pick.setAttribute("aria-pressed", "false");
    pick.addEventListener("click", () => showPane(pane));
    document.getElementById("pane-picker").appendChild(pick);
    if (panes.size === 1) setActive(pane);
    refreshInbox(pane);
    return pane;
  }

  // ---- group chats: a pane each, where the member chosen in "act as" writes and presses ------------------

  const groupTemplate = document.getElementById("group-pane-template");

  function createGroupPane(group) {
    const section = groupTemplate.content.cloneNode(true).querySelector(".pane");
    section.dataset.groupId = group.id;
    const label = el("div", "pane-label");
    label.appendChild(el("span", "name", group.title));
    label.appendChild(el("span", "details"));
    section.prepend(label);
    const first = group.members[0];
    const pane = {
      groupId: group.id, el: section, chat: null, seq: -1, toastSeq: 0, refreshing: null, stick: true,
      actingId: first ? first.id : null, language: first ? first.language_code : "en",
    };
    const composer = section.querySelector(".composer");
    const input = composer.querySelector("input[type='text']");
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      sendText(pane, text);
    });
    section.querySelector(".menu-btn").addEventListener("click", () => {
      const menu = section.querySelector(".command-menu");
      menu.hidden = !menu.hidden;
    });
    section.querySelector(".act-as").addEventListener("change", (event) => {
      pane.actingId = Number(event.target.value);
      pane.seq = -1; // the pane's language and "own" messages follow the member: draw it again
      refreshPane(pane);
    });
    section.querySelector(".bot-btn").addEventListener("click", async () => {
      const action = pane.chat && pane.chat.group.has_bot ? "remove-bot" : "add-bot";
      try {
        await api("POST", `/sandbox/groups/${pane.groupId}/${action}`, { by: pane.actingId });
      } catch (error) {
        reportError(pane, error);
      }
    });
    panesEl.appendChild(section);
    groupPanes.set(group.id, pane);
    followNewest(pane);
    const pick = el("button", null, `👥 ${group.title}`);
    pick.type = "button";
    pick.dataset.groupId = group.id;
    pick.setAttribute("aria-pressed", "false");
    pick.addEventListener("click", () => showPane(pane));
    document.getElementById("pane-picker").appendChild(pick);
    return pane;
  }

  function renderActAs(pane, members) {
    const select = pane.el.querySelector(".act-as");
    const key = JSON.stringify(members.map((m) => [m.id, m.first_name]));
    if (select.dataset.key !== key) {
      select.dataset.key = key;
      select.replaceChildren(...members.map((member) => {
        const option = el("option", null, member.first_name);
        option.value = String(member.id);
        return option;
      }));
    }
    if (!members.some((m) => m.id === pane.actingId) && members.length) pane.actingId = members[0].id;
    select.value = String(pane.actingId);
    const acting = members.find((m) => m.id === pane.actingId);
    pane.language = (acting && acting.language_code) || "en";
  }

  function renderGroupPane(pane, chat) {
    const firstRender = !pane.chat;
    const group = chat.group;
    pane.chat = chat;
    renderActAs(pane, group.members);
    pane.el.lang = pane.language.startsWith("zh") ? "zh-CN" : pane.language;
    pane.el.classList.toggle("no-bot", !group.has_bot);
    pane.el.dataset.hasBot = String(group.has_bot);
    pane.el.querySelector(".pane-label .name").textContent = group.title;
    pane.el.querySelector(".pane-label .details").textContent = `id ${group.id} · ${group.type}`;
    pane.el.querySelector(".group-title").textContent = group.title;
    const count = group.members.length;
    pane.el.querySelector(".members-line").textContent = say(pane, group.has_bot ? "withBot" : "members", { count });
    pane.el.querySelector(".members-line").title = group.members.map((m) => m.first_name).join(", ");
    pane.el.querySelector(".bot-btn").textContent = say(pane, group.has_bot ? "removeBot" : "addBot");
    pane.el.querySelector(".act-as-label").textContent = say(pane, "actAs");
    pane.el.querySelector(".composer input[type='text']").placeholder = say(pane, "message");
    const pick = pickerButton(pane);
    if (pick) pick.textContent = `👥 ${group.title}`;

    const list = pane.el.querySelector(".messages");
    const stick = firstRender || pane.stick;
    const nodes = [];
    for (const entry of chat.messages) {
      if (entry.kind === "message") {
        nodes.push(renderMessage(pane, entry));
        continue;
      }
      nodes.push(renderSystem(pane, entry));
      if ((entry.kind === "toast" || entry.kind === "alert") && entry.seq > pane.toastSeq && !firstRender) {
        showToast(pane, { kind: entry.kind, text: groupLine(pane, entry) });
      }
      pane.toastSeq = Math.max(pane.toastSeq, entry.seq);
    }
    pane.el.querySelector(".messages-inner").replaceChildren(...nodes);
    for (const command of list.querySelectorAll(".msg[data-sender='bot'] .bot-command")) {
      command.addEventListener("click", () => sendText(pane, command.textContent));
    }
    renderCommandMenu(pane);
    if (stick) scrollToNewest(pane);
  }

  // The "➕ Group" form: its creator and members are chosen among the sandbox's users.
  function fillGroupForm() {
    const by = document.getElementById("new-group-by");
    const box = document.getElementById("new-group-members");
    const key = JSON.stringify(users.map((u) => [u.id, u.first_name]));
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    const chosen = by.value;
    by.replaceChildren(...users.map((user) => {
      const option = el("option", null, user.first_name);
      option.value = String(user.id);
      return option;
    }));
    if (chosen) by.value = chosen;
    const ticked = new Set([...box.querySelectorAll("input:checked")].map((input) => input.value));
    box.replaceChildren(box.querySelector("legend") || el("legend", null, "Members"));
    for (const user of users) {
      const label = el("label");
      const tick = document.createElement("input");
      tick.type = "checkbox";
      tick.value = String(user.id);
      tick.checked = ticked.has(tick.value);
      tick.dataset.userId = user.id;
      label.append(tick, document.createTextNode(user.first_name));
      box.appendChild(label);
    }
  }

  document.getElementById("add-group-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("add-group-error");
    const title = document.getElementById("new-group-title");
    const by = Number(document.getElementById("new-group-by").value);
    const members = [...document.querySelectorAll("#new-group-members input:checked")].map((input) => Number(input.value));
    try {
      const group = await api("POST", "/sandbox/groups", {
        title: title.value.trim(),
        by,
        members: members.filter((id) => id !== by),
        bot: document.getElementById("new-group-bot").checked,
        type: document.getElementById("new-group-type").value,
      });
      error.hidden = true;
      title.value = "";
      for (const tick of document.querySelectorAll("#new-group-members input:checked")) tick.checked = false;
      document.getElementById("add-group").open = false;
      await sync(await api("GET", "/sandbox/overview"));
      const pane = groupPanes.get(group.id);
      if (pane) showPane(pane);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });

  async function refreshPane(pane) {
    // Coalesce: at most one fetch in flight per pane, plus one queued.
    if (pane.refreshing) {
      pane.again = true;
      return pane.refreshing;
    }
    pane.refreshing = (async () => {
      do {
        pane.again = false;
        if (pane.groupId !== undefined) {
          const chat = await api("GET", `/sandbox/groups/${pane.groupId}/chat?user_id=${pane.actingId ?? ""}`);
          pane.seq = chat.seq;
          renderGroupPane(pane, chat);
        } else {
          const chat = await api("GET", `/sandbox/users/${pane.userId}/chat`);
          pane.seq = chat.seq;
          renderPane(pane, chat);
        }
      } while (pane.again);
    })().finally(() => { pane.refreshing = null; });
    return pane.refreshing;
  }

  async function sync(overview) {
    users = overview.users;
    fillGroupForm();
    const known = new Set();
    for (const user of overview.users) {
      known.add(user.id);
      const pane = panes.get(user.id) || createPane(user);
      if (pane.seq !== overview.chats[String(user.id)]) await refreshPane(pane);
    }
    for (const [id, pane] of panes) {
      if (!known.has(id)) {
        pane.el.remove();
        const pick = pickerButton(pane);
        if (pick) pick.remove();
        panes.delete(id);
      }
    }
    const groups = new Set();
    for (const group of overview.groups || []) {
      groups.add(group.id);
      const pane = groupPanes.get(group.id) || createGroupPane(group);
      if (pane.seq !== group.seq) await refreshPane(pane);
    }
    for (const [id, pane] of groupPanes) {
      if (!groups.has(id)) {
        pane.el.remove();
        const pick = pickerButton(pane);
        if (pick) pick.remove();
        groupPanes.delete(id);
      }
    }
  }

  async function pollForever() {
    for (;;) {
      try {
        const change = await api("GET", `/sandbox/wait?since=${worldSeq}&timeout=20`);
        setStatus("live", "live");
        if (change.seq !== worldSeq) {
          worldSeq = change.seq;
          // Chats are the users' (positive ids) and the group chats (negative): a pane each.
          const chatIds = Object.keys(change.chats).map(Number);
          const paneOf = (id) => panes.get(id) || groupPanes.get(id);
          const missing = chatIds.some((id) => !paneOf(id)) || panes.size + groupPanes.size !== chatIds.length;
          if (missing) {
            await sync(await api("GET", "/sandbox/overview"));
          } else {
            await Promise.all(chatIds.filter((id) => paneOf(id).seq !== change.chats[id]).map((id) => refreshPane(paneOf(id))));
          }
        }
      } catch (error) {
        setStatus("error", "reconnecting…");
        await sleep(1000);
      }
    }
  }

  document.getElementById("add-user-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = document.getElementById("new-user-name");
    const lang = document.getElementById("new-user-lang");
    try {
      await api("POST", "/sandbox/users", { first_name: name.value.trim(), language_code: lang.value });
      name.value = "";
    } catch (error) {
      setStatus("error", error.message);
    }
  });

  async function main() {
    const info = await api("GET", "/sandbox/info");
    bot = info.bot;
    document.getElementById("bot-name").textContent = `@${bot.username}`;
    const overview = await api("GET", "/sandbox/overview");
    worldSeq = overview.seq;
    await sync(overview);
    setStatus("live", "live");
    pollForever();
    pollInboxes();
  }

  main().catch((error) => setStatus("error", error.message));
})();
