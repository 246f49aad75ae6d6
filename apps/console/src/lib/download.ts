import { ApiError, call } from '../api/client';

/**
 * Downloads a file of the API. The access token goes in a header, which rules out a plain link:
 * fetch → blob → a temporary `<a download>`. Returns the file's name as the server gave it.
 */
export async function download(path: string, fallbackName: string): Promise<string> {
  const res = await call(path);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new ApiError(res.status, body?.message ?? `Ошибка ${res.status}`, undefined, {});
  }
  const blob = await res.blob();
  const named = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '');
  const name = named?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file by then; the address only keeps the blob in memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
