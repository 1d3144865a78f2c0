// Acme Cloud Help Center — scripted support assistant.
// Plain browser JS, no dependencies, no network. The bot is deterministic: it
// answers by keyword with canned text (see README.md in this folder).
//
// Test knobs (URL query parameters):
//   ?delay=MS   delay before the bot starts answering a user message (default 700)
//   ?stream=0   answers appear at once instead of streaming word by word

const params = new URLSearchParams(location.search);
const REPLY_DELAY = intParam('delay', 700, 0, 3_600_000);
const STREAM = params.get('stream') !== '0';
const STORAGE_KEY = 'acme-support-chat:v1';
const GREETING_DELAY = STREAM ? 400 : 0;
const HANDOFF_LOCK_MS = 2000;

const GREETING =
  "Hi! I'm Acme's assistant. I can help with your account, billing, API keys and plans. What can I do for you today?";
const FALLBACK =
  "I'm not sure I understand. Could you rephrase that? I can help with passwords and sign-in, invoices and billing, API keys, and our plans.";
const HANDOFF_TEXT =
  'Connecting you to a member of our support team… This usually takes less than a minute.';
const HANDOFF_QUEUED =
  "You're next in line. An agent will join this conversation shortly — you can keep typing in the meantime.";
const ENDED_TEXT = 'Chat ended. Thanks for contacting Acme Cloud support!';

