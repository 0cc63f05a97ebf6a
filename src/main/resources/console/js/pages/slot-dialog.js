// One slot's details and what the API lets an editor do with it in its status: reschedule (the keyboard's way to
// move it; sent with the version shown), retry, mark published, withdraw, cancel.
import {
  h, ref, reactive, watch, defineComponent, Modal, button, badge, field, textInput, checkbox, errorBox, formatTime,
  toast, problemText,
} from '../ui.js';
import * as api from '../api.js';
import { STATUS, CHANNEL, MODE, MOVABLE, beijing, instantOfInputs } from './calendar-views.js';

const pad = (n) => String(n).padStart(2, '0');

function slotPath(slot, action = '') {
  return `/api/v1/posts/${encodeURIComponent(slot.postId)}/slots/${encodeURIComponent(slot.id)}${action}`;
}

/** Whether a failed write means the slot changed under the person: then it is read again. */
export function changedMeanwhile(error) {
  return error && (error.status === 409 || error.status === 412)
    && ['edit-conflict', 'slot-changed', 'slot-started', 'slot-cancelled', 'not-retryable', 'not-markable',
      'not-published'].includes(error.code);
}

/** Reschedules a slot to {@code at}, sending the version shown. Resolves with the slot as the server has it. */
export function reschedule(slot, at) {
  return api.patch(slotPath(slot), { at }, { ifMatch: slot.version });
}

/** The slot as the server has it now (from its post's slots). */
export async function reread(slot) {
  const list = await api.get(`/api/v1/posts/${encodeURIComponent(slot.postId)}/slots`);
  return (list.items || []).find((item) => item.id === slot.id) || null;
}

