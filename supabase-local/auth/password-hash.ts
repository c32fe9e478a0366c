/**
 * bcrypt, as GoTrue stores passwords in auth.users.encrypted_password. Also verifies the
 * `$2a$` hashes pgcrypto's `crypt(pw, gen_salt('bf'))` makes, which seed files use.
 */
import bcrypt from 'bcryptjs';

// GoTrue's bcrypt cost (crypto/password.go uses bcrypt.DefaultCost).
const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export async function passwordMatches(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !hash.startsWith('$2')) return false;
  return bcrypt.compare(password, hash);
}
