import * as argon2 from 'argon2';

/** Argon2id with the library's defaults (OWASP-recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against for an unknown login, so a wrong login costs as long as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword('decoy-password-never-valid'));
}

/** The password rule: long enough to resist guessing; no composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, login: string): string | null {
  if (password.length < 10) return 'пароль должен быть не короче 10 символов';
  if (password.length > 200) return 'пароль должен быть не длиннее 200 символов';
  if (password.toLowerCase() === login.toLowerCase()) return 'пароль не должен совпадать с логином';
  return null;
}
