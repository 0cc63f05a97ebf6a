// What the content pages share: the kinds, their Chinese status and stage, and HTML made safe for previews.
import { badge } from '../ui.js';

export const KINDS = {
  document: { label: '政策文件', plural: '政策文件', api: '/api/v1/documents', path: '/documents' },
  interpretation: { label: '政策解读', plural: '政策解读', api: '/api/v1/interpretations', path: '/interpretations' },
  post: { label: '推文', plural: '推文', api: '/api/v1/posts', path: '/posts' },
};

const ORDINALS = ['一', '二', '三', '四', '五'];

/** 草稿, 一审中 (with the configured stage name), 已通过, 已退回, 已发布. */
export function statusText(item) {
  switch (item.status) {
    case 'draft': return '草稿';
    case 'in_review': {
      const stage = item.review ? item.review.stage || 0 : 0;
      return `${ORDINALS[stage] || stage + 1}审中`;
    }
    case 'approved': return '已通过';
    case 'rejected': return '已退回';
    case 'published': return '已发布';
    default: return item.status || '';
  }
}

const TONES = { draft: 'muted', in_review: 'info', approved: 'ok', rejected: 'danger', published: 'ok' };

export function statusBadge(item) {
  const stageName = item.review && item.review.stageName;
  return badge(statusText(item), TONES[item.status] || 'info', { title: stageName ? `当前阶段：${stageName}` : undefined });
}

/** Weibo's count of a status once the publisher appends a space and the t.cn link (content/WeiboLength). */
export const WEIBO_LIMIT = 140;
export function weiboCount(text) {
  let halves = 0;
  for (const ch of text || '') {
    halves += ch.codePointAt(0) < 0x80 ? 1 : 2;
  }
  return Math.floor((halves + 22) / 2);
}

const ALLOWED = new Set(['P', 'BR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'STRONG', 'EM', 'B', 'I', 'U', 'S', 'SUB',
  'SUP', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'CAPTION', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'TH', 'TD', 'A', 'IMG',
  'FIGURE', 'FIGCAPTION', 'SPAN', 'DIV', 'PRE', 'CODE', 'VIDEO', 'AUDIO']);
const KEPT = { A: ['href', 'title'], IMG: ['src', 'alt', 'width', 'height'], VIDEO: ['src', 'controls', 'poster'],
  AUDIO: ['src', 'controls'], TD: ['colspan', 'rowspan'], TH: ['colspan', 'rowspan'] };
const SAFE_URL = /^(https?:\/\/|\/media\/|mailto:|blob:)/i;

/**
 * HTML to put into a preview's innerHTML: only the body's allowed tags, no style, class or event attribute, no
 * script; URLs only http(s), mailto and our own media. The page's CSP would refuse anything inline anyway, and log it.
 */
export function safeHtml(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  const clean = (node) => {
    [...node.childNodes].forEach((child) => {
      if (child.nodeType === Node.TEXT_NODE) return;
      if (child.nodeType !== Node.ELEMENT_NODE || ['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE', 'SVG',
        'MATH', 'NOSCRIPT'].includes(child.tagName.toUpperCase())) {
        child.remove();
        return;
      }
      clean(child);
      if (!ALLOWED.has(child.tagName)) {
        child.replaceWith(...child.childNodes);
        return;
      }
      const kept = KEPT[child.tagName] || [];
      [...child.attributes].forEach((attribute) => {
        const name = attribute.name.toLowerCase();
        if (!kept.includes(name) || (['href', 'src', 'poster'].includes(name) && !SAFE_URL.test(attribute.value.trim()))) {
          child.removeAttribute(attribute.name);
        }
      });
      if (child.tagName === 'A') {
        child.setAttribute('rel', 'noopener noreferrer');
        child.setAttribute('target', '_blank');
      }
    });
  };
  clean(doc.body);
  return doc.body.innerHTML;
}

/** The asset id of one of our /media URLs (signed or not), else null. */
export function mediaId(url) {
  const found = /^\/media\/([A-Za-z0-9_-]{16,64})(?:[/?].*)?$/.exec(url || '');
  return found ? found[1] : null;
}

/** Our media URLs back to their stable form (/media/{id}): a signed URL expires, the stored body must not. */
export function stableMedia(html) {
  return (html || '').replace(/(src|poster)="\/media\/([A-Za-z0-9_-]{16,64})(?:\?[^"]*)?"/g, '$1="/media/$2"');
}
