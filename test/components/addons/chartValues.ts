/**
 * Checks of Helm values against a chart's upstream files in ../shared/charts: which keys values.yaml
 * declares (including the optional keys it documents as comments with `+docs:property`), Helm's merge of
 * the chart defaults with the values passed, and validation against the chart's values.schema.json.
 */
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "node:fs";
import { parse } from "yaml";
import { sharedFile } from "../eks/helpers";

/** A map value (not an array, not null). */
export function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets `path` in `tree` to null (anything may go below it) unless the tree already declares it. */
function declare(tree: Record<string, unknown>, path: readonly string[]): void {
    let node = tree;
    for (const [i, key] of path.entries()) {
        if (i === path.length - 1) {
            if (!(key in node)) {
                node[key] = null;
            }
            return;
        }
        if (!isMap(node[key])) {
            if (key in node) {
                return; // declared with an empty or scalar default: anything goes below it already
            }
            node[key] = {};
        }
        node = node[key] as Record<string, unknown>;
    }
}

const KEY_LINE = /^(\s*)([A-Za-z0-9_.-]+):/;
const DOCS_PROPERTY = /^(\s*)#\s*\+docs:property(?:=(\S+))?\s*$/;
const COMMENTED_KEY = /^(\s*)#\s([A-Za-z0-9_]+):/;

/**
 * The keys a values.yaml declares: those of its YAML, plus the optional keys it documents as comments
 * after a `+docs:property` marker (cert-manager's convention, for keys without a default such as
 * `serviceAccount.name`).
 */
export function declaredValues(text: string): Record<string, unknown> {
    const tree = (parse(text) ?? {}) as Record<string, unknown>;
    const lines = text.split("\n");
    const parents: { indent: number; key: string }[] = [];
    for (const [index, line] of lines.entries()) {
        const key = KEY_LINE.exec(line);
        if (key !== null) {
            const indent = key[1].length;
            while (parents.length > 0 && parents[parents.length - 1].indent >= indent) {
                parents.pop();
            }
            parents.push({ indent, key: key[2] });
            continue;
        }
        const marker = DOCS_PROPERTY.exec(line);
        if (marker === null) {
            continue;
        }
        if (marker[2] !== undefined) {
            declare(tree, marker[2].split("."));
            continue;
        }
        const next = lines.slice(index + 1).find((l) => !/^\s*#\s*\+docs:/.test(l));
        const commented = next === undefined ? null : COMMENTED_KEY.exec(next);
        if (commented !== null) {
            const indent = commented[1].length;
            const path = parents.filter((p) => p.indent < indent).map((p) => p.key);
            declare(tree, [...path, commented[2]]);
        }
    }
    return tree;
}

/**
 * Paths of `ours` that the upstream values do not declare. Below an upstream key whose default is
 * empty (`{}`, `[]` or null), or that the chart renders whole (`renderedWhole`), anything goes.
 */
export function undeclaredKeys(ours: Record<string, unknown>, upstream: Record<string, unknown>, renderedWhole: readonly string[], prefix = ""): string[] {
    return Object.entries(ours).flatMap(([key, value]) => {
        const at = `${prefix}${key}`;
        if (!(key in upstream)) {
            return [at];
        }
        const declared = upstream[key];
        if (isMap(value) && isMap(declared) && Object.keys(declared).length > 0 && !renderedWhole.includes(at)) {
            return undeclaredKeys(value, declared, renderedWhole, `${at}.`);
        }
        return [];
    });
}

/** Helm's merge of chart defaults and passed values: maps merge key by key, anything else replaces. */
export function helmMerge(defaults: unknown, overrides: unknown): unknown {
    if (!isMap(defaults) || !isMap(overrides)) {
        return overrides === undefined ? defaults : overrides;
    }
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(overrides)) {
        merged[key] = helmMerge(defaults[key], value);
    }
    return merged;
}

/** The upstream files of a chart, or undefined when ../shared is absent. */
export interface UpstreamChart {
    /** values.yaml text. */
    readonly valuesText: string;
    /** values.yaml parsed. */
    readonly defaults: Record<string, unknown>;
    /** Errors of validating the merged values against values.schema.json (empty: valid). */
    schemaErrors(values: Record<string, unknown>): string[];
}

/** Loads ../shared/charts/<chart>; undefined when ../shared is absent. */
export function upstreamChart(chart: string): UpstreamChart | undefined {
    const valuesFile = sharedFile(`charts/${chart}/values.yaml`);
    const schemaFile = sharedFile(`charts/${chart}/values.schema.json`);
    if (valuesFile === undefined || schemaFile === undefined) {
        return undefined;
    }
    const valuesText = fs.readFileSync(valuesFile, "utf8");
    const defaults = parse(valuesText) as Record<string, unknown>;
    // Most charts' schemas declare draft-07 (cert-manager's keeps its definitions under $defs, which
    // draft-07 resolves as plain JSON pointers): the default (draft-07) Ajv. external-secrets' declares 2020-12.
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as { $schema?: string };
    const ajv =
        schema.$schema?.includes("draft/2020-12") === true ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    return {
        valuesText,
        defaults,
        schemaErrors(values) {
            const merged = helmMerge(defaults, values);
            return validate(merged) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
        },
    };
}
