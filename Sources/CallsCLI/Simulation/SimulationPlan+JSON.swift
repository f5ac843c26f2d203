import Calls
import CallsBusMessages
import CallsJSON

extension SimulationPlan {
    /// The plan as JSON lines, `{"at": seconds, "request": {...}}`: what `--print-plan` shows.
    func jsonLines(telephonyUser: String) -> [String] {
        actions.map { planned in
            var writer = JSONWriter()
            writer.beginObject()
            writer.number((planned.time * 1000).rounded() / 1000, key: "at")
            writer.value(.object(planned.action.request(telephonyUser: telephonyUser).fields), key: "request")
            writer.endObject()
            return String(decoding: writer.data, as: UTF8.self)
        }
    }
}
