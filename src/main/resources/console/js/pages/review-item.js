// One item under review: the version shown (number and content), what changed since the previous version, the
// findings of the content checks, the history of versions and decisions, and the decision itself (approve or reject
// with a comment), always sent with the version shown: a newer version meanwhile is a 409 and the page reloads it.
import {
  h, ref, reactive, defineComponent, onMounted, section, table, badge, button, errorBox, loadingBox,
  formatTime, field, toast,
} from '../ui.js';
import { get, postJson, mediaUrl } from '../api.js';
import { navigate } from '../app.js';
import { KIND_NAMES, stageText } from './review.js';
import { diff, htmlToText, safeHtml } from './review-text.js';

const { onUpdated } = window.Vue;

const COLLECTIONS = { document: 'documents', interpretation: 'interpretations', post: 'posts' };
const STATUS = {
  draft: ['草稿', 'muted'], in_review: ['审核中', 'info'], approved: ['已通过审核', 'ok'], rejected: ['已退回', 'danger'],
  published: ['已发布', 'ok'],
};
const ACTIONS = {
  created: '创建', edited: '修改', submitted: '送审', approved: '审核通过', rejected: '退回', published: '发布',
  exempted: '登记豁免', moved: '随文件转部门',
};
const RULES = {
  'sensitive-word': '敏感词', wording: '表述错误', 'id-number': '身份证号', mobile: '手机号', 'external-link': '外部链接',
};
const FIELDS = {
  title: '标题', body: '正文', 'wechat.title': '公众号标题', 'wechat.digest': '公众号摘要', 'wechat.author': '公众号作者',
  'weibo.text': '微博正文', docNumber: '文号', issuer: '发文机关', category: '分类', 'interpreter.name': '解读人',
  'interpreter.title': '解读人职务',
};
/** Problems that mean "someone changed the item while you looked": reload and decide again. */
const CHANGED = new Set(['version-changed', 'edit-conflict', 'not-in-review']);

function actionText(action) {
  if (action && action.startsWith('validity:')) return `标记效力（${action.slice(9)}）`;
  return ACTIONS[action] || action;
}

/** What is compared between versions: the title, the short fields people read, and the body's text. */
function comparable(version) {
  const f = version.fields || {};
  const lines = [`标题：${version.title || ''}`];
  if (f.docNumber) lines.push(`文号：${f.docNumber}`);
  if (f.issuer) lines.push(`发文机关：${f.issuer}`);
  if (f.wechat) lines.push(`公众号标题：${f.wechat.title || ''}`, `公众号摘要：${f.wechat.digest || ''}`);
  if (f.weibo) lines.push(`微博正文：${f.weibo.text || ''}`);
  lines.push('正文：', htmlToText(version.body));
  return lines.join('\n');
}

/** A finding's place in its text, with a little around it. */
function context(item, finding) {
  const text = finding.field === 'title' ? item.title : finding.field === 'body' ? item.bodyText : null;
  if (!text || finding.start < 0 || finding.end > text.length) return null;
  return h('span', { class: 'finding-context' }, [
    text.slice(Math.max(0, finding.start - 20), finding.start),
    h('mark', text.slice(finding.start, finding.end)),
    text.slice(finding.end, finding.end + 20),
  ]);
}

const Diff = (props) => {
  const { before, after } = props;
  if (!before) {
    return h('p', { class: 'muted' }, '这是第 1 版，没有可比较的上一版。');
  }
  const parts = diff(comparable(before), comparable(after));
  const changed = parts.some((part) => part.op !== 'same');
  return h('div', [
    h('p', { class: 'diff-legend' }, [
      `第 ${before.version} 版 → 第 ${after.version} 版。图例：`,
      h('ins', '新增的文字'), '　', h('del', '删除的文字'),
    ]),
    changed ? null : h('p', { class: 'muted' }, '两版文字相同（可能只改了图片或其他设置）。'),
    h('div', { class: 'diff', 'aria-label': `第 ${before.version} 版与第 ${after.version} 版的差异`, role: 'region' },
      parts.map((part) => (part.op === 'same' ? part.text : h(part.op, part.text)))),
  ]);
};

