// 分拨: the cases no routing rule placed (and those returned by a department), oldest deadline first; each is sent
// to a department here. The suggestion is where the most similar earlier cases went (GET /api/v1/cases/{id}/similar),
// asked when the dispatcher opens the row's department picker.
import {
  h, reactive, ref, defineComponent, onMounted, onUnmounted, button, table, errorBox, loadingBox, section, badge,
  toast, problemText,
} from '../ui.js';
import { get, postJson, query } from '../api.js';
import * as live from '../live.js';
import {
  CHANNEL, CATEGORY, flagBadges, departments, departmentName, caseLink, formatTime,
} from './inbox-shared.js';

export default defineComponent({
  name: 'DispatchPage',
  props: { params: Object, query: Object },
  setup() {
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null });
    const names = ref(new Map());
    const chosen = reactive({});
    const suggested = reactive({});
    const busy = ref('');

    // Asked when the dispatcher opens a row's picker, not for every row listed: a long queue would otherwise
    // send one search per case at every load.
    const asked = new Set();
    async function suggest(items) {
      await Promise.all(items.filter((item) => !asked.has(item.id)).map(async (item) => {
        asked.add(item.id);
        try {
          const similar = (await get(`/api/v1/cases/${item.id}/similar`)).items.filter((s) => s.departmentId);
          const votes = new Map();
          similar.forEach((s) => votes.set(s.departmentId, (votes.get(s.departmentId) || 0) + 1));
          const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
          if (best) {
            suggested[item.id] = best[0];
            if (!chosen[item.id]) chosen[item.id] = best[0];
          }
        } catch (e) { /* no suggestion */ }
      }));
    }

    let generation = 0;

    async function load(more) {
      const mine = more ? generation : ++generation;
      state[more ? 'more' : 'loading'] = true;
      try {
        const answer = await get(`/api/v1/cases${query({ status: 'dispatching', limit: 50, cursor: more ? state.next : '' })}`);
        if (mine !== generation) return;
        const added = more ? answer.items.filter((i) => !state.items.some((s) => s.id === i.id)) : answer.items;
        state.items = more ? [...state.items, ...added] : added;
        state.next = answer.next;
        state.error = null;
      } catch (e) {
        if (mine === generation) state.error = e;
      } finally {
        if (mine === generation) {
          state.loading = false;
          state.more = false;
        }
      }
    }

    async function assign(item) {
      busy.value = item.id;
      try {
        await postJson(`/api/v1/cases/${item.id}/assign`, { departmentId: chosen[item.id] });
        toast(`${item.number} 已分派到${departmentName(names.value, chosen[item.id])}`);
        state.items = state.items.filter((i) => i.id !== item.id);
      } catch (e) {
        toast(problemText(e), 'error');
        if (e.status === 409) load(false);
      } finally {
        busy.value = '';
      }
    }

    async function release(item) {
      busy.value = item.id;
      try {
        const after = await postJson(`/api/v1/cases/${item.id}/release`, {});
        state.items = state.items.map((i) => (i.id === item.id ? after : i));
        toast(`${item.number} 已放行`);
      } catch (e) {
        toast(problemText(e), 'error');
      } finally {
        busy.value = '';
      }
    }

    const listed = (caseId) => state.items.some((i) => i.id === caseId);

    /** A case joined or left the queue. It may come by two events at once: listed is asked again after the read. */
    async function arrived(data) {
      if (!data || !data.caseId) return;
      if (data.status !== 'dispatching') {
        state.items = state.items.filter((i) => i.id !== data.caseId);
        return;
      }
      if (listed(data.caseId)) return;
      try {
        const item = await get(`/api/v1/cases/${encodeURIComponent(data.caseId)}`);
        if (item.status !== 'dispatching' || listed(item.id)) return;
        state.items = [item, ...state.items];
      } catch (e) { /* gone meanwhile */ }
    }

    // The server sends reset when it cannot replay what a long disconnect missed: read the queue again.
    const off = [
      ...['case.new', 'case.returned', 'case.assigned', 'case.status'].map((type) => live.on(type, arrived)),
      live.on('reset', () => load(false)),
    ];
    onUnmounted(() => off.forEach((stop) => stop()));

    onMounted(async () => {
      try { names.value = await departments(); } catch (e) { /* unknown names */ }
    });
    load(false);

    const picker = (item) => {
      const id = `dept-${item.id}`;  // the same at every render, so the label stays attached
      return h('div', { class: 'assign' }, [
        h('label', { for: id, class: 'visually-hidden' }, `${item.number} 分派到部门`),
        h('select', { id, onFocus: () => suggest([item]), onChange: (e) => { chosen[item.id] = e.target.value; } }, [
          h('option', { value: '', selected: !chosen[item.id] }, '选择部门'),
          ...[...names.value.entries()].map(([value, label]) => h('option', { value, selected: chosen[item.id] === value },
            suggested[item.id] === value ? `${label}（建议）` : label)),
        ]),
        (item.flags || []).includes('held_for_review')
          ? button('放行', () => release(item), { disabled: busy.value === item.id })
          : button(busy.value === item.id ? '正在分派…' : '分派', () => assign(item),
            { kind: 'primary', disabled: !chosen[item.id] || busy.value === item.id, ariaLabel: `分派 ${item.number}` }),
      ]);
    };

    const columns = [
      { label: '编号', render: caseLink },
      { label: '标题', render: (item) => item.title || '（无标题）' },
      { label: '渠道', render: (item) => CHANNEL[item.channel] || item.channel },
      { label: '类别', render: (item) => CATEGORY[item.category] || item.category },
      { label: '受理时间', render: (item) => formatTime(item.createdAt) },
      { label: '情况', render: (item) => h('span', { class: 'badges' }, [
        item.urgency === 'urgent' ? badge('紧急', 'danger') : null, ...flagBadges(item.flags),
        item.lastReturn ? h('span', { class: 'muted' }, `${item.lastReturn.byName || ''}退回：${item.lastReturn.reason || ''}`)
          : null]) },
      { label: '分派', render: picker },
    ];

    return () => h('div', { class: 'dispatch' }, [
      section('待分拨留言', [
        h('p', { class: 'muted' }, '未能按分办规则自动分办或被部门退回的留言。建议部门依据相似留言的办理部门。'),
        errorBox(state.error),
        state.loading ? loadingBox() : table('待分拨留言', columns, state.items, { key: (item) => item.id,
          empty: '没有待分拨的留言' }),
        state.next ? button(state.more ? '正在加载…' : '加载更多', () => load(true), { disabled: state.more }) : null,
      ]),
    ]);
  },
});
