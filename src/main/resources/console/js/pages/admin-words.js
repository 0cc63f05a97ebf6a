// Word lists (#/admin/words): sensitive words (add, delete, import a text file), wording rules (wrong → right) and
// the domains links may point to. Each list searches on the server (q) and pages with "加载更多".
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, selectInput, table, errorBox, toast, badge,
  problemText, formatTime, debounce, uid,
} from '../ui.js';
import { postJson, del, get } from '../api.js';
import { usePaged, pagedStatus, moreButton, deleteButtons } from './admin-common.js';

const LEVELS = { block: '阻止（不能通过审核）', warn: '提示' };

/** Lines of "词[,级别[,分类]]" (comma, tab or Chinese comma); the level is block unless it says warn/提示. */
export function parseWordFile(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#')).map((line) => {
    const [word, level, category] = line.split(/[,\t，]/).map((part) => part.trim());
    const item = { word, level: /^(warn|提示)$/i.test(level || '') ? 'warn' : 'block' };
    if (category) item.category = category;
    return item;
  });
}

/** Words skipped by an import: the answer lists them or counts them. */
function duplicateCount(result) {
  return Array.isArray(result.duplicates) ? result.duplicates.length : Number(result.duplicates || 0);
}

function searchBox(label, model, onSearch) {
  const run = debounce(onSearch, 300);
  return h('div', { class: 'admin-search' }, textInput(label, model, 'q', { type: 'search', maxlength: 50,
    onInput: () => run() }));
}

