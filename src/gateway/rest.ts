import { GatewayError } from '../shared/errors.js';
import { statusError } from './errors.js';
import { errorDetail, headerValue, readText, sendAuthenticated, type GatewayRequester } from './request.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  /** Query values; undefined and '' are left out, as hoop treats them as "no filter". */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  signal: AbortSignal;
}

export interface RestResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body (204). */
  data: unknown;
}

/** A non-2xx answer from a REST route: the status mapped as everywhere, plus hoop's own message. */
export class RestStatusError extends GatewayError {
  constructor(
    readonly httpStatus: number,
    readonly detail: string | undefined,
    gateway: string,
  ) {
    const mapped = statusError(httpStatus, gateway, detail);
    super(mapped.kind, mapped.message, httpStatus);
  }
}

/** What tools call; an interface so tool tests can also hand in a fake. */
export interface RestApi {
  request(method: HttpMethod, path: string, req: RestRequest): Promise<RestResponse>;
}

/** Builds `/a/b/<escaped>` from a template: every interpolated value is one path segment. */
export function apiPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i] ?? '') : ''), '');
}

const MAX_BODY = 32 * 1024 * 1024;

/**
 * hoop's REST API under `<base>/api`, with the same authentication, token rotation and error
 * mapping as the MCP relay (both go through sendAuthenticated).
 */
export class RestClient implements RestApi {
  constructor(private readonly opts: GatewayRequester & { base: string }) {}

  async request(method: HttpMethod, path: string, req: RestRequest): Promise<RestResponse> {
    const url = new URL(`${this.opts.base}/api${path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const init = { method, headers, signal: req.signal, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const res = await sendAuthenticated(this.opts, url, init);
    if (res.status < 200 || res.status >= 300) {
      throw new RestStatusError(res.status, await errorDetail(res), this.opts.gateway);
    }
    const text = await readText(res, MAX_BODY);
    if (text.trim() === '') return { status: res.status, data: undefined };
    const contentType = headerValue(res.headers.get('content-type')) ?? '';
    try {
      return { status: res.status, data: JSON.parse(text) };
    } catch {
      throw new GatewayError(
        'malformed',
        `${this.opts.gateway} answered ${method} /api${path} with "${contentType || 'no content type'}" that is not JSON; is this the address of a Hoop gateway?`,
      );
    }
  }
}
