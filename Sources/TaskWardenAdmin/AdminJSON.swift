import Foundation
import Hummingbird

/// The admin API's JSON: sorted keys like the CLI's `--json`, and one error shape,
/// `{"ok": false, "error": "..."}`.
enum AdminJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"ok":false,"error":"the response could not be encoded"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        response(Failure(error: message), status: status)
    }

    /// An error's description on one line, for an error body.
    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    struct Failure: Encodable {
        let ok = false
        let error: String
    }
}
