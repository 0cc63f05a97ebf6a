// 留言办理: my cases and my department's, filtered by status, category, overdue and 督办, each with its countdown in
// working days. New, reassigned and overdue cases come in over the live stream without a reload.
import {
  h, reactive, ref, defineComponent, onMounted, onUnmounted, button, selectInput, checkbox, table, errorBox,
  loadingBox, section, badge, link,
} from '../ui.js';
import { get, query } from '../api.js';
import * as live from '../live.js';
import { has } from '../session.js';
import { prepare } from '../workdays.js';
import {
  STATUS, CHANNEL, CATEGORY, statusBadge, flagBadges, deadlineCell, minuteClock, departments, departmentName, caseLink,
  me,
} from './inbox-shared.js';

const OPEN = ['dispatching', 'assigned', 'in_progress', 'paused'];

export default defineComponent({
  name: 'InboxPage',
  props: { params: Object, query: Object },
  setup(props) {
    const person = me();
    const filters = reactive({
      tab: props.query.tab === 'dept' || !has('replier') ? 'dept' : 'mine',
      status: '', category: '', overdue: false, supervised: false,
    });
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null });
    const names = ref(null);
    const now = minuteClock();
    const fresh = reactive(new Set());
    let generation = 0;

    const params = (cursor) => query({
      limit: 50, cursor,
      assigneeId: filters.tab === 'mine' ? person.id : '',
      status: filters.status, category: filters.category, overdue: filters.overdue ? 'true' : '',
      flag: filters.supervised ? 'supervised' : '',
    });

    // The server filters the list pages; this checks one case read again after a live event.

    const matches = (item) => (filters.tab !== 'mine' || item.assigneeId === person.id)
      && (filters.status ? item.status === filters.status : OPEN.includes(item.status))
      && (!filters.category || item.category === filters.category)
      && (!filters.overdue || item.overdue)
      && (!filters.supervised || (item.flags || []).includes('supervised'));

    async function load(more) {
      const mine = more ? generation : ++generation;
      state[more ? 'more' : 'loading'] = true;
      try {
        const answer = await get(`/api/v1/cases${params(more ? state.next : '')}`);
        const { items } = answer;
        await prepare(items.map((item) => item.dueDate));
        if (mine !== generation) return;
        state.items = more ? [...state.items, ...items.filter((i) => !state.items.some((s) => s.id === i.id))] : items;
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

    const mineOrMyDepartment = (data) => data.assigneeId === person.id
      || (data.departmentId && (person.departmentIds || []).includes(data.departmentId))
      || has('dispatcher', 'supervisor');

    const reads = new Map();

    /**
     * A case changed: read it again; it joins, moves or leaves the list. A case often comes by two events at once
     * (case.new, then case.assigned): only the newest read of a case counts, and whether it is listed is asked
     * after the read, so it is never listed twice.
     */
    async function refreshOne(data) {
      if (!mineOrMyDepartment(data)) {
        state.items = state.items.filter((item) => item.id !== data.caseId);
        return;
      }
      const ticket = (reads.get(data.caseId) || 0) + 1;
      reads.set(data.caseId, ticket);
      const list = generation;
      let item = null;
      try {
        item = await get(`/api/v1/cases/${encodeURIComponent(data.caseId)}`);
        await prepare([item.dueDate]);
      } catch (e) {
        item = null;
      }
      if (reads.get(data.caseId) !== ticket || list !== generation) return;
      const listed = state.items.some((i) => i.id === data.caseId);
      if (item && matches(item)) {
        state.items = listed ? state.items.map((i) => (i.id === item.id ? item : i))
          : [item, ...state.items];
        if (!listed) fresh.add(item.id);
      } else if (listed) {
        state.items = state.items.filter((i) => i.id !== data.caseId);
      }
    }

    // The server sends reset when it cannot replay what a long disconnect missed: read the list again.
    const unsubscribe = [
      ...['case.new', 'case.assigned', 'case.status', 'case.returned', 'case.overdue', 'case.message']
        .map((type) => live.on(type, (data) => { if (data && data.caseId) refreshOne(data); })),
      live.on('reset', () => load(false)),
    ];
    onUnmounted(() => unsubscribe.forEach((off) => off()));

    onMounted(async () => {
      try { names.value = await departments(); } catch (e) { names.value = new Map(); }
    });
    load(false);

    const reload = () => load(false);
    const tab = (value, label) => h('button', {
      type: 'button', class: ['btn', 'tab', filters.tab === value ? 'tab-on' : null], 'aria-pressed': String(filters.tab === value),
      onClick: () => { filters.tab = value; reload(); },
    }, label);

    const columns = [
      { label: '编号', render: (item) => caseLink(item) },
      { label: '标题', render: (item) => h('span', { class: 'case-title' }, [
        fresh.has(item.id) ? badge('新', 'info') : null, ` ${item.title || '（无标题）'}`]) },
      { label: '渠道', render: (item) => CHANNEL[item.channel] || item.channel },
      { label: '群众', render: (item) => item.citizenName || '—' },
      { label: '类别', render: (item) => CATEGORY[item.category] || item.category },
      { label: '部门', render: (item) => departmentName(names.value, item.departmentId) },
      { label: '状态', render: (item) => h('span', { class: 'badges' }, [statusBadge(item.status),
        item.urgency === 'urgent' ? badge('紧急', 'danger') : null, ...flagBadges(item.flags)]) },
      { label: '答复期限', render: (item) => deadlineCell(item, now.value) },
    ];

    return () => h('div', { class: 'inbox' }, [
      section(null, [
        h('div', { class: 'toolbar', role: 'group', 'aria-label': '留言范围' }, [
          has('replier') ? tab('mine', '我的') : null,
          tab('dept', '本部门'),
          (person.headOf || []).length > 0 ? link('本部门督办看板', '/supervision/department', { class: 'btn' }) : null,
        ]),
        h('div', { class: 'row filters' }, [
          selectInput('状态', filters, 'status', [{ value: '', label: '全部未办结' },
            ...Object.entries(STATUS).map(([value, label]) => ({ value, label }))], { onChange: reload }),
          selectInput('类别', filters, 'category', [{ value: '', label: '全部类别' },
            ...Object.entries(CATEGORY).map(([value, label]) => ({ value, label }))], { onChange: reload }),
          checkbox('只看已超期', filters, 'overdue', { onChange: reload }),
          checkbox('只看督办', filters, 'supervised', { onChange: reload }),
        ]),
      ], { ariaLabel: '筛选' }),
      errorBox(state.error),
      state.loading ? loadingBox() : table('留言列表', columns, state.items, {
        key: (item) => item.id, empty: '没有符合条件的留言',
        rowClass: (item) => (item.overdue ? 'row-overdue' : null),
      }),
      state.next ? h('p', button(state.more ? '正在加载…' : '加载更多', () => load(true), { disabled: state.more }))
        : null,
    ]);
  },
});
