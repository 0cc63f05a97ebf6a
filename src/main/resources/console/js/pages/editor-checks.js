// The checks' findings as the editor types: listed with their severity, and marked in a read-only mirror of the
// title and the body's reader text (the offsets the API gives refer to those texts).
import { h, defineComponent, section, badge, errorBox } from '../ui.js';

export const CHECK_DELAY = 800;

export const RULES = {
  'sensitive-word': '敏感词', wording: '表述规范', 'id-number': '身份证号', mobile: '手机号码', 'external-link': '外部链接',
};

function describe(finding) {
  const rule = RULES[finding.rule] || finding.rule;
  return `${finding.level === 'block' ? '阻断' : '提示'}·${rule}${finding.hint ? `；建议：${finding.hint}` : ''}`;
}

/** The text with a <mark> around each finding's span (overlaps folded into the first). */
function marked(text, findings) {
  const spans = findings.filter((f) => f.start >= 0 && f.end > f.start && f.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  spans.forEach((finding) => {
    if (finding.start < at) return;
    if (finding.start > at) parts.push(text.slice(at, finding.start));
    parts.push(h('mark', { class: ['finding', `finding-${finding.level}`], title: describe(finding) },
      text.slice(finding.start, finding.end)));
    at = finding.end;
  });
  parts.push(text.slice(at));
  return parts;
}

export const Checks = defineComponent({
  name: 'Checks',
  props: { checks: Object },
  setup(props) {
    return () => {
      const c = props.checks;
      const titleFindings = c.findings.filter((f) => f.field === 'title');
      const bodyFindings = c.findings.filter((f) => f.field === 'body');
      return section('内容检查', [
        h('p', { class: 'hint', role: 'status' }, c.running ? '正在检查…'
          : c.findings.length === 0 ? '未发现问题' : `发现 ${c.findings.length} 处问题${c.blocked ? '，其中有阻断性问题' : ''}`),
        errorBox(c.error),
        c.findings.length > 0 ? h('ul', { class: 'findings' }, c.findings.map((f) => h('li', [
          badge(f.level === 'block' ? '阻断' : '提示', f.level === 'block' ? 'danger' : 'warn'), ' ',
          h('strong', RULES[f.rule] || f.rule), `（${f.field === 'title' ? '标题' : '正文'}）：`, f.text,
          f.hint ? h('span', { class: 'muted' }, ` 建议：${f.hint}`) : null,
        ]))) : null,
        h('h3', '标记'),
        h('div', { class: 'check-mirror', role: 'region', 'aria-label': '检查标记（只读）' }, [
          c.title ? h('p', { class: 'mirror-title' }, marked(c.title, titleFindings)) : null,
          h('div', { class: 'mirror-body' }, marked(c.bodyText || '', bodyFindings)),
        ]),
      ]);
    };
  },
});
