/// A bounded set of names: the oldest is forgotten first.
struct RecentNames: Sendable {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    func contains(_ name: String) -> Bool { members.contains(name) }

    mutating func insert(_ name: String) {
        guard members.insert(name).inserted else { return }
        order.append(name)
        if members.count > capacity {
            members.remove(order[head])
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
