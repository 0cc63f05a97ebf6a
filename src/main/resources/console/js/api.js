// The staff API as the console calls it. The access token lives only in this module's memory; the refresh token
// only in an HttpOnly cookie the page cannot read (POST /api/v1/auth/console/refresh). Every call carries the bearer
// header: the server never takes the cookie alone as leave to change anything.

let accessToken = null;
let refreshing = null;
let refreshTimer = null;
const signedOutListeners = [];

/** A failed call: the problem+json answer's fields (Chinese title, stable code) or a network failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || '请求失败');
    this.status = status;
    this.code = problem.code || 'error';
    this.title = problem.title || '请求失败';
    this.detail = problem.detail || '';
    this.errors = problem.errors || [];
    this.problem = problem;
  }
}

/** Called when the session is gone for good (revoked, expired, signed out in another tab). */
export function onSignedOut(listener) {
  signedOutListeners.push(listener);
}

function signedOut() {
  accessToken = null;
  clearTimeout(refreshTimer);
  signedOutListeners.forEach((listener) => listener());
}

function keep(tokens) {
  accessToken = tokens.accessToken;
  clearTimeout(refreshTimer);
  // Refresh quietly a minute before the token expires (or at half its life when that is shorter).
  const inSeconds = Math.max(10, Math.min(tokens.expiresIn - 60, tokens.expiresIn / 2));
  refreshTimer = setTimeout(() => refresh().catch(() => {}), inSeconds * 1000);
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}),
  });
  const json = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, json || {});
  }
  return json;
}

/** Signs in with username and password; the server sets the refresh cookie. */
export async function signIn(username, password) {
  keep(await post('/api/v1/auth/console/login', { username, password }));
}

/**
 * Spends the refresh cookie for a new access token. Tabs take turns (Web Locks), so two tabs never present the same
 * refresh token (which the server treats as theft and answers by ending the session).
 */
export function refresh() {
  if (!refreshing) {
    const run = () => post('/api/v1/auth/console/refresh').then(keep);
    const locked = navigator.locks ? navigator.locks.request('govmedia-console-refresh', run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Tries to resume the session from the cookie at page load; false when there is none. */
export async function resume() {
  try {
    await refresh();
    return true;
  } catch (e) {
    return false;
  }
}

/** Ends the session on the server (bearer header; the server clears the cookie). Throws when that failed. */
export async function signOut() {
  await call('POST', '/api/v1/auth/console/logout');
  accessToken = null;
  clearTimeout(refreshTimer);
}

export function signedIn() {
  return accessToken !== null;
}

async function readJson(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204 || !type.includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/**
 * One API call. {@code options}: ifMatch (a version, for guarded writes), idempotencyKey, headers, raw (return the
 * Response), signal. A 401 refreshes the token once and tries again.
 */
export async function call(method, path, body, options = {}) {
  for (let attempt = 0; ; attempt++) {
    if (!accessToken) {
      throw new ApiError(401, { code: 'unauthorized', title: '未登录或登录已失效' });
    }
    const headers = { Authorization: `Bearer ${accessToken}`, ...(options.headers || {}) };
    if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.ifMatch !== undefined && options.ifMatch !== null) {
      headers['If-Match'] = String(options.ifMatch);
    }
    if (options.idempotencyKey) {
      headers['Idempotency-Key'] = options.idempotencyKey;
    }
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        signal: options.signal,
        body: body === undefined ? undefined
          : (body instanceof FormData || body instanceof Blob) ? body : JSON.stringify(body),
      });
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      throw new ApiError(0, { code: 'network', title: '网络连接失败，请检查网络后重试' });
    }
    if (response.status === 401 && attempt === 0) {
      try {
        await refresh();
        continue;
      } catch (e) {
        signedOut();
        throw new ApiError(401, { code: 'unauthorized', title: '登录已失效，请重新登录' });
      }
    }
    if (options.raw && response.ok) {
      return response;
    }
    const json = await readJson(response);
    if (!response.ok) {
      throw new ApiError(response.status, json || { title: `请求失败（${response.status}）` });
    }
    return json;
  }
}

export const get = (path, options) => call('GET', path, undefined, options);
export const postJson = (path, body, options) => call('POST', path, body === undefined ? {} : body, options);
export const put = (path, body, options) => call('PUT', path, body, options);
export const patch = (path, body, options) => call('PATCH', path, body, options);
export const del = (path, options) => call('DELETE', path, undefined, options);

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  Object.entries(params || {}).forEach(([key, value]) => {
    if (value !== undefined && value !== null && value !== '') {
      search.append(key, String(value));
    }
  });
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A fresh key for Idempotency-Key: a retried click does not act twice. */
export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Uploads a file to the media library (POST /api/v1/assets, multipart) with progress:
 * onProgress(fraction 0..1). Resolves with the asset. XMLHttpRequest because fetch reports no upload progress.
 */
export function upload(file, onProgress, fields = {}) {
  const send = () => new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/assets');
    request.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    request.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    request.onload = () => {
      let json = null;
      try { json = JSON.parse(request.responseText); } catch (e) { json = null; }
      if (request.status >= 200 && request.status < 300) {
        if (onProgress) onProgress(1);
        resolve(json);
      } else {
        reject(new ApiError(request.status, json || {}));
      }
    };
    request.onerror = () => reject(new ApiError(0, { code: 'network', title: '上传失败：网络连接中断' }));
    const form = new FormData();
    Object.entries(fields).forEach(([key, value]) => form.append(key, value));
    form.append('file', file, file.name);
    request.send(form);
  });
  return send().catch(async (e) => {
    if (e.status === 401) {
      await refresh();
      return send();
    }
    throw e;
  });
}

const signedUrls = new Map();

/**
 * A URL the browser may load for a library asset (img, video and audio cannot send the bearer header): the
 * server's expiring signed URL (POST /api/v1/assets/{id}/signed-url), reused until shortly before it expires.
 * {@code thumbnail}: the thumbnail's URL where the asset has one.
 */
export async function mediaUrl(assetId, thumbnail = false) {
  let known = signedUrls.get(assetId);
  if (!known || known.expiresAt - Date.now() < 60000) {
    const answer = await postJson(`/api/v1/assets/${encodeURIComponent(assetId)}/signed-url`, { ttlSeconds: 1800 });
    known = { url: answer.url, thumbnailUrl: answer.thumbnailUrl, expiresAt: Date.parse(answer.expiresAt) };
    signedUrls.set(assetId, known);
  }
  return thumbnail && known.thumbnailUrl ? known.thumbnailUrl : known.url;
}
