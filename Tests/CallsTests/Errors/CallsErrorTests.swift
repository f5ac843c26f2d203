import Calls
import Testing

struct CallsErrorTests {
    static let codes: [(CallsError.Code, Int, CallsError)] = [
        (.missingParameter, 1, .missingParameter("m")),
        (.invalidParameter, 2, .invalidParameter("m")),
        (.forbidden, 3, .forbidden("m")),
        (.internal, 4, .internal("m")),
        (.noPermission, 5, .noPermission("m")),
        (.notFound, 6, .notFound("m")),
        (.notAuthenticated, 20, .notAuthenticated("m")),
    ]

    @Test(arguments: codes)
    func statusCodes(code: CallsError.Code, statusCode: Int, made: CallsError) {
        #expect(code.statusCode == statusCode)
        #expect(CallsError.Code(statusCode: statusCode) == code)
        #expect(made.code == code)
        #expect(made.message == "m")
        #expect(code.description.contains("(\(statusCode))"))
    }

    @Test(arguments: [0, 7, 19, 21, -1])
    func unknownStatusCodesHaveNoCode(statusCode: Int) {
        #expect(CallsError.Code(statusCode: statusCode) == nil)
    }

    @Test func allCodesAreDistinct() {
        #expect(Set(CallsError.Code.allCodes).count == 7)
        #expect(Set(CallsError.Code.allCodes.map(\.statusCode)).count == 7)
    }

    @Test func equalityComparesOnlyTheCode() {
        #expect(CallsError.notFound("call 'a' not found") == CallsError.notFound("something else"))
        #expect(CallsError.notFound("x") != CallsError.invalidParameter("x"))
    }

    @Test func descriptionCarriesMessageAndCause() {
        let cause = CallsError.invalidParameter("inner")
        let error = CallsError.internal("store failed", underlying: cause)
        #expect(error.description.contains("store failed"))
        #expect(error.description.contains("internal (4)"))
        #expect(error.description.contains("inner"))
        #expect(error.underlying is CallsError)
    }
}
