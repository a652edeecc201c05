/** The typed HTTP client: cookies, the CSRF header, one error shape, 401 → login. */

export const CSRF_COOKIE = 'docket_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** An error answered by the API ({error:{code,message,details}}) or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not show the error toast (the caller presents the error itself, e.g. a 409 dialog). */
  quiet?: boolean;
  signal?: AbortSignal;
}

interface Hooks {
  onError: (error: ApiError) => void;
  onUnauthorized: () => void;
  /** A first sign-in or an expired password: the server allows nothing but changing it. */
  onPasswordChangeRequired?: () => void;
}

let hooks: Hooks = { onError: () => undefined, onUnauthorized: () => undefined };

/** Lets the app decide how errors are shown and where a 401 leads. */
export function setApiHooks(next: Hooks): void {
  hooks = next;
}

/** Reads one cookie by name (the CSRF token is readable by design; the session cookie is httpOnly). */
export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Builds "/path?a=1&b=2", leaving out empty values. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Sends a request to the API and returns the parsed JSON; throws ApiError on any failure. */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE);
    if (token) headers[CSRF_HEADER] = token;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    const error = new ApiError(0, 'network_error', '网络连接失败，请稍后重试', null);
    if (!options.quiet) hooks.onError(error);
    throw error;
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const error = new ApiError(response.status, e?.code ?? `http_${response.status}`, e?.message ?? `请求失败（${response.status}）`, e?.details ?? null);
    if (response.status === 401 && !path.startsWith('/auth/')) {
      hooks.onUnauthorized();
    } else if (error.code === 'password_change_required' && hooks.onPasswordChangeRequired) {
      hooks.onPasswordChangeRequired();
    } else if (!options.quiet) {
      hooks.onError(error);
    }
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...options, body }),
  del: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
};
