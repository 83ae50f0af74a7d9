/**
 * Resolves the config of a checked-in stack file with overrides, without running the program: the
 * fast path for testing every config rule's exact message.
 */
import { expect } from "chai";
import { ConfigValidationError, resolveConfig, type PlatformConfig } from "../../config";
import { buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "../../tools/offline/stackConfig";

/** A checked-in stack. */
export type Stack = "dev" | "prod";

/** Raw config of a checked-in stack file, with overrides (a value of undefined removes the key). */
export function raw(stack: Stack, overrides: Record<string, unknown> = {}): Record<string, string> {
    const values: Record<string, unknown> = { ...readStackFile(stackFilePath(stack)), ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete values[key];
        }
    }
    return buildStackConfig(readProjectFile(), values).values;
}

/** The resolved config of a stack file with overrides. */
export function resolve(stack: Stack, overrides: Record<string, unknown> = {}): PlatformConfig {
    return resolveConfig({ stack, values: raw(stack, overrides) });
}

/** Every message of the ConfigValidationError that resolving throws; fails the test when nothing is thrown. */
export function problems(stack: Stack, overrides: Record<string, unknown>): string[] {
    try {
        resolve(stack, overrides);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigValidationError);
        return (error as ConfigValidationError).problems.map((p) => p.message);
    }
    throw new Error("expected the config to be rejected");
}

/** A config that must be rejected: what the case is, the dev stack file's overrides, every message expected. */
export type RejectedCase = [what: string, overrides: Record<string, unknown>, messages: string | readonly string[]];

/** One test per case: resolving dev with the overrides fails with exactly those messages, in order. */
export function itRejects(cases: readonly RejectedCase[]): void {
    for (const [what, overrides, messages] of cases) {
        it(`rejects ${what}`, () => {
            expect(problems("dev", overrides)).to.deep.equal(typeof messages === "string" ? [messages] : messages);
        });
    }
}
