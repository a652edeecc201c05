import { ApiError, CSRF_COOKIE, CSRF_HEADER, readCookie, withQuery } from './client.ts';

/**
 * Uploads one file as multipart/form-data (field "file") with upload progress, which fetch cannot report.
 * Resolves with the parsed JSON; rejects with the API's error shape as ApiError.
 */
export function uploadFile<T>(path: string, file: File, query: Record<string, string | number | undefined>, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(`/api/v1${path}`, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const token = readCookie(CSRF_COOKIE);
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', '网络连接失败，请稍后重试', null));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      reject(new ApiError(xhr.status, e?.code ?? `http_${xhr.status}`, e?.message ?? `请求失败（${xhr.status}）`, e?.details ?? null));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
