// Holidays (#/admin/holidays): the working-day calendar's tables per year (days off and make-up working days, from
// the State Council's notice), edited and saved whole; a warning while next year's table is missing or a deadline
// already reached a year without one; and a working-day calculator to check a table.
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, selectInput, table, errorBox, loadingBox, toast,
  problemText, formatTime, shanghaiDate, badge,
} from '../ui.js';
import { get, put, query } from '../api.js';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

function weekday(date) {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

function daysBetween(from, to) {
  const out = [];
  const end = new Date(`${to || from}T00:00:00Z`);
  for (let d = new Date(`${from}T00:00:00Z`); d <= end && out.length < 366; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export default defineComponent({
  name: 'AdminHolidays',
  setup() {
    const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
    const overview = reactive({ items: [], missing: [], error: null, loaded: false });
    const editor = reactive({ year: thisYear, off: [], workdays: [], exists: false, loading: false, error: null,
      busy: false, dirty: false, summary: null, saveError: null });
    const pick = reactive({ year: String(thisYear) });
    const add = reactive({ from: '', to: '', kind: 'off' });
    const calc = reactive({ from: shanghaiDate(new Date()), days: '5', answer: null, error: null });

    const loadOverview = async () => {
      try {
        const answer = await get('/api/v1/holidays?limit=200');
        overview.items = answer.items || [];
        overview.missing = answer.missing || [];
        overview.error = null;
      } catch (e) {
        overview.error = e;
      } finally {
        overview.loaded = true;
      }
    };
    const open = async (year) => {
      Object.assign(editor, { year, loading: true, error: null, saveError: null, dirty: false });
      pick.year = String(year);
      if (!overview.items.some((t) => t.year === year)) {
        // No table for the year (the overview lists them all): start an empty one without asking for a 404.
        Object.assign(editor, { off: [], workdays: [], exists: false, summary: null, loading: false });
        return;
      }
      try {
        const found = await get(`/api/v1/holidays/${year}`);
        Object.assign(editor, { off: [...(found.off || [])].sort(), workdays: [...(found.workdays || [])].sort(),
          exists: true, summary: found });
      } catch (e) {
        if (e.status === 404) Object.assign(editor, { off: [], workdays: [], exists: false, summary: null });
        else editor.error = e;
      } finally {
        editor.loading = false;
      }
    };
    onMounted(async () => { await loadOverview(); open(thisYear); });

    const addDates = (e) => {
      e.preventDefault();
      if (!add.from) return;
      const dates = daysBetween(add.from, add.to).filter((d) => d.startsWith(String(editor.year)));
      if (dates.length === 0) { toast(`请选择 ${editor.year} 年内的日期`, 'error'); return; }
      const target = add.kind === 'off' ? editor.off : editor.workdays;
      const other = add.kind === 'off' ? editor.workdays : editor.off;
      dates.forEach((d) => {
        if (!target.includes(d)) target.push(d);
        const at = other.indexOf(d);
        if (at >= 0) other.splice(at, 1);
      });
      target.sort();
      editor.dirty = true;
      add.from = '';
      add.to = '';
    };
    const removeDate = (list, date) => {
      list.splice(list.indexOf(date), 1);
      editor.dirty = true;
    };
    const save = async () => {
      editor.busy = true;
      editor.saveError = null;
      try {
        const saved = await put(`/api/v1/holidays/${editor.year}`, { off: editor.off, workdays: editor.workdays });
        Object.assign(editor, { exists: true, dirty: false, summary: saved });
        toast(`${editor.year} 年调休表已保存`);
        loadOverview();
      } catch (failure) {
        editor.saveError = failure;
      } finally {
        editor.busy = false;
      }
    };
    const compute = async (e) => {
      e.preventDefault();
      calc.error = null;
      calc.answer = null;
      try {
        calc.answer = await get(`/api/v1/workdays/add${query({ from: calc.from, days: calc.days })}`);
      } catch (failure) {
        calc.error = failure;
      }
    };

    const years = () => new Set(overview.items.map((t) => t.year));
    const dateTable = (caption, list, label) => table(caption, [
      { label: '日期', render: (d) => d },
      { label: '星期', render: weekday },
      { label: '操作', render: (d) => button('移除', () => removeDate(list, d), { class: 'btn-small', ariaLabel: `从${label}中移除 ${d}` }) },
    ], list, { key: (d) => d, empty: `没有${label}` });

    return () => h('div', { class: 'admin-page' }, [
      overview.loaded && !years().has(thisYear + 1) ? h('div', { class: 'alert alert-warn', role: 'alert' },
        `尚未录入 ${thisYear + 1} 年的节假日安排。国务院办公厅的放假通知发布后（通常在 11 月），请及时录入；未录入前，涉及该年的办理期限按周一至周五临时计算。`) : null,
      overview.missing.length ? h('div', { class: 'alert alert-error', role: 'alert' },
        `以下年份已有期限涉及但没有调休表，期限为临时计算：${overview.missing.join('、')} 年。请尽快录入。`) : null,
      section('已录入的年份', [
        errorBox(overview.error),
        !overview.loaded ? loadingBox() : table('各年调休表', [
          { label: '年份', render: (t) => String(t.year) },
          { label: '来源', render: (t) => (t.source === 'admin' ? badge('管理员录入', 'info') : badge('随程序发布', 'muted')) },
          { label: '放假天数', render: (t) => String(t.offCount ?? '') },
          { label: '调休上班天数', render: (t) => String(t.workdayCount ?? '') },
          { label: '最近修改', render: (t) => (t.updatedAt ? `${formatTime(t.updatedAt)} ${t.updatedBy || ''}` : '—') },
          { label: '操作', render: (t) => button('查看 / 修改', () => open(t.year), { class: 'btn-small', ariaLabel: `查看或修改 ${t.year} 年` }) },
        ], [...overview.items].sort((a, b) => a.year - b.year), { key: (t) => t.year, empty: '还没有调休表' }),
        h('form', { class: 'row', onSubmit: (e) => { e.preventDefault(); open(Number(pick.year)); } }, [
          textInput('年份', pick, 'year', { type: 'number', required: true }),
          h('div', { class: 'field' }, button('打开该年', null, { type: 'submit' })),
        ]),
      ]),
      section(`${editor.year} 年调休表`, [
        errorBox(editor.error),
        editor.loading ? loadingBox() : h('div', [
          !editor.exists ? h('p', { class: 'alert alert-warn' }, `${editor.year} 年还没有调休表：按放假通知添加放假日期和调休上班日后保存。`) : null,
          editor.summary && editor.summary.source === 'file' ? h('p', { class: 'hint' }, '当前为随程序发布的调休表；保存后以管理员录入的为准。') : null,
          h('form', { class: 'row', onSubmit: addDates }, [
            textInput('日期', add, 'from', { type: 'date', required: true }),
            textInput('至（连续多天时填写）', add, 'to', { type: 'date' }),
            selectInput('类型', add, 'kind', [{ value: 'off', label: '放假（含假期中的周末）' },
              { value: 'workday', label: '调休上班（周六或周日）' }]),
            h('div', { class: 'field' }, button('添加', null, { type: 'submit' })),
          ]),
          h('div', { class: 'admin-two' }, [
            h('div', [h('h3', `放假日期（${editor.off.length} 天）`), dateTable(`${editor.year} 年放假日期`, editor.off, '放假日期')]),
            h('div', [h('h3', `调休上班日（${editor.workdays.length} 天）`), dateTable(`${editor.year} 年调休上班日`, editor.workdays, '调休上班日')]),
          ]),
          editor.saveError ? h('div', { class: 'alert alert-error', role: 'alert' }, [problemText(editor.saveError),
            editor.saveError.problem && editor.saveError.problem.dates ? `（有问题的日期：${editor.saveError.problem.dates.join('、')}）` : '']) : null,
          h('div', { class: 'toolbar' }, [
            button(editor.busy ? '正在保存…' : `保存 ${editor.year} 年调休表`, save, { kind: 'primary', disabled: editor.busy || editor.off.length === 0 }),
            editor.dirty ? h('span', { class: 'muted' }, '有未保存的修改') : null,
          ]),
        ]),
      ]),
      section('工作日推算', [
        h('form', { class: 'row', onSubmit: compute }, [
          textInput('起算日期', calc, 'from', { type: 'date', required: true }),
          textInput('工作日数', calc, 'days', { type: 'number', required: true, hint: '从起算日的次日起数' }),
          h('div', { class: 'field' }, button('推算', null, { type: 'submit' })),
        ]),
        errorBox(calc.error),
        calc.answer ? h('p', { class: calc.answer.provisional ? 'alert alert-warn' : 'alert alert-ok', role: 'status' },
          `第 ${calc.days} 个工作日为 ${calc.answer.date}（${weekday(calc.answer.date)}）`
          + (calc.answer.provisional ? '：涉及没有调休表的年份，为按周一至周五的临时结果' : '')) : null,
      ]),
    ]);
  },
});
