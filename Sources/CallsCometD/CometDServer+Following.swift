import CallsBusClient
import CallsBusMessages
import Logging

extension CometDServer {
    /// Follows every call event once, gaps filled from the history, and queues each for the
    /// sessions that may see it. After a bus outage it resumes after the last event it passed on.
    func followCalls() async {
        guard let followUser else {
            registry.markFollowing()
            logger.warning("cometd delivers no call events: the directory has no ContactCenterAdmin")
            return
        }
        var lastSeq: UInt64?
        var hasLostBus = false
        while !Task.isCancelled {
            do {
                let events = try await bus.events(for: followUser, prefix: EventTopic.allCalls, after: lastSeq)
                registry.markFollowing()
                if hasLostBus { logger.info("cometd follows the bus's call events again") }
                hasLostBus = false
                for try await item in events {
                    switch item {
                    case .event(let event):
                        let ownerId = EventTopic.ownerId(of: event.topic).map(String.init) ?? "-"
                        registry.publishCall(ownerId: ownerId, seq: event.seq, body: event.body)
                        lastSeq = event.seq
                    case .resync(let reply):
                        lastSeq = reply.seq
                        await resyncCalls()
                    case .gap:
                        break
                    }
                }
                return
            } catch {
                // Once per outage: the retries that follow would repeat it every second.
                if !hasLostBus { logger.warning("cometd lost the bus's call events", metadata: ["error": "\(error)"]) }
                hasLostBus = true
                try? await Task.sleep(for: configuration.busRetryDelay)
            }
        }
    }

    /// Follows every device event and queues each for the sessions that may see it; after missed
    /// events, each following user gets the state of all its devices instead.
    func followDevices() async {
        for await item in bus.deviceEvents() {
            switch item {
            case .event(let event):
                registry.publishDevice(ownerId: event.ownerId, body: event.body)
            case .gap:
                for user in registry.users(following: NotificationChannel.devices) {
                    do {
                        let reply = try await bus.send(BusRequest(operation: .listDevices, user: user)).checked()
                        guard let deviceSeq = reply.wholeNumber("deviceSeq"), let devices = reply.bytes(of: "devices")
                        else { continue }
                        registry.publish(.devices(deviceSeq: deviceSeq, devices: devices), toSessionsOf: user)
                    } catch {
                        logger.warning("cometd could not re-read devices", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    /// The bus's history no longer holds what was missed: every following user gets a snapshot.
    private func resyncCalls() async {
        let replay = SessionReplay(bus: bus, registry: registry)
        for user in registry.users(following: NotificationChannel.calls) {
            do {
                registry.publish(try await replay.snapshot(for: user), toSessionsOf: user)
            } catch {
                logger.warning("cometd could not resync calls", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Ends sessions that no connect kept alive, a few times per session timeout.
    func expireIdleSessions() async {
        let interval = min(configuration.sessionTimeout / 4, .seconds(1))
        while (try? await Task.sleep(for: interval)) != nil {
            let expired = registry.expire(now: .now)
            if expired > 0 { logger.debug("cometd sessions expired", metadata: ["cometd.expired": "\(expired)"]) }
        }
    }
}
