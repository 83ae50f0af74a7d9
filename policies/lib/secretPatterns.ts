/**
 * Text that looks like a credential, as the secret scanners behind checkov's CKV_AWS_46 and
 * CKV_K8S_… checks look for it: AWS access key ids, secret-key assignments, private keys, and
 * password/token assignments with a literal value. Used on launch-template user data and ConfigMaps,
 * where a credential is readable by anyone who can describe the resource.
 */

/** Each pattern with what it finds. */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
    [/\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/, "an AWS access key id"],
    [/aws_?secret_?access_?key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/i, "an AWS secret access key"],
    [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, "a private key"],
    [/(?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*["']?(?![$<{])[^\s"'$<{]{8,}/i, "a password or token assignment"],
];

/** What the text holds that looks like a credential (the kinds found, in the order above). */
export function credentialsIn(text: string): string[] {
    const found: string[] = [];
    for (const [pattern, what] of PATTERNS) {
        if (pattern.test(text)) {
            found.push(what);
        }
    }
    return found;
}

/** Key names that say their value is a credential. */
export const CREDENTIAL_KEY = /(^|[_.-])(password|passwd|secret|token|api[_-]?key|private[_-]?key|credentials?)($|[_.-])/i;

/** Base64 text decoded, when it is base64 (user data is sent base64-encoded); else the text itself. */
export function decodedUserData(text: string): string {
    const compact = text.replace(/\s+/g, "");
    if (compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
        return Buffer.from(compact, "base64").toString("utf8");
    }
    return text;
}
