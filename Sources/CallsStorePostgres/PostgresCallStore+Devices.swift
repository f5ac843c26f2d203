import Calls
import CallsStore
import PostgresNIO

extension PostgresCallStore {
    /// Reads the counters (`seq`, `deviceSeq`) by name.
    static func counters(
        on link: PostgresSession.Link, failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) -> [String: UInt64] {
        var counters: [String: UInt64] = [:]
        for row in try link.query("SELECT name, seq FROM calls_counters", failure: failure) {
            let (name, value) = try decodePair(String.self, Int64.self, from: row)
            counters[name] = UInt64(value)
        }
        return counters
    }

    /// Reads the agent states and the do-not-disturb settings.
    static func loadDevices(
        on link: PostgresSession.Link, into state: inout StoredState,
        failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) {
        for row in try link.query("SELECT principal, state, reason FROM calls_agent_states", failure: failure) {
            let columns: (String, String, String?)
            do {
                columns = try row.decode((String, String, String?).self)
            } catch {
                throw CallStoreError(code: .corrupt, message: "a stored agent state has an unexpected type")
            }
            guard let status = AgentState.Status(rawValue: columns.1) else {
                throw CallStoreError(code: .corrupt, message: "a stored agent state is not one of the contract's")
            }
            state.agentStates[columns.0] = AgentState(status: status, reason: columns.2)
        }
        for row in try link.query("SELECT id, do_not_disturb FROM calls_devices", failure: failure) {
            let (id, setting) = try decodePair(String.self, String.self, from: row)
            state.doNotDisturb[id] = DoNotDisturb(rawValue: setting) ?? .off
        }
    }

    /// Writes a batch's device changes, in the same transaction as its calls and events.
    static func writeDevices(
        of batch: StoreBatch, on link: PostgresSession.Link, failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) {
        guard let deviceSeq = batch.deviceSeq else { return }
        for (principal, agentState) in batch.agentStates {
            if agentState == .loggedOut {
                _ = try link.query("DELETE FROM calls_agent_states WHERE principal = \(principal)", failure: failure)
            } else {
                _ = try link.query(
                    """
                    INSERT INTO calls_agent_states (principal, state, reason) \
                    VALUES (\(principal), \(agentState.status.rawValue), \(agentState.reason)) \
                    ON CONFLICT (principal) DO UPDATE SET state = excluded.state, reason = excluded.reason
                    """, failure: failure)
            }
        }
        if !batch.doNotDisturb.isEmpty {
            let settings = Array(batch.doNotDisturb)
            _ = try link.query(
                """
                INSERT INTO calls_devices (id, do_not_disturb) SELECT * FROM unnest(\
                \(settings.map(\.key))::text[], \(settings.map(\.value.rawValue))::text[]) \
                ON CONFLICT (id) DO UPDATE SET do_not_disturb = excluded.do_not_disturb
                """, failure: failure)
        }
        try setCounter("deviceSeq", to: deviceSeq, on: link, failure: failure)
    }

    /// Reads a row of two columns.
    static func decodePair<First: PostgresDecodable, Second: PostgresDecodable>(
        _ first: First.Type, _ second: Second.Type, from row: PostgresRow
    ) throws(CallStoreError) -> (First, Second) {
        do {
            return try row.decode((First, Second).self)
        } catch {
            throw CallStoreError(code: .corrupt, message: "a stored row has an unexpected type")
        }
    }
}
