// Every operation of the organization's (organizations, the policy, members, invitations,
// service accounts and their keys, trust policies), each edge value its schemas accept sent
// to the running app (tests/support/contract-edges.ts); the rest are in contract-edges.test.ts.
import { describeContractEdges, isOrganizations } from "../support/contract-edges";

describeContractEdges("every operation of the organization's, every edge value its schemas accept", isOrganizations, "127.0.0.47");
