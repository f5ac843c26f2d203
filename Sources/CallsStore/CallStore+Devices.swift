import Calls
import GRDB

extension CallStore {
    /// Reads `deviceSeq`, the agent states and the do-not-disturb settings.
    static func loadDevices(from db: Database, into state: inout StoredState) throws {
        state.deviceSeq = try UInt64.fetchOne(db, sql: "SELECT seq FROM counters WHERE name = 'deviceSeq'") ?? 0
        for row in try Row.fetchAll(db, sql: "SELECT principal, state, reason FROM agent_states") {
            guard let status = AgentState.Status(rawValue: row["state"]) else {
                throw CallStoreError(code: .corrupt, message: "a stored agent state is not one of the contract's")
            }
            state.agentStates[row["principal"]] = AgentState(status: status, reason: row["reason"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, do_not_disturb FROM devices") {
            state.doNotDisturb[row["id"]] = DoNotDisturb(rawValue: row["do_not_disturb"]) ?? .off
        }
    }

    /// Writes a batch's device changes, in the same transaction as its calls and events.
    static func writeDevices(of batch: StoreBatch, into db: Database) throws {
        guard let deviceSeq = batch.deviceSeq else { return }
        for (principal, agentState) in batch.agentStates {
            if agentState == .loggedOut {
                try db.execute(sql: "DELETE FROM agent_states WHERE principal = ?", arguments: [principal])
            } else {
                try db.execute(
                    sql: "INSERT INTO agent_states (principal, state, reason) VALUES (?, ?, ?) "
                        + "ON CONFLICT(principal) DO UPDATE SET state = excluded.state, reason = excluded.reason",
                    arguments: [principal, agentState.status.rawValue, agentState.reason])
            }
        }
        for (device, setting) in batch.doNotDisturb {
            try db.execute(
                sql: "INSERT INTO devices (id, do_not_disturb) VALUES (?, ?) "
                    + "ON CONFLICT(id) DO UPDATE SET do_not_disturb = excluded.do_not_disturb",
                arguments: [device, setting.rawValue])
        }
        try db.execute(
            sql: "INSERT INTO counters (name, seq) VALUES ('deviceSeq', ?) "
                + "ON CONFLICT(name) DO UPDATE SET seq = excluded.seq",
            arguments: [Int64(deviceSeq)])
    }
}
