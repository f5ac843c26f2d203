import CallsBusMessages

extension ParsedReply {
    /// The reply as the bus sent it, as text: what `--json` prints.
    var text: String {
        String(decoding: frame, as: UTF8.self)
    }
}
