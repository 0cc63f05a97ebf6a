// What the administration pages share: paged lists with "加载更多", the department and account choices, checkbox
// groups, the handling of guarded writes that met a newer version, and a two-step delete.
import { h, reactive, button, errorBox, loadingBox, toast, problemText, uid } from '../ui.js';
import { get, query } from '../api.js';

/**
 * A paged list: {items, next, loading, error, loaded, reload(), more()}. {@code path} and {@code params} may be
 * functions (read at each load).
 */
export function usePaged(path, params = () => ({}), limit = 50) {
  const state = reactive({ items: [], next: null, loading: false, error: null, loaded: false });
  const load = async (fresh) => {
    state.loading = true;
    try {
      const target = typeof path === 'function' ? path() : path;
      const page = await get(target + query({ ...params(), limit, cursor: fresh ? undefined : state.next }));
      state.items = fresh ? page.items : state.items.concat(page.items);
      state.next = page.next;
      state.error = null;
    } catch (e) {
      state.error = e;
    } finally {
      state.loading = false;
      state.loaded = true;
    }
  };
  state.reload = () => load(true);
  state.more = () => load(false);
  return state;
}

/** The list's error, its first loading, and its "加载更多" button. */
export function pagedStatus(state) {
  return [errorBox(state.error), !state.loaded ? loadingBox() : null];
}

export function moreButton(state) {
  return state.next ? h('div', { class: 'admin-more' }, button(state.loading ? '正在加载…' : '加载更多',
    () => state.more(), { disabled: state.loading })) : null;
}

/**
 * Every item of a small list used for choices (departments, accounts): a few pages of 200 at most, enough for an
 * office; the caller shows "more" when {@code truncated}.
 */
export async function loadChoices(path, pages = 5) {
  let items = [];
  let cursor;
  for (let i = 0; i < pages; i++) {
    const page = await get(path + (path.includes('?') ? '&' : '?') + query({ limit: 200, cursor }).slice(1));
    items = items.concat(page.items);
    cursor = page.next;
    if (!cursor) return { items, truncated: false };
  }
  return { items, truncated: true };
}

/** Department id → "上级 / 下级" path names. */
export function departmentPaths(departments) {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const path = (d, seen = new Set()) => {
    if (!d.parentId || !byId.has(d.parentId) || seen.has(d.id)) return d.name;
    seen.add(d.id);
    return `${path(byId.get(d.parentId), seen)} / ${d.name}`;
  };
  return new Map(departments.map((d) => [d.id, path(d)]));
}

export const ACCOUNT_TYPES = { wechat_mp: '微信公众号', wechat_miniapp: '微信小程序', weibo: '微博' };

/**
 * A group of checkboxes in a fieldset: {@code choices} [{value, label}], {@code selected} an array changed in place.
 */
export function checkGroup(legend, choices, selected, options = {}) {
  return h('fieldset', { class: ['admin-checks', options.class] }, [
    h('legend', legend),
    choices.length === 0 ? h('p', { class: 'muted' }, options.empty || '暂无可选项') : null,
    ...choices.map((choice) => {
      const id = uid('chk');
      return h('div', { class: 'field checkbox' }, [
        h('input', { id, type: 'checkbox', checked: selected.includes(choice.value), disabled: options.disabled,
          onChange: (e) => {
            const at = selected.indexOf(choice.value);
            if (e.target.checked && at < 0) selected.push(choice.value);
            if (!e.target.checked && at >= 0) selected.splice(at, 1);
            if (options.onChange) options.onChange();
          } }),
        h('label', { for: id }, choice.label),
      ]);
    }),
  ]);
}

/** Whether a failed write met a newer version of the record (409 edit-conflict or 412). */
export function isConflict(error) {
  return error && (error.status === 412 || (error.status === 409 && /conflict|version/.test(error.code || '')));
}

/**
 * Reports a failed write: a conflict says the record changed and reloads it, anything else shows the problem's
 * Chinese title.
 */
export function reportFailure(error, reload) {
  if (isConflict(error)) {
    toast('该记录已被他人修改，已重新加载，请核对后再改', 'error');
    if (reload) reload();
  } else {
    toast(problemText(error), 'error');
  }
}

/** A two-step delete: "删除", then "确认删除" / "取消" in place. {@code state.confirming} holds the id asked about. */
export function deleteButtons(state, id, onDelete, label = '删除') {
  if (state.confirming !== id) {
    return button(label, () => { state.confirming = id; }, { class: 'btn-small' });
  }
  return h('span', { class: 'admin-confirm' }, [
    button(state.busy ? '正在删除…' : `确认${label}`, async () => {
      state.busy = true;
      try {
        await onDelete();
      } finally {
        state.busy = false;
        state.confirming = null;
      }
    }, { kind: 'danger', class: 'btn-small', disabled: state.busy }),
    button('取消', () => { state.confirming = null; }, { class: 'btn-small' }),
  ]);
}

/** UTF-8 bytes of a text, as WeChat counts menu names. */
export function utf8Bytes(text) {
  return new TextEncoder().encode(text || '').length;
}
