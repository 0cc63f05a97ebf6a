// 热点问题: clusters of linked cases, the largest first, with how fast they grow (cases received in the last 24 hours
// against the 24 before), the public-opinion clock, sample cases and links to every case.
import {
  h, reactive, defineComponent, onUnmounted, button, errorBox, loadingBox, section, badge, link, toast, problemText,
} from '../ui.js';
import { get, put, query } from '../api.js';
import * as live from '../live.js';
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
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null, expanded: {}, busy: '' });
    let generation = 0;

    async function load(more) {
      const mine = more ? generation : ++generation;
      state[more ? 'more' : 'loading'] = true;
      try {
        const answer = await get(`/api/v1/hot-issues${more ? query({ cursor: state.next }) : ''}`);
        if (mine !== generation) return;
        state.items = more ? [...state.items, ...answer.items.filter((i) => !state.items.some((s) => s.id === i.id))]
          : answer.items;
        state.next = answer.next || null;
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

    // A new hot issue, or reset (the server could not replay what a long disconnect missed): read the list again.
    const off = ['hot-issue.reached', 'reset'].map((type) => live.on(type, () => load(false)));
    onUnmounted(() => off.forEach((stop) => stop()));
    load(false);

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
        state.next ? button(state.more ? '正在加载…' : '加载更多', () => load(true), { disabled: state.more }) : null,
      ]),
    ]);
  },
});