export const SlotDialog = defineComponent({
  name: 'SlotDialog',
  props: { slot: Object, open: Boolean, canEdit: Boolean, accountName: Function },
  emits: ['close', 'changed'],
  setup(props, { emit }) {
    const form = reactive({ date: '', time: '', confirmed: false, url: '', note: '', reason: '' });
    const busy = ref('');
    const error = ref(null);
    const confirmCancel = ref(false);
    watch(() => [props.open, props.slot && props.slot.id], () => {
      if (props.open && props.slot) {
        const t = beijing(props.slot.at);
        Object.assign(form, { date: t.date, time: `${pad(t.hour)}:${pad(t.minute)}`, confirmed: false, url: '', note: '',
          reason: '' });
        error.value = null;
        confirmCancel.value = false;
      }
    }, { immediate: true });

    const act = async (name, run, done) => {
      busy.value = name;
      error.value = null;
      try {
        const slot = await run();
        emit('changed', slot);
        toast(done, 'ok');
        confirmCancel.value = false;
      } catch (e) {
        error.value = e;
        if (changedMeanwhile(e)) {
          toast(`${e.title}：排期已变动，已显示最新的时间和状态`, 'error');
          const fresh = await reread(props.slot).catch(() => null);
          if (fresh) emit('changed', fresh);
        }
      } finally {
        busy.value = '';
      }
    };

    const actions = (slot) => {
      if (!props.canEdit) return [];
      const parts = [];
      const status = slot.status;
      if (MOVABLE.has(status)) {
        parts.push(h('fieldset', { class: 'slot-action' }, [
          h('legend', '改期'),
          h('div', { class: 'row' }, [
            field('新日期', (id) => h('input', { id, type: 'date', value: form.date,
              onInput: (e) => { form.date = e.target.value; } })),
            field('新时间（北京时间）', (id) => h('input', { id, type: 'time', value: form.time,
              onInput: (e) => { form.time = e.target.value; } })),
          ]),
          button(busy.value === 'move' ? '正在改期…' : '改期', () => act('move',
            () => reschedule(slot, instantOfInputs(form.date, form.time)), '已改期'),
          { kind: 'primary', disabled: !!busy.value || !form.date || !form.time }),
        ]));
      }
      if (['failed', 'missed', 'needs_check'].includes(status)) {
        parts.push(h('fieldset', { class: 'slot-action' }, [
          h('legend', '重试'),
          status === 'needs_check'
            ? checkbox('我已到平台核实，这条内容没有发出', form, 'confirmed') : null,
          button(busy.value === 'retry' ? '正在重试…' : '重试', () => act('retry',
            () => api.postJson(slotPath(slot, '/retry'), status === 'needs_check' ? { confirmed: true } : {}), '已重新排入发送'),
          { disabled: !!busy.value || (status === 'needs_check' && !form.confirmed) }),
        ]));
      }
      if (['failed', 'needs_check'].includes(status)) {
        parts.push(h('fieldset', { class: 'slot-action' }, [
          h('legend', '标记已发布'),
          h('p', { class: 'hint' }, '在平台上看到这条内容已经发出时使用。'),
          textInput('发布链接（可不填）', form, 'url', { type: 'url', placeholder: 'https://' }),
          textInput('说明（可不填）', form, 'note', { maxlength: 500 }),
          button(busy.value === 'mark' ? '正在标记…' : '标记已发布', () => act('mark',
            () => api.postJson(slotPath(slot, '/mark-published'), { url: form.url || undefined, note: form.note || undefined }),
            '已标记为已发布'), { disabled: !!busy.value }),
        ]));
      }
      if (status === 'published') {
        parts.push(h('fieldset', { class: 'slot-action' }, [
          h('legend', '撤回'),
          textInput('撤回原因', form, 'reason', { multiline: true, rows: 2, maxlength: 500, required: true }),
          button(busy.value === 'withdraw' ? '正在撤回…' : '撤回', () => act('withdraw',
            () => api.postJson(slotPath(slot, '/withdraw'), { reason: form.reason.trim() }), '已从平台撤回'),
          { kind: 'danger', disabled: !!busy.value || !form.reason.trim() }),
        ]));
      }
      if (MOVABLE.has(status)) {
        parts.push(h('fieldset', { class: 'slot-action' }, [
          h('legend', '取消'),
          confirmCancel.value
            ? h('div', { class: 'toolbar' }, [
              h('span', '确定取消这次排期吗？'),
              button(busy.value === 'cancel' ? '正在取消…' : '确认取消排期', () => act('cancel',
                () => api.del(slotPath(slot)), '已取消排期'), { kind: 'danger', disabled: !!busy.value }),
              button('不取消', () => { confirmCancel.value = false; }),
            ])
            : button('取消排期', () => { confirmCancel.value = true; }, { disabled: !!busy.value }),
        ]));
      }
      return parts;
    };

    return () => {
      const slot = props.slot;
      if (!slot) return h(Modal, { open: false, title: '排期详情', onClose: () => emit('close') });
      const status = STATUS[slot.status] || { label: slot.status, tone: 'muted' };
      const url = slot.result && slot.result.url;
      return h(Modal, { open: props.open, title: '排期详情', wide: true, onClose: () => emit('close') }, () => [
        h('dl', { class: 'facts slot-facts' }, [
          h('dt', '稿件'), h('dd', slot.postTitle),
          h('dt', '账号'), h('dd', props.accountName(slot.accountId)),
          h('dt', '渠道'), h('dd', `${CHANNEL[slot.channel] || slot.channel}${slot.mode ? `（${MODE[slot.mode]}）` : ''}`),
          h('dt', '发布时间'), h('dd', formatTime(slot.at)),
          h('dt', '状态'), h('dd', [badge(status.label, status.tone),
            slot.held && slot.status === 'scheduled' ? [' ', badge('紧急暂停中，不会发送', 'warn')] : null]),
          url ? [h('dt', '发布链接'), h('dd', h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url))] : null,
          slot.error ? [h('dt', '错误'), h('dd', slot.error.message || slot.error.code)] : null,
          slot.attempt ? [h('dt', '发送次数'), h('dd', String(slot.attempt))] : null,
        ]),
        errorBox(error.value),
        ...actions(slot),
        h('h3', '记录'),
        h('ol', { class: 'slot-history' }, (slot.history || []).map((move) => h('li', [
          `${formatTime(move.at)} ${move.actor === 'system' ? '系统' : move.actor}：`,
          move.from ? `${(STATUS[move.from] || {}).label || move.from} → ` : '',
          (STATUS[move.to] || {}).label || move.to,
          move.note ? `（${move.note}）` : '',
        ]))),
      ]);
    };
  },
});
