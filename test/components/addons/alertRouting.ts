/** A small model of Alertmanager's routing, to test the routing tree the program renders. */

/** An Alertmanager route, as far as routing goes. */
export interface Route {
    readonly receiver?: string;
    readonly matchers?: readonly string[];
    readonly continue?: boolean;
    readonly routes?: readonly Route[];
}

/** One Alertmanager matcher (`name = "value"`, `!=`, `=~`, `!~`; quotes optional) against an alert's labels. */
function matcherMatches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"(.*)"|(.*?))\s*$/.exec(matcher);
    if (m === null) {
        throw new Error(`matcher ${matcher} is not name op value`);
    }
    const [, name, op, quoted, bare] = m;
    const expected = quoted ?? bare;
    const actual = labels[name] ?? "";
    const regexMatches = () => new RegExp(`^(?:${expected})$`).test(actual);
    return op === "=" ? actual === expected : op === "!=" ? actual !== expected : op === "=~" ? regexMatches() : !regexMatches();
}

/**
 * The receivers an alert is sent to, by Alertmanager's routing (dispatch/route.go): a route matches when
 * all its matchers do; its children are tried in order, stopping after the first match unless that child
 * has `continue`; a route none of whose children matched takes the alert itself, with its receiver or
 * its parent's.
 */
export function receiversOf(route: Route, labels: Readonly<Record<string, string>>, inherited = ""): string[] {
    if (!(route.matchers ?? []).every((m) => matcherMatches(m, labels))) {
        return [];
    }
    const receiver = route.receiver ?? inherited;
    const found: string[] = [];
    for (const child of route.routes ?? []) {
        const matched = receiversOf(child, labels, receiver);
        found.push(...matched);
        if (matched.length > 0 && child.continue !== true) {
            break;
        }
    }
    return found.length > 0 ? found : [receiver];
}
