/**
 * axios: a request interceptor that signs the request axios is about to send.
 *
 * axios is an optional peer dependency: this module only uses the config
 * objects axios hands to interceptors and never imports axios itself.
 * @module oauth1/axios
 */
import type { AxiosInstance, AxiosRequestTransformer, InternalAxiosRequestConfig } from 'axios';
import { invalidArgType, invalidArgValue } from '../core/errors.js';
import { bodyBytes, createRequestSigner, headersRecord, type HttpClientSignOptions } from './shared.js';

export type { HttpClientSignOptions } from './shared.js';

/** The parts of an axios instance the interceptor uses. @group HTTP clients */
export type AxiosLike = Pick<AxiosInstance, 'getUri' | 'interceptors'>;

const identity: AxiosRequestTransformer = (data: unknown) => data;

/**
 * A request interceptor that signs what axios will send: the URL with
 * `baseURL` and the `params` axios adds (as `instance.getUri` builds it),
 * the method, the headers, and the body after axios' `transformRequest`
 * (objects become JSON or, under a form Content-Type, a form;
 * `URLSearchParams` a form). The interceptor runs the transforms itself, so
 * the signed bytes are the sent bytes, and sends the URL it signed.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { axiosInterceptor } from 'oauth1/axios';
 * const api = axios.create({ baseURL: 'https://api.x.com/1.1/' });
 * api.interceptors.request.use(axiosInterceptor(api, { client, token }));
 * await api.post('statuses/update.json', new URLSearchParams({ status: 'Hello' }));
 * ```
 * @throws TypeError when the options are wrong (at creation), or when a
 *   request's body must be signed and is a stream.
 * @see RFC 5849 §3
 * @group HTTP clients
 */
export function axiosInterceptor(
  instance: Pick<AxiosInstance, 'getUri'>,
  options: HttpClientSignOptions,
): (config: InternalAxiosRequestConfig) => Promise<InternalAxiosRequestConfig> {
  // axios.create() returns a function with properties: accept both shapes.
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null || typeof instance.getUri !== 'function') {
    throw invalidArgType('instance', 'the axios instance the interceptor is added to (its getUri builds the final URL)');
  }
  const signRequest = createRequestSigner(options);
  return async (config) => {
    const url = instance.getUri(config);
    if (!/^https?:\/\//i.test(url)) throw invalidArgValue('config.url', `must resolve to an absolute http(s) URL (got "${url.slice(0, 80)}"); set baseURL`);
    const headers = config.headers;
    // What axios' dispatchRequest would do next, done here so the signature sees the same bytes.
    const transforms = config.transformRequest === undefined ? [] : Array.isArray(config.transformRequest) ? config.transformRequest : [config.transformRequest];
    let data: unknown = config.data;
    const view = headers && typeof headers.normalize === 'function' ? headers.normalize(false) : headers;
    for (const fn of transforms) data = fn.call(config, data, view);
    config.data = data;
    config.transformRequest = [identity];

    const method = (config.method ?? 'get').toUpperCase();
    const plain = headersRecord(headers && typeof headers.toJSON === 'function' ? headers.toJSON() : headers);
    const { url: signedUrl, authorization } = signRequest({ method, url, headers: plain, body: bodyBytes(data) });
    config.url = signedUrl;
    delete config.baseURL;
    config.params = undefined;
    if (authorization !== undefined) {
      if (headers && typeof headers.set === 'function') headers.set('Authorization', authorization);
      else (config as { headers: Record<string, string> }).headers = { ...plain, Authorization: authorization };
    }
    return config;
  };
}

/**
 * Adds {@link axiosInterceptor} to an instance's request interceptors and
 * returns a function that removes it.
 *
 * @example
 * ```ts
 * const detach = attachToAxios(api, profile.signOptions({ client, token }));
 * ```
 * @group HTTP clients
 */
export function attachToAxios(instance: AxiosLike, options: HttpClientSignOptions): () => void {
  const id = instance.interceptors.request.use(axiosInterceptor(instance, options));
  return () => instance.interceptors.request.eject(id);
}
