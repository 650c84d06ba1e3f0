/**
 * HTTP(S) GET for the user-invoked dataset download, on Node's own client rather than fetch (fetch
 * refuses some ports outright, with a bare "bad port"). Follows redirects; gives up when nothing
 * answers within the connect timeout or data stops arriving for the idle timeout, saying which.
 */
import { get as httpRequest, type IncomingMessage } from 'node:http';
import { get as httpsRequest } from 'node:https';

export interface GetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** From the request to the response's headers. */
  connectTimeoutMs: number;
  /** Longest silence while the body arrives. */
  idleTimeoutMs: number;
}

const MAX_REDIRECTS = 5;

/** A network problem in words: "cannot connect to 127.0.0.1:9 (ECONNREFUSED)"; the caller names the address. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

function describe(error: NodeJS.ErrnoException, url: URL): string {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (error.code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return `cannot connect to ${where} (${error.code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host ${url.hostname} (${error.code})`;
    default:
      return error.code ? `${error.message} (${error.code})` : error.message;
  }
}

/** Resolves with the final response (status not checked); its body raises NetworkError if it stalls. */
export function httpGet(address: string, options: GetOptions, redirects = 0): Promise<IncomingMessage> {
  const url = new URL(address);
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (!request) return Promise.reject(new NetworkError('only http and https addresses can be downloaded'));
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: options.headers ?? {}, ...(options.signal ? { signal: options.signal } : {}) }, (response) => {
      const location = response.headers.location;
      if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new NetworkError(`more than ${MAX_REDIRECTS} redirects`));
        return resolve(httpGet(new URL(location, url).href, options, redirects + 1));
      }
      // Destroyed with the reason, so whoever reads the body sees why it ended.
      req.setTimeout(options.idleTimeoutMs, () => response.destroy(new NetworkError(`the transfer stalled: no data for ${options.idleTimeoutMs / 1000} s`)));
      resolve(response);
    });
    req.setTimeout(options.connectTimeoutMs, () => req.destroy(new NetworkError(`no answer within ${options.connectTimeoutMs / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError' || error instanceof NetworkError) reject(error);
      else reject(new NetworkError(describe(error, url)));
    });
  });
}
