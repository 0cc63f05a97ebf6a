// 意见征集: the consultations on documents the editor may edit, newest first, by status, paged.
import { h, reactive, defineComponent, watch, section, table, button, selectInput, errorBox, loadingBox, link } from '../ui.js';
import * as api from '../api.js';
import { CONSULTATION_STATUS, KIND_NAMES, consultationBadge } from './consultation-common.js';

export default defineComponent({
  name: 'ConsultationsPage',
  props: { params: Object, query: Object },
  setup() {
    const filter = reactive({ status: '' });
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null });
    const load = async (more) => {
      state.error = null;
      if (more) state.more = true; else state.loading = true;
      try {
        const page = await api.get(`/api/v1/consultations${api.query({ status: filter.status, limit: 20,
          cursor: more ? state.next : undefined })}`);
        state.items = more ? state.items.concat(page.items) : page.items;
        state.next = page.next;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
        state.more = false;
      }
    };
    watch(() => filter.status, () => load(false));
    load(false);
    const columns = [
      { label: '文件', render: (row) => link(row.title, `/consultations/${row.id}`) },
      { label: '类型', render: (row) => KIND_NAMES[row.kind] || row.kind },
      { label: '征集期', render: (row) => `${row.from} 至 ${row.to}` },
      { label: '状态', render: (row) => consultationBadge(row.status) },
      { label: '意见数', render: (row) => String(row.commentCount ?? 0) },
    ];
    return () => section('意见征集列表', [
      h('p', { class: 'hint' }, '在草稿状态的政策文件页面可发起意见征集。'),
      h('div', { class: 'row' }, [selectInput('状态筛选', filter, 'status', [{ value: '', label: '全部状态' },
        ...Object.entries(CONSULTATION_STATUS).map(([value, s]) => ({ value, label: s.label }))])]),
      errorBox(state.error),
      state.loading ? loadingBox() : table('意见征集列表', columns, state.items, { key: (row) => row.id,
        empty: '暂无意见征集' }),
      state.next ? button(state.more ? '正在加载…' : '加载更多', () => load(true), { disabled: state.more }) : null,
    ]);
  },
});
