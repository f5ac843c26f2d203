import Testing
@testable import ZMQ