export default defineComponent({
  name: 'ReviewItemPage',
  props: { params: Object, query: Object },
  setup(props) {
    const kind = props.params.kind;
    const base = `/api/v1/${COLLECTIONS[kind] || 'posts'}/${encodeURIComponent(props.params.id)}`;
    const state = reactive({ item: null, versions: [], error: null, loading: true, notice: null, busy: null,
      comment: '', commentError: null, decisionError: null });
    const bodyBox = ref(null);

    const load = async () => {
      state.loading = true;
      try {
        const [item, versions] = await Promise.all([get(base), get(`${base}/versions`)]);
        state.item = item;
        state.versions = versions.items;
        state.error = null;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
      }
    };
    onMounted(load);

    // Images of the media library need a signed URL (drafts are not public).
    const fillImages = () => {
      const box = bodyBox.value;
      if (!box) return;
      box.querySelectorAll('img[data-asset]:not([data-filled])').forEach((img) => {
        img.setAttribute('data-filled', '');
        mediaUrl(img.getAttribute('data-asset')).then((url) => { img.src = url; }).catch(() => { img.alt = '图片无法显示'; });
      });
    };
    onMounted(fillImages);
    onUpdated(fillImages);

    const decide = async (decision) => {
      const item = state.item;
      state.commentError = null;
      state.decisionError = null;
      if (decision === 'reject' && !state.comment.trim()) {
        state.commentError = '退回时必须填写意见';
        return;
      }
      state.busy = decision;
      try {
        await postJson(`${base}/review`, { decision, comment: state.comment.trim() || undefined, version: item.version },
          { ifMatch: item.version });
        toast(decision === 'approve' ? `已通过：${item.title}` : `已退回：${item.title}`);
        navigate('/review');
      } catch (e) {
        if ((e.status === 409 && CHANGED.has(e.code)) || e.status === 412) {
          state.notice = `${e.title}。内容已被修改或已有人先作出决定，已重新加载，请查看后再审核。`;
          await load();
        } else {
          toast(e.title || '操作失败', 'error');
          state.decisionError = e;
        }
      } finally {
        state.busy = null;
      }
    };

    const facts = (item) => {
      const rows = [
        ['类型', KIND_NAMES[item.kind] || item.kind],
        ['状态', badge(...(STATUS[item.status] || [item.status, 'muted']))],
        ['审核阶段', stageText(item.review) || '—'],
        ['版本', `第 ${item.version} 版`],
        ['撰写人', item.createdBy ? item.createdBy.username : ''],
        ['最后修改', formatTime(item.updatedAt)],
      ];
      if (item.docNumber) rows.push(['文号', item.docNumber]);
      if (item.issuer) rows.push(['发文机关', item.issuer]);
      if (item.wechat) {
        rows.push(['公众号标题', item.wechat.title || ''], ['公众号摘要', item.wechat.digest || ''],
          ['公众号作者', item.wechat.author || '']);
      }
      if (item.weibo) rows.push(['微博正文', item.weibo.text || '']);
      return h('dl', { class: 'facts review-facts' }, rows.flatMap(([term, value]) => [h('dt', term), h('dd', value)]));
    };

    const findings = (item) => {
      const list = item.findings || [];
      return [
        item.blocked ? h('div', { class: 'alert alert-error', role: 'alert' }, '内容检查发现必须修改的问题，不能通过，请退回作者修改。') : null,
        list.length === 0 ? h('p', { class: 'muted' }, '内容检查未发现问题。') : table('内容检查结果', [
          { label: '级别', render: (f) => (f.level === 'block' ? badge('必须修改', 'danger') : badge('提示', 'warn')) },
          { label: '类别', render: (f) => RULES[f.rule] || f.rule },
          { label: '位置', render: (f) => FIELDS[f.field] || f.field },
          { label: '内容', render: (f) => h('span', [h('strong', f.text), f.hint ? h('span', { class: 'muted' }, `（${f.hint}）`) : null]) },
          { label: '上下文', render: (f) => context(item, f) || '' },
        ], list),
      ];
    };

    const history = (item) => table('审核与修改记录', [
      { label: '时间', render: (e) => formatTime(e.at) },
      { label: '操作人', render: (e) => (e.actor ? e.actor.username : '') },
      { label: '操作', render: (e) => (e.action === 'rejected' ? badge('退回', 'danger')
        : e.action === 'approved' ? badge('审核通过', 'ok') : actionText(e.action)) },
      { label: '版本', render: (e) => `第 ${e.version} 版` },
      { label: '阶段', render: (e) => (e.stage === null || e.stage === undefined || e.action === 'submitted' ? ''
        : (item.review.stages[e.stage] || `第 ${e.stage + 1} 阶段`)) },
      { label: '意见', render: (e) => e.comment || '' },
    ], [...(item.history || [])].reverse(), { showCaption: true });

    const versions = () => table('各版本', [
      { label: '版本', render: (v) => `第 ${v.version} 版${v.current ? '（当前）' : ''}` },
      { label: '标题', key: 'title' },
      { label: '保存时间', render: (v) => formatTime(v.savedAt) },
    ], [...state.versions].reverse(), { showCaption: true });

    const decision = (item) => {
      if (item.status !== 'in_review') {
        return h('p', { class: 'alert alert-warn' }, `该内容当前${(STATUS[item.status] || [item.status])[0]}，不在审核中，无需作出决定。`);
      }
      const id = 'review-comment';
      return h('form', { class: 'review-decision', onSubmit: (e) => e.preventDefault() }, [
        h('p', `您审核的是第 ${item.version} 版，当前阶段：${stageText(item.review)}。`),
        field('审核意见', (controlId, hintId) => h('textarea', {
          id: controlId, rows: 3, maxlength: 1000, value: state.comment, 'aria-describedby': hintId,
          'aria-invalid': state.commentError ? 'true' : undefined,
          onInput: (e) => { state.comment = e.target.value; },
        }), { id, hint: state.commentError || '通过时可不填；退回时必须填写，作者会看到。' }),
        state.decisionError ? errorBox(state.decisionError) : null,
        h('div', { class: 'toolbar' }, [
          button(state.busy === 'approve' ? '正在提交…' : '通过', () => decide('approve'),
            { kind: 'primary', disabled: !!state.busy || item.blocked }),
          button(state.busy === 'reject' ? '正在提交…' : '退回', () => decide('reject'),
            { kind: 'danger', disabled: !!state.busy }),
        ]),
      ]);
    };

    return () => {
      if (state.loading && !state.item) return loadingBox();
      if (!state.item) return errorBox(state.error);
      const item = state.item;
      const current = state.versions.find((v) => v.current) || { version: item.version, title: item.title,
        body: item.body, fields: item };
      const previous = state.versions.filter((v) => v.version < current.version).pop() || null;
      return h('div', { class: 'review-item' }, [
        h('p', [h('a', { href: '#/review' }, '← 返回审核队列')]),
        state.notice ? h('div', { class: 'alert alert-warn', role: 'alert' }, state.notice) : null,
        errorBox(state.error),
        section(`待审版本：第 ${item.version} 版`, [
          h('h3', { class: 'review-item-title' }, item.title),
          facts(item),
          h('div', { class: 'review-body', ref: bodyBox, innerHTML: safeHtml(item.body) }),
        ]),
        section('与上一版比较', h(Diff, { before: previous, after: current })),
        section('内容检查', findings(item)),
        section('审核决定', decision(item)),
        section('历史记录', [history(item), versions()]),
      ]);
    };
  },
});
