/**
 * Per-resource checks run as a stack rule. The pack runs per resource (before each resource is created)
 * only the rules that are mandatory in every stack; rules whose level depends on the stack, and advisory
 * rules, check each resource from one pass over the stack: the offline evaluator and the analyzer pay a
 * fixed cost per resource and per resource policy, so this keeps the whole pack fast. The preview, which
 * gates every deployment, reports both kinds alike.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes, ofTypesWhere } from "./graph";

/** What a check sees of one resource: the fields of a resource policy's arguments it uses. */
export interface Subject {
    /** Type token. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** URN. */
    readonly urn: string;
    /** Properties (the resource's state during a stack check). */
    readonly props: Record<string, unknown>;
    /** The policy's settings (configSchema defaults merged with the stack's policy config). */
    getConfig<T extends object>(): T;
}

/** True for the error the SDK (and the offline evaluator) throws when a check reads a value unknown during preview. */
export function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/**
 * A stack validation that runs `check` on every resource of the given types (or whose type satisfies
 * the predicate). A resource whose check reads a value unknown during preview is skipped and the others
 * are still judged; the first such error is rethrown at the end, so the preview still says that the
 * rule could not decide everything.
 */
export function checkEachResource(
    applies: readonly string[] | ((type: string) => boolean),
    check: (subject: Subject, reportViolation: (message: string) => void) => void,
): NonNullable<StackValidationPolicy["validateStack"]> {
    return (args, reportViolation) => {
        const resources = typeof applies === "function" ? ofTypesWhere(args.resources, applies) : ofTypes(args.resources, applies);
        let unknown: unknown;
        for (const r of resources) {
            const subject: Subject = { type: r.type, name: r.name, urn: r.urn, props: r.props, getConfig: args.getConfig };
            try {
                check(subject, (message) => reportViolation(message, r.urn));
            } catch (error) {
                if (!isUnknownValueError(error)) {
                    throw error;
                }
                unknown ??= error;
            }
        }
        if (unknown !== undefined) {
            throw unknown;
        }
    };
}
