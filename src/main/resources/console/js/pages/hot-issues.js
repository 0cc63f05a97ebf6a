// 热点问题: clusters of linked cases, the largest first, with how fast they grow (cases received in the last 24 hours
// against the 24 before), the public-opinion clock, sample cases and links to every case.
import {
  h, reactive, defineComponent, onUnmounted, button, errorBox, loadingBox, section, badge, link, toast, problemText,
} from '../ui.js';
import { get, put } from '../api.js';
import * as live from '../live.js';
import { attention } from '../notify.js';
import { has } from '../session.js';
import { STATUS, formatTime } from './inbox-shared.js';

const DAY = 86400000;

function trend(issue, now) {
  const at = (issue.cases || []).map((c) => Date.parse(c.receivedAt)).filter((t) => !Number.isNaN(t));
  const recent = at.filter((t) => now - t < DAY).length;
  const before = at.filter((t) => now - t >= DAY && now - t < 2 * DAY).length;
  if (recent > before) return { text: `上升：近 24 小时新增 ${recent} 件`, tone: 'danger' };
  if (recent > 0) return { text: `持平：近 24 小时新增 ${recent} 件`, tone: 'warn' };
  return { text: '近 24 小时无新增', tone: 'muted' };
}

export default defineComponent({
  name: 'HotIssuesPage',
  props: { params: Object, query: Object },
  setup() {
    const state = reactive({ items: [], loading: true, error: null, expanded: {}, busy: '' });

    async function load() {
      try {
        state.items = (await get('/api/v1/hot-issues')).items;
        state.error = null;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
      }
    }

    async function major(issue) {
      state.busy = issue.id;
      try {
        const after = await put(`/api/v1/hot-issues/${issue.id}`, { major: !issue.major });
        state.items = state.items.map((i) => (i.id === issue.id ? after : i));
        toast(after.major ? '已标记为重大突发事件' : '已取消重大突发事件标记');
      } catch (e) {
        toast(problemText(e), 'error');
      } finally {
        state.busy = '';
      }
    }

    const off = live.on('hot-issue.reached', (data) => {
      attention(`热点问题：${(data && data.title) || ''}`);
      load();
    });
    onUnmounted(off);
    load();

    const clock = (issue) => {
      const c = issue.clock || {};
      return h('ul', { class: 'clock' }, [
        c.informBy ? h('li', `发布权威信息：${formatTime(c.informBy)} 前`) : null,
        c.pressConferenceBy ? h('li', `召开新闻发布会：${formatTime(c.pressConferenceBy)} 前`) : null,
        c.answerBy ? h('li', `回应：${formatTime(c.answerBy)} 前`) : null,
        c.late ? h('li', badge('已超过时限', 'danger')) : null,
      ]);
    };

    const card = (issue) => {
      const now = Date.now();
      const shown = trend(issue, now);
      const cases = issue.cases || [];
      const all = state.expanded[issue.id];
      return h('li', { class: 'hot-issue panel' }, [
        h('h3', [issue.title || '（无标题）', ' ', badge(`${issue.size} 件`, 'info'), ' ',
          issue.major ? badge('重大突发事件', 'danger') : null]),
        h('p', { class: 'badges' }, [badge(shown.text, shown.tone),
          h('span', { class: 'muted' }, ` 自 ${formatTime(issue.since)} 形成`),
          issue.answered ? badge('已回应', 'ok') : null]),
        clock(issue),
        h('ul', { class: 'samples', 'aria-label': '相关留言' }, (all ? cases : cases.slice(0, 3)).map((c) => h('li', [
          link(c.number || '（未编号）', `/cases/${c.id}`), ` ${c.title || ''} `,
          h('span', { class: 'muted' }, `${STATUS[c.status] || c.status} · ${formatTime(c.receivedAt)}`)]))),
        h('div', { class: 'toolbar' }, [
          cases.length > 3 ? button(all ? '收起' : `查看全部 ${cases.length} 件留言`, () => {
            state.expanded = { ...state.expanded, [issue.id]: !all };
          }) : null,
          has('supervisor') ? button(issue.major ? '取消重大突发事件' : '标记为重大突发事件', () => major(issue),
            { disabled: state.busy === issue.id }) : null,
        ]),
      ]);
    };

    return () => h('div', { class: 'hot-issues' }, [
      section('热点问题', [
        h('p', { class: 'muted' }, '由相似留言关联形成，件数多的在前；一般热点 48 小时内回应，重大突发事件 5 小时内发布权威信息、24 小时内召开新闻发布会。'),
        errorBox(state.error),
        state.loading ? loadingBox() : state.items.length === 0 ? h('p', { class: 'muted' }, '暂无热点问题。')
          : h('ul', { class: 'hot-list' }, state.items.map(card)),
      ]),
    ]);
  },
});
