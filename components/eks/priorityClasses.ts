/**
 * The platform's PriorityClasses ({@link PRIORITY_CLASSES}), created once per cluster. They need only the
 * cluster's API (the Kubernetes provider), so they are created beside the first namespace and lengthen
 * no path. A pod naming a class that does not exist is refused at admission, so every namespace's
 * `ready` includes them (see {@link PlatformNamespace}): whatever makes pods waits for them, and on destroy
 * they outlive every pod that names them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES, type PlatformPriorityClass } from "../priorities";

/** Which class, by its key in {@link PRIORITY_CLASSES}. */
export type PriorityClassKey = keyof typeof PRIORITY_CLASSES;

/** The PriorityClass object of one platform class. */
export function priorityClassArgs(priority: PlatformPriorityClass): k8s.scheduling.v1.PriorityClassArgs {
    return {
        metadata: { name: priority.name, labels: { "app.kubernetes.io/part-of": "platform" } },
        value: priority.value,
        description: priority.description,
        preemptionPolicy: priority.preemptionPolicy,
        globalDefault: priority.globalDefault,
    };
}

/** Arguments of {@link PriorityClasses}. */
export interface PriorityClassesArgs {
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** The platform's PriorityClasses in one cluster. */
export class PriorityClasses extends pulumi.ComponentResource {
    /** Each PriorityClass, by its key in {@link PRIORITY_CLASSES}. */
    public readonly classes: Readonly<Record<PriorityClassKey, k8s.scheduling.v1.PriorityClass>>;
    /** What anything that makes pods must wait for: every class (a {@link PlatformNamespace}'s `ready` includes them). */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: PriorityClassesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:PriorityClasses", name, {}, opts);
        const keys = Object.keys(PRIORITY_CLASSES) as PriorityClassKey[];
        this.classes = Object.fromEntries(
            keys.map((key) => [
                key,
                new k8s.scheduling.v1.PriorityClass(`${name}-${PRIORITY_CLASSES[key].name}`, priorityClassArgs(PRIORITY_CLASSES[key]), {
                    parent: this,
                    provider: args.provider,
                }),
            ]),
        ) as Record<PriorityClassKey, k8s.scheduling.v1.PriorityClass>;
        this.ready = keys.map((key) => this.classes[key]);
        this.registerOutputs({ classNames: keys.map((key) => PRIORITY_CLASSES[key].name) });
    }
}
