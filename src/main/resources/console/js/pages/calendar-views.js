// The publishing calendar's grids (week: 7 days × 24 hours; month: 6 weeks of days), its slot cards and the
// Beijing-time date arithmetic they share. Dates are YYYY-MM-DD strings of Asia/Shanghai days; Beijing keeps no
// daylight saving, so a fixed +08:00 offset is exact.
import { h, badge } from '../ui.js';

const DAY_MS = 86400000;
const OFFSET_MS = 8 * 3600000;

/** The slot statuses as the API names them, with the Chinese label and the badge tone each shows. */
export const STATUS = {
  scheduled: { label: '已排期', tone: 'info' },
  publishing: { label: '发布中', tone: 'info' },
  published: { label: '已发布', tone: 'ok' },
  failed: { label: '发布失败', tone: 'danger' },
  needs_check: { label: '待核实', tone: 'warn' },
  missed: { label: '已错过', tone: 'warn' },
  withdrawn: { label: '已撤回', tone: 'muted' },
  cancelled: { label: '已取消', tone: 'muted' },
};

export const CHANNEL = { wechat: '公众号', weibo: '微博', miniapp: '小程序' };
export const MODE = { freepublish: '发布', mass: '群发' };
export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** Beijing date, hour and minute of an instant. */
export function beijing(instant) {
  const shifted = new Date(Date.parse(instant) + OFFSET_MS);
  return {
    date: shifted.toISOString().slice(0, 10),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

export function today() {
  return beijing(new Date().toISOString()).date;
}

export function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday (weeks start on Monday here). */
export function weekday(date) {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function mondayOf(date) {
  return addDays(date, -weekday(date));
}

/** The ISO instant of a Beijing date and time of day. */
export function instantOf(date, hour, minute = 0, second = 0) {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + ((hour * 60 + minute) * 60 + second) * 1000)
    .toISOString();
}

/** The ISO instant of a date input's and a time input's values (HH:mm or HH:mm:ss). */
export function instantOfInputs(date, time) {
  const [hour, minute, second] = time.split(':').map((part) => Number(part || 0));
  return instantOf(date, hour, minute, second || 0);
}

const pad = (n) => String(n).padStart(2, '0');

export function clock(instant) {
  const t = beijing(instant);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** The days a view shows: a week from Monday, or the six weeks around a month. */
export function range(view, anchor) {
  const from = view === 'month' ? mondayOf(`${anchor.slice(0, 8)}01`) : mondayOf(anchor);
  const count = view === 'month' ? 42 : 7;
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}

export function rangeTitle(view, anchor, days) {
  if (view === 'month') {
    return `${anchor.slice(0, 4)} 年 ${Number(anchor.slice(5, 7))} 月`;
  }
  const first = days[0];
  const last = days[days.length - 1];
  const show = (d) => `${Number(d.slice(5, 7))} 月 ${Number(d.slice(8, 10))} 日`;
  return `${first.slice(0, 4)} 年 ${show(first)} – ${show(last)}`;
}

/** What a slot may still do, by its status (the API's rules; the server checks again). */
export const MOVABLE = new Set(['scheduled', 'missed']);

function card(slot, cal, compact) {
  const status = STATUS[slot.status] || { label: slot.status, tone: 'muted' };
  const movable = cal.canEdit && MOVABLE.has(slot.status) && !slot.moving;
  const account = cal.accountName(slot.accountId);
  const url = slot.result && slot.result.url;
  return h('div', {
    key: slot.id,
    class: ['slot-card', `slot-${slot.status}`, compact ? 'slot-compact' : null, movable ? 'slot-movable' : null],
    'data-slot-id': slot.id,
    draggable: movable ? 'true' : 'false',
    onDragstart: (e) => cal.dragStart(slot, e),
    onDragend: () => cal.dragEnd(),
  }, [
    h('button', {
      type: 'button', class: 'slot-open', onClick: () => cal.open(slot),
      'aria-label': `${clock(slot.at)} ${slot.postTitle}，${account}，${status.label}，查看详情`,
    }, [h('span', { class: 'slot-time' }, clock(slot.at)), ' ', h('span', { class: 'slot-title' }, slot.postTitle)]),
    compact ? null : h('span', { class: 'slot-meta' },
      `${account} · ${CHANNEL[slot.channel] || slot.channel}${slot.mode ? `（${MODE[slot.mode]}）` : ''}`),
    h('span', { class: 'slot-badges' }, [
      h('span', { class: ['badge', `badge-${status.tone}`, 'slot-status'] }, status.label),
      slot.held && slot.status === 'scheduled' ? badge('暂停中', 'warn') : null,
      url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'slot-link',
        'aria-label': `查看已发布的《${slot.postTitle}》` }, '查看') : null,
    ]),
  ]);
}

function dayClass(date, cal) {
  const holiday = cal.holidays[date];
  const weekend = weekday(date) >= 5;
  return [
    date === cal.today ? 'is-today' : null,
    holiday === 'off' || (weekend && holiday !== 'work') ? 'is-off' : null,
  ];
}

function dayTag(date, cal) {
  const holiday = cal.holidays[date];
  if (holiday === 'off') return h('span', { class: 'day-tag day-tag-off', title: '法定节假日' }, '休');
  if (holiday === 'work') return h('span', { class: 'day-tag day-tag-work', title: '调休上班' }, '班');
  return null;
}

function dropCell(cal, date, hour, content, extra = {}) {
  return h('td', {
    ...extra,
    'data-date': date,
    'data-hour': hour === null ? undefined : hour,
    class: [extra.class, 'drop-cell', cal.dropTarget === `${date}|${hour}` ? 'drop-over' : null],
    onDragover: (e) => cal.dragOver(e, date, hour),
    onDragleave: () => cal.dragLeave(date, hour),
    onDrop: (e) => cal.drop(e, date, hour),
  }, content);
}

/** The week: a column per day, a row per hour of Beijing time. */
export function weekView(cal, days, byDayHour) {
  const hours = Array.from({ length: 24 }, (_, i) => i);
  return h('div', { key: 'week', class: 'cal-scroll', tabindex: '0', role: 'region', 'aria-label': '周视图（可滚动）' },
    h('table', { class: 'cal-week' }, [
      h('caption', { class: 'visually-hidden' }, `${days[0]} 至 ${days[6]} 的发布排期（北京时间）`),
      h('thead', h('tr', [
        h('th', { scope: 'col', class: 'hour-col' }, '时间'),
        ...days.map((date) => h('th', { scope: 'col', class: dayClass(date, cal), 'data-date': date }, [
          h('span', { class: 'day-name' }, `周${WEEKDAYS[weekday(date)]}`), ' ',
          h('span', { class: 'day-date' }, `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`),
          dayTag(date, cal),
        ])),
      ])),
      h('tbody', hours.map((hour) => h('tr', { key: hour, 'data-hour-row': hour }, [
        h('th', { scope: 'row', class: 'hour-col' }, `${pad(hour)}:00`),
        ...days.map((date) => dropCell(cal, date, hour,
          (byDayHour[`${date}|${hour}`] || []).map((slot) => card(slot, cal, false)), { class: dayClass(date, cal) })),
      ]))),
    ]));
}

/** The month: six weeks of days, each with its slots in time order. */
export function monthView(cal, days, byDay, anchor) {
  const month = anchor.slice(0, 7);
  const weeks = Array.from({ length: 6 }, (_, i) => days.slice(i * 7, i * 7 + 7));
  return h('div', { key: 'month', class: 'cal-scroll', tabindex: '0', role: 'region', 'aria-label': '月视图（可滚动）' },
    h('table', { class: 'cal-month' }, [
      h('caption', { class: 'visually-hidden' }, `${month} 的发布排期（北京时间）`),
      h('thead', h('tr', WEEKDAYS.map((name) => h('th', { scope: 'col' }, `周${name}`)))),
      h('tbody', weeks.map((week) => h('tr', { key: week[0] }, week.map((date) => dropCell(cal, date, null, [
        h('div', { class: 'day-head' }, [
          h('span', { class: 'day-num' }, date.slice(5, 7) === month.slice(5, 7) ? String(Number(date.slice(8, 10)))
            : `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`),
          dayTag(date, cal),
        ]),
        ...(byDay[date] || []).map((slot) => card(slot, cal, true)),
      ], { class: [dayClass(date, cal), date.slice(0, 7) === month ? null : 'other-month'] }))))),
    ]));
}

/** Scrolls the week grid so that {@code hour}'s row is near the top (the month grid to its start). */
export function scrollToHour(container, hour) {
  if (!container) return;
  const row = container.querySelector(`tr[data-hour-row="${Math.max(0, hour - 1)}"]`);
  const head = container.querySelector('thead');
  if (!row) {
    container.scrollTop = 0;
    return;
  }
  container.scrollTop += row.getBoundingClientRect().top - container.getBoundingClientRect().top
    - (head ? head.offsetHeight : 0);
}
