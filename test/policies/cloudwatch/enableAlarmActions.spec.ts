import { expect } from "chai";
import { enableAlarmActions } from "../../../policies/rules/cloudwatch/enableAlarmActions";
import { Unknown } from "../../../tools/offline/values";
import { messages, REMOVE, resource, withValue } from "../check";
import { metricAlarm } from "../fixtures";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const run = (props: Record<string, unknown>) => messages(enableAlarmActions, [resource(ALARM, "a", props)]);

describe("policy platform-cloudwatch-alarm-actions", () => {
    it("passes an alarm that notifies a topic (also when the topic ARN is unknown during preview)", async () => {
        expect(await run(metricAlarm)).to.deep.equal([]);
        expect(await run({ ...metricAlarm, alarmActions: Unknown.instance })).to.deep.equal([]);
    });
    it("fails an alarm whose actions are disabled", async () => {
        expect(await run({ ...metricAlarm, actionsEnabled: false })).to.deep.equal([
            'aws:cloudwatch/metricAlarm:MetricAlarm "a" has its actions disabled: it changes state and tells nobody. Remove actionsEnabled: false.',
        ]);
    });
    it("fails an alarm that notifies nothing", async () => {
        const expected = ['aws:cloudwatch/metricAlarm:MetricAlarm "a" notifies nothing when it fires. Set alarmActions to the stack\'s alarm topic.'];
        expect(await run(withValue(metricAlarm, "alarmActions", REMOVE))).to.deep.equal(expected);
        expect(await run({ ...metricAlarm, alarmActions: [] })).to.deep.equal(expected);
    });
});
