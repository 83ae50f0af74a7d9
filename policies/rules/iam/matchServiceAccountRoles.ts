import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf, ofTypes, ofTypesWhere } from "../../lib/graph";
import { isKind } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { EKS, HELM_RELEASE, IAM, K8S } from "../../lib/types";
import { actionMatches, asRecord, asString, asStrings, describe, peek, policyStatements, UNKNOWN } from "../../lib/values";

const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";
const SUBJECT = /^system:serviceaccount:([^:*?]+):([^:*?]+)$/;

/** The service accounts (`namespace/name`) an IRSA role trusts; undefined for other roles or when unknown. */
function trustedServiceAccounts(role: PolicyResource): string[] | undefined {
    const document = peek(role.props, "assumeRolePolicy");
    if (document === UNKNOWN) {
        return undefined;
    }
    const subjects: string[] = [];
    let webIdentity = false;
    for (const s of policyStatements(document) ?? []) {
        if (
            s.effect !== "Allow" ||
            !s.actions.some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity")) ||
            !(s.principals?.federated ?? []).some((f) => f.includes(":oidc-provider/"))
        ) {
            continue;
        }
        webIdentity = true;
        const block = s.condition.StringEquals ?? {};
        for (const key of Object.keys(block).filter((k) => k.endsWith(":sub"))) {
            for (const value of asStrings(block[key])) {
                const match = SUBJECT.exec(value);
                if (match) {
                    subjects.push(`${match[1]}/${match[2]}`);
                }
            }
        }
    }
    return webIdentity && subjects.length > 0 ? subjects : undefined;
}

/** Objects in a Helm values tree that annotate a service account with a role ARN: `{ name?, annotations: { role-arn } }`. */
function annotatedServiceAccounts(values: unknown, depth = 0, found: { arn: string | typeof UNKNOWN; name: string | undefined }[] = []) {
    if (depth > 8 || values === UNKNOWN) {
        return found;
    }
    const record = asRecord(values);
    if (record === undefined) {
        return found;
    }
    for (const key of Object.keys(record)) {
        const child = peek(record, key);
        if (key === "annotations") {
            const arn = peek(child, ROLE_ANNOTATION);
            if (arn === UNKNOWN || typeof arn === "string") {
                const name = peek(record, "name");
                found.push({ arn, name: typeof name === "string" ? name : undefined });
            }
        } else if (asRecord(child) !== undefined) {
            annotatedServiceAccounts(child, depth + 1, found);
        }
    }
    return found;
}

const policy: StackValidationPolicy = {
    name: "platform-iam-service-account-roles",
    description:
        "Service-account roles and service accounts agree: a ServiceAccount annotated with eks.amazonaws.com/role-arn points to a role of this stack that trusts exactly that namespace and name, and every role that trusts a service account is used by it (a ServiceAccount, an EKS add-on, or a Helm release in that namespace), so no role waits for whoever creates a service account of that name.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const roles = ResourceIndex.of(args.resources, [IAM.role]);
        const trusts = new Map<string, string[]>();
        const irsaRoles: PolicyResource[] = [];
        for (const role of roles.all) {
            const subjects = trustedServiceAccounts(role);
            if (subjects !== undefined) {
                trusts.set(role.urn, subjects);
                irsaRoles.push(role);
            }
        }
        const accounts = ofTypesWhere(args.resources, (type) => isKind(type, K8S.serviceAccount));
        if (trusts.size === 0 && accounts.length === 0) {
            return;
        }
        const used = new Set<string>();
        const mismatch = (consumer: PolicyResource, role: PolicyResource, account: string) =>
            reportViolation(
                `${describe(consumer)} gives service account ${account} the role ${role.name}, but that role trusts ${(trusts.get(role.urn) ?? []).join(", ")}. Make the role's trust policy name system:serviceaccount:${account.replace("/", ":")}, or annotate the right service account.`,
                consumer.urn,
            );
        for (const r of [...accounts, ...ofTypes(args.resources, [EKS.addon, HELM_RELEASE])]) {
            if (isKind(r.type, K8S.serviceAccount)) {
                const arn = peek(r.props, "metadata", "annotations", ROLE_ANNOTATION);
                if (arn === undefined) {
                    continue;
                }
                const namespace = asString(peek(r.props, "metadata", "namespace")) ?? "default";
                const name = asString(peek(r.props, "metadata", "name"));
                const targets = dependenciesOf(r, "metadata").filter((d) => roles.has(d));
                const resolved = targets.length > 0 ? targets : roles.lookup(arn);
                if (resolved.length === 0) {
                    if (typeof arn === "string" && targets.length === 0 && dependenciesOf(r, "metadata").length === 0) {
                        reportViolation(
                            `${describe(r)} points to the role ${arn}, which is not a role of this stack. Create its role in the stack (a service-account role trusting ${namespace}/${name ?? "<name>"}).`,
                            r.urn,
                        );
                    }
                    continue;
                }
                for (const role of resolved) {
                    const trusted = trusts.get(role.urn);
                    const account = `${namespace}/${name ?? "?"}`;
                    if (trusted === undefined || name === undefined) {
                        continue;
                    }
                    if (trusted.includes(account)) {
                        used.add(role.urn);
                    } else {
                        mismatch(r, role, account);
                    }
                }
            } else if (r.type === EKS.addon) {
                roles.refs(r, "serviceAccountRoleArn").forEach((role) => used.add(role.urn));
            } else if (r.type === HELM_RELEASE) {
                const values = peek(r.props, "values");
                const accounts = annotatedServiceAccounts(values);
                const referenced = new Set([
                    ...dependenciesOf(r, "values").filter((d) => roles.has(d)),
                    ...accounts.flatMap((a) => (typeof a.arn === "string" ? roles.lookup(a.arn) : [])),
                ]);
                const nsValue = peek(r.props, "namespace");
                const nsResource = dependenciesOf(r, "namespace").find((d) => isKind(d.type, K8S.namespace));
                const namespace =
                    typeof nsValue === "string" ? nsValue : nsResource !== undefined ? asString(peek(nsResource.props, "metadata", "name")) : undefined;
                for (const role of referenced) {
                    const trusted = trusts.get(role.urn);
                    if (trusted === undefined || namespace === undefined) {
                        continue;
                    }
                    const arn = peek(role.props, "arn");
                    const names = accounts.filter((a) => typeof arn === "string" && a.arn === arn).flatMap((a) => a.name ?? []);
                    const accountsHere = names.length > 0 ? names.map((n) => `${namespace}/${n}`) : trusted.filter((t) => t.startsWith(`${namespace}/`));
                    const wrong = accountsHere.find((a) => !trusted.includes(a)) ?? (accountsHere.length === 0 ? `${namespace}/<any>` : undefined);
                    if (wrong === undefined) {
                        used.add(role.urn);
                    } else {
                        mismatch(r, role, wrong);
                    }
                }
            }
        }
        for (const role of irsaRoles) {
            if (!used.has(role.urn)) {
                const subjects = trusts.get(role.urn) ?? [];
                reportViolation(
                    `${describe(role)} trusts service account ${subjects.join(", ")}, but nothing in the stack uses it (no ServiceAccount annotated with its ARN, EKS add-on or Helm release in that namespace). Annotate that service account with ${ROLE_ANNOTATION}, or remove the role.`,
                    role.urn,
                );
            }
        }
    },
};

/** */
export const matchServiceAccountRoles: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-14", "IAM-02"],
};
