// 审核队列: what waits for the signed-in reviewer's decision (GET /api/v1/review-queue), oldest submission first,
// a page at a time.
import {
  h, reactive, defineComponent, onMounted, section, table, badge, link, button, errorBox, loadingBox, formatTime,
} from '../ui.js';
import { get, query } from '../api.js';

export const KIND_NAMES = { document: '政策文件', interpretation: '政策解读', post: '推送' };
const PAGE_SIZE = 20;

/** 初审（第 1/3 阶段） */
export function stageText(review) {
  if (!review || !review.stageName) return '';
  return `${review.stageName}（第 ${review.stage + 1}/${review.stages.length} 阶段）`;
}

export default defineComponent({
  name: 'ReviewQueuePage',
  setup() {
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null });

    const load = async (cursor) => {
      state.error = null;
      if (cursor) state.more = true; else state.loading = true;
      try {
        const page = await get(`/api/v1/review-queue${query({ limit: PAGE_SIZE, cursor })}`);
        state.items = cursor ? [...state.items, ...page.items] : page.items;
        state.next = page.next;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
        state.more = false;
      }
    };
    onMounted(() => load(null));

    const columns = [
      { label: '类型', render: (item) => KIND_NAMES[item.kind] || item.kind },
      { label: '标题', render: (item) => link(item.title, `/review/${item.kind}/${item.id}`, { class: 'review-title' }) },
      { label: '撰写人', render: (item) => (item.author ? item.author.username : '') },
      { label: '审核阶段', render: (item) => badge(stageText(item.review), 'info') },
      { label: '版本', render: (item) => `第 ${item.version} 版` },
      { label: '送审时间', render: (item) => formatTime(item.submittedAt) },
      { label: '内容检查', render: (item) => (item.blocked ? badge('有必须修改的问题', 'danger') : badge('可审核', 'ok')) },
    ];

    return () => h('div', { class: 'review-queue' }, [
      section('待我审核', [
        h('p', { class: 'muted' }, '按送审时间排列，最早送审的在前。只列出您此刻可以审核的内容：本人撰写或修改过的、本人已审过其他阶段的不在其中。'),
        errorBox(state.error),
        state.loading ? loadingBox() : table('待我审核的内容', columns, state.items, {
          key: (item) => `${item.kind}-${item.id}`, empty: '暂无待审核的内容',
        }),
        state.next ? h('div', { class: 'toolbar review-more' }, [
          button(state.more ? '正在加载…' : '加载更多', () => load(state.next), { disabled: state.more }),
        ]) : null,
      ]),
    ]);
  },
});
