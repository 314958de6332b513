/**
 * oauth1: OAuth 1.0 (RFC 5849) signing and verification.
 *
 * @example Sign a request
 * ```ts
 * import { sign } from 'oauth1';
 * const signed = sign({ method: 'GET', url: 'https://api.example.com/items?page=2' },
 *   { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' } });
 * await fetch(signed.url, { headers: signed.headers });
 * ```
 * @module oauth1
 */
export { percentEncode, percentDecode, parseForm, formatForm } from './core/encoding.js';
export { normalizeParameters, collectParameters } from './core/parameters.js';
export { baseStringUri, signatureBaseString } from './core/base-string.js';
export {
  createSignature,
  verifySignature,
  createSignatureAsync,
  verifySignatureAsync,
  registerSignatureMethod,
  getSignatureMethod,
  listSignatureMethods,
  type SignatureMethod,
  type SignatureMethodDefinition,
  type SigningKeys,
  type VerifyingKeys,
  type BodyHashAlgorithm,
  type KeyLike,
} from './methods/registry.js';
export { bodyHash, bodyHashAsync } from './methods/body-hash.js';
export { formatAuthorizationHeader, parseAuthorizationHeader, type ParsedAuthorization } from './core/header.js';
export {
  sign,
  signAsync,
  generateNonce,
  type SignOptions,
  type SignedRequest,
  type ClientCredentials,
  type TokenCredentials,
} from './client/sign.js';
export {
  toParams,
  isFormContentType,
  type HttpRequestLike,
  type HeadersLike,
  type BodyLike,
  type Params,
  type ParamsInit,
} from './core/request.js';
export { OAuthError, type OAuthProblem, type OAuthProblemDetails, type OAuthErrorOptions } from './core/errors.js';
export {
  createVerifier,
  type Verifier,
  type VerifierOptions,
  type VerifiedRequest,
  type VerifierLimits,
  type VerifyDebugInfo,
  type VerifyCheck,
  type VerifyExtra,
  type ClientRecord,
  type TokenRecord,
  type LookupContext,
} from './server/verifier/index.js';
export { resolvePublicUrl, type PublicUrlOptions, type TrustProxy, type TrustProxyOptions } from './server/public-url.js';
export {
  createMemoryNonceStore,
  type NonceStore,
  type MemoryNonceStore,
  type MemoryNonceStoreOptions,
  type Awaitable,
} from './server/nonce-store.js';
export {
  requestTemporaryCredentials,
  authorizationUrl,
  requestTokenCredentials,
  type FlowRequestOptions,
  type AuthorizationUrlOptions,
  type TemporaryCredentials,
  type IssuedTokenCredentials,
} from './client/flow.js';
export { createSignedFetch, type SignedFetchOptions } from './client/signed-fetch.js';
export { generateCredentials } from './server/credentials.js';
export {
  compareBaseStrings,
  adviceForProblem,
  parseBaseString,
  type BaseStringComparison,
  type BaseStringParts,
  type ParameterDifference,
} from './client/explain.js';
export {
  ProviderRefusal,
  readProviderAnswer,
  findBaseString,
  isBaseString,
  ANSWER_START_LIMIT,
  type ProviderAnswer,
  type RefusalContext,
} from './client/provider-answer.js';
export {
  createProvider,
  type Provider,
  type ProviderOptions,
  type ProviderRequest,
  type ProviderClientRecord,
  type CredentialsResponse,
  type PendingAuthorization,
  type Authorization,
} from './server/provider/index.js';
export {
  createMemoryProviderStore,
  type ProviderStore,
  type TemporaryCredentialsRecord,
  type TokenCredentialsRecord,
  type TemporaryApproval,
  type MemoryProviderStore,
  type MemoryProviderStoreOptions,
} from './server/provider-store.js';
export {
  createLtiLaunchVerifier,
  createLtiOutcomeVerifier,
  signOutcomeRequest,
  signOutcomeRequestAsync,
  type LtiVerifierOptions,
  type LtiLaunchVerifierOptions,
  type LtiLaunch,
  type LtiLaunchVerifier,
  type LtiOutcomeRequest,
  type LtiOutcomeVerifier,
  type SignOutcomeOptions,
} from './profiles/lti.js';
