// 数据看板: posts per account per week (GET /api/v1/stats/posts), followers per official account
// (GET /api/v1/accounts/{id}/followers: its total) and cases per department (GET /api/v1/cases/stats), each as a
// Chart.js chart with the same numbers in a table for screen readers and as a CSV download. Everyone sees what
// their scope allows: the server decides which accounts and departments that is.
import {
  h, ref, defineComponent, onMounted, onUnmounted, watch, nextTick, section, table, errorBox, loadingBox,
  downloadCsv, uid, useLoad,
} from '../ui.js';
import { get, query } from '../api.js';
import { session } from '../session.js';

const WEEKS = 8;
const COLOURS = ['#0b57d0', '#a8071a', '#146c2e', '#8a5300', '#6f42c1', '#00758f', '#c2185b', '#4e5969'];
const CASE_ROLES = ['admin', 'dispatcher', 'replier', 'supervisor'];
const FAILED = Symbol('failed');  // one account's or department's numbers that could not be read

const colour = (i) => COLOURS[i % COLOURS.length];

/**
 * One chart: a heading, "下载 CSV" and a table toggle, the canvas (role img, described by its aria-label) and the
 * table of exactly the numbers drawn (visually hidden until shown; screen readers always have it).
 */
const ChartPanel = defineComponent({
  name: 'ChartPanel',
  props: {
    title: String, caption: String, summary: String, csvName: String, header: Array, rows: Array, build: Function,
    note: String, chartClass: String, partial: Boolean,
  },
  setup(props) {
    const canvas = ref(null);
    const shown = ref(false);
    const tableId = uid('chart-table');
    let chart = null;
    const draw = () => {
      if (chart) chart.destroy();
      chart = null;
      if (canvas.value && window.Chart && props.rows.length > 0) {
        chart = new window.Chart(canvas.value, props.build(props.rows));
      }
    };
    onMounted(draw);
    watch(() => props.rows, () => nextTick(draw));
    onUnmounted(() => { if (chart) chart.destroy(); });
    const columns = props.header.map((label, i) => ({ label, render: (row) => String(row[i] ?? '') }));
    return () => section(props.title, [
      props.note ? h('p', { class: 'muted' }, props.note) : null,
      props.partial ? h('p', { class: 'alert alert-warn', role: 'status' }, '部分数据加载失败，图表只含已取到的数据，请稍后刷新重试。')
        : null,
      h('div', { class: 'toolbar' }, [
        h('button', { type: 'button', class: 'btn', disabled: props.rows.length === 0,
          onClick: () => downloadCsv(props.csvName, props.header, props.rows) }, '下载 CSV'),
        h('button', { type: 'button', class: 'btn', 'aria-expanded': shown.value ? 'true' : 'false',
          'aria-controls': tableId, onClick: () => { shown.value = !shown.value; } }, shown.value ? '隐藏数据表' : '显示数据表'),
      ]),
      props.rows.length === 0 ? h('p', { class: 'muted' }, '暂无数据')
        : h('div', { class: ['chart-box', props.chartClass] }, h('canvas', { ref: canvas, role: 'img',
          'aria-label': props.summary })),
      // shown, the table scrolls sideways on a narrow screen: its box takes the focus so keyboards can scroll it
      h('div', { id: tableId, class: ['chart-data', shown.value ? null : 'visually-hidden'],
        tabindex: shown.value ? '0' : undefined, role: shown.value ? 'region' : undefined,
        'aria-label': shown.value ? props.caption : undefined },
        table(props.caption, columns, props.rows, { showCaption: shown.value })),
    ], { class: 'chart-panel' });
  },
});

function barOptions(extra = {}) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom' } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    ...extra,
  };
}

/** Every page of a list, up to {@code most} items (departments and accounts number tens, not thousands). */
async function all(path, params, most = 1000) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`${path}${query({ ...params, limit: 200, cursor })}`);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < most);
  return items;
}

async function loadPosts() {
  const stats = await get(`/api/v1/stats/posts${query({ weeks: WEEKS })}`);
  return {
    weeks: stats.weeks,
    rows: stats.items.map((item) => [item.name, ...item.counts, item.total]),
    truncated: stats.truncated,
  };
}

/** One request per account or department: one that fails leaves its row out ({@code partial}), not the chart. */
async function loadFollowers() {
  const accounts = await all('/api/v1/accounts', { type: 'wechat_mp' }, 200);
  const totals = await Promise.all(accounts.map((account) =>
    get(`/api/v1/accounts/${encodeURIComponent(account.id)}/followers${query({ limit: 1 })}`)
      .then((page) => page.total, () => FAILED)));
  const rows = accounts.map((account, i) => [account.name, totals[i]]).filter((row) => row[1] !== FAILED);
  return { rows, partial: rows.length < accounts.length };
}

/** The departments in the person's reach: theirs and every one below (admins: all). */
async function myDepartments() {
  const departments = await all('/api/v1/departments', {});
  const me = session.me;
  if (me.roles.includes('admin')) return departments;
  const reach = new Set(me.departmentIds || []);
  let grew = true;
  while (grew) {
    grew = false;
    departments.forEach((d) => {
      if (!reach.has(d.id) && d.parentId && reach.has(d.parentId)) {
        reach.add(d.id);
        grew = true;
      }
    });
  }
  return departments.filter((d) => reach.has(d.id));
}

