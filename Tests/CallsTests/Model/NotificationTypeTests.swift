import Calls
import Testing

struct NotificationTypeTests {
    @Test(arguments: [
        (NotificationType.statusChange, "StatusChange"), (.participantsUpdated, "ParticipantsUpdated"),
        (.attachedDataChanged, "AttachedDataChanged"), (.dtmfSent, "DtmfSent"),
    ])
    func wireName(notification: NotificationType, name: String) {
        #expect(notification.rawValue == name)
        #expect(NotificationType(rawValue: name) == notification)
    }
}
