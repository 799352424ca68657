// Telegram sandbox play page: one phone-like pane per simulated user, kept live by long polling
// /sandbox/wait. Message HTML comes from the server's whitelist renderer and is sanitised again here.
"use strict";

(() => {
  const panesEl = document.getElementById("panes");
  const template = document.getElementById("pane-template");
  const statusEl = document.getElementById("connection-status");
  const panes = new Map(); // user id -> pane state
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
        if (button.url) {
          btn = el("a", "inline-btn url", button.text);
          if (SAFE_HREF.test(button.url)) btn.href = button.url;
          btn.target = "_blank";
          btn.rel = "noopener noreferrer";
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

  function renderInvoice(pane, message) {
    const invoice = message.invoice;
    const box = el("div", "invoice");
    box.appendChild(el("div", "invoice-title", invoice.title));
    box.appendChild(el("div", "invoice-desc", invoice.description));
    box.appendChild(el("div", "invoice-price", formatPrice(invoice.currency, invoice.total_amount)));
    const pay = el("button", "pay-btn", invoice.paid ? "Paid ✓" : `Pay ${formatPrice(invoice.currency, invoice.total_amount)}`);
    pay.type = "button";
    pay.dataset.messageId = message.message_id;
    pay.disabled = invoice.paid;
    pay.addEventListener("click", () => payInvoice(pane, message.message_id, pay));
    box.appendChild(pay);
    return box;
  }

  function renderService(message) {
    if (message.successful_payment) {
      const p = message.successful_payment;
      return el("div", "system payment", `You paid ${formatPrice(p.currency, p.total_amount)}`);
    }
    const p = message.refunded_payment;
    return el("div", "system payment", `Refunded ${formatPrice(p.currency, p.total_amount)}`);
  }

  function renderMessage(pane, message) {
    if (message.successful_payment || message.refunded_payment) return renderService(message);
    const wrap = el("div", "msg");
    wrap.dataset.messageId = message.message_id;
    wrap.dataset.sender = message.sender;
    const bubble = el("div", "bubble");
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
    const meta = el("span", "meta", `${message.edited ? "edited " : ""}${timeOf(message.date)}`);
    bubble.appendChild(meta);
    wrap.appendChild(bubble);
    if (message.inline_keyboard) wrap.appendChild(renderInlineKeyboard(pane, message));
    return wrap;
  }

  function renderSystem(entry) {
    const node = el("div", `system ${entry.kind}`, entry.kind === "alert" ? `Alert: ${entry.text}` : entry.text);
    node.dataset.kind = entry.kind;
    return node;
  }

  function showToast(pane, entry) {
    const toast = el("div", `toast ${entry.kind}`, entry.text);
    pane.el.querySelector(".toast-layer").appendChild(toast);
    setTimeout(() => toast.remove(), 3300);
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
    if (!commands.length) menu.appendChild(el("div", "empty", "The bot has no commands for this chat."));
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
    pane.el.querySelector(".user-line").textContent = user.blocked ? "you blocked this bot" : "bot";
    pane.el.querySelector(".block-btn").textContent = user.blocked ? "Restart" : "Block";

    const list = pane.el.querySelector(".messages");
    const stick = firstRender || isNearBottom(list);
    const nodes = [];
    for (const entry of chat.messages) {
      if (entry.kind === "message") {
        nodes.push(renderMessage(pane, entry));
      } else {
        nodes.push(renderSystem(entry));
        if ((entry.kind === "toast" || entry.kind === "alert" || entry.kind === "payment_error") && entry.seq > pane.toastSeq && !firstRender) {
          showToast(pane, entry);
        }
      }
      if (entry.kind !== "message") pane.toastSeq = Math.max(pane.toastSeq, entry.seq);
    }
    list.replaceChildren(...nodes);
    if (stick) list.scrollTop = list.scrollHeight;
    for (const img of list.querySelectorAll("img.photo")) {
      img.addEventListener("load", () => { if (stick) list.scrollTop = list.scrollHeight; }, { once: true });
    }
    for (const spoiler of list.querySelectorAll(".tg-spoiler")) {
      spoiler.addEventListener("click", () => spoiler.classList.add("revealed"));
    }
    for (const command of list.querySelectorAll(".msg[data-sender='bot'] .bot-command")) {
      command.addEventListener("click", () => sendText(pane, command.textContent));
    }
    renderReplyKeyboard(pane, chat.reply_keyboard);
    renderCommandMenu(pane);
  }

  // ---- user actions ------------------------------------------------------------------------------

  function reportError(pane, error) {
    showToast(pane, { kind: "alert", text: `⚠ ${error.message}` });
  }

  async function sendText(pane, text) {
    if (!text.trim()) return;
    try {
      await api("POST", `/sandbox/users/${pane.userId}/messages`, { text });
    } catch (error) {
      reportError(pane, error);
    }
  }

  async function pressButton(pane, messageId, button, btn) {
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
    btn.textContent = "Paying…";
    try {
      const outcome = await api("POST", `/sandbox/users/${pane.userId}/pay`, { message_id: messageId });
      if (outcome.status !== "paid") {
        btn.disabled = false;
        btn.textContent = "Pay";
      }
    } catch (error) {
      btn.disabled = false;
      btn.textContent = "Pay";
      reportError(pane, error);
    }
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
    const pane = { userId: user.id, el: section, chat: null, seq: -1, toastSeq: 0, refreshing: null };

    section.querySelector(".bot-title").textContent = bot ? bot.first_name : "Bot";
    section.querySelector(".avatar").textContent = (bot ? bot.first_name : "B").slice(0, 1);
    const composer = section.querySelector(".composer");
    const input = composer.querySelector("input[type='text']");
    const fileInput = composer.querySelector(".file-input");
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
    section.querySelector(".attach-btn").addEventListener("click", () => fileInput.click());
    fileInput.addEventListener("change", () => {
      const file = fileInput.files[0];
      if (file) sendFile(pane, file, input.value.trim());
      input.value = "";
      fileInput.value = "";
    });
    section.querySelector(".block-btn").addEventListener("click", async () => {
      const blocked = pane.chat && pane.chat.user.blocked;
      try {
        await api("POST", `/sandbox/users/${pane.userId}/${blocked ? "unblock" : "block"}`);
      } catch (error) {
        reportError(pane, error);
      }
    });
    panesEl.appendChild(section);
    panes.set(user.id, pane);
    return pane;
  }

  async function refreshPane(pane) {
    // Coalesce: at most one fetch in flight per pane, plus one queued.
    if (pane.refreshing) {
      pane.again = true;
      return pane.refreshing;
    }
    pane.refreshing = (async () => {
      do {
        pane.again = false;
        const chat = await api("GET", `/sandbox/users/${pane.userId}/chat`);
        pane.seq = chat.seq;
        renderPane(pane, chat);
      } while (pane.again);
    })().finally(() => { pane.refreshing = null; });
    return pane.refreshing;
  }

  async function sync(overview) {
    const known = new Set();
    for (const user of overview.users) {
      known.add(user.id);
      const pane = panes.get(user.id) || createPane(user);
      if (pane.seq !== overview.chats[String(user.id)]) await refreshPane(pane);
    }
    for (const [id, pane] of panes) {
      if (!known.has(id)) {
        pane.el.remove();
        panes.delete(id);
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
          const userIds = Object.keys(change.chats).map(Number);
          const missing = userIds.some((id) => !panes.has(id)) || panes.size !== userIds.length;
          if (missing) {
            await sync(await api("GET", "/sandbox/overview"));
          } else {
            await Promise.all(userIds.filter((id) => panes.get(id).seq !== change.chats[id]).map((id) => refreshPane(panes.get(id))));
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
  }

  main().catch((error) => setStatus("error", error.message));
})();
