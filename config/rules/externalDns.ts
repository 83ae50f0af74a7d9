/**
 * Cross-key rules of external-dns, checked after every key has parsed on its own: every application
 * host lies in the hosted zone it publishes to, prod never deletes records, and no two stacks of the
 * project share an owner id.
 */
import { effectiveTxtOwnerId } from "../externalDns";
import { show } from "../fields";
import type { ProblemList } from "../rules";
import { PROJECT, type ConfigValues } from "../schema";
import { stackFileName, type OtherStackFile } from "../stackFiles";

/** Every application host is in platform:edge.hostedZoneName, the one zone external-dns may write. */
export function checkHostsInZone(values: ConfigValues, problems: ProblemList): void {
    const zoneName = values["edge.hostedZoneName"];
    if (zoneName === "") {
        return;
    }
    for (const app of values.apps) {
        if (app.host !== undefined && app.host !== zoneName && !app.host.endsWith(`.${zoneName}`)) {
            problems.add(
                "apps",
                `the application ${show(app.name)} has the host ${show(app.host)}, which is outside platform:edge.hostedZoneName ${show(zoneName)}; expected a name in that zone (external-dns publishes records there only, so the host would never resolve)`,
            );
        }
    }
}

/** prod's external-dns never deletes a record. */
export function checkExternalDnsProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment === "prod" && values["externalDns.policy"] !== "upsert-only") {
        problems.add(
            "externalDns.policy",
            `${show(values["externalDns.policy"])} is not allowed in prod; expected "upsert-only": prod's external-dns creates and updates records but never deletes one (stale records are removed by hand, docs/runbooks/dns.md)`,
        );
    }
}

/** How a message names a stack's owner id: the id it sets in its file, or the default it gets. */
function describeOwnerId(configured: string | undefined, id: string, file: string): string {
    return configured === undefined ? `the default owner id ${show(id)} of ${file}` : `the owner id ${show(id)} that ${file} sets`;
}

/**
 * No other stack file of the project gives its external-dns this stack's owner id: two instances with
 * one owner id each take the other's records for their own, overwrite them, and with `sync` delete them.
 * The one exception is a recovery stack and the stack it recovers: taking over the lost stack's owner id
 * is the DNS cutover of docs/runbooks/disaster-recovery.md (whose fail-back stops the old one first).
 */
export function checkOwnerIdUnique(values: ConfigValues, stack: string, others: readonly OtherStackFile[], problems: ProblemList): void {
    const configured = values["externalDns.txtOwnerId"] === "" ? undefined : values["externalDns.txtOwnerId"];
    const id = effectiveTxtOwnerId(configured, PROJECT, stack);
    const recovers = values["restore.enabled"] ? values["restore.sourceStack"] : undefined;
    for (const other of others) {
        if (effectiveTxtOwnerId(other.txtOwnerId, PROJECT, other.stack) !== id || other.stack === recovers || other.restoresStack === stack) {
            continue;
        }
        problems.add(
            "externalDns.txtOwnerId",
            `${describeOwnerId(configured, id, stackFileName(stack))} is also ${describeOwnerId(other.txtOwnerId, id, other.file)} (stack ${show(other.stack)}); expected an id no other stack uses (change it in one of the two files; the default <project>-<stack>-eks differs for every stack): two external-dns instances with one owner id take each other's records for their own`,
        );
    }
}
