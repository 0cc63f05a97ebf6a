// One consultation (意见征集): its period and state, the comments as the API gives them (commenters as references,
// personal data masked), screening of held comments, an adoption decision with its reason per comment, closing the
// period early, and publishing the adoption summary (采纳情况).
import {
  h, reactive, defineComponent, section, button, badge, field, textInput, errorBox, loadingBox, link, toast, formatTime,
  uid,
} from '../ui.js';
import * as api from '../api.js';
import { KIND_NAMES, DECISIONS, COMMENT_STATUS, consultationBadge } from './consultation-common.js';

export default defineComponent({
  name: 'ConsultationPage',
  props: { params: Object, query: Object },
  setup(props) {
    const path = `/api/v1/consultations/${encodeURIComponent(props.params.id)}`;
    const state = reactive({ consultation: null, error: null, loading: true, busy: false, actionError: null });
    const comments = reactive({ items: [], next: null, loading: true, more: false, error: null });
    const drafts = reactive({});
    const close = reactive({ reason: '' });

    const loadConsultation = async () => {
      try {
        state.consultation = await api.get(path);
        state.error = null;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
      }
    };
    const draftOf = (comment) => {
      if (!drafts[comment.id]) {
        drafts[comment.id] = { decision: comment.adoption ? comment.adoption.decision : '',
          reason: comment.adoption && comment.adoption.reason ? comment.adoption.reason : '', busy: false, error: null };
      }
      return drafts[comment.id];
    };
    const loadComments = async (more) => {
      if (more) comments.more = true; else comments.loading = true;
      try {
        const page = await api.get(`${path}/comments${api.query({ limit: 20, cursor: more ? comments.next : undefined })}`);
        comments.items = more ? comments.items.concat(page.items) : page.items;
        comments.next = page.next;
        comments.error = null;
      } catch (e) {
        comments.error = e;
      } finally {
        comments.loading = false;
        comments.more = false;
      }
    };
    loadConsultation();
    loadComments(false);

    const replace = (updated) => {
      const at = comments.items.findIndex((c) => c.id === updated.id);
      if (at >= 0) comments.items.splice(at, 1, updated);
    };
    const decide = async (comment) => {
      const draft = draftOf(comment);
      if (!draft.decision) {
        draft.error = { title: '请选择采纳决定' };
        return;
      }
      if (draft.decision !== 'adopted' && !draft.reason.trim()) {
        draft.error = { title: '部分采纳或不采纳须说明理由' };
        return;
      }
      draft.busy = true;
      draft.error = null;
      try {
        replace(await api.postJson(`${path}/comments/${comment.id}/adoption`, { decision: draft.decision,
          reason: draft.reason.trim() || undefined }));
        toast(`已记录：${DECISIONS[draft.decision]}`);
      } catch (e) {
        draft.error = e;
      } finally {
        draft.busy = false;
      }
    };
    const screen = async (comment, decision) => {
      const draft = draftOf(comment);
      draft.busy = true;
      try {
        replace(await api.postJson(`${path}/comments/${comment.id}/screening`, { decision }));
        await loadConsultation();
      } catch (e) {
        draft.error = e;
      } finally {
        draft.busy = false;
      }
    };
    const act = async (call, done) => {
      state.busy = true;
      state.actionError = null;
      try {
        state.consultation = await call();
        toast(done);
      } catch (e) {
        state.actionError = e;
      } finally {
        state.busy = false;
      }
    };
    const closeEarly = () => (close.reason.trim() ? act(() => api.postJson(`${path}/close`, { reason: close.reason.trim() }),
      '征集已结束') : (state.actionError = { title: '请填写提前结束的理由' }));
    const publishSummary = () => act(() => api.postJson(`${path}/summary`, {}), '采纳情况已公布');

    const facts = (c) => section('征集信息', [
      h('dl', { class: 'facts' }, [
        h('dt', '文件'), h('dd', link(c.title, `/documents/${c.documentId}`)),
        h('dt', '类型'), h('dd', KIND_NAMES[c.kind] || c.kind),
        h('dt', '征集期'), h('dd', `${c.from} 至 ${c.to}`),
        h('dt', '状态'), h('dd', consultationBadge(c.status)),
        h('dt', '意见数'), h('dd', String(c.commentCount ?? 0)),
        c.closedReason ? h('dt', '提前结束理由') : null, c.closedReason ? h('dd', c.closedReason) : null,
      ]),
      errorBox(state.actionError),
      ['scheduled', 'open'].includes(c.status) ? h('div', { class: 'row' }, [
        textInput('提前结束理由', close, 'reason', { maxlength: 500 }),
        button('结束征集', closeEarly, { kind: 'danger', disabled: state.busy }),
      ]) : null,
      c.status === 'ended' ? button(state.busy ? '正在公布…' : '公布采纳情况', publishSummary, { kind: 'primary',
        disabled: state.busy }) : null,
    ]);

    const adoptionForm = (comment, summarized) => {
      const draft = draftOf(comment);
      const name = uid('adopt');
      return h('div', { class: 'adoption' }, [
        h('fieldset', { class: 'decision', disabled: summarized || draft.busy }, [
          h('legend', '采纳决定'),
          ...Object.entries(DECISIONS).map(([value, label]) => {
            const id = uid('d');
            return h('span', { class: 'radio' }, [
              h('input', { id, type: 'radio', name, value, checked: draft.decision === value,
                onChange: () => { draft.decision = value; } }),
              h('label', { for: id }, label),
            ]);
          }),
        ]),
        field('采纳理由', (id) => h('input', { id, value: draft.reason, maxlength: 1000, disabled: summarized || draft.busy,
          onInput: (e) => { draft.reason = e.target.value; } }), { hint: '部分采纳、不采纳须填写' }),
        errorBox(draft.error),
        summarized ? null : button(draft.busy ? '正在保存…' : '保存决定', () => decide(comment), { disabled: draft.busy }),
      ]);
    };

    const commentItem = (comment, summarized) => {
      const status = COMMENT_STATUS[comment.status] || { label: comment.status, tone: 'info' };
      return h('li', { class: 'comment', key: comment.id }, [
        h('p', { class: 'comment-head' }, [
          h('strong', `提交人 ${comment.commenter}`), ' ', badge(status.label, status.tone), ' ',
          comment.status !== 'shown' && comment.screeningLabel ? badge(`微信检测标签 ${comment.screeningLabel}`, 'warn')
            : null, ' ',
          comment.adoption ? badge(`已决定：${DECISIONS[comment.adoption.decision]}`, 'ok') : badge('未决定', 'muted'),
          h('span', { class: 'muted' }, ` ${formatTime(comment.createdAt)}`),
        ]),
        h('p', { class: 'comment-text' }, comment.content),
        comment.status === 'held' ? h('div', { class: 'toolbar' }, [
          button('通过', () => screen(comment, 'accept'), { disabled: draftOf(comment).busy }),
          button('屏蔽', () => screen(comment, 'refuse'), { kind: 'danger', disabled: draftOf(comment).busy }),
        ]) : null,
        comment.status === 'shown' ? adoptionForm(comment, summarized) : null,
      ]);
    };

    const summaryBox = (summary) => section('采纳情况', [
      h('p', `共 ${summary.total} 条意见：采纳 ${summary.adopted} 条，部分采纳 ${summary.partly} 条，不采纳 ${summary.notAdopted} 条。`),
      summary.publishedAt ? h('p', { class: 'muted' }, `公布于 ${formatTime(summary.publishedAt)}`) : null,
      h('ul', summary.items.map((item) => h('li', [badge(DECISIONS[item.decision] || item.decision, 'ok'), ' ', item.gist,
        item.reason ? h('span', { class: 'muted' }, `（理由：${item.reason}）`) : null]))),
    ]);

    return () => {
      const c = state.consultation;
      if (state.loading) return loadingBox();
      if (!c) return errorBox(state.error);
      const summarized = c.status === 'summarized';
      return h('div', { class: 'consultation' }, [
        facts(c),
        c.summary ? summaryBox(c.summary) : null,
        section(`收到的意见（${comments.items.length}${comments.next ? '+' : ''}）`, [
          h('div', { class: 'toolbar' }, [button('刷新意见', () => { loadConsultation(); loadComments(false); },
            { disabled: comments.loading })]),
          errorBox(comments.error),
          comments.loading ? loadingBox() : comments.items.length === 0 ? h('p', { class: 'muted' }, '暂无意见')
            : h('ul', { class: 'comments' }, comments.items.map((comment) => commentItem(comment, summarized))),
          comments.next ? button(comments.more ? '正在加载…' : '加载更多', () => loadComments(true),
            { disabled: comments.more }) : null,
        ]),
      ]);
    };
  },
});
