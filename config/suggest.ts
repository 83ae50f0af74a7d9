/**
 * "Did you mean" suggestions for misspelt config keys.
 */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * The candidate closest to `word`, compared case-insensitively (whole key, or last dotted segment when
 * the word has no section), when it is close enough to be a plausible typo (at most a third of the
 * word's length, and at least 2 edits allowed); otherwise undefined.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
    const limit = Math.max(2, Math.floor(word.length / 3));
    const lastSegment = (key: string) => key.slice(key.lastIndexOf(".") + 1).toLowerCase();
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of [...candidates].sort()) {
        // A key written without its section ("natGateway" for "network.natGateways") is matched on the
        // last dotted segment as well as on the whole key.
        const distance = Math.min(
            editDistance(word.toLowerCase(), candidate.toLowerCase()),
            word.includes(".") ? Infinity : editDistance(word.toLowerCase(), lastSegment(candidate)),
        );
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { candidate, distance };
        }
    }
    return best?.candidate;
}
