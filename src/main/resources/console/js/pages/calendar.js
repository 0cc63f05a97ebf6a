// 发布日历: every slot of the person's accounts in a week or a month of Beijing time, kept current by the live
// stream (slot.status, slot.missed, account.inspection) without reloading; cards move by drag and drop (or the
// detail dialog's 改期), "安排发布" schedules an approved post, admins hold and release publishing; the side panel
// shows each official account's mass sends left and each account's days since its last post.
import {
  h, ref, reactive, computed, onMounted, onUnmounted, defineComponent, Modal, button, badge, field, errorBox,
  loadingBox, toast, problemText, formatTime, textInput, debounce, nextTick,
} from '../ui.js';
import * as api from '../api.js';
import * as live from '../live.js';
import { attention } from '../notify.js';
import { session, has } from '../session.js';
import {
  STATUS, range, rangeTitle, today, addDays, beijing, instantOf, weekView, monthView, scrollToHour,
} from './calendar-views.js';
import { SlotDialog, reschedule, reread, changedMeanwhile } from './slot-dialog.js';
import { ScheduleDialog, TYPE_NAME } from './slot-schedule.js';

const INSPECTION = {
  ok: { label: '正常', tone: 'ok' },
  warning: { label: '提醒', tone: 'warn' },
  alarm: { label: '告警', tone: 'danger' },
};

