/**
 * The checkov and trivy ids the hardening catalog (../shared/reference/hardening-catalog.md) cites, with
 * its shorthand expanded: `CKV_AWS_53/54`, `KSV-0008/9/10` (trivy ids keep four digits), `CKV_K8S_10–13`.
 */
const TOKEN = /(CKV2?_(?:AWS|K8S)_|AVD-AWS-|KSV-|KCV-)(\d+)((?:\s*[/–]\s*\d+)*)/g;

/** Every peer id in the text. */
export function catalogPeerIds(text: string): string[] {
    const ids = new Set<string>();
    for (const [, prefix, first, tail] of text.matchAll(TOKEN)) {
        const id = (n: number) => `${prefix}${prefix.startsWith("CKV") ? String(n) : String(n).padStart(4, "0")}`;
        let previous = Number(first);
        ids.add(id(previous));
        for (const [, separator, digits] of tail.matchAll(/\s*([/–])\s*(\d+)/g)) {
            const n = Number(digits);
            if (separator === "–") {
                for (let i = previous + 1; i <= n; i++) {
                    ids.add(id(i));
                }
            } else {
                ids.add(id(n));
            }
            previous = n;
        }
    }
    return [...ids];
}
