/** tskrb/crypto: Kerberos cryptography (RFC 3961 framework; enctypes 17, 18, 19, 20, 23). */
export { aesCtsDecrypt, aesCtsEncrypt } from './aes-cts.js';
export { type BackendChoice, cryptoBackendName, setCryptoBackend } from './backend.js';
export { cf2, prfPlus } from './cf2.js';
export { checksumSize, checksumTypeName, checksumTypeOf, makeChecksum, verifyChecksum } from './checksums.js';
export { ChecksumType, EncType, KeyUsage } from './constants.js';
export { digest, type HashName, hmac } from './digest.js';
export { enctypeName, isSupportedEnctype, supportedEnctypes } from './enctypes.js';
export { Key } from './key.js';
export { nfold } from './nfold.js';
export {
  ciphertextLength,
  decrypt,
  defaultSalt,
  encrypt,
  generateKey,
  prf,
  randomToKey,
  stringToKey,
} from './operations.js';
export type { StringToKeyOptions } from './profile.js';
export { rc4 } from './rc4.js';
