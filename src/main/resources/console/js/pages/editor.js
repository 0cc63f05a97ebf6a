// The editors of documents, interpretations and posts (id "new" for a new one): the fields the API takes, the rich
// body with uploads, checks as the editor types (marked in a mirror of the text), previews per channel for posts,
// guarded saves (If-Match) and submission to review. Documents also open a consultation (意见征集) from here.
import {
  h, ref, reactive, computed, defineComponent, watch, onUnmounted, section, button, badge, field, textInput, selectInput,
  checkbox, errorBox, loadingBox, link, toast, debounce, formatTime, shanghaiDate, shanghaiInstant, uid, problemText,
} from '../ui.js';
import * as api from '../api.js';
import { session, has } from '../session.js';
import { navigate } from '../app.js';
import RichText from './editor-richtext.js';
import { KINDS, statusBadge, statusText, weiboCount, WEIBO_LIMIT, safeHtml, mediaId, stableMedia } from './content-common.js';
import { Checks, CHECK_DELAY } from './editor-checks.js';
import { Previews } from './editor-previews.js';

export const CONFLICT = '内容已被他人修改，请刷新后再改';

const FORMS = [
  { value: 'text', label: '文字解读' }, { value: 'infographic', label: '图解' }, { value: 'video', label: '视频' },
  { value: 'audio', label: '音频' }, { value: 'qa', label: '问答' }, { value: 'expert', label: '专家解读' },
];
const CHANNEL_OF = { wechat_mp: 'wechat', weibo: 'weibo', wechat_miniapp: 'miniapp' };
const ACCOUNT_TYPES = { wechat_mp: '公众号', weibo: '微博', wechat_miniapp: '小程序' };
const MEDIA_KINDS = [
  { type: 'image', label: '插入图片', accept: 'image/jpeg,image/png,image/gif,image/webp' },
  { type: 'video', label: '插入视频', accept: 'video/mp4' },
  { type: 'audio', label: '插入音频', accept: 'audio/mpeg,audio/mp3,audio/amr' },
];
const CONSULTATION_KINDS = [
  { value: 'normative', label: '规范性文件（不少于 7 个工作日）' },
  { value: 'rule', label: '规章草案（不少于 30 日）' },
  { value: 'major_decision', label: '重大决策（不少于 30 日）' },
  { value: 'other', label: '其他' },
];

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const dateOf = (iso) => (iso ? shanghaiDate(iso) : '');
const instantOf = (date) => (date ? shanghaiInstant(date) : undefined);

/** The body with our media shown through signed URLs (img, video and audio cannot send the bearer token). */
async function displayBody(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  await Promise.all([...doc.body.querySelectorAll('img[src], video[src], audio[src]')].map(async (element) => {
    const id = mediaId(element.getAttribute('src'));
    if (id) {
      try { element.setAttribute('src', await api.mediaUrl(id)); } catch (e) { /* shown broken; saved unchanged */ }
    }
  }));
  return doc.body.innerHTML;
}

/** The plain text of an HTML body (for digests and summaries). */
export function textOf(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  return (doc.body.textContent || '').replace(/\s+/g, ' ').trim();
}

