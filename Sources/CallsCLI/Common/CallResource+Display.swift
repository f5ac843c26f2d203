import Calls
import CallsBusMessages
import Foundation

extension CallResource {
    /// The device id: the last segment of `deviceUri`, percent-decoded.
    var deviceId: String {
        let segment = deviceUri.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return segment.removingPercentEncoding ?? segment
    }

    /// The participants, each followed by its place when `participantsInfo` describes it:
    /// `+14155552671 (San Francisco, CA, United States), 5001`.
    var participantsText: String {
        participants.map { number in
            guard let info = participantsInfo.first(where: { $0.e164Digits == number }) else { return number }
            let place = [info.location, info.country.name].compactMap { $0 }
            // The geocoder often answers with the country itself; saying it twice helps no one.
            let unique = place.enumerated().filter { index, part in !place[..<index].contains(part) }.map(\.element)
            return "\(number) (\(unique.joined(separator: ", ")))"
        }
        .joined(separator: ", ")
    }

    /// `userData` as `key=value` pairs sorted by key.
    var userDataText: String {
        userData.keys.sorted().map { "\($0)=\(userData[$0] ?? "")" }.joined(separator: ", ")
    }
}
