// The audit log (#/admin/audit): newest first, paged, with a filter over the loaded entries (the API has none), each
// entry's before/after summary on demand, and "校验审计链" recomputing the hash chain: intact, or broken at which
// entries.
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, table, errorBox, formatTime,
} from '../ui.js';
import { get } from '../api.js';
import { usePaged, pagedStatus, moreButton } from './admin-common.js';

export default defineComponent({
  name: 'AdminAudit',
  setup() {
    const list = usePaged('/api/v1/audit', () => ({}), 50);
    const filter = reactive({ text: '' });
    const verify = reactive({ busy: false, result: null, error: null, at: null });
    const open = reactive({ id: null });
    onMounted(list.reload);

    const run = async () => {
      verify.busy = true;
      verify.error = null;
      try {
        verify.result = await get('/api/v1/audit/verify');
        verify.at = new Date().toISOString();
      } catch (failure) {
        verify.error = failure;
      } finally {
        verify.busy = false;
      }
    };

    const visible = () => {
      const needle = filter.text.trim().toLowerCase();
      if (!needle) return list.items;
      return list.items.filter((e) => [e.actor && e.actor.username, e.action, e.targetType, e.targetId, e.requestId]
        .some((v) => v && String(v).toLowerCase().includes(needle)));
    };

    const result = () => {
      const r = verify.result;
      if (!r) return null;
      if (r.ok) {
        return h('div', { class: 'alert alert-ok admin-verify', role: 'status' }, [
          h('strong', '审计链完整'), `：已校验 ${r.checked} 条记录，未发现篡改（${formatTime(verify.at)}）。`]);
      }
      return h('div', { class: 'alert alert-error admin-verify', role: 'alert' }, [
        h('strong', '审计链已损坏'),
        `：已校验 ${r.checked} 条记录，${r.brokenCount} 条校验失败，第一条为第 ${r.firstBrokenId} 号记录。`,
        h('p', `校验失败的记录：${r.brokenIds.map((id) => `第 ${id} 号`).join('、')}${r.brokenCount > r.brokenIds.length ? ' 等' : ''}。`
          + '记录被删除时报在其后一条，末尾被截断时报在应有的下一条。请保留现场并报告安全负责人。'),
      ]);
    };

    const summary = (value) => (value ? JSON.stringify(value, null, 1) : '—');

    return () => h('div', { class: 'admin-page' }, [
      section('校验审计链', [
        h('p', { class: 'hint' }, '审计日志只追加、逐条以哈希相连；校验会重新计算整条链，发现被修改、删除或截断的记录。'),
        button(verify.busy ? '正在校验…' : '校验审计链', run, { kind: 'primary', disabled: verify.busy }),
        errorBox(verify.error),
        result(),
      ]),
      section('审计记录', [
        h('div', { class: 'toolbar' }, h('div', { class: 'admin-search' }, textInput('筛选（操作人、操作、对象或请求 ID）', filter, 'text',
          { type: 'search', hint: '只在已加载的记录中筛选；更早的记录请“加载更多”' }))),
        ...pagedStatus(list),
        table('审计记录（最新的在前）', [
          { label: '序号', render: (e) => String(e.seq) },
          { label: '时间', render: (e) => formatTime(e.at) },
          { label: '操作人', render: (e) => (e.actor ? e.actor.username : '') },
          { label: '操作', render: (e) => h('code', e.action) },
          { label: '对象', render: (e) => `${e.targetType} ${e.targetId}` },
          { label: '请求 ID', render: (e) => h('code', { class: 'admin-mono' }, e.requestId || '—') },
          { label: '内容', render: (e) => (open.id === e.id
            ? h('div', { class: 'admin-diff' }, [
              button('收起', () => { open.id = null; }, { class: 'btn-small', ariaLabel: `收起第 ${e.seq} 号记录的内容` }),
              h('p', '修改前：'), h('pre', summary(e.before)), h('p', '修改后：'), h('pre', summary(e.after))])
            : button('查看', () => { open.id = e.id; }, { class: 'btn-small', ariaLabel: `查看第 ${e.seq} 号记录的内容` })) },
        ], visible(), { key: (e) => e.id, empty: filter.text ? '已加载的记录中没有匹配的' : '暂无审计记录' }),
        moreButton(list),
      ]),
    ]);
  },
});
