/**
 * The README's generated tables: the config reference (every key with type, default and the value each
 * checked-in stack sets) and the policy table (every rule with its sources and levels). Written between
 * marker comments by `npm run generate`; a test fails when they are out of date.
 */
import { schema } from "../config/schema";
import type { Field } from "../config/fields";
import { rules } from "../policies/rules";
import { readStackFile, stackFilePath } from "./offline/stackConfig";

/** A stack file's value in the README table; a `secure:` value (ciphertext, or the offline stand-in) is shown only as set. */
function cell(value: unknown): string {
    if (value === undefined) {
        return "";
    }
    if (value !== null && typeof value === "object" && "secure" in value) {
        return "secret (set with `pulumi config set --secret`)";
    }
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return "`" + text.replace(/\|/g, "\\|") + "`";
}

function escape(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** The config reference table. */
export function configTable(): string {
    const dev = readStackFile(stackFilePath("dev"));
    const prod = readStackFile(stackFilePath("prod"));
    const rows = Object.entries(schema).map(([key, f]) => {
        const field = f as Field<unknown>;
        const full = `platform:${key}`;
        const def = field.default === undefined ? "required" : cell(field.default);
        return `| \`${full}\` | ${escape(field.typeName)} | ${def} | ${cell(dev[full])} | ${cell(prod[full])} | ${escape(field.description)} |`;
    });
    return [
        "| key | type | default | dev | prod | description |",
        "|---|---|---|---|---|---|",
        "| `aws:region` | string | required | " + cell(dev["aws:region"]) + " | " + cell(prod["aws:region"]) + " | AWS region of the stack. |",
        ...rows,
    ].join("\n");
}

/** The policy table. */
export function policyTable(): string {
    const rows = rules.map(
        (rule) => `| \`${rule.policy.name}\` | ${escape(rule.policy.description)} | ${rule.sources.join(", ")} | ${rule.levels.dev} | ${rule.levels.prod} |`,
    );
    return ["| rule | requires | sources | dev | prod |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, content: string): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`README.md lacks the markers ${start} ... ${end}`);
    }
    return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}
