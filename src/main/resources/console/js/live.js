// The live event stream (/api/v1/events) for the signed-in console. An EventSource cannot send the bearer header,
// so each connection takes a single-use ticket (POST /api/v1/events/ticket); after a drop it takes a new ticket and
// resumes after the last event seen, so nothing is missed or repeated.
import { postJson } from './api.js';

const listeners = new Map();
let source = null;
let lastEventId = null;
let retryTimer = null;
let stopped = true;
/** Bumped at each start and stop: a connection begun for an earlier session is dropped. */
let generation = 0;
const statusListeners = [];

/** Calls {@code listener(data, type)} for each event of {@code type} ('*' for all). Returns an unsubscribe function. */
export function on(type, listener) {
  if (!listeners.has(type)) {
    listeners.set(type, new Set());
  }
  listeners.get(type).add(listener);
  return () => listeners.get(type).delete(listener);
}

/** Calls {@code listener(connected)} whenever the stream connects or drops. */
export function onStatus(listener) {
  statusListeners.push(listener);
}

function status(connected) {
  statusListeners.forEach((listener) => listener(connected));
}

function dispatch(type, event) {
  if (event.lastEventId) {
    lastEventId = event.lastEventId;
  }
  let data = null;
  try { data = JSON.parse(event.data); } catch (e) { data = event.data; }
  [type, '*'].forEach((key) => (listeners.get(key) || []).forEach((listener) => {
    try { listener(data, type); } catch (e) { console.error(e); }
  }));
}

// Every type the server sends (an EventSource hands named events only to listeners registered by name).
const KNOWN = ['slot.status', 'slot.missed', 'account.inspection', 'account.weibo-token', 'announcement',
  'case.new', 'case.assigned', 'case.status', 'case.returned', 'case.message', 'case.overdue', 'case.reminder',
  'case.extension', 'case.rated', 'case.reply-review', 'case.supervisor-decision', 'hot-issue.reached',
  'workdays.table-missing', 'reset', 'closed'];

async function connect() {
  if (stopped) {
    return;
  }
  const session = generation;
  try {
    const { ticket } = await postJson('/api/v1/events/ticket');
    if (stopped || session !== generation) {
      return;  // signed out (or restarted) while the ticket was on its way: this stream belongs to nobody
    }
    const params = new URLSearchParams({ ticket });
    if (lastEventId) {
      params.set('lastEventId', lastEventId);
    }
    const mine = new EventSource(`/api/v1/events?${params}`);
    source = mine;
    const current = () => source === mine;
    mine.onopen = () => { if (current()) status(true); };
    mine.onmessage = (event) => { if (current()) dispatch('message', event); };
    const types = new Set([...KNOWN, ...listeners.keys()]);
    types.forEach((type) => {
      if (type !== '*' && type !== 'closed') {
        mine.addEventListener(type, (event) => { if (current()) dispatch(type, event); });
      }
    });
    // signed-out or superseded: the server asks us not to come back by ourselves.
    mine.addEventListener('closed', () => { if (current()) stop(); else mine.close(); });
    mine.onerror = () => {
      mine.close();
      if (!current()) {
        return;
      }
      // The browser would retry with the spent ticket: come back with a new one.
      source = null;
      status(false);
      schedule();
    };
  } catch (e) {
    if (session !== generation) {
      return;
    }
    status(false);
    if (e.status !== 401) {
      schedule();
    }
  }
}

function schedule() {
  clearTimeout(retryTimer);
  if (!stopped) {
    retryTimer = setTimeout(connect, 3000);
  }
}

export function start() {
  if (stopped) {
    stopped = false;
    generation += 1;
    connect();
  }
}

/** Stops the stream; {@code forget}: the next person starts afresh, not after this one's last event. */
export function stop(forget = false) {
  stopped = true;
  generation += 1;
  if (forget) {
    lastEventId = null;
  }
  clearTimeout(retryTimer);
  if (source) {
    source.close();
    source = null;
  }
  status(false);
}