const percent = (rate) => (rate === null || rate === undefined ? '' : Math.round(rate * 1000) / 10);

async function loadCases() {
  const departments = await myDepartments();
  const answers = await Promise.all(departments.map((d) =>
    get(`/api/v1/cases/stats${query({ departmentId: d.id })}`).catch((e) => {
      if (e.status === 404 || e.status === 403) return null;  // outside the case scope after all
      return FAILED;
    })));
  const rows = [];
  let period = null;
  departments.forEach((d, i) => {
    const s = answers[i];
    if (s && s !== FAILED) {
      period = period || { from: s.from, to: s.to };
      rows.push([d.name, s.received, s.answered, s.answeredOnTime, percent(s.satisfactionRate)]);
    }
  });
  return { rows, period, partial: answers.includes(FAILED) };
}

export default defineComponent({
  name: 'DashboardPage',
  setup() {
    const showCases = session.me.roles.some((role) => CASE_ROLES.includes(role));
    const posts = useLoad(loadPosts);
    const followers = useLoad(loadFollowers);
    const cases = showCases ? useLoad(loadCases) : null;
    const today = new Date().toISOString().slice(0, 10);

    const postsPanel = () => {
      if (posts.loading && !posts.data) return section('各账号每周发布量', loadingBox());
      if (posts.error) return section('各账号每周发布量', errorBox(posts.error));
      const { weeks, rows } = posts.data;
      const weekLabels = weeks.map((monday) => `${monday.slice(5)} 起`);
      return h(ChartPanel, {
        title: '各账号每周发布量',
        note: `最近 ${WEEKS} 周（周一至周日，北京时间，本周在最后），按发布成功的排期计。${posts.data.truncated ? '数据过多，只统计了一部分。' : ''}`,
        caption: '各账号每周发布量（条）',
        summary: `柱状图：${rows.length} 个账号最近 ${WEEKS} 周每周的发布量，数字见下方数据表`,
        csvName: `各账号每周发布量-${today}.csv`,
        header: ['账号', ...weeks.map((monday) => `${monday} 当周`), '合计'],
        rows,
        build: (data) => ({
          type: 'bar',
          data: { labels: weekLabels, datasets: data.map((row, i) => ({ label: row[0], data: row.slice(1, -1),
            backgroundColor: colour(i) })) },
          options: barOptions(),
        }),
      });
    };

    const followersPanel = () => {
      if (followers.loading && !followers.data) return section('各公众号粉丝数', loadingBox());
      if (followers.error) return section('各公众号粉丝数', errorBox(followers.error));
      return h(ChartPanel, {
        title: '各公众号粉丝数',
        note: '当前关注人数，来自微信关注与取关的推送。',
        caption: '各公众号当前粉丝数（人）',
        summary: `柱状图：${followers.data.rows.length} 个公众号的当前粉丝数，数字见下方数据表`,
        csvName: `各公众号粉丝数-${today}.csv`,
        header: ['公众号', '当前粉丝数'],
        rows: followers.data.rows,
        partial: followers.data.partial,
        build: (data) => ({
          type: 'bar',
          data: { labels: data.map((row) => row[0]), datasets: [{ label: '当前粉丝数', data: data.map((row) => row[1]),
            backgroundColor: colour(0) }] },
          options: barOptions({ plugins: { legend: { display: false } } }),
        }),
      });
    };

    const casesPanel = () => {
      if (!cases) return null;
      if (cases.loading && !cases.data) return section('各部门留言办理情况', loadingBox());
      if (cases.error) return section('各部门留言办理情况', errorBox(cases.error));
      const { rows, period, partial } = cases.data;
      return h(ChartPanel, {
        title: '各部门留言办理情况',
        note: period ? `统计区间：${period.from} 至 ${period.to}（北京时间）。满意率 = 满意与基本满意 / 已评价。` : '',
        caption: '各部门受理、答复、按期答复（件）与满意率（%）',
        summary: `柱状图：${rows.length} 个部门的受理量、答复量、按期答复量，折线为满意率，数字见下方数据表`,
        csvName: `各部门留言办理情况-${today}.csv`,
        header: ['部门', '受理', '答复', '按期答复', '满意率（%）'],
        rows,
        partial,
        build: (data) => ({
          type: 'bar',
          data: {
            labels: data.map((row) => row[0]),
            datasets: [
              { label: '受理', data: data.map((row) => row[1]), backgroundColor: colour(0), yAxisID: 'y' },
              { label: '答复', data: data.map((row) => row[2]), backgroundColor: colour(2), yAxisID: 'y' },
              { label: '按期答复', data: data.map((row) => row[3]), backgroundColor: colour(3), yAxisID: 'y' },
              { label: '满意率（%）', type: 'line', data: data.map((row) => (row[4] === '' ? null : row[4])),
                borderColor: colour(1), backgroundColor: colour(1), yAxisID: 'rate' },
            ],
          },
          options: barOptions({
            scales: {
              y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: '件' } },
              rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false },
                title: { display: true, text: '满意率（%）' } },
            },
          }),
        }),
      });
    };

    return () => h('div', { class: 'dashboard' }, [postsPanel(), followersPanel(), casesPanel()]);
  },
});
