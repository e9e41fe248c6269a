import OctaviaAPI
import OctaviaConfig
import OctaviaCore
import OctaviaLocalCerts
import OctaviaNoopDrivers

extension Daemon {
    /// `[certificates] cert_manager`: where listener and pool certificate references resolve.
    static func makeCertificateManager(_ settings: OctaviaSettings) -> any CertificateManager {
        switch settings.certificates.certManager {
        case .localCertManager: LocalCertificateManager(directory: settings.certificates.storagePath)
        case .noopCertManager: NoopCertificateManager()
        }
    }

    /// The API's TLS options from `[api_settings]` and `[certificates]`.
    static func apiTLSOptions(_ settings: OctaviaSettings) -> APITLSOptions {
        let api = settings.api, tls = settings.api.tls
        var options = APITLSOptions()
        options.allowTLSTerminatedListeners = api.allowTLSTerminatedListeners
        options.allowPrometheusListeners = api.allowPrometheusListeners
        options.defaultListenerCiphers = tls.defaultListenerCiphers
        options.defaultPoolCiphers = tls.defaultPoolCiphers
        options.defaultListenerTLSVersions = tls.defaultListenerTLSVersions
        options.defaultPoolTLSVersions = tls.defaultPoolTLSVersions
        options.defaultListenerALPNProtocols = tls.defaultListenerALPNProtocols
        options.defaultPoolALPNProtocols = tls.defaultPoolALPNProtocols
        options.cipherProhibitList = tls.cipherProhibitList
        options.minimumTLSVersion = tls.minimumTLSVersion
        options.certificateManager = makeCertificateManager(settings)
        options.x509Inspector = OpenSSLX509Inspector()
        return options
    }
}
