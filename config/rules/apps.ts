/**
 * Cross-key rules of the applications: hosts under the edge domain, a database only in a stack that has
 * one, secrets only for declared applications, the reference image pinned by digest in the stack's own
 * repository, and what prod requires of every application.
 */
import { dnsSuffix, partitionOf } from "../../components/partitions";
import { show } from "../fields";
import { referenceAppRepositoryName } from "../keys/apps";
import type { ProblemList } from "../rules";
import type { ConfigValues } from "../schema";
import { isUnknownConfigValue } from "../unknown";

/** Rules that hold in every environment. */
export function checkAppRules(values: ConfigValues, problems: ProblemList): void {
    const domain = values["edge.domain"];
    for (const app of values.apps) {
        if (app.host === undefined) {
            continue;
        }
        if (domain === "") {
            problems.add(
                "apps",
                `the application ${show(app.name)} has the host ${show(app.host)} but platform:edge.domain is ""; expected edge.domain set (its certificate serves the host), or no host`,
            );
        } else if (app.host !== domain && !(app.host.endsWith(`.${domain}`) && !app.host.slice(0, -domain.length - 1).includes("."))) {
            problems.add(
                "apps",
                `the application ${show(app.name)} has the host ${show(app.host)}, which the certificate of platform:edge.domain ${show(domain)} does not cover; expected ${show(domain)} or one label under it, such as ${show(`${app.name}.${domain}`)}`,
            );
        }
    }
    if (!values["database.enabled"]) {
        for (const app of values.apps.filter((a) => a.database)) {
            problems.add(
                "apps",
                `the application ${show(app.name)} sets database: true, but the stack has no database (platform:database.enabled is false); expected database: false, or database.enabled: true`,
            );
        }
    }
    const names = values.apps.map((a) => a.name);
    if (isUnknownConfigValue(values.appSecrets)) {
        problems.skip("appSecrets", "names only applications of platform:apps, and sets no variable that their env also sets");
        return;
    }
    const secrets = JSON.parse(values.appSecrets) as Record<string, Record<string, string>>;
    for (const [name, vars] of Object.entries(secrets)) {
        if (!names.includes(name)) {
            problems.add(
                "appSecrets",
                `has secrets for ${show(name)}, which is not an application in platform:apps; expected one of: ${names.length > 0 ? names.join(", ") : "(no applications)"}`,
            );
            continue;
        }
        const app = values.apps.find((a) => a.name === name);
        const clash = Object.keys(vars).find((k) => app !== undefined && k in app.env);
        if (clash !== undefined) {
            problems.add("appSecrets", `sets ${show(clash)} of ${show(name)}, which its env in platform:apps also sets; expected each variable in one place`);
        }
    }
}

/** What prod requires of applications: at least three replicas, spread over the zones. */
export function checkAppProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    for (const app of values.apps) {
        if (app.minReplicas < 3) {
            problems.add("apps", `the application ${show(app.name)} has replicas.min ${app.minReplicas}, too few for prod; expected at least 3 (one per zone)`);
        }
    }
}

/**
 * The stack's reference image (the repository `<project>-<stack>-reference-app` the program makes): at most
 * one application runs it, pinned by digest alone in the stack's region (the deploy workflow rolls out only
 * a digest the repository holds; its tags are labels).
 */
export function checkReferenceImage(values: ConfigValues, namePrefix: string, region: string, problems: ProblemList): void {
    const repository = referenceAppRepositoryName(namePrefix);
    const registry = `.dkr.ecr.${region}.${dnsSuffix(partitionOf(region))}/`;
    const pinned = new RegExp(`^\\d{12}${registry.replace(/\./g, "\\.")}${repository}@sha256:[a-f0-9]{64}$`);
    // The repository part: the reference without its digest and tag (a registry port stays, it has a "/" after it).
    const onRepository = values.apps.filter((a) =>
        a.image
            .replace(/@.*$/, "")
            .replace(/:[^/]*$/, "")
            .endsWith(`/${repository}`),
    );
    for (const app of onRepository.filter((a) => !pinned.test(a.image))) {
        problems.add(
            "apps",
            `the application ${show(app.name)} runs the stack's reference repository as ${show(app.image)}; expected <account>${registry}${repository}@sha256:<digest>, pinned by digest alone in the stack's region (npm run reference-image -- --stack <stack> --pin <image>)`,
        );
    }
    if (onRepository.length > 1) {
        problems.add(
            "apps",
            `has the applications ${onRepository.map((a) => show(a.name)).join(" and ")} on the reference repository ${repository}; expected one (its migrations and the deploy's first pass are per application)`,
        );
    }
}
