// 督办看板: the overdue cases grouped by department with their counts, the cases under 督办, and the extension
// requests waiting for this person's decision. Supervisors see their scope; a department head their departments.
import {
  h, reactive, ref, defineComponent, onMounted, onUnmounted, button, table, errorBox, loadingBox, section, badge,
  debounce,
} from '../ui.js';
import { get, query } from '../api.js';
import * as live from '../live.js';
import { has } from '../session.js';
import { prepare } from '../workdays.js';
import {
  statusBadge, flagBadges, deadlineCell, minuteClock, departments, departmentName, caseLink, formatTime, me,
} from './inbox-shared.js';

export default defineComponent({
  name: 'SupervisionPage',
  props: { params: Object, query: Object },
  setup() {
    const person = me();
    const allowed = has('supervisor') || (person.headOf || []).length > 0;
    const board = reactive({ stats: null, error: null, loading: true });
    const supervised = reactive({ items: [], next: null, loading: true, more: false, error: null });
    const waiting = reactive({ items: [], loading: true, error: null });
    const names = ref(new Map());
    const now = minuteClock();

    async function loadBoard() {
      try {
        const stats = await get('/api/v1/cases/stats');
        await prepare((stats.overdue || []).map((c) => (c.dueAt || '').slice(0, 10)));
        board.stats = stats;
        board.error = null;
      } catch (e) {
        board.error = e;
      } finally {
        board.loading = false;
      }
    }

    let generation = 0;

    async function loadSupervised(more) {
      const mine = more ? generation : ++generation;
      supervised[more ? 'more' : 'loading'] = true;
      try {
        const answer = await get(`/api/v1/cases${query({ flag: 'supervised', limit: 50, cursor: more ? supervised.next : '' })}`);
        await prepare(answer.items.map((i) => i.dueDate));
        if (mine !== generation) return;
        const known = new Set(supervised.items.map((i) => i.id));
        supervised.items = more ? [...supervised.items, ...answer.items.filter((i) => !known.has(i.id))] : answer.items;
        supervised.next = answer.next;
        supervised.error = null;
      } catch (e) {
        if (mine === generation) supervised.error = e;
      } finally {
        if (mine === generation) {
          supervised.loading = false;
          supervised.more = false;
        }
      }
    }

    async function loadWaiting() {
      try {
        waiting.items = (await get('/api/v1/case-extensions')).items;
        waiting.error = null;
      } catch (e) {
        waiting.error = e;
      } finally {
        waiting.loading = false;
      }
    }

    const reload = () => { loadBoard(); loadSupervised(false); loadWaiting(); };
    // The deadline sweep marks many cases overdue at once: one reload for a burst of case.overdue.
    const reloadSoon = debounce(reload, 1000);
    const off = allowed ? [
      live.on('case.overdue', reloadSoon),
      live.on('case.extension', () => loadWaiting()),
      // The server sends reset when it cannot replay what a long disconnect missed.
      live.on('reset', reload),
    ] : [];
    onUnmounted(() => {
      off.forEach((stop) => stop());
      reloadSoon.cancel();
    });
    onMounted(async () => {
      try { names.value = await departments(); } catch (e) { /* unknown names */ }
    });
    if (allowed) reload();

    /** The overdue list grouped by department, the largest group first. */
    const groups = () => {
      const byDepartment = new Map();
      (board.stats.overdue || []).forEach((c) => {
        const key = c.departmentId || '';
        if (!byDepartment.has(key)) byDepartment.set(key, []);
        byDepartment.get(key).push(c);
      });
      return [...byDepartment.entries()].sort((a, b) => b[1].length - a[1].length);
    };

    const overdueColumns = [
      { label: '编号', render: caseLink },
      { label: '标题', render: (c) => c.title || '（无标题）' },
      { label: '答复期限', render: (c) => deadlineCell({ status: 'in_progress', overdue: true,
        dueDate: (c.dueAt || '').slice(0, 10) }, now.value) },
      { label: '标记', render: (c) => h('span', { class: 'badges' }, flagBadges(c.flags)) },
    ];

    const boardView = () => {
      if (board.loading) return loadingBox();
      if (board.error) return errorBox(board.error);
      const all = groups();
      return h('div', [
        h('p', { class: 'board-summary' }, [
          '超期未办结 ', h('strong', { class: 'count' }, String(board.stats.overdueCount)), ' 件',
          all.length ? `，涉及 ${all.length} 个部门` : '',
        ]),
        all.length === 0 ? h('p', { class: 'muted' }, '没有超期的留言。') : h('div', { class: 'board' }, all.map(([id, cases]) =>
          h('section', { class: 'board-group', 'aria-label': departmentName(names.value, id) }, [
            h('h3', [departmentName(names.value, id), ' ', badge(`${cases.length} 件`, 'danger')]),
            table(`${departmentName(names.value, id)}超期留言`, overdueColumns, cases, { key: (c) => c.id }),
          ]))),
      ]);
    };

    const supervisedColumns = [
      { label: '编号', render: caseLink },
      { label: '标题', render: (c) => c.title || '（无标题）' },
      { label: '部门', render: (c) => departmentName(names.value, c.departmentId) },
      { label: '状态', render: (c) => h('span', { class: 'badges' }, [statusBadge(c.status), ...flagBadges(c.flags)]) },
      { label: '答复期限', render: (c) => deadlineCell(c, now.value) },
    ];

    const waitingColumns = [
      { label: '编号', render: (x) => caseLink({ id: x.caseId, number: x.number }) },
      { label: '标题', render: (x) => x.title || '（无标题）' },
      { label: '部门', render: (x) => departmentName(names.value, x.departmentId) },
      { label: '申请', render: (x) => `延期 ${x.days} 个工作日：${x.reason}` },
      { label: '申请人', render: (x) => `${x.requestedByName || ''} ${formatTime(x.requestedAt)}` },
    ];

    return () => {
      if (!allowed) {
        return h('p', { class: 'alert alert-error', role: 'alert' }, '只有督办人员和部门负责人可以查看督办看板。');
      }
      return h('div', { class: 'supervision' }, [
        section('超期留言（按部门）', boardView()),
        section('督办中的留言', [
          errorBox(supervised.error),
          supervised.loading ? loadingBox() : table('督办中的留言', supervisedColumns, supervised.items,
            { key: (c) => c.id, empty: '没有督办中的留言', rowClass: (c) => (c.overdue ? 'row-overdue' : null) }),
          supervised.next ? button(supervised.more ? '正在加载…' : '加载更多', () => loadSupervised(true),
            { disabled: supervised.more }) : null,
        ]),
        section('待审批的延期申请', [
          errorBox(waiting.error),
          waiting.loading ? loadingBox() : table('待审批的延期申请', waitingColumns, waiting.items,
            { key: (x) => x.caseId, empty: '没有待审批的延期申请' }),
        ]),
      ]);
    };
  },
});