// Ordered: the first rule whose pattern matches wins.
// `quality` documents the intent of the canned answer (good / bad) for demos.
const RULES = [
  {
    quality: 'bad', // wrong: SSO users don't have an Acme password
    pattern: /\b(sso|saml|okta|azure ad|entra|single sign[- ]?on|identity provider|idp)\b/i,
    answer:
      "SSO errors usually mean your password has expired. Try clearing your browser cache and cookies, then reset your password from the login page. If that doesn't work, wait 24 hours and try again.",
  },
  {
    quality: 'bad', // evasive
    pattern: /\b(export|exports|exporting|backup|backups|download (all )?(my|our) data|take out|takeout|migrate|retention)\b/i,
    answer:
      "Great question! Your data is very important to us, and Acme Cloud is committed to giving you control over it. There are many ways to work with your data in Acme Cloud depending on your needs and your plan. Is there anything else I can help you with?",
  },
  {
    quality: 'bad', // wrong-sounding and unhelpful
    pattern: /\b(refund|refunds|money back|chargeback|cancel(l?ed|l?ation)? (my )?(subscription|plan))\b/i,
    answer:
      "Unfortunately all payments are final and we don't offer refunds under any circumstances. You could try disputing the charge with your bank.",
  },
  {
    quality: 'good',
    pattern: /\b(password|passwort|forgot|reset|locked out|can'?t (log|sign) ?in)\b/i,
    answer:
      "To reset your password, open the sign-in page and choose \u201cForgot password?\u201d. We'll email you a reset link that stays valid for 30 minutes. If the email doesn't arrive, check your spam folder or ask an admin on your team to resend the invite. Anything else I can help with?",
  },
  {
    quality: 'good',
    pattern: /\b(2fa|two[- ]factor|mfa|authenticator)\b/i,
    answer:
      "Go to Account \u2192 Security \u2192 Two-factor authentication and choose \u201cSet up\u201d. Scan the QR code with any authenticator app, enter the 6-digit code, and save your recovery codes somewhere safe.",
  },
  {
    quality: 'good',
    pattern: /\b(invoice|invoices|receipt|receipts|billing|bill|vat|payment method|credit card|charged)\b/i,
    answer:
      "You can download every invoice as a PDF from Settings \u2192 Billing \u2192 Invoices. Invoices are also emailed to your billing contact on the 1st of each month, and they include your VAT ID once you add it under Billing details.",
  },
  {
    quality: 'good',
    pattern: /\b(api[- ]?keys?|token|tokens|credentials|secret key|access key)\b/i,
    answer:
      "Create an API key in Console \u2192 Settings \u2192 API keys \u2192 \u201cNew key\u201d. Pick a scope (read-only or read/write) and an expiry date. The key is shown only once, so copy it into your secret manager right away. You can revoke a key at any time from the same page.",
  },
  {
    quality: 'good',
    pattern: /\b(rate limits?|throttl\w*|429)\b/i,
    answer:
      'The API allows 600 requests per minute per key on Team and 3,000 on Enterprise. When you exceed it you get HTTP 429 with a Retry-After header — back off for that many seconds and retry.',
  },
  {
    quality: 'good',
    pattern: /\b(price|prices|pricing|plan|plans|cost|costs|upgrade|downgrade|team plan|enterprise|how much)\b/i,
    answer:
      'Acme Cloud has three plans: Starter is free for up to 3 projects, Team is $24 per seat per month, and Enterprise is custom-priced and adds SSO, audit logs and a 99.95% SLA. You can switch plans at any time in Settings \u2192 Billing; changes are prorated.',
  },
  {
    quality: 'good',
    pattern: /\b(invite|teammate|team member|add (a )?user|seat|seats)\b/i,
    answer:
      'Open Settings \u2192 Members and choose \u201cInvite\u201d. Enter their email and pick a role (Viewer, Developer or Admin). They get an email invite that is valid for 7 days.',
  },
  {
    quality: 'good',
    pattern: /\b(audit log|audit logs|activity log)\b/i,
    answer:
      'Audit logs are available on the Enterprise plan under Settings \u2192 Security \u2192 Audit log. You can filter by member and action, and stream events to your SIEM.',
  },
  {
    quality: 'good',
    pattern: /\b(down|outage|status|not working|incident|slow)\b/i,
    answer:
      'All Acme Cloud services are operational right now. You can follow live incidents and subscribe to updates on our status page, linked in the footer of the Console.',
  },
  {
    quality: 'good',
    pattern: /\b(human|agent|person|someone|real people|representative|operator)\b/i,
    answer:
      'Of course \u2014 choose \u201cTalk to a human\u201d below the message box and I\u2019ll connect you with our support team.',
  },
  {
    quality: 'good',
    pattern: /\b(thanks|thank you|thx|cheers|great|perfect|that worked|awesome)\b/i,
    answer: "You're welcome! Is there anything else I can help you with?",
  },
  {
    quality: 'good',
    pattern: /^\s*(hi|hello|hey|hallo|good (morning|afternoon|evening))\b/i,
    answer: 'Hello! What can I help you with today?',
  },
];

// ---------------------------------------------------------------- DOM ----

const root = document.getElementById('support-chat');
const log = root.querySelector('.chat__log');
const list = root.querySelector('.chat__messages');
const typing = root.querySelector('.chat__typing');
const announcer = root.querySelector('.chat__announcer');
const form = document.getElementById('chat-form');
const input = document.getElementById('chat-input');
const sendButton = form.querySelector('.chat-send');
const handoffButton = root.querySelector('.chat-handoff');
const endButton = root.querySelector('.chat-end');
const restartButton = root.querySelector('.chat-restart');
const endedPanel = root.querySelector('.chat__ended');
const chips = root.querySelector('.chat__chips');
const statusText = root.querySelector('.chat__status-text');
const avatarTemplate = document.getElementById('bot-avatar');
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

// -------------------------------------------------------------- state ----

/** @typedef {{ role: 'bot'|'user'|'system', text: string, ts: number, traceId?: string }} Message */
/** @type {{ id: string, messages: Message[], ended: boolean, handoff: boolean }} */
let state = load() ?? freshState();

// Everything asynchronous (typing delays, streaming ticks) belongs to an
// "epoch"; cancel() bumps the epoch so stale work stops at its next await.
let epoch = 0;
const timers = new Set();
let queue = Promise.resolve();
let pendingReplies = 0;
/** @type {{ el: HTMLElement, node: Text, text: string } | null} */
let streaming = null;
let locked = false;

function freshState() {
  return { id: 'c_' + randomHex(8), messages: [], ended: false, handoff: false };
}

function load() {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const data = JSON.parse(raw);
    if (!data || !Array.isArray(data.messages)) return null;
    return {
      id: String(data.id || 'c_' + randomHex(8)),
      messages: data.messages.filter((m) => m && typeof m.text === 'string' && ['bot', 'user', 'system'].includes(m.role)),
      ended: Boolean(data.ended),
      handoff: Boolean(data.handoff),
    };
  } catch {
    return null;
  }
}

function save() {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    /* storage full or disabled: the chat still works, it just won't survive a reload */
  }
}

// ------------------------------------------------------------ helpers ----

function intParam(name, fallback, min, max) {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}

