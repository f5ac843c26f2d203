import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

extension GatewayConfiguration {
    /// The HTTP/1.1 server: with the idle timeout, and over TLS when a certificate is configured.
    ///
    /// Basic authentication sends passwords with every request, so plain HTTP is refused beyond
    /// loopback (as the bus refuses to bind beyond loopback without CURVE) unless
    /// ``allowsInsecureListen`` says a trusted network, or a proxy in front, makes it safe.
    /// - Throws: ``GatewayConfigurationError`` naming the address, or the file that cannot be used.
    func serverBuilder() throws(GatewayConfigurationError) -> HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(idleTimeout)))
        guard let certificateFile = tlsCertificateFile, let keyFile = tlsKeyFile else {
            guard listensOnLoopbackOnly || allowsInsecureListen else {
                throw GatewayConfigurationError(
                    key: "listen",
                    message: """
                        \(listenAddress) is beyond loopback and has no TLS: anyone on the network could read \
                        HTTP Basic passwords. Start with --tls-certificate FILE and --tls-key FILE, or pass \
                        --insecure to listen without TLS anyway
                        """
                )
            }
            return http1
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw GatewayConfigurationError(
                key: "tls-certificate", message: "\(certificateFile) is not a readable PEM certificate chain: \(error)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw GatewayConfigurationError(
                key: "tls-key", message: "\(keyFile) is not a readable PEM private key: \(error)")
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            // Made here only to check the pair now, not when the server starts.
            _ = try NIOSSLContext(configuration: tls)
            return try .tls(http1, tlsConfiguration: tls)
        } catch {
            throw GatewayConfigurationError(
                key: "tls-key", message: "\(keyFile) does not go with \(certificateFile): \(error)")
        }
    }
}