const SensitiveWords = {
  name: 'SensitiveWords',
  setup() {
    const filter = reactive({ q: '' });
    const list = usePaged('/api/v1/sensitive-words', () => ({ q: filter.q.trim() }));
    const form = reactive({ word: '', level: 'block', category: '', busy: false, error: null });
    const file = reactive({ busy: false, result: null, error: null });
    const actions = reactive({ confirming: null, busy: false });
    const fileId = uid('file');
    onMounted(list.reload);

    const submit = async (e) => {
      e.preventDefault();
      form.busy = true;
      form.error = null;
      try {
        const body = { word: form.word.trim(), level: form.level };
        if (form.category.trim()) body.category = form.category.trim();
        await postJson('/api/v1/sensitive-words', body);
        toast(`已添加敏感词“${body.word}”`);
        form.word = '';
        list.reload();
      } catch (failure) {
        form.error = failure;
      } finally {
        form.busy = false;
      }
    };
    const importFile = async (e) => {
      const chosen = e.target.files && e.target.files[0];
      if (!chosen) return;
      file.busy = true;
      file.result = null;
      file.error = null;
      try {
        const words = parseWordFile(await chosen.text());
        if (words.length === 0) throw { title: '文件中没有词语' };
        file.result = await postJson('/api/v1/sensitive-words/import', { words });
        toast(`已导入 ${file.result.created} 个敏感词`);
        list.reload();
      } catch (failure) {
        file.error = failure;
      } finally {
        file.busy = false;
        e.target.value = '';
      }
    };
    const remove = async (word) => {
      try {
        await del(`/api/v1/sensitive-words/${word.id}`);
        toast(`已删除“${word.word}”`);
        list.reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };
    return () => section('敏感词', [
      h('form', { class: 'row', onSubmit: submit }, [
        textInput('敏感词', form, 'word', { required: true, maxlength: 50 }),
        selectInput('级别', form, 'level', Object.entries(LEVELS).map(([value, label]) => ({ value, label }))),
        textInput('分类（可选）', form, 'category', { maxlength: 32 }),
        h('div', { class: 'field' }, button(form.busy ? '正在添加…' : '添加敏感词', null,
          { type: 'submit', kind: 'primary', disabled: form.busy })),
      ]),
      errorBox(form.error),
      h('div', { class: 'field admin-import' }, [
        h('label', { for: fileId }, '从文本文件导入'),
        h('input', { id: fileId, type: 'file', accept: '.txt,.csv,text/plain,text/csv', disabled: file.busy,
          'aria-describedby': `${fileId}-hint`, onChange: importFile }),
        h('p', { class: 'hint', id: `${fileId}-hint` }, '每行一个词，可写成“词,级别,分类”，级别为 block（阻止）或 warn（提示），省略为阻止；UTF-8 编码，每次至多 10000 个。'),
      ]),
      errorBox(file.error),
      file.result ? h('p', { class: 'alert alert-ok', role: 'status' }, `导入完成：新增 ${file.result.created} 个`
        + (duplicateCount(file.result) ? `，跳过已有或重复的 ${duplicateCount(file.result)} 个` : '')) : null,
      searchBox('查找敏感词', filter, list.reload),
      ...pagedStatus(list),
      table('敏感词列表', [
        { label: '词语', render: (w) => w.word },
        { label: '级别', render: (w) => (w.level === 'block' ? badge('阻止', 'danger') : badge('提示', 'warn')) },
        { label: '分类', render: (w) => w.category || '—' },
        { label: '添加时间', render: (w) => formatTime(w.createdAt) },
        { label: '操作', render: (w) => deleteButtons(actions, w.id, () => remove(w)) },
      ], list.items, { key: (w) => w.id, empty: filter.q ? '没有匹配的敏感词' : '还没有敏感词' }),
      moreButton(list),
    ], { ariaLabel: '敏感词' });
  },
};

const WordingRules = {
  name: 'WordingRules',
  setup() {
    const filter = reactive({ q: '' });
    const list = usePaged('/api/v1/wording-rules', () => ({ q: filter.q.trim() }));
    const form = reactive({ wrong: '', right: '', note: '', busy: false, error: null });
    const actions = reactive({ confirming: null, busy: false });
    onMounted(list.reload);
    const submit = async (e) => {
      e.preventDefault();
      form.busy = true;
      form.error = null;
      try {
        const body = { wrong: form.wrong.trim(), right: form.right.trim() };
        if (form.note.trim()) body.note = form.note.trim();
        await postJson('/api/v1/wording-rules', body);
        toast(`已添加表述规则“${body.wrong} → ${body.right}”`);
        Object.assign(form, { wrong: '', right: '', note: '' });
        list.reload();
      } catch (failure) {
        form.error = failure;
      } finally {
        form.busy = false;
      }
    };
    const remove = async (rule) => {
      try {
        await del(`/api/v1/wording-rules/${rule.id}`);
        toast('已删除表述规则');
        list.reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };
    return () => section('严重表述错误', [
      h('p', { class: 'hint' }, '国名、机构名称、领导姓名职务等的错误写法；标题或正文中出现即不能通过审核，并提示正确写法。'),
      h('form', { class: 'row', onSubmit: submit }, [
        textInput('错误写法', form, 'wrong', { required: true, maxlength: 100 }),
        textInput('正确写法', form, 'right', { required: true, maxlength: 100 }),
        textInput('说明（可选）', form, 'note', { maxlength: 500 }),
        h('div', { class: 'field' }, button(form.busy ? '正在添加…' : '添加规则', null,
          { type: 'submit', kind: 'primary', disabled: form.busy })),
      ]),
      errorBox(form.error),
      searchBox('查找表述规则', filter, list.reload),
      ...pagedStatus(list),
      table('表述规则列表', [
        { label: '错误写法', render: (r) => r.wrong },
        { label: '正确写法', render: (r) => r.right },
        { label: '说明', render: (r) => r.note || '—' },
        { label: '操作', render: (r) => deleteButtons(actions, r.id, () => remove(r)) },
      ], list.items, { key: (r) => r.id, empty: filter.q ? '没有匹配的规则' : '还没有表述规则' }),
      moreButton(list),
    ], { ariaLabel: '严重表述错误' });
  },
};

const LinkDomains = {
  name: 'LinkDomains',
  setup() {
    const filter = reactive({ q: '' });
    const list = usePaged('/api/v1/link-domains', () => ({ q: filter.q.trim() }));
    const builtIn = reactive({ items: [] });
    const form = reactive({ domain: '', note: '', busy: false, error: null });
    const actions = reactive({ confirming: null, busy: false });
    const reload = async () => {
      await list.reload();
    };
    onMounted(async () => {
      await reload();
      // The built-in domains come with every page; read them once from the first.
      try {
        builtIn.items = (await get('/api/v1/link-domains?limit=1')).builtIn || [];
      } catch (e) { /* shown by the list's own error */ }
    });
    const submit = async (e) => {
      e.preventDefault();
      form.busy = true;
      form.error = null;
      try {
        const body = { domain: form.domain.trim() };
        if (form.note.trim()) body.note = form.note.trim();
        const made = await postJson('/api/v1/link-domains', body);
        toast(`已允许链接到 ${made.domain}`);
        Object.assign(form, { domain: '', note: '' });
        reload();
      } catch (failure) {
        form.error = failure;
      } finally {
        form.busy = false;
      }
    };
    const remove = async (domain) => {
      try {
        await del(`/api/v1/link-domains/${domain.id}`);
        toast(`已移除 ${domain.domain}`);
        reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };
    return () => section('允许链接的域名', [
      h('p', { class: 'hint' }, `正文中指向以下域名以外网站的链接会被提示。始终允许（内置）：${builtIn.items.join('、') || 'gov.cn'} 及其子域名。添加的域名包含其所有子域名。`),
      h('form', { class: 'row', onSubmit: submit }, [
        textInput('域名', form, 'domain', { required: true, maxlength: 253, placeholder: 'www.people.com.cn',
          hint: '只填域名，不含 http://、端口和路径' }),
        textInput('说明（可选）', form, 'note', { maxlength: 500 }),
        h('div', { class: 'field' }, button(form.busy ? '正在添加…' : '添加域名', null,
          { type: 'submit', kind: 'primary', disabled: form.busy })),
      ]),
      errorBox(form.error),
      searchBox('查找域名', filter, reload),
      ...pagedStatus(list),
      table('允许的域名列表', [
        { label: '域名', render: (d) => d.domain },
        { label: '说明', render: (d) => d.note || '—' },
        { label: '添加时间', render: (d) => formatTime(d.createdAt) },
        { label: '操作', render: (d) => deleteButtons(actions, d.id, () => remove(d), '移除') },
      ], list.items, { key: (d) => d.id, empty: filter.q ? '没有匹配的域名' : '还没有添加域名' }),
      moreButton(list),
    ], { ariaLabel: '允许链接的域名' });
  },
};

export default defineComponent({
  name: 'AdminWords',
  setup() {
    return () => h('div', { class: 'admin-page' }, [h(SensitiveWords), h(WordingRules), h(LinkDomains)]);
  },
});