function randomHex(bytes) {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

function newTraceId() {
  return 'tr_' + randomHex(16);
}

const CANCELLED = Symbol('cancelled');

function sleep(ms) {
  const mine = epoch;
  return new Promise((resolve, reject) => {
    const id = setTimeout(() => {
      timers.delete(id);
      if (mine === epoch) resolve();
      else reject(CANCELLED);
    }, ms);
    timers.add(id);
  });
}

/** Run `fn`, then keep the log pinned to the bottom if it was there before. */
function withAutoScroll(fn) {
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 64;
  const result = fn();
  if (nearBottom) log.scrollTop = log.scrollHeight;
  return result;
}

function answerFor(text) {
  const rule = RULES.find((r) => r.pattern.test(text));
  return rule ? rule.answer : FALLBACK;
}

// ---------------------------------------------------------- rendering ----

function renderMessage(message, visibleText = message.text) {
  const el = document.createElement('div');
  el.className = `msg msg--${message.role}`;
  if (message.role === 'bot') {
    el.setAttribute('data-trace-id', message.traceId);
    el.append(avatarTemplate.content.firstElementChild.cloneNode(true));
  }

  const body = document.createElement('div');
  body.className = 'msg__body';

  if (message.role !== 'system') {
    const meta = document.createElement('div');
    meta.className = 'msg__meta';
    const author = document.createElement('span');
    author.className = 'msg__author';
    author.textContent = message.role === 'bot' ? 'Acme Assistant' : 'You';
    const time = document.createElement('time');
    time.className = 'msg__time';
    const date = new Date(message.ts);
    time.dateTime = date.toISOString();
    time.textContent = timeFormat.format(date);
    meta.append(author, time);
    body.append(meta);
  }

  const text = document.createElement('div');
  text.className = 'msg__text';
  const node = document.createTextNode(visibleText);
  text.append(node);
  body.append(text);
  el.append(body);

  withAutoScroll(() => list.append(el));
  return { el, node };
}

function showTyping(on) {
  withAutoScroll(() => {
    typing.hidden = !on;
  });
  statusText.textContent = on ? 'Typing…' : state.ended ? 'Chat ended' : 'Online · replies instantly';
}

function announce(text) {
  announcer.textContent = '';
  // A fresh text node after a tick makes screen readers announce repeats too.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function renderAll() {
  list.replaceChildren();
  for (const m of state.messages) renderMessage(m);
  log.scrollTop = log.scrollHeight;
  applyControls();
}

function applyControls() {
  const ended = state.ended;
  form.hidden = ended;
  endedPanel.hidden = !ended;
  chips.hidden = ended;
  input.disabled = ended || locked;
  sendButton.disabled = ended || locked;
  for (const chip of chips.querySelectorAll('button')) chip.disabled = ended || locked;
  endButton.disabled = ended;
  handoffButton.disabled = ended || locked;
  input.placeholder = locked ? 'Connecting you to our team…' : 'Ask a question…';
  root.classList.toggle('chat--ended', ended);
  statusText.textContent = ended ? 'Chat ended' : typing.hidden ? 'Online · replies instantly' : 'Typing…';
}

// ------------------------------------------------------------ actions ----

/** Append a bot message; streams it word by word unless ?stream=0. */
async function botSay(text) {
  const message = { role: 'bot', text, ts: Date.now(), traceId: newTraceId() };
  // The "server" has the whole answer: persist it now so a reload mid-stream restores it.
  state.messages.push(message);
  save();
  showTyping(false);

  if (!STREAM) {
    renderMessage(message);
    announce(`Acme Assistant: ${text}`);
    return;
  }

  const tokens = text.match(/\S+\s*/g) ?? [text];
  const { el, node } = renderMessage(message, tokens[0]);
  el.setAttribute('aria-busy', 'true');
  streaming = { el, node, text };
  // ~1–2 s in total, like an LLM streaming tokens.
  const total = Math.min(1800, Math.max(900, tokens.length * 45));
  const step = total / Math.max(1, tokens.length - 1);
  try {
    for (let i = 1; i < tokens.length; i++) {
      await sleep(step);
      withAutoScroll(() => node.appendData(tokens[i]));
    }
  } finally {
    finishStreaming();
  }
  announce(`Acme Assistant: ${text}`);
}

function finishStreaming() {
  if (!streaming) return;
  const { el, node, text } = streaming;
  if (node.data !== text) node.data = text;
  el.removeAttribute('aria-busy');
  streaming = null;
}

function systemSay(text) {
  const message = { role: 'system', text, ts: Date.now() };
  state.messages.push(message);
  save();
  renderMessage(message);
  announce(text);
}

/** Queue work so bot messages never interleave. */
function enqueue(task) {
  const mine = epoch;
  pendingReplies++;
  queue = queue
    .then(() => (mine === epoch ? task() : undefined))
    .catch((err) => {
      if (err !== CANCELLED) console.error('[acme-chat]', err);
    })
    .finally(() => {
      if (mine === epoch) {
        pendingReplies--;
        if (pendingReplies === 0) showTyping(false);
      }
    });
}

function replyTo(text) {
  enqueue(async () => {
    showTyping(true);
    await sleep(REPLY_DELAY);
    await botSay(answerFor(text));
  });
}

function greet() {
  enqueue(async () => {
    if (GREETING_DELAY) {
      showTyping(true);
      await sleep(GREETING_DELAY);
    }
    await botSay(GREETING);
  });
}

/** Stop every pending delay/stream (the current stream is completed at once). */
function cancel() {
  epoch++;
  for (const id of timers) clearTimeout(id);
  timers.clear();
  finishStreaming();
  queue = Promise.resolve();
  pendingReplies = 0;
  showTyping(false);
}

function send(rawText) {
  const text = String(rawText ?? '').trim();
  if (!text || state.ended || locked) return false;
  const message = { role: 'user', text, ts: Date.now() };
  state.messages.push(message);
  save();
  renderMessage(message);
  log.scrollTop = log.scrollHeight;
  replyTo(text);
  return true;
}

function handoff() {
  if (state.ended || locked) return;
  cancel();
  state.handoff = true;
  save();
  const hadFocus = document.activeElement === input;
  locked = true; // simulated: input is disabled while we "connect"
  applyControls();
  enqueue(async () => {
    await botSay(HANDOFF_TEXT);
    await sleep(HANDOFF_LOCK_MS);
    systemSay(HANDOFF_QUEUED);
    locked = false;
    applyControls();
    if (hadFocus) input.focus();
  });
}

function endChat() {
  if (state.ended) return;
  cancel();
  locked = false;
  state.ended = true;
  systemSay(ENDED_TEXT);
  save();
  applyControls();
  restartButton.focus();
}

function restart() {
  cancel();
  locked = false;
  state = freshState();
  save();
  renderAll();
  input.value = '';
  greet();
  input.focus();
}

// ------------------------------------------------------------- wiring ----

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (send(input.value)) input.value = '';
});

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    form.requestSubmit();
  }
});

