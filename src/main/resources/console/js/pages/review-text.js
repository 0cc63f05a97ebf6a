// Text helpers for the review pages, written by hand: the reader's text of an HTML body, a word-level diff (each
// Chinese character is a word, as Chinese has no spaces; Latin words and numbers stay whole), and a body made safe
// to show with innerHTML (the page's CSP refuses inline styles, and a body must never run anything).

const BLOCKS = new Set(['P', 'DIV', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'TR', 'BR', 'SECTION', 'ARTICLE',
  'BLOCKQUOTE', 'TABLE', 'UL', 'OL', 'PRE', 'FIGURE', 'FIGCAPTION', 'HR', 'HEADER', 'FOOTER']);

/** Parsed in an inert document: nothing in it loads or runs. */
function parse(html) {
  return new DOMParser().parseFromString(html || '', 'text/html');
}

/** The text a reader sees, one line per block; images as [图片]. */
export function htmlToText(html) {
  const doc = parse(html);
  doc.querySelectorAll('script, style, noscript, template').forEach((node) => node.remove());
  const out = [];
  const walk = (node) => {
    node.childNodes.forEach((child) => {
      if (child.nodeType === Node.TEXT_NODE) {
        out.push(child.nodeValue.replace(/\s+/g, ' '));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const block = BLOCKS.has(child.tagName);
        if (block) out.push('\n');
        if (child.tagName === 'IMG') out.push(`[图片${child.getAttribute('alt') ? `：${child.getAttribute('alt')}` : ''}]`);
        walk(child);
        if (block) out.push('\n');
      }
    });
  };
  walk(doc.body);
  return out.join('').split('\n').map((line) => line.trim()).filter(Boolean).join('\n');
}

/** Words: runs of Latin letters and digits, runs of spaces, and every other character alone (CJK, punctuation). */
export function words(text) {
  return (text || '').match(/[A-Za-z0-9_]+|[ \t]+|\n|[\s\S]/gu) || [];
}

/** Longest common subsequence table cells above which the diff falls back to whole lines. */
const MOST_CELLS = 4000000;

/**
 * The changes from {@code before} to {@code after}: [{op: 'same'|'ins'|'del', text}], neighbours of one kind joined.
 * The common start and end are set aside first (most edits touch a few places), then the middle is compared word by
 * word, or line by line when it is too long for that.
 */
export function diff(before, after) {
  let a = words(before);
  let b = words(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  const head = a.slice(0, start).join('');
  const tail = a.slice(a.length - end).join('');
  a = a.slice(start, a.length - end);
  b = b.slice(start, b.length - end);
  if (a.length * b.length > MOST_CELLS) {
    a = a.join('').split(/(?<=\n)/);
    b = b.join('').split(/(?<=\n)/);
  }
  const parts = [];
  const push = (op, text) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  push('same', head);
  lcs(a, b).forEach(([op, text]) => push(op, text));
  push('same', tail);
  return parts;
}

/** The classic dynamic programme: lengths of common subsequences of the suffixes, then one walk from the start. */
function lcs(a, b) {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1] + 1
        : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const steps = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      steps.push(['same', a[i]]);
      i += 1;
      j += 1;
    } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) {
      steps.push(['del', a[i]]);
      i += 1;
    } else {
      steps.push(['ins', b[j]]);
      j += 1;
    }
  }
  for (; i < n; i += 1) steps.push(['del', a[i]]);
  for (; j < m; j += 1) steps.push(['ins', b[j]]);
  return steps;
}

const DROPPED = 'script, style, iframe, frame, frameset, object, embed, link, meta, base, form, input, button, '
  + 'textarea, select, option, svg, math, noscript, template, applet, portal';
const KEPT = {
  A: ['href', 'title'], IMG: ['src', 'alt', 'title'], TD: ['colspan', 'rowspan'], TH: ['colspan', 'rowspan'],
  OL: ['start'], ABBR: ['title'],
};

/**
 * The body as HTML safe to show: active content removed, every attribute but a few dropped (style, class, on…),
 * links only to http(s) or this site, opening elsewhere. Images of the media library keep their asset id in
 * {@code data-asset} (the page fills in a signed URL: a draft's images need one); other images, video and audio
 * become a short note, since the page loads nothing from elsewhere.
 */
export function safeHtml(html) {
  const doc = parse(html);
  doc.body.querySelectorAll(DROPPED).forEach((node) => node.remove());
  doc.body.querySelectorAll('video, audio').forEach((node) => node.replaceWith(doc.createTextNode(
    node.tagName === 'VIDEO' ? '[视频]' : '[音频]')));
  doc.body.querySelectorAll('*').forEach((element) => {
    const kept = KEPT[element.tagName] || [];
    [...element.attributes].forEach((attribute) => {
      if (!kept.includes(attribute.name.toLowerCase())) element.removeAttribute(attribute.name);
    });
    if (element.tagName === 'A') {
      // Browsers drop tabs and newlines inside a URL and read `\` as `/`: `/\evil.com` or `/<tab>/evil.com` would
      // leave the site. Allowed: http(s) URLs and paths of this site (`/` followed by neither `/` nor `\`).
      const href = (element.getAttribute('href') || '').replace(/[\t\n\r]/g, '');
      if (/^(https?:\/\/|\/(?![\/\\]))/i.test(href)) element.setAttribute('href', href);
      else element.removeAttribute('href');
      element.setAttribute('rel', 'noopener noreferrer');
      element.setAttribute('target', '_blank');
    }
    if (element.tagName === 'IMG') {
      const asset = assetOf(element.getAttribute('src'));
      element.removeAttribute('src');
      if (asset) {
        element.setAttribute('data-asset', asset);
        if (!element.hasAttribute('alt')) element.setAttribute('alt', '正文图片');
      } else {
        element.replaceWith(doc.createTextNode('[外部图片]'));
      }
    }
  });
  return doc.body.innerHTML;
}

/** The library asset an image shows (/media/{id}, on this site), or null. */
function assetOf(src) {
  if (!src) return null;
  try {
    const url = new URL(src, window.location.origin);
    const found = url.origin === window.location.origin && /^\/media\/([A-Za-z0-9_-]+)/.exec(url.pathname);
    return found ? found[1] : null;
  } catch (e) {
    return null;
  }
}
