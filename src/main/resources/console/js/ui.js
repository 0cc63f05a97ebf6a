// Small building blocks for the pages: Vue's render-function API (no template compiler: the page's CSP forbids
// eval) and the console's shared widgets. Every control has a label; dialogs are native <dialog> elements, which
// keep focus inside and close on Esc.
export const {
  h, ref, reactive, computed, watch, onMounted, onUnmounted, onBeforeUnmount, defineComponent, nextTick, shallowRef,
  Fragment, toRaw,
} = window.Vue;

let nextId = 0;
/** A unique element id for label/control pairs. */
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

const SHANGHAI = 'Asia/Shanghai';
const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  hour12: false,
});
const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit',
  day: '2-digit' });

/** 2026-12-02 09:30 style, in Beijing time whatever the browser's zone. */
export function formatTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)).replace(/\//g, '-') : '';
}

export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)).replace(/\//g, '-') : '';
}

/** The calendar date (YYYY-MM-DD) of an instant in Beijing. */
export function shanghaiDate(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit',
    day: '2-digit' }).format(instant instanceof Date ? instant : new Date(instant));
  return parts;
}

/** The ISO instant of a Beijing local date and time (YYYY-MM-DD, HH:mm). */
export function shanghaiInstant(date, time = '00:00') {
  return new Date(`${date}T${time}:00+08:00`).toISOString();
}

/** The text to show for a failed call. */
export function problemText(error) {
  if (!error) {
    return '';
  }
  const fields = (error.errors || []).map((e) => e.message || e.field).filter(Boolean);
  return [error.title || error.message || '操作失败', error.detail, fields.join('；')].filter(Boolean).join('：');
}

const fieldIds = new Map();
/**
 * The id of a labelled control: the same at every render (a new id per render would detach the label from its
 * control while someone is using it). Controls repeated on one page (one per row) pass their own {@code id}.
 */
function fieldId(label, key) {
  const name = `${label}|${key || ''}`;
  if (!fieldIds.has(name)) {
    fieldIds.set(name, uid());
  }
  return fieldIds.get(name);
}

/** A label and its control; {@code control(id)} builds the control with that id. */
export function field(label, control, options = {}) {
  const id = options.id || fieldId(label, options.name);
  const hintId = options.hint ? `${id}-hint` : undefined;
  return h('div', { class: ['field', options.class] }, [
    h('label', { for: id }, label),
    control(id, hintId),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
  ]);
}

/** A labelled text input bound to {@code model[key]}. */
export function textInput(label, model, key, options = {}) {
  return field(label, (id, hintId) => h(options.multiline ? 'textarea' : 'input', {
    id,
    'aria-describedby': hintId,
    type: options.multiline ? undefined : (options.type || 'text'),
    value: model[key] ?? '',
    required: options.required,
    maxlength: options.maxlength,
    rows: options.rows,
    placeholder: options.placeholder,
    autocomplete: options.autocomplete,
    name: options.name || key,
    disabled: options.disabled,
    onInput: (e) => { model[key] = e.target.value; if (options.onInput) options.onInput(e.target.value); },
  }), { name: key, ...options });
}

/** A labelled select bound to {@code model[key]}; {@code choices}: [{value, label}]. */
export function selectInput(label, model, key, choices, options = {}) {
  return field(label, (id, hintId) => h('select', {
    id,
    'aria-describedby': hintId,
    name: options.name || key,
    disabled: options.disabled,
    onChange: (e) => { model[key] = e.target.value; if (options.onChange) options.onChange(e.target.value); },
  }, choices.map((choice) => h('option', { value: choice.value, selected: String(model[key] ?? '') === String(choice.value) },
    choice.label))), { name: key, ...options });
}

/** A labelled checkbox bound to {@code model[key]}. */
export function checkbox(label, model, key, options = {}) {
  const id = options.id || fieldId(label, key);
  return h('div', { class: 'field checkbox' }, [
    h('input', { id, type: 'checkbox', checked: !!model[key], disabled: options.disabled,
      onChange: (e) => { model[key] = e.target.checked; if (options.onChange) options.onChange(e.target.checked); } }),
    h('label', { for: id }, label),
  ]);
}

/** A button; {@code kind}: primary, danger, or plain. */
export function button(text, onClick, options = {}) {
  return h('button', {
    type: options.type || 'button',
    class: ['btn', options.kind ? `btn-${options.kind}` : null, options.class],
    disabled: options.disabled,
    'aria-label': options.ariaLabel,
    title: options.title,
    onClick,
  }, text);
}

/** A status badge; {@code tone}: ok, warn, danger, info, muted. */
export function badge(text, tone = 'info', options = {}) {
  return h('span', { class: ['badge', `badge-${tone}`], title: options.title }, text);
}