chips.addEventListener('click', (event) => {
  const chip = event.target.closest('.chat-chip');
  if (chip) send(chip.textContent);
});

function updateChipFade() {
  chips.classList.toggle('is-scrolled-end', chips.scrollLeft + chips.clientWidth >= chips.scrollWidth - 4);
}
chips.addEventListener('scroll', updateChipFade, { passive: true });
addEventListener('resize', updateChipFade);
requestAnimationFrame(updateChipFade);

handoffButton.addEventListener('click', handoff);
endButton.addEventListener('click', endChat);
restartButton.addEventListener('click', restart);

// Help-center page: topic links and the hero search ask the assistant.
function askFromPage(text) {
  const sent = send(text);
  root.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'nearest' });
  if (state.ended) restartButton.focus({ preventScroll: true });
  else input.focus({ preventScroll: true });
  return sent;
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-ask]');
  if (button) askFromPage(button.getAttribute('data-ask'));
});

const askForm = document.getElementById('ask-form');
const askInput = document.getElementById('ask-input');
askForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  if (askFromPage(askInput.value)) askInput.value = '';
});

// ------------------------------------------------------------- start ----

renderAll();
if (state.messages.length === 0) {
  greet();
} else if (!state.ended) {
  // A reload while the assistant was still "thinking": answer the last question.
  const last = state.messages[state.messages.length - 1];
  if (last.role === 'user') replyTo(last.text);
}

// Debugging handle only; nothing else is exposed.
window.acmeChat = Object.freeze({
  send,
  handoff,
  end: endChat,
  restart,
  get state() {
    return structuredClone(state);
  },
  config: Object.freeze({ replyDelay: REPLY_DELAY, stream: STREAM }),
});
