export { AttnError, type AttnErrorCode, type AttnErrorOptions } from './attn-error.js';
export { invalidArgument, shapeMismatch, describeValue } from './invalid-argument.js';