const pad = (n) => String(n).padStart(2, '0');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export default defineComponent({
  name: 'CalendarPage',
  props: { params: Object, query: Object },
  setup(props) {
    const query = props.query || {};
    const state = reactive({
      view: query.view === 'month' ? 'month' : 'week',
      anchor: DATE.test(query.date || '') ? query.date : today(),
      accountId: query.account || '',
      items: [],
      quota: [],
      truncated: false,
      loaded: false,
      loading: false,
      error: null,
      accounts: [],
      accountsNext: null,
      inspection: [],
      hold: { held: false },
      holidays: {},
      dropTarget: null,
    });
    const dialogs = reactive({ slot: null, schedule: false, hold: false, release: false });
    const holdForm = reactive({ reason: '' });
    const holdBusy = ref(false);
    const holdError = ref(null);
    const canEdit = computed(() => has('editor'));
    const isAdmin = computed(() => has('admin'));
    const days = computed(() => range(state.view, state.anchor));
    const holidayYears = new Set();
    let knownYears = null;
    let generation = 0;
    let dragging = null;

    // Loading

    const names = computed(() => {
      const map = {};
      state.inspection.forEach((row) => { map[row.accountId] = row.name; });
      state.accounts.forEach((a) => { map[a.id] = a.name; });
      return map;
    });
    const accountName = (id) => names.value[id] || '未知账号';

    async function loadCalendar() {
      generation += 1;
      const mine = generation;
      const shown = days.value;
      state.loading = true;
      try {
        const answer = await api.get(`/api/v1/calendar${api.query({ from: shown[0], to: shown[shown.length - 1],
          accountId: state.accountId })}`);
        if (mine !== generation) return;
        state.items = answer.items;
        state.truncated = !!answer.truncated;
        state.error = null;
        state.loaded = true;
        showHour(firstHour());
        const quota = await withMissingQuota(answer.quota);
        if (mine === generation) state.quota = quota;
      } catch (e) {
        if (mine === generation) state.error = e;
      } finally {
        if (mine === generation) {
          state.loading = false;
          state.loaded = true;
        }
      }
      loadHolidays(shown);
    }

    /** Where the week opens: at the earliest slot shown, else at this hour today, else at 08:00. */
    function firstHour() {
      if (state.items.length > 0) {
        return Math.min(...state.items.map((slot) => beijing(slot.at).hour));
      }
      const now = beijing(new Date().toISOString());
      return days.value.includes(now.date) ? now.hour : 8;
    }

    function showHour(hour) {
      nextTick(() => scrollToHour(document.querySelector('.calendar-page .cal-scroll'), state.view === 'week' ? hour : 0));
    }

    /** The calendar reports the accounts it met; the others in view are asked for on their own (today only). */
    async function withMissingQuota(quota) {
      const have = new Set(quota.map((q) => q.accountId));
      const missing = state.accounts.filter((a) => a.type === 'wechat_mp' && a.status === 'active' && !have.has(a.id)
        && (!state.accountId || state.accountId === a.id));
      const day = today();
      const more = await Promise.all(missing.map((a) => api.get(`/api/v1/calendar${api.query({ from: day, to: day,
        accountId: a.id })}`).then((answer) => answer.quota.filter((q) => q.accountId === a.id)).catch(() => [])));
      return [...quota, ...more.flat()].filter((q) => !state.accountId || q.accountId === state.accountId);
    }

    /** A mass send taken or given back changes what is left: read the quota again (not the slots). */
    const refreshQuota = debounce(async () => {
      const mine = generation;
      const shown = days.value;
      try {
        const answer = await api.get(`/api/v1/calendar${api.query({ from: shown[0], to: shown[shown.length - 1],
          accountId: state.accountId })}`);
        const quota = await withMissingQuota(answer.quota);
        if (mine === generation) state.quota = quota;
      } catch (e) {
        // the next load shows it
      }
    }, 500);

    /** A publication resets its account's days without a post. */
    const refreshInspection = debounce(() => loadInspection(), 500);

    async function loadAccounts(more) {
      try {
        const page = await api.get(`/api/v1/accounts${api.query({ limit: 200, cursor: more ? state.accountsNext
          : undefined })}`);
        state.accounts = more ? [...state.accounts, ...page.items] : page.items;
        state.accountsNext = page.next;
      } catch (e) {
        toast(problemText(e), 'error');
      }
    }

    async function loadInspection() {
      try {
        state.inspection = (await api.get('/api/v1/accounts/inspection')).items;
      } catch (e) {
        toast(problemText(e), 'error');
      }
    }

    async function loadHold() {
      try {
        state.hold = await api.get('/api/v1/publishing/hold');
      } catch (e) {
        // the next poll tries again; the calendar itself still works
      }
    }

    /** Shades the State Council's days off and make-up working days, for the years that have a table. */
    async function loadHolidays(shown) {
      try {
        if (knownYears === null) {
          knownYears = new Set(((await api.get('/api/v1/holidays')).items || []).map((t) => t.year));
        }
        const years = [...new Set(shown.map((d) => Number(d.slice(0, 4))))]
          .filter((y) => knownYears.has(y) && !holidayYears.has(y));
        for (const year of years) {
          holidayYears.add(year);
          const table = await api.get(`/api/v1/holidays/${year}`);
          const marks = { ...state.holidays };
          (table.off || []).forEach((d) => { marks[d] = 'off'; });
          (table.workdays || []).forEach((d) => { marks[d] = 'work'; });
          state.holidays = marks;
        }
      } catch (e) {
        // shading is a help, not a need: without it weekends are still shaded
      }
    }

    // Live updates: the card changes in place

    const inView = (slot) => days.value.includes(beijing(slot.at).date)
      && (!state.accountId || slot.accountId === state.accountId);

    function upsert(slot) {
      const at = state.items.findIndex((item) => item.id === slot.id);
      if (at >= 0) {
        const known = state.items[at];
        // an older event than what a write already answered is not allowed to move the card back
        if ((known.version ?? -1) > (slot.version ?? -1)) return;
        if (inView(slot)) state.items.splice(at, 1, slot);
        else state.items.splice(at, 1);
      } else if (inView(slot)) {
        state.items.push(slot);
      }
      if (dialogs.slot && dialogs.slot.id === slot.id) dialogs.slot = slot;
      if (slot.mode === 'mass') refreshQuota();
      if (slot.status === 'published') refreshInspection();
    }

    const bad = { failed: '发布失败', needs_check: '发送结果待核实', missed: '已错过发布时间' };
    const unsubscribe = [];
    onMounted(() => {
      unsubscribe.push(live.on('slot.status', (slot) => {
        upsert(slot);
        if (bad[slot.status]) attention(`《${slot.postTitle}》${bad[slot.status]}`);
      }));
      unsubscribe.push(live.on('slot.missed', upsert));
      unsubscribe.push(live.on('account.inspection', (row) => {
        const at = state.inspection.findIndex((r) => r.accountId === row.accountId);
        if (at >= 0) state.inspection.splice(at, 1, row);
        else state.inspection.push(row);
      }));
      unsubscribe.push(live.on('reset', () => loadCalendar()));
      const holdTimer = setInterval(loadHold, 30000);
      unsubscribe.push(() => clearInterval(holdTimer));
      Promise.all([loadAccounts(false), loadInspection(), loadHold()]).then(loadCalendar);
    });
    onUnmounted(() => {
      refreshQuota.cancel();
      refreshInspection.cancel();
      unsubscribe.forEach((stop) => stop());
    });

    // Navigation

    const go = (anchor) => {
      state.anchor = anchor;
      loadCalendar();
    };
    const step = (direction) => {
      if (state.view === 'month') {
        const [y, m] = state.anchor.split('-').map(Number);
        const month = new Date(Date.UTC(y, m - 1 + direction, 1)).toISOString().slice(0, 10);
        go(month);
      } else {
        go(addDays(state.anchor, 7 * direction));
      }
    };
    const setView = (view) => {
      state.view = view;
      loadCalendar();
    };

    // Moving a card

    async function move(slot, date, hour) {
      const t = beijing(slot.at);
      const at = instantOf(date, hour === null ? t.hour : hour, t.minute, 0);
      if (Date.parse(at) === Date.parse(slot.at)) return;
      const before = { ...slot };
      slot.at = at;
      slot.moving = true;
      try {
        upsert(await reschedule(before, at));
        toast(`已改期至 ${formatTime(at)}`, 'ok');
      } catch (e) {
        slot.at = before.at;
        slot.moving = false;
        if (changedMeanwhile(e)) {
          toast(`${e.title}：排期已变动，已显示最新的时间和状态`, 'error');
          const fresh = await reread(before).catch(() => null);
          if (fresh) upsert(fresh);
        } else {
          toast(problemText(e), 'error');
        }
      }
    }

    const cal = reactive({
      canEdit,
      today: computed(today),
      holidays: computed(() => state.holidays),
      dropTarget: computed(() => state.dropTarget),
      accountName,
      open: (slot) => { dialogs.slot = slot; },
      dragStart: (slot, e) => {
        dragging = slot;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', slot.id);
      },
      dragEnd: () => {
        dragging = null;
        state.dropTarget = null;
      },
      dragOver: (e, date, hour) => {
        if (!dragging) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        state.dropTarget = `${date}|${hour}`;
      },
      dragLeave: (date, hour) => {
        if (state.dropTarget === `${date}|${hour}`) state.dropTarget = null;
      },
      drop: (e, date, hour) => {
        e.preventDefault();
        const id = e.dataTransfer ? e.dataTransfer.getData('text/plain') : '';
        const slot = dragging || state.items.find((item) => item.id === id);
        dragging = null;
        state.dropTarget = null;
        if (slot) move(slot, date, hour);
      },
    });

    const grouped = computed(() => {
      const byDay = {};
      const byDayHour = {};
      [...state.items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).forEach((slot) => {
        const t = beijing(slot.at);
        (byDay[t.date] = byDay[t.date] || []).push(slot);
        const key = `${t.date}|${t.hour}`;
        (byDayHour[key] = byDayHour[key] || []).push(slot);
      });
      return { byDay, byDayHour };
    });

    // Scheduling, hold and release

    const manageable = computed(() => state.accounts.filter((a) => a.status === 'active'
      && (has('admin') || ((session.me && session.me.accountIds) || []).includes(a.id))));

    const scheduleDefaults = computed(() => {
      const now = beijing(new Date().toISOString());
      if (days.value.includes(now.date) && now.hour < 23) {
        return { date: now.date, time: `${pad(now.hour + 1)}:00` };
      }
      const first = days.value.find((d) => d >= now.date) || now.date;
      return { date: first, time: '09:00' };
    });

    const scheduled = (made) => {
      made.forEach(upsert);
      toast(`已排期 ${made.length} 项`, 'ok');
      const first = made[0] && beijing(made[0].at);
      if (first && !days.value.includes(first.date)) go(first.date);
      else if (first) showHour(first.hour);
    };

    const setHold = async (held) => {
      holdBusy.value = true;
      holdError.value = null;
      try {
        const answer = held
          ? await api.postJson('/api/v1/publishing/hold', { reason: holdForm.reason.trim() })
          : await api.postJson('/api/v1/publishing/release');
        state.hold = answer;
        dialogs.hold = false;
        dialogs.release = false;
        holdForm.reason = '';
        toast(held ? '已紧急暂停全部排期' : `已解除暂停${answer.missed ? `；${answer.missed} 项排期在暂停期间已错过，请重新安排` : ''}`,
          'ok');
        loadCalendar();
      } catch (e) {
        holdError.value = e;
      } finally {
        holdBusy.value = false;
      }
    };

    // Rendering

    const toolbar = () => h('div', { class: 'toolbar cal-toolbar' }, [
      h('div', { class: 'btn-group', role: 'group', 'aria-label': '视图' }, [
        button('周', () => setView('week'), { class: state.view === 'week' ? 'is-active' : null,
          ariaLabel: '周视图', title: '周视图' }),
        button('月', () => setView('month'), { class: state.view === 'month' ? 'is-active' : null,
          ariaLabel: '月视图', title: '月视图' }),
      ]),
      button(state.view === 'month' ? '上个月' : '上一周', () => step(-1)),
      button('今天', () => go(today())),
      button(state.view === 'month' ? '下个月' : '下一周', () => step(1)),
      field('账号', (id) => h('select', { id, onChange: (e) => { state.accountId = e.target.value; loadCalendar(); } }, [
        h('option', { value: '', selected: state.accountId === '' }, '全部账号'),
        ...state.accounts.map((a) => h('option', { value: a.id, selected: state.accountId === a.id },
          `${a.name}（${TYPE_NAME[a.type] || a.type}）`)),
      ]), { class: 'cal-account' }),
      state.accountsNext ? button('加载更多账号', () => loadAccounts(true)) : null,
      h('span', { class: 'spacer' }),
      canEdit.value ? button('安排发布', () => { dialogs.schedule = true; }, { kind: 'primary' }) : null,
      isAdmin.value && !state.hold.held ? button('紧急暂停', () => { dialogs.hold = true; }, { kind: 'danger' }) : null,
      isAdmin.value && state.hold.held ? button('解除暂停', () => { dialogs.release = true; }) : null,
    ]);

    const banner = () => (state.hold.held ? h('div', { class: 'alert alert-error hold-banner', role: 'alert' }, [
      h('strong', '紧急暂停中'),
      `：所有排期暂不发送。原因：${state.hold.reason || '未填写'}（${state.hold.by || ''} 于 ${formatTime(state.hold.since)} 暂停）`,
    ]) : null);

    const quotaPanel = () => h('section', { class: 'panel side-panel', 'aria-labelledby': 'cal-quota-title' }, [
      h('h2', { id: 'cal-quota-title' }, '群发次数剩余'),
      state.quota.length === 0 ? h('p', { class: 'muted' }, '视图中没有公众号。') : h('ul', { class: 'side-list' },
        state.quota.map((q) => {
          const limit = q.kind === 'service' ? 4 : 1;
          return h('li', { key: q.accountId, class: 'quota-row', 'data-account-id': q.accountId }, [
            h('span', { class: 'side-name' }, accountName(q.accountId)),
            h('span', { class: 'muted side-note' }, `${q.kind === 'service' ? '服务号 本月' : '订阅号 今日'}（${q.period}）`),
            badge(`剩余 ${q.massLeft}/${limit} 次`, q.massLeft > 0 ? 'ok' : 'danger'),
          ]);
        })),
    ]);

    const inspectionPanel = () => h('section', { class: 'panel side-panel', 'aria-labelledby': 'cal-inspection-title' }, [
      h('h2', { id: 'cal-inspection-title' }, '账号更新检查'),
      h('p', { class: 'hint' }, '连续 10 天未发布为提醒，14 天为告警（国办秘函〔2019〕19号）。'),
      state.inspection.length === 0 ? h('p', { class: 'muted' }, '没有可查看的账号。') : h('ul', { class: 'side-list' },
        [...state.inspection].sort((a, b) => b.daysSinceLastPost - a.daysSinceLastPost).map((row) => {
          const level = INSPECTION[row.state] || INSPECTION.ok;
          return h('li', { key: row.accountId, class: ['inspection-row', `inspection-${row.state}`],
            'data-account-id': row.accountId }, [
            h('span', { class: 'side-name' }, row.name),
            h('span', { class: 'muted side-note' }, row.lastPublishedAt ? `上次发布 ${formatTime(row.lastPublishedAt)}`
              : '尚未发布'),
            badge(`${row.daysSinceLastPost} 天未更新 · ${level.label}`, level.tone),
          ]);
        })),
    ]);

    const legend = () => h('ul', { class: 'cal-legend', 'aria-label': '状态图例' }, Object.entries(STATUS)
      .map(([key, s]) => h('li', { key, class: `legend-${key}` }, badge(s.label, s.tone))));

    const holdDialogs = () => [
      h(Modal, { open: dialogs.hold, title: '紧急暂停全部排期', onClose: () => { dialogs.hold = false; } }, () => [
        h('p', '暂停后，所有账号的排期都不会发送（正在发送的会完成）。暂停期间已过发布时间的排期在解除后变为“已错过”，需编辑重新决定。'),
        errorBox(holdError.value),
        textInput('暂停原因', holdForm, 'reason', { multiline: true, rows: 3, maxlength: 500, required: true }),
        h('div', { class: 'toolbar' }, [
          button(holdBusy.value ? '正在暂停…' : '确认暂停', () => setHold(true),
            { kind: 'danger', disabled: holdBusy.value || !holdForm.reason.trim() }),
          button('不暂停', () => { dialogs.hold = false; }),
        ]),
      ]),
      h(Modal, { open: dialogs.release, title: '解除紧急暂停', onClose: () => { dialogs.release = false; } }, () => [
        h('p', `当前暂停原因：${state.hold.reason || '未填写'}。解除后排期恢复发送；暂停期间已过发布时间的排期将标记为“已错过”。`),
        errorBox(holdError.value),
        h('div', { class: 'toolbar' }, [
          button(holdBusy.value ? '正在解除…' : '确认解除', () => setHold(false), { kind: 'primary', disabled: holdBusy.value }),
          button('暂不解除', () => { dialogs.release = false; }),
        ]),
      ]),
    ];

    return () => h('div', { class: 'calendar-page' }, [
      banner(),
      toolbar(),
      h('div', { class: 'cal-layout' }, [
        h('section', { class: 'panel cal-main', 'aria-labelledby': 'cal-range-title' }, [
          h('h2', { id: 'cal-range-title' }, [rangeTitle(state.view, state.anchor, days.value),
            h('span', { class: 'muted cal-zone' }, '（北京时间）')]),
          legend(),
          state.truncated ? h('p', { class: 'alert alert-warn' }, '排期太多，只显示了最早的 2000 条；请选择一个账号或缩小范围。') : null,
          errorBox(state.error),
          !state.loaded ? loadingBox('正在读取排期…')
            : state.view === 'month' ? monthView(cal, days.value, grouped.value.byDay, state.anchor)
              : weekView(cal, days.value, grouped.value.byDayHour),
          state.loaded && !state.loading && state.items.length === 0 ? h('p', { class: 'muted cal-empty' }, '这段时间没有排期。') : null,
        ]),
        h('aside', { class: 'cal-side', 'aria-label': '配额与更新检查' }, [quotaPanel(), inspectionPanel()]),
      ]),
      h(SlotDialog, { open: !!dialogs.slot, slot: dialogs.slot, canEdit: canEdit.value, accountName,
        onClose: () => { dialogs.slot = null; }, onChanged: upsert }),
      canEdit.value ? h(ScheduleDialog, { open: dialogs.schedule, accounts: manageable.value,
        date: scheduleDefaults.value.date, time: scheduleDefaults.value.time,
        onClose: () => { dialogs.schedule = false; }, onScheduled: scheduled }) : null,
      isAdmin.value ? holdDialogs() : null,
    ]);
  },
});
