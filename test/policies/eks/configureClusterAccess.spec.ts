import { expect } from "chai";
import { configureClusterAccess } from "../../../policies/rules/eks/configureClusterAccess";
import { messages, REMOVE, resource, withValue } from "../check";
import { eksCluster } from "../fixtures";

const run = (props: unknown) => messages(configureClusterAccess, [resource("aws:eks/cluster:Cluster", "eks", props as Record<string, unknown>)]);

describe("policy platform-eks-cluster-access-mode (EKS-06, advisory)", () => {
    it("passes access entries only, without an implicit creator admin", async () => {
        expect(await run(eksCluster)).to.deep.equal([]);
    });
    it("fails the ConfigMap modes and an omitted access config", async () => {
        expect(await run(withValue(eksCluster, "accessConfig.authenticationMode", "API_AND_CONFIG_MAP"))).to.deep.equal([
            'aws:eks/cluster:Cluster "eks" authenticates with API_AND_CONFIG_MAP. Set accessConfig.authenticationMode: "API" and grant access through access entries.',
        ]);
        expect(await run(withValue(eksCluster, "accessConfig", REMOVE))).to.deep.equal([
            'aws:eks/cluster:Cluster "eks" authenticates with the default CONFIG_MAP mode. Set accessConfig.authenticationMode: "API" and grant access through access entries.',
            'aws:eks/cluster:Cluster "eks" gives whoever creates it an implicit cluster-admin entry. Set accessConfig.bootstrapClusterCreatorAdminPermissions: false and list administrators as access entries.',
        ]);
    });
    it("is advisory in every stack", () => {
        expect(configureClusterAccess.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
