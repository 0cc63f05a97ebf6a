// Working days as the server counts them (DOMAIN.md §3): the State Council's holiday tables (GET /api/v1/holidays,
// GET /api/v1/holidays/{year}) with their make-up working days. A year without a table counts Monday to Friday and
// is marked provisional, as the server's deadlines are. Dates are Beijing calendar dates, 'YYYY-MM-DD'.
import { get } from './api.js';
import { shanghaiDate } from './ui.js';

const tables = new Map();  // year → { off: Set, work: Set } (null: no table, weekdays only)
let years = null;          // Promise of the years that have a table
const loading = new Map();

function knownYears() {
  if (!years) {
    years = get('/api/v1/holidays').then((answer) => new Set((answer.items || []).map((t) => t.year)))
      .catch((e) => { years = null; throw e; });
  }
  return years;
}

function loadYear(year) {
  if (tables.has(year)) {
    return Promise.resolve();
  }
  if (!loading.has(year)) {
    loading.set(year, knownYears()
      .then((have) => (have.has(year) ? get(`/api/v1/holidays/${year}`) : null))
      .then((table) => {
        tables.set(year, table ? { off: new Set(table.off || []), work: new Set(table.workdays || []) } : null);
      })
      .finally(() => loading.delete(year)));
  }
  return loading.get(year);
}

/** Loads the tables of every year the given dates (and today) fall in; call before {@link countdown}. */
export async function prepare(dates) {
  const wanted = new Set([Number(today().slice(0, 4))]);
  dates.filter(Boolean).forEach((date) => wanted.add(Number(String(date).slice(0, 4))));
  // a deadline counted from today may cross into next year
  wanted.add(Number(today().slice(0, 4)) + 1);
  await Promise.all([...wanted].map(loadYear));
}

export function today(now = new Date()) {
  return shanghaiDate(now);
}

function utc(date) {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function iso(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether a year's count is only Monday to Friday (no table). */
export function provisional(date) {
  return tables.get(Number(date.slice(0, 4))) == null;
}

export function isWorkday(date) {
  const table = tables.get(Number(date.slice(0, 4)));
  if (table) {
    if (table.off.has(date)) return false;
    if (table.work.has(date)) return true;
  }
  const day = new Date(utc(date)).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The working days after {@code from} up to and including {@code to} (0 when to ≤ from). */
export function between(from, to) {
  let count = 0;
  const day = 86400000;
  for (let at = utc(from) + day, end = utc(to); at <= end; at += day) {
    if (isWorkday(iso(at))) count += 1;
  }
  return count;
}

/**
 * The countdown to a case's due date as staff read it: {text, tone, provisional}. '剩 2 个工作日', '今日到期',
 * '已超期 1 个工作日'; a paused clock and answered or closed cases say so instead.
 */
export function countdown(item, now = new Date()) {
  if (item.status === 'paused') {
    return { text: '已暂停计时', tone: 'muted' };
  }
  if (item.status === 'answered' || item.status === 'closed' || !item.dueDate) {
    return { text: item.dueDate ? '—' : '未定期限', tone: 'muted' };
  }
  const day = today(now);
  const guess = item.provisional || provisional(day) || provisional(item.dueDate);
  if (item.overdue || item.dueDate < day) {
    const late = between(item.dueDate, day);
    return { text: late > 0 ? `已超期 ${late} 个工作日` : '已超期', tone: 'danger', provisional: guess };
  }
  if (item.dueDate === day) {
    return { text: '今日到期', tone: 'warn', provisional: guess };
  }
  const left = between(day, item.dueDate);
  return { text: `剩 ${left} 个工作日`, tone: left <= 1 ? 'warn' : 'ok', provisional: guess };
}
