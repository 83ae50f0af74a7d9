/**
 * Every rule of the platform pack, in the order the README lists them. Side-effect free: the offline
 * plan and the tests import this; only ../index.ts constructs the PolicyPack.
 */
import type { PlatformRule } from "../lib/rule";
import { enableKeyRotation } from "./kms/enableKeyRotation";
import { configureLogGroupRetention } from "./logs/configureLogGroupRetention";
import { encryptLogGroup } from "./logs/encryptLogGroup";
import { disallowPublicIpOnLaunch } from "./network/disallowPublicIpOnLaunch";
import { requireVpcFlowLogs } from "./network/requireVpcFlowLogs";

/** The name the pack registers under. */
export const PACK_NAME = "platform-hardening";

/** All rules. */
export const rules: readonly PlatformRule[] = [enableKeyRotation, configureLogGroupRetention, encryptLogGroup, disallowPublicIpOnLaunch, requireVpcFlowLogs];
