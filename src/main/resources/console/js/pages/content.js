// 内容管理: documents, interpretations and posts, one kind at a time, filtered by status and paged.
import {
  h, reactive, defineComponent, watch, section, table, badge, button, selectInput, errorBox, loadingBox, link,
  formatTime,
} from '../ui.js';
import * as api from '../api.js';
import { has } from '../session.js';
import { navigate } from '../app.js';
import { KINDS, statusBadge } from './content-common.js';

const STATUSES = [
  { value: '', label: '全部状态' },
  { value: 'draft', label: '草稿' },
  { value: 'in_review', label: '审核中' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '已退回' },
  { value: 'published', label: '已发布' },
];

export default defineComponent({
  name: 'ContentListPage',
  props: { params: Object, query: Object },
  setup(props) {
    const filter = reactive({ kind: KINDS[props.query.kind] ? props.query.kind : 'post', status: props.query.status || '' });
    const state = reactive({ items: [], next: null, loading: true, more: false, error: null });

    const load = async (more) => {
      state.error = null;
      if (more) state.more = true; else state.loading = true;
      try {
        const page = await api.get(`${KINDS[filter.kind].api}${api.query({ status: filter.status, limit: 20,
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
    watch(() => [filter.kind, filter.status], () => load(false));
    load(false);

    const columns = () => [
      { label: '标题', render: (row) => link(row.title || '（无标题）', `${KINDS[row.kind].path}/${row.id}`) },
      { label: '类型', render: (row) => KINDS[row.kind].label },
      { label: '状态', render: (row) => statusBadge(row) },
      { label: '更新时间', render: (row) => formatTime(row.updatedAt) },
      { label: '作者', render: (row) => (row.createdBy && row.createdBy.username) || '' },
    ];

    return () => h('div', { class: 'content-list' }, [
      has('editor') ? h('div', { class: 'toolbar' }, [
        button('新建文件', () => navigate('/documents/new'), { kind: 'primary' }),
        button('新建解读', () => navigate('/interpretations/new'), { kind: 'primary' }),
        button('新建推文', () => navigate('/posts/new'), { kind: 'primary' }),
      ]) : null,
      section('内容列表', [
        h('div', { class: 'row' }, [
          selectInput('内容类型', filter, 'kind', Object.entries(KINDS).map(([value, kind]) => ({ value,
            label: kind.plural }))),
          selectInput('状态筛选', filter, 'status', STATUSES),
        ]),
        errorBox(state.error),
        state.loading ? loadingBox() : table(`${KINDS[filter.kind].plural}列表`, columns(), state.items,
          { key: (row) => row.id, empty: '没有符合条件的内容' }),
        state.next ? button(state.more ? '正在加载…' : '加载更多', () => load(true), { disabled: state.more }) : null,
      ]),
    ]);
  },
});
