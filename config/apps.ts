/**
 * The typed settings of the applications, built from the parsed `apps` and `appSecrets` keys.
 */
import type { AppConfig } from "./keys/apps";
import type { ConfigValues } from "./schema";

/** One application with its own secrets. */
export interface ApplicationConfig extends AppConfig {
    /** The application's secrets from `appSecrets` (variable name to value); handled as Pulumi secrets. */
    readonly secrets: Readonly<Record<string, string>>;
}

/** The application sections of the platform config. */
export interface AppSections {
    /** The applications, in config order. */
    readonly apps: readonly ApplicationConfig[];
}

/** Builds the application sections from validated keys. */
export function appSections(values: ConfigValues): AppSections {
    const secrets = JSON.parse(values.appSecrets) as Record<string, Record<string, string>>;
    return { apps: values.apps.map((app) => ({ ...app, secrets: secrets[app.name] ?? {} })) };
}