/** A table with a caption (read by screen readers), column headers and rows; an empty table says so. */
export function table(caption, columns, rows, options = {}) {
  return h('div', { class: 'table-wrap' }, [h('table', { class: 'data' }, [
    h('caption', { class: options.showCaption ? '' : 'visually-hidden' }, caption),
    h('thead', h('tr', columns.map((column) => h('th', { scope: 'col' }, column.label)))),
    h('tbody', rows.length === 0
      ? [h('tr', h('td', { colspan: columns.length, class: 'empty' }, options.empty || '暂无数据'))]
      : rows.map((row, index) => h('tr', { key: options.key ? options.key(row) : index, class: options.rowClass
        ? options.rowClass(row) : undefined }, columns.map((column) => h('td', { 'data-label': column.label },
        column.render ? column.render(row) : String(row[column.key] ?? '')))))),
  ])]);
}

/** An alert box for a failed load or action. */
export function errorBox(error) {
  return error ? h('div', { class: 'alert alert-error', role: 'alert' }, problemText(error)) : null;
}

export function loadingBox(text = '正在加载…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** A link inside the console (hash routes). */
export function link(text, path, options = {}) {
  return h('a', { href: `#${path}`, class: options.class, 'aria-current': options.current ? 'page' : undefined }, text);
}

/**
 * Loads something and keeps it reactive: {data, error, loading, reload()}. {@code loader} returns a promise.
 */
export function useLoad(loader, options = {}) {
  const state = reactive({ data: options.initial ?? null, error: null, loading: true });
  let generation = 0;
  state.reload = async () => {
    generation += 1;
    const mine = generation;
    state.loading = true;
    try {
      const data = await loader();
      if (mine === generation) {
        state.data = data;
        state.error = null;
      }
    } catch (e) {
      if (mine === generation) {
        state.error = e;
      }
    } finally {
      if (mine === generation) {
        state.loading = false;
      }
    }
  };
  if (options.immediate !== false) {
    state.reload();
  }
  return state;
}

const toasts = reactive([]);

/** A short message in the page's live region (read by screen readers); {@code tone}: ok or error. */
export function toast(text, tone = 'ok') {
  const item = { id: uid('t'), text, tone };
  toasts.push(item);
  setTimeout(() => {
    const at = toasts.indexOf(item);
    if (at >= 0) toasts.splice(at, 1);
  }, tone === 'error' ? 8000 : 4000);
}

export const Toasts = defineComponent({
  name: 'Toasts',
  setup() {
    return () => h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' },
      toasts.map((item) => h('div', { key: item.id, class: ['toast', `toast-${item.tone}`] }, item.text)));
  },
});

/**
 * A modal dialog (native <dialog>: focus stays inside, Esc closes). Props: open, title, onClose. The default slot
 * is the body.
 */
export const Modal = defineComponent({
  name: 'Modal',
  props: { open: Boolean, title: String, wide: Boolean },
  emits: ['close'],
  setup(props, { slots, emit }) {
    const element = ref(null);
    const titleId = uid('dlg');
    const sync = () => {
      const dialog = element.value;
      if (!dialog) return;
      if (props.open && !dialog.open) dialog.showModal();
      if (!props.open && dialog.open) dialog.close();
    };
    onMounted(sync);
    watch(() => props.open, () => nextTick(sync));
    return () => h('dialog', { ref: element, class: ['modal', props.wide ? 'modal-wide' : null],
      'aria-labelledby': titleId, onClose: () => emit('close'), onCancel: () => emit('close') }, props.open ? [
      h('div', { class: 'modal-head' }, [
        h('h2', { id: titleId }, props.title),
        button('×', () => emit('close'), { ariaLabel: '关闭', class: 'btn-close' }),
      ]),
      h('div', { class: 'modal-body' }, slots.default ? slots.default() : []),
    ] : []);
  },
});

/** Downloads rows as a CSV file (UTF-8 with BOM, so Excel opens Chinese text correctly). */
export function downloadCsv(filename, header, rows) {
  const escape = (value) => {
    const text = value === null || value === undefined ? '' : String(value);
    // A leading = + - @ (or a tab or CR before one) would be taken as a formula by spreadsheet programs.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const text = [header, ...rows].map((row) => row.map(escape).join(',')).join('\r\n');
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Calls {@code fn} after {@code ms} of quiet (for checks while typing). */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** A page section with a heading. */
export function section(title, children, options = {}) {
  return h('section', { class: ['panel', options.class], 'aria-label': options.ariaLabel }, [
    title ? h(options.level || 'h2', title) : null,
    ...(Array.isArray(children) ? children : [children]),
  ]);
}