export function editorPage(kind) {
  const meta = KINDS[kind];
  return defineComponent({
    name: `${kind}Editor`,
    props: { params: Object, query: Object },
    setup(props) {
      const isNew = props.params.id === 'new';
      const state = reactive({ loading: !isNew, error: null, item: null, busy: false, conflict: false, bodyKey: 0,
        initialHtml: '', dirty: false, departments: [], documents: [], accounts: [] });
      const form = reactive({
        title: '', html: '', docNumber: '', issuer: '', departmentId: '', category: '', issuedAt: '', effectiveAt: '',
        expiresAt: '', documentId: props.query.documentId || '', form: 'text', interpreterName: '', interpreterTitle: '',
        assetIds: [], accountIds: [], author: '', digest: '', coverAssetId: '', sourceUrl: '', commentsOpen: false,
        weiboText: '', weiboPicture: true,
      });
      const uploads = reactive([]);
      const progress = reactive({ active: false, fraction: 0, name: '', error: null });
      const checks = reactive({ findings: [], blocked: false, bodyText: '', title: '', running: false, error: null });
      const consultation = reactive({ kind: 'normative', from: shanghaiDate(new Date()), to: '', busy: false, error: null });
      const editor = ref(null);
      const mayEdit = computed(() => has('editor'));
      // One id base per editor: ids made at each render would detach labels from their inputs mid-use.
      const idBase = uid('ed');

      const channels = computed(() => {
        const set = new Set();
        state.accounts.filter((a) => form.accountIds.includes(a.id)).forEach((a) => set.add(CHANNEL_OF[a.type]));
        return set;
      });

      // Checks as they type

      const runChecks = debounce(async () => {
        checks.running = true;
        try {
          const result = await api.postJson('/api/v1/content-checks', { title: form.title.slice(0, 200),
            body: stableMedia(form.html) });
          Object.assign(checks, { findings: result.findings, blocked: result.blocked, bodyText: result.bodyText,
            title: form.title, error: null });
        } catch (e) {
          checks.error = e;
        } finally {
          checks.running = false;
        }
      }, CHECK_DELAY);
      onUnmounted(() => runChecks.cancel());
      const touched = () => { state.dirty = true; runChecks(); };

      // Loading

      const fill = async (item) => {
        state.item = item;
        form.title = item.title || '';
        Object.assign(form, {
          docNumber: item.docNumber || '', issuer: item.issuer || '', departmentId: item.departmentId || '',
          category: item.category || '', issuedAt: dateOf(item.issuedAt), effectiveAt: dateOf(item.effectiveAt),
          expiresAt: dateOf(item.expiresAt), documentId: item.documentId || form.documentId, form: item.form || 'text',
          assetIds: item.assetIds || [],
        });
        if (item.interpreter) {
          form.interpreterName = item.interpreter.name || '';
          form.interpreterTitle = item.interpreter.title || '';
        }
        if (kind === 'post') {
          const w = item.wechat || {};
          Object.assign(form, { author: w.author || '', digest: w.digest || '', coverAssetId: w.coverAssetId || '',
            sourceUrl: w.sourceUrl || '', commentsOpen: !!w.commentsOpen, weiboText: item.weibo ? item.weibo.text : '',
            weiboPicture: !item.weibo || !!item.weibo.pictureAssetId });
          const present = new Set([item.wechat ? 'wechat' : null, item.weibo ? 'weibo' : null,
            item.miniapp ? 'miniapp' : null]);
          form.accountIds = state.accounts.filter((a) => present.has(CHANNEL_OF[a.type])).map((a) => a.id);
        }
        form.html = await displayBody(item.body);
        state.initialHtml = form.html;
        state.bodyKey += 1;
        state.dirty = false;
        runChecks();
      };

      const reload = async () => {
        state.loading = true;
        try {
          await fill(await api.get(`${meta.api}/${encodeURIComponent(props.params.id)}`));
          state.error = null;
        } catch (e) {
          state.error = e;
        } finally {
          state.loading = false;
        }
      };

      const loadChoices = async () => {
        if (kind === 'document') {
          const me = session.me;
          state.departments = await Promise.all((me.departmentIds || []).map((id) => api.get(`/api/v1/departments/${id}`)
            .then((d) => ({ value: d.id, label: d.name })).catch(() => ({ value: id, label: id }))));
          if (!form.departmentId && state.departments.length > 0) form.departmentId = state.departments[0].value;
        }
        if (kind === 'interpretation' && isNew) {
          const page = await api.get(`/api/v1/documents${api.query({ limit: 100 })}`);
          state.documents = page.items;
          if (!form.documentId && page.items.length > 0) form.documentId = page.items[0].id;
        }
        if (kind === 'post') {
          const page = await api.get(`/api/v1/accounts${api.query({ limit: 100 })}`);
          state.accounts = page.items.filter((a) => CHANNEL_OF[a.type] && a.status === 'active');
          if (!form.author && session.me) form.author = session.me.displayName.slice(0, 16);
        }
      };

      (async () => {
        try {
          await loadChoices();
        } catch (e) {
          state.error = e;
        }
        if (!isNew) {
          await reload();
        } else {
          state.initialHtml = '<p><br></p>';
          state.bodyKey += 1;
        }
      })();

      // Uploads

      const upload = async (type, file) => {
        if (!file) return;
        Object.assign(progress, { active: true, fraction: 0, name: file.name, error: null });
        try {
          const asset = await api.upload(file, (fraction) => { progress.fraction = fraction; });
          progress.fraction = 1;
          uploads.push(asset);
          const url = await api.mediaUrl(asset.id);
          const title = escapeHtml(asset.title || asset.filename || '');
          const html = asset.type === 'image' ? `<p><img src="${url}" alt="${title}"></p>`
            : asset.type === 'video' ? `<p><video src="${url}" controls></video></p>`
              : asset.type === 'audio' ? `<p><audio src="${url}" controls></audio></p>` : '';
          if (html && editor.value) editor.value.insert(html);
          if (kind === 'interpretation') form.assetIds = [...form.assetIds, asset.id];
          if (kind === 'post' && asset.type === 'image' && !form.coverAssetId) form.coverAssetId = asset.id;
          touched();
        } catch (e) {
          progress.error = e;
        }
      };

      const mediaTools = () => MEDIA_KINDS.map((media) => {
        const id = `${idBase}-up-${media.type}`;
        return h('span', { class: 'upload-tool' }, [
          h('input', { id, type: 'file', class: 'upload-input', accept: media.accept, disabled: !mayEdit.value,
            onChange: (e) => { const file = e.target.files[0]; e.target.value = ''; upload(media.type, file); } }),
          h('label', { for: id, class: 'btn btn-small' }, media.label),
        ]);
      });

      const progressBox = () => (progress.active ? h('div', { class: 'upload-progress' }, [
        h('progress', { max: 100, value: Math.round(progress.fraction * 100), 'aria-label': `上传进度：${progress.name}` }),
        h('span', { class: 'upload-percent', role: 'status' }, progress.error ? `上传失败：${problemText(progress.error)}`
          : progress.fraction >= 1 ? `上传完成 ${Math.round(progress.fraction * 100)}%`
            : `正在上传 ${progress.name} ${Math.round(progress.fraction * 100)}%`),
      ]) : null);

      // Saving and submitting

      const body = () => {
        const html = stableMedia(form.html);
        if (kind === 'document') {
          return { title: form.title, docNumber: form.docNumber, issuer: form.issuer, departmentId: form.departmentId,
            category: form.category, body: html, issuedAt: instantOf(form.issuedAt),
            effectiveAt: instantOf(form.effectiveAt), expiresAt: instantOf(form.expiresAt) };
        }
        if (kind === 'interpretation') {
          const out = { form: form.form, title: form.title, body: html, assetIds: form.assetIds };
          if (isNew) {
            out.documentId = form.documentId;
            if (form.interpreterName.trim()) {
              out.interpreter = { name: form.interpreterName.trim(), title: form.interpreterTitle.trim() || undefined };
            }
          }
          return out;
        }
        const out = { title: form.title, body: html };
        if (channels.value.has('wechat')) {
          out.wechat = { title: form.title.slice(0, 64), author: form.author, digest: form.digest || textOf(form.html).slice(0, 110),
            coverAssetId: form.coverAssetId, html, sourceUrl: form.sourceUrl || undefined, commentsOpen: form.commentsOpen };
        }
        if (channels.value.has('weibo')) {
          out.weibo = { text: form.weiboText, pictureAssetId: form.weiboPicture && form.coverAssetId ? form.coverAssetId : undefined };
        }
        if (channels.value.has('miniapp')) out.miniapp = {};
        return out;
      };

      const problemOf = () => {
        if (!form.title.trim()) return '请填写标题';
        if (kind === 'post') {
          if (channels.value.size === 0) return '请至少选择一个发布渠道';
          if (channels.value.has('wechat') && !form.coverAssetId) return '公众号图文需要封面图片，请上传并选择封面';
          if (channels.value.has('weibo') && !form.weiboText.trim()) return '请填写微博正文';
          if (channels.value.has('weibo') && weiboCount(form.weiboText) > WEIBO_LIMIT) return '微博正文超出字数上限';
        }
        return null;
      };

      const failed = async (e) => {
        if (e.status === 409 && (e.code === 'edit-conflict' || e.code === 'version-changed') || e.status === 412) {
          state.conflict = true;
          state.error = null;
          toast(CONFLICT, 'error');
          await reload();
        } else {
          state.error = e;
        }
      };

      const save = async () => {
        const problem = problemOf();
        if (problem) {
          state.error = { title: problem };
          return false;
        }
        state.busy = true;
        state.error = null;
        state.conflict = false;
        try {
          if (isNew) {
            const created = await api.postJson(meta.api, body());
            state.dirty = false;
            toast('已保存');
            navigate(`${meta.path}/${created.id}`);
            return false;
          }
          await fill(await api.patch(`${meta.api}/${state.item.id}`, body(), { ifMatch: state.item.version }));
          toast(`已保存为第 ${state.item.version} 版`);
          return true;
        } catch (e) {
          await failed(e);
          return false;
        } finally {
          state.busy = false;
        }
      };

      const submit = async () => {
        if (state.dirty && !(await save())) return;
        state.busy = true;
        state.error = null;
        try {
          const item = await api.postJson(`${meta.api}/${state.item.id}/submit`, {}, { ifMatch: state.item.version });
          state.item = item;
          toast(`已提交审核：${statusText(item)}`);
        } catch (e) {
          await failed(e);
        } finally {
          state.busy = false;
        }
      };

      const openConsultation = async () => {
        consultation.busy = true;
        consultation.error = null;
        try {
          const opened = await api.postJson(`/api/v1/documents/${state.item.id}/consultation`, { kind: consultation.kind,
            from: consultation.from, to: consultation.to });
          toast('已发起意见征集');
          navigate(`/consultations/${opened.id}`);
        } catch (e) {
          consultation.error = e.code === 'consultation-too-short' && e.problem.earliestTo
            ? { ...e, title: `${e.title}：最早截止日为 ${e.problem.earliestTo}` } : e;
        } finally {
          consultation.busy = false;
        }
      };

      // Rendering

      const input = (label, key, options = {}) => textInput(label, form, key, { ...options, disabled: !mayEdit.value,
        onInput: touched });

      const fieldsOf = () => {
        if (kind === 'document') {
          return [
            input('标题', 'title', { required: true, maxlength: 200 }),
            h('div', { class: 'row' }, [
              input('文号', 'docNumber', { required: true, maxlength: 64, placeholder: '如 国办发〔2018〕123号' }),
              input('发文机关', 'issuer', { required: true, maxlength: 100 }),
            ]),
            h('div', { class: 'row' }, [
              selectInput('起草部门', form, 'departmentId', state.departments, { disabled: !mayEdit.value }),
              input('公开目录分类', 'category', { required: true, maxlength: 64 }),
            ]),
            h('div', { class: 'row' }, [
              input('成文日期', 'issuedAt', { type: 'date' }),
              input('施行日期', 'effectiveAt', { type: 'date' }),
              input('有效期至', 'expiresAt', { type: 'date' }),
            ]),
          ];
        }
        if (kind === 'interpretation') {
          return [
            isNew ? selectInput('所解读的政策文件', form, 'documentId', state.documents.map((d) => ({ value: d.id,
              label: d.title }))) : h('p', [h('span', { class: 'muted' }, '所解读的政策文件：'),
              link('查看文件', `/documents/${form.documentId}`)]),
            input('标题', 'title', { required: true, maxlength: 200 }),
            selectInput('解读形式', form, 'form', FORMS, { disabled: !mayEdit.value, onChange: touched }),
            isNew ? h('div', { class: 'row' }, [
              input('解读人姓名', 'interpreterName', { maxlength: 50 }),
              input('解读人职务', 'interpreterTitle', { maxlength: 100 }),
            ]) : null,
            form.assetIds.length > 0 ? h('p', { class: 'muted' }, `已附媒体素材 ${form.assetIds.length} 个`) : null,
          ];
        }
        return [
          input('标题', 'title', { required: true, maxlength: 64, hint: '公众号图文标题不超过 64 字' }),
          h('fieldset', { class: 'channels' }, [
            h('legend', '发布渠道'),
            state.accounts.length === 0 ? h('p', { class: 'muted' }, '您没有可发布的账号，请联系管理员。') : null,
            ...state.accounts.map((account) => checkbox(`${account.name}（${ACCOUNT_TYPES[account.type]}）`,
              { on: form.accountIds.includes(account.id) }, 'on', { disabled: !mayEdit.value, onChange: (on) => {
                form.accountIds = on ? [...form.accountIds, account.id] : form.accountIds.filter((id) => id !== account.id);
                touched();
              } })),
          ]),
          channels.value.has('wechat') ? h('div', { class: 'row' }, [
            input('作者', 'author', { required: true, maxlength: 16 }),
            input('摘要', 'digest', { maxlength: 120, hint: '不填则取正文开头' }),
            input('原文链接', 'sourceUrl', { type: 'url', maxlength: 1024, hint: '不填则为推文的公开页面' }),
          ]) : null,
          channels.value.has('wechat') ? checkbox('开放留言', form, 'commentsOpen', { disabled: !mayEdit.value,
            onChange: touched }) : null,
          channels.value.has('weibo') ? weiboField() : null,
        ];
      };

      const weiboField = () => {
        const count = weiboCount(form.weiboText);
        const over = count > WEIBO_LIMIT;
        return h('div', [
          input('微博正文', 'weiboText', { multiline: true, rows: 3,
            hint: `发布时自动附加推文链接（按 20 个英文字符计），合计不超过 ${WEIBO_LIMIT} 字` }),
          h('p', { class: ['weibo-count', over ? 'over' : null], 'aria-live': 'polite' },
            `微博字数 ${count} / ${WEIBO_LIMIT}${over ? `，超出 ${count - WEIBO_LIMIT} 字` : ''}`),
          checkbox('微博配图使用封面', form, 'weiboPicture', { disabled: !mayEdit.value, onChange: touched }),
        ]);
      };

      const coverImages = () => {
        const ids = new Set(uploads.filter((a) => a.type === 'image').map((a) => a.id));
        if (form.coverAssetId) ids.add(form.coverAssetId);
        const doc = new DOMParser().parseFromString(`<body>${form.html}</body>`, 'text/html');
        doc.body.querySelectorAll('img[src]').forEach((img) => { const id = mediaId(img.getAttribute('src')); if (id) ids.add(id); });
        return [...ids];
      };

      const coverChoice = () => {
        const images = coverImages();
        return section('封面', [
          images.length === 0 ? h('p', { class: 'muted' }, '上传图片后可在此选择封面。') : h('div', { class: 'cover-choice',
            role: 'radiogroup', 'aria-label': '选择封面' }, images.map((id, index) => {
            const inputId = `${idBase}-cover-${id}`;
            return h('div', { class: 'cover-option' }, [
              h('input', { id: inputId, type: 'radio', name: 'cover', value: id, checked: form.coverAssetId === id,
                disabled: !mayEdit.value, onChange: () => { form.coverAssetId = id; touched(); } }),
              h('label', { for: inputId }, [h(Previews.Thumb, { assetId: id, alt: '' }), ` 图片 ${index + 1}`]),
            ]);
          })),
        ]);
      };

      const actions = () => {
        const item = state.item;
        const submittable = item && ['draft', 'rejected'].includes(item.status);
        return h('div', { class: 'toolbar editor-actions' }, [
          mayEdit.value ? button(state.busy ? '正在保存…' : '保存', save, { kind: 'primary', disabled: state.busy }) : null,
          mayEdit.value && !isNew ? button('提交审核', submit, { disabled: state.busy || !submittable || checks.blocked,
            title: checks.blocked ? '有阻断性问题，修改后才能提交审核' : undefined }) : null,
          checks.blocked ? h('span', { class: 'alert-inline' }, '有阻断性问题，修改后才能提交审核') : null,
          link('返回列表', `/content?kind=${kind}`),
        ]);
      };

      const statusLine = () => {
        const item = state.item;
        if (!item) return h('p', { class: 'muted' }, `新建${meta.label}：保存后生成第 1 版草稿`);
        return h('p', { class: 'status-line' }, [
          '状态：', statusBadge(item), ` 第 ${item.version} 版 · 更新于 ${formatTime(item.updatedAt)}`,
          item.review && item.review.stageName ? ` · 当前阶段：${item.review.stageName}` : '',
        ]);
      };

      const consultationBox = () => {
        const item = state.item;
        if (kind !== 'document' || !item || !mayEdit.value) return null;
        if (item.consultation) {
          return section('意见征集', h('p', ['本文件已发起意见征集（', item.consultation.from, ' 至 ', item.consultation.to,
            '）。 ', link('查看意见征集', `/consultations/${item.consultation.id}`)]));
        }
        if (item.status === 'published') return null;
        return section('意见征集', [
          h('p', { class: 'hint' }, '草案向社会公开征求意见：规章和重大决策不少于 30 日，规范性文件不少于 7 个工作日（按节假日调休计算）。'),
          errorBox(consultation.error),
          h('div', { class: 'row' }, [
            selectInput('征集类型', consultation, 'kind', CONSULTATION_KINDS),
            textInput('征集开始日期', consultation, 'from', { type: 'date' }),
            textInput('征集截止日期', consultation, 'to', { type: 'date' }),
          ]),
          button(consultation.busy ? '正在发起…' : '发起意见征集', openConsultation, { disabled: consultation.busy || !consultation.to }),
        ]);
      };

      return () => {
        if (state.loading && !state.item) return loadingBox();
        if (state.error && !state.item && !isNew) return errorBox(state.error);
        return h('div', { class: ['editor', `editor-${kind}`] }, [
          statusLine(),
          state.conflict ? h('div', { class: 'alert alert-error', role: 'alert' }, `${CONFLICT}。已重新载入最新版本。`) : null,
          errorBox(state.error),
          h('div', { class: 'editor-grid' }, [
            h('div', { class: 'editor-main' }, [
              section(`${meta.label}内容`, [
                ...fieldsOf(),
                h(RichText, { key: state.bodyKey, ref: editor, label: '正文', initialHtml: state.initialHtml,
                  disabled: !mayEdit.value, onChange: (html) => { if (html !== form.html) { form.html = html; touched(); } } },
                { tools: mayEdit.value ? mediaTools : null }),
                progressBox(),
              ]),
              kind === 'post' ? coverChoice() : null,
              actions(),
              consultationBox(),
            ]),
            h('div', { class: 'editor-side' }, [
              h(Checks, { checks }),
              kind === 'post' ? h(Previews, { channels: [...channels.value], title: form.title, author: form.author,
                digest: form.digest || textOf(form.html).slice(0, 110), html: safeHtml(form.html),
                coverAssetId: form.coverAssetId, weiboText: form.weiboText,
                weiboPicture: form.weiboPicture ? form.coverAssetId : '' }) : null,
            ]),
          ]),
        ]);
      };
    },
  });
}
