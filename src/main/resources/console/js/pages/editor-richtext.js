// The body editor: a contenteditable region with a small hand-built toolbar (标题, 加粗, 列表, 链接) whose buttons
// keep the caret where it was, and insert(html) for uploaded media. It emits the region's HTML on every change.
import { h, ref, reactive, defineComponent, onMounted, onUnmounted, button, field, uid } from '../ui.js';

export default defineComponent({
  name: 'RichText',
  props: { label: String, initialHtml: String, disabled: Boolean },
  emits: ['change'],
  setup(props, { emit, expose, slots }) {
    const region = ref(null);
    const labelId = uid('rt');
    const link = reactive({ open: false, url: 'https://' });
    let saved = null;

    const remember = () => {
      const selection = document.getSelection();
      if (selection && selection.rangeCount > 0 && region.value && region.value.contains(selection.anchorNode)) {
        saved = selection.getRangeAt(0).cloneRange();
      }
    };
    const restore = () => {
      region.value.focus();
      const selection = document.getSelection();
      selection.removeAllRanges();
      if (saved) {
        selection.addRange(saved);
      } else {
        const end = document.createRange();
        end.selectNodeContents(region.value);
        end.collapse(false);
        selection.addRange(end);
      }
    };
    const changed = () => emit('change', region.value.innerHTML);
    const command = (name, value) => {
      restore();
      document.execCommand(name, false, value);
      remember();
      changed();
    };
    const heading = () => {
      restore();
      const block = document.queryCommandValue('formatBlock');
      document.execCommand('formatBlock', false, /^h2$/i.test(block) ? 'p' : 'h2');
      remember();
      changed();
    };
    const insertLink = () => {
      const url = link.url.trim();
      if (!/^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(url)) return;
      restore();
      const selection = document.getSelection();
      if (selection.isCollapsed) {
        const a = document.createElement('a');
        a.href = url;
        a.textContent = url;
        document.execCommand('insertHTML', false, a.outerHTML);
      } else {
        document.execCommand('createLink', false, url);
      }
      link.open = false;
      remember();
      changed();
    };

    /** Inserts HTML at the caret (or at the end when the caret was never in the body). */
    expose({
      insert(html) {
        restore();
        document.execCommand('insertHTML', false, html);
        remember();
        changed();
      },
    });

    onMounted(() => {
      region.value.innerHTML = props.initialHtml || '<p><br></p>';
      document.addEventListener('selectionchange', remember);
    });
    onUnmounted(() => document.removeEventListener('selectionchange', remember));

    // mousedown would move the focus (and the selection) out of the body before the click acts
    const keep = { onMousedown: (e) => e.preventDefault() };
    const tool = (text, action, ariaLabel) => h('button', { type: 'button', class: 'btn btn-small', ...keep,
      disabled: props.disabled, 'aria-label': ariaLabel, onClick: action }, text);

    return () => h('div', { class: 'richtext' }, [
      h('span', { id: labelId, class: 'richtext-label' }, props.label),
      h('div', { class: 'richtext-toolbar', role: 'toolbar', 'aria-label': `${props.label}格式` }, [
        tool('标题', heading, '设为小标题'),
        tool('加粗', () => command('bold'), '加粗'),
        tool('列表', () => command('insertUnorderedList'), '项目符号列表'),
        tool('链接', () => { remember(); link.open = !link.open; }, '插入链接'),
        slots.tools ? slots.tools() : null,
      ]),
      link.open ? h('div', { class: 'richtext-link row' }, [
        field('链接地址', (id) => h('input', { id, type: 'url', value: link.url,
          onInput: (e) => { link.url = e.target.value; },
          onKeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); insertLink(); } } })),
        button('插入链接', insertLink, { kind: 'primary' }),
        button('取消', () => { link.open = false; }),
      ]) : null,
      h('div', { ref: region, class: 'richtext-body', contenteditable: props.disabled ? 'false' : 'true',
        role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId, tabindex: '0',
        onInput: changed, onBlur: changed }),
    ]);
  },
});
